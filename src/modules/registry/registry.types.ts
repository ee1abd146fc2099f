import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';
import { NodeInterface } from '../../core/global-id';
import { Connection } from '../../core/pagination';
import { DivisionCode, LocalDate } from '../../core/scalars';
import {
  Gender, HealthCategory, HouseholdStatus, IdentificationStandard, LabourAbility, PovertyCause, Relation, SchoolingStage,
} from '../../core/vocab';
import { Utilities } from '../region';

@ObjectType('Household', { implements: NodeInterface, description: 'A household in the 建档立卡 registry (贫困户档案). Registry data owned by 扶贫办 the poverty office.' })
export class HouseholdNode {
  // The database id; GraphQL answers `id` with the global id and `databaseId` with this (household.resolver.ts).
  id!: string;

  @Field({ description: '户编号 household number.' })
  number!: string;

  @Field({ description: '12-digit code of the village the household lives in (所在村).' })
  villageCode!: string;

  @Field({ description: '6-digit county code (所属县).' })
  countyCode!: string;

  @Field(() => HouseholdStatus, { description: '识别状态 registration status.' })
  status!: HouseholdStatus;

  @Field(() => Int, { nullable: true, description: '识别年度 year the household was identified as poor.' })
  identificationYear!: number | null;

  @Field(() => IdentificationStandard, { nullable: true, description: '识别标准 poverty line used at identification.' })
  identificationStandard!: IdentificationStandard | null;

  @Field(() => PovertyCause, { nullable: true, description: '主要致贫原因 main poverty cause.' })
  mainCause!: PovertyCause | null;

  @Field(() => Utilities, { description: '六到农家 household utilities.' })
  utilities!: Utilities;

  @Field(() => Int, { description: 'Optimistic-concurrency version (版本号); send it back with updates.' })
  version!: number;
}

@ObjectType('Person', { implements: NodeInterface, description: 'A member of a household (家庭成员). Registry data owned by 扶贫办 the poverty office.' })
export class PersonNode {
  // The database id; GraphQL answers `id` with the global id and `databaseId` with this (person.resolver.ts).
  id!: string;

  @Field(() => ID, { description: 'Database id of the household (所属户), as `Household.databaseId`; `household { id }` gives its global id.' })
  householdId!: string;

  @Field({ description: '12-digit code of the village (所在村).' })
  villageCode!: string;

  @Field(() => Relation, { description: '与户主关系 relation to the head of household.' })
  relation!: Relation;

  // name, idNumber and birthDate are resolved under the privacy policy (person.resolver.ts).
  name!: string;

  idNumber!: string;

  @Field(() => Gender, { description: '性别 gender.' })
  gender!: Gender;

  birthDate!: string;

  @Field(() => LabourAbility, { description: '劳动能力 labour ability.' })
  labourAbility!: LabourAbility;

  @Field(() => HealthCategory, { description: '健康状况 health category.' })
  healthCategory!: HealthCategory;

  @Field(() => Int, { nullable: true, description: '残疾等级 disability level, 1 (most severe) to 4; null when not disabled.' })
  disabilityLevel!: number | null;

  @Field(() => SchoolingStage, { description: '在校生状况 current schooling stage.' })
  schoolingStage!: SchoolingStage;

  @Field(() => Int, { description: 'Optimistic-concurrency version (版本号).' })
  version!: number;
}

@ObjectType({ description: '家庭人均纯收入 per-capita net income of a household in one year.' })
export class HouseholdIncomeNode {
  @Field(() => Int, { description: 'Year (年度).' })
  year!: number;

  @Field(() => Float, { description: 'Per-capita net income, yuan (元).' })
  perCapitaNetIncome!: number;
}

@ObjectType({ description: '状态变更 one change of a household\'s registration status, kept forever.' })
export class HouseholdStatusEventNode {
  @Field(() => HouseholdStatus, { nullable: true, description: 'Status before (原状态); null for the first event.' })
  fromStatus!: HouseholdStatus | null;

  @Field(() => HouseholdStatus, { description: 'Status after (新状态).' })
  toStatus!: HouseholdStatus;

  @Field(() => LocalDate, { description: 'Date the change took effect (变更日期).' })
  occurredOn!: string;

  @Field(() => String, { nullable: true, description: 'Reason (变更原因).' })
  reason!: string | null;
}

@InputType({ description: 'Filter for households (贫困户筛选条件).' })
export class HouseholdFilter {
  @Field(() => DivisionCode, { nullable: true, description: 'Only households inside this division (区划代码前缀).' })
  regionCode?: string | null;

  @Field(() => HouseholdStatus, { nullable: true, description: '识别状态 registration status.' })
  status?: HouseholdStatus | null;

  @Field(() => PovertyCause, { nullable: true, description: '主要致贫原因 main poverty cause.' })
  mainCause?: PovertyCause | null;

  @Field(() => Int, { nullable: true, description: '识别年度 identification year.' })
  @IsOptional()
  @Min(1980)
  @Max(2100)
  identificationYear?: number | null;
}

@InputType({ description: 'Filter for persons (人员筛选条件).' })
export class PersonFilter {
  @Field(() => DivisionCode, { nullable: true, description: 'Only persons living inside this division (区划代码前缀).' })
  regionCode?: string | null;

  @Field(() => Int, { nullable: true, description: 'Minimum age in whole years on `asOf` (最小年龄).' })
  @IsOptional()
  @Min(0)
  @Max(150)
  minAge?: number | null;

  @Field(() => Int, { nullable: true, description: 'Maximum age in whole years on `asOf` (最大年龄), inclusive.' })
  @IsOptional()
  @Min(0)
  @Max(150)
  maxAge?: number | null;

  @Field(() => LocalDate, { nullable: true, description: 'Reference date for ages (年龄计算基准日); today by default.' })
  asOf?: string | null;

  @Field(() => LabourAbility, { nullable: true, description: '劳动能力 labour ability.' })
  labourAbility?: LabourAbility | null;

  @Field(() => SchoolingStage, { nullable: true, description: '在校生状况 schooling stage.' })
  schoolingStage?: SchoolingStage | null;
}

export const HouseholdConnection = Connection(HouseholdNode, 'Household', '贫困户');
export const PersonConnection = Connection(PersonNode, 'Person', '人员');
