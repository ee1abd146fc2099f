import { Length, Matches, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { LocalDate } from '../../core/scalars';
import { DropoutWatchStatus, SchoolingStage, SchoolStatus } from '../../core/vocab';

// Inputs of the 教育 education writes. Shapes are checked here (class-validator, on in
// core/schema.ts); rules that need the database or several fields are in the write service.

@InputType({ description: 'A school enrolment (学籍登记) of a person in one school year.' })
export class CreateSchoolEnrolmentInput {
  @Field(() => Int, { description: '学年 the year the school year starts (2024 = 2024–25), 2000 to next year.' })
  @Min(2000)
  schoolYear!: number;

  @Field(() => SchoolingStage, { description: '学段 stage, preschool … college (not NONE).' })
  stage!: SchoolingStage;

  @Field({ description: '学校名称 school name (1–100 characters).' })
  @Length(1, 100)
  @Matches(/\S/, { message: 'schoolName must not be blank' })
  schoolName!: string;

  @Field(() => Int, { description: '年级 grade within the stage (primary 1–6, junior 1–4, senior and preschool 1–3, …).' })
  @Min(1)
  @Max(8)
  grade!: number;

  @Field(() => SchoolStatus, { defaultValue: SchoolStatus.ENROLLED, description: '学籍状态 status; one ENROLLED record per person and school year.' })
  status!: SchoolStatus;
}

@InputType({ description: 'Changes to a school enrolment (学籍变动), including dropping out (辍学); omitted fields stay as they are.' })
export class UpdateSchoolEnrolmentInput {
  @Field(() => Int, { nullable: true, description: '学年 the year the school year starts.' })
  @Min(2000)
  schoolYear?: number;

  @Field(() => SchoolingStage, { nullable: true, description: '学段 stage (not NONE).' })
  stage?: SchoolingStage;

  @Field(() => String, { nullable: true, description: '学校名称 school name (1–100 characters).' })
  @Length(1, 100)
  @Matches(/\S/, { message: 'schoolName must not be blank' })
  schoolName?: string;

  @Field(() => Int, { nullable: true, description: '年级 grade within the stage.' })
  @Min(1)
  @Max(8)
  grade?: number;

  @Field(() => SchoolStatus, { nullable: true, description: '学籍状态 status: ENROLLED, SUSPENDED (休学), DROPPED_OUT (辍学) or GRADUATED.' })
  status?: SchoolStatus;
}

@InputType({ description: 'A new 控辍保学 dropout-watch case of a school-age person (立案).' })
export class OpenDropoutWatchInput {
  @Field(() => LocalDate, { description: '立案日期 date the case is opened; not in the future.' })
  openedOn!: string;

  @Field({ description: '辍学原因 reason the child left school (1–1,000 characters).' })
  @Length(1, 1000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

@InputType({ description: 'Closing a 控辍保学 case (销号).' })
export class CloseDropoutWatchInput {
  @Field(() => LocalDate, { description: '销号日期 date the case is closed; not before it was opened, not in the future.' })
  closedOn!: string;

  @Field(() => DropoutWatchStatus, { description: '结果 outcome: RETURNED (已劝返, back in school) or CLOSED (已销号 for another reason); not OPEN.' })
  outcome!: DropoutWatchStatus;
}
