import { ArrayMaxSize, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DivisionCode, LocalDate } from '../../core/scalars';
import {
  Gender, HealthCategory, HouseholdStatus, IdentificationStandard, LabourAbility, PovertyCause, Relation, SchoolingStage,
} from '../../core/vocab';

@InputType({ description: 'The six utilities (六到农家) as written by the poverty office.' })
export class UtilitiesInput {
  @Field({ description: '水 safe drinking water.' }) water!: boolean;
  @Field({ description: '电 grid electricity.' }) electricity!: boolean;
  @Field({ description: '路 hardened road.' }) road!: boolean;
  @Field({ description: '房 safe housing.' }) housing!: boolean;
  @Field({ description: '网络/广电 broadband and radio/TV.' }) network!: boolean;
  @Field({ description: '环境 sanitation.' }) environment!: boolean;
}

@InputType({ description: 'A new household in the 建档立卡 registry (新增贫困户).' })
export class CreateHouseholdInput {
  @Field(() => DivisionCode, { description: '12-digit code of the village (所在村); must lie in your scope.' })
  villageCode!: string;

  @Field({ description: '户编号 household number, unique.' })
  @Length(4, 20)
  @Matches(/^[0-9A-Za-z-]+$/, { message: 'letters, digits and dashes only' })
  number!: string;

  @Field(() => HouseholdStatus, { description: '识别状态 registration status.' })
  status!: HouseholdStatus;

  @Field(() => Int, { nullable: true, description: '识别年度 identification year.' })
  @IsOptional()
  @Min(1980)
  @Max(2100)
  identificationYear?: number | null;

  @Field(() => IdentificationStandard, { nullable: true, description: '识别标准 identification standard.' })
  identificationStandard?: IdentificationStandard | null;

  @Field(() => PovertyCause, { nullable: true, description: '主要致贫原因 main poverty cause.' })
  mainCause?: PovertyCause | null;

  @Field(() => [PovertyCause], { defaultValue: [], description: '次要致贫原因 secondary causes (not the main one).' })
  @ArrayMaxSize(11)
  secondaryCauses!: PovertyCause[];

  @Field(() => UtilitiesInput, { description: '六到农家 household utilities.' })
  utilities!: UtilitiesInput;
}

@InputType({ description: 'Changes to a household (修改贫困户信息); omitted fields stay as they are.' })
export class UpdateHouseholdInput {
  @Field(() => HouseholdStatus, { nullable: true, description: '识别状态 new status; the change is kept as a status event.' })
  status?: HouseholdStatus;

  @Field(() => LocalDate, { nullable: true, description: 'Date a status change takes effect (变更日期); today by default.' })
  statusDate?: string;

  @Field(() => String, { nullable: true, description: 'Reason for a status change (变更原因).' })
  @IsOptional()
  @Length(1, 500)
  statusReason?: string;

  @Field(() => Int, { nullable: true, description: '识别年度 identification year.' })
  @IsOptional()
  @Min(1980)
  @Max(2100)
  identificationYear?: number;

  @Field(() => IdentificationStandard, { nullable: true, description: '识别标准 identification standard.' })
  identificationStandard?: IdentificationStandard;

  @Field(() => PovertyCause, { nullable: true, description: '主要致贫原因 main poverty cause.' })
  mainCause?: PovertyCause;

  @Field(() => [PovertyCause], { nullable: true, description: '次要致贫原因 secondary causes; replaces the list.' })
  @IsOptional()
  @ArrayMaxSize(11)
  secondaryCauses?: PovertyCause[];

  @Field(() => UtilitiesInput, { nullable: true, description: '六到农家 household utilities.' })
  utilities?: UtilitiesInput;
}

@InputType({ description: 'A new member of a household (新增家庭成员).' })
export class CreatePersonInput {
  @Field(() => Relation, { description: '与户主关系 relation to the head.' })
  relation!: Relation;

  @Field({ description: '姓名 name.' })
  @Length(1, 50)
  name!: string;

  @Field({ description: '公民身份号码 18-digit resident ID number; checked with the GB 11643 checksum, and against birth date and gender.' })
  idNumber!: string;

  @Field(() => Gender, { description: '性别 gender.' })
  gender!: Gender;

  @Field(() => LocalDate, { description: '出生日期 birth date.' })
  birthDate!: string;

  @Field(() => LabourAbility, { description: '劳动能力 labour ability.' })
  labourAbility!: LabourAbility;

  @Field(() => HealthCategory, { description: '健康状况 health category.' })
  healthCategory!: HealthCategory;

  @Field(() => Int, { nullable: true, description: '残疾等级 disability level 1–4 (only when disabled).' })
  @IsOptional()
  @Min(1)
  @Max(4)
  disabilityLevel?: number | null;

  @Field(() => SchoolingStage, { description: '在校生状况 schooling stage.' })
  schoolingStage!: SchoolingStage;
}

@InputType({ description: 'Changes to a person (修改成员信息); omitted fields stay as they are. The ID number cannot change: register a correction instead.' })
export class UpdatePersonInput {
  @Field(() => Relation, { nullable: true, description: '与户主关系 relation to the head.' })
  relation?: Relation;

  @Field(() => String, { nullable: true, description: '姓名 name.' })
  @IsOptional()
  @Length(1, 50)
  name?: string;

  @Field(() => LabourAbility, { nullable: true, description: '劳动能力 labour ability.' })
  labourAbility?: LabourAbility;

  @Field(() => HealthCategory, { nullable: true, description: '健康状况 health category.' })
  healthCategory?: HealthCategory;

  @Field(() => Int, { nullable: true, description: '残疾等级 disability level 1–4.' })
  @IsOptional()
  @Min(1)
  @Max(4)
  disabilityLevel?: number;

  @Field(() => SchoolingStage, { nullable: true, description: '在校生状况 schooling stage.' })
  schoolingStage?: SchoolingStage;
}
