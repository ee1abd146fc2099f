import { ArrayMaxSize, IsNumber, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { LocalDate } from '../../core/scalars';
import { Department, MeasureKind, WorkStatus } from '../../core/vocab';
import { MeasureStage } from './measure-stage';
import { Utility } from './utility';

// Inputs of the 扶贫办 poverty-office coordination writes (pairings and measures). Shapes are
// checked here (class-validator, on in core/schema.ts); rules that need the database or
// several fields are in the write service.

/** Largest measure amount accepted for one household, yuan. */
const MAX_MEASURE = 10_000_000;
const money = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };
const EVIDENCE = '佐证材料 evidence notes (1–2,000 characters): what was done and where the papers are. No personal details: ID, phone and bank card numbers and health details are refused.';

@InputType({ description: 'A 结对帮扶 pairing of a cadre with a household (结对).' })
export class CreatePairingInput {
  @Field(() => ID, { description: '帮扶责任人 id of the cadre; must belong to the household\'s county.' })
  @Matches(/^\d{1,18}$/, { message: 'cadreId must be a record id' })
  cadreId!: string;

  @Field(() => LocalDate, { description: '结对日期 first day of the pairing; at most 30 days ahead.' })
  startDate!: string;

  @Field(() => LocalDate, { nullable: true, description: '解除日期 last day, if already fixed; not before the start. Usually left empty (不脱贫不脱钩).' })
  endDate?: string | null;
}

@InputType({ description: 'Ending a pairing (解除结对).' })
export class EndPairingInput {
  @Field(() => LocalDate, {
    description: '解除日期 last day of the pairing; not before its start, at most 30 days ahead. A registered household keeps at least one current pairing (不脱贫不脱钩).',
  })
  endDate!: string;
}

@InputType({ description: 'A measure (帮扶措施) of one of the six kinds (六个到村到户) for a household or a village.' })
export class CreateMeasureInput {
  @Field(() => MeasureKind, { description: '措施类别 kind of measure.' })
  kind!: MeasureKind;

  @Field(() => Department, { description: '实施部门 department that carries the measure out.' })
  department!: Department;

  @Field(() => WorkStatus, {
    defaultValue: WorkStatus.PLANNED,
    description: '实施状态 status: PLANNED or UNDERWAY (already being carried out). Completion and verification are moves (transitionMeasure).',
  })
  status!: WorkStatus;

  @Field(() => Float, { description: '投入金额 amount, yuan (元), two decimals, 0–10,000,000.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_MEASURE)
  amount!: number;

  @Field(() => Int, { description: '年度 year of the measure, 2000 to two years ahead.' })
  @Min(2000)
  year!: number;

  @Field({ description: '措施内容 description (1–1,000 characters).' })
  @Length(1, 1000)
  @Matches(/\S/, { message: 'description must not be blank' })
  description!: string;

  @Field(() => String, { nullable: true, description: '责任单位 unit answerable for carrying it out (1–100 characters).' })
  @IsOptional()
  @Length(1, 100)
  @Matches(/\S/, { message: 'responsibleUnit must not be blank' })
  responsibleUnit?: string | null;

  @Field(() => String, { nullable: true, description: EVIDENCE })
  @IsOptional()
  @Length(1, 2000)
  evidence?: string | null;

  @Field(() => ID, { nullable: true, description: '资金来源 id of the fund allocation (of a project of the same county, in the village or its township) that pays for it.' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'fundAllocationId must be a record id' })
  fundAllocationId?: string | null;

  @Field(() => [Utility], { nullable: true, description: '六到农家 utilities an INFRASTRUCTURE measure provides; set on its village and households when it is verified.' })
  @IsOptional()
  @ArrayMaxSize(6)
  utilities?: Utility[] | null;

  @Field(() => [ID], { nullable: true, description: '受益户 households of the village a village measure serves (at most 2,000); they get its utilities when it is verified.' })
  @IsOptional()
  @ArrayMaxSize(2000)
  beneficiaryHouseholdIds?: string[] | null;
}

@InputType({ description: 'Changes to a measure (措施变更), e.g. its status as it is carried out; omitted fields stay as they are.' })
export class UpdateMeasureInput {
  @Field(() => MeasureKind, { nullable: true, description: '措施类别 kind of measure.' })
  kind?: MeasureKind;

  @Field(() => Department, { nullable: true, description: '实施部门 department that carries the measure out.' })
  department?: Department;

  @Field(() => WorkStatus, {
    nullable: true,
    description: '实施状态 status; only a legal move (PLANNED → UNDERWAY → COMPLETED, CANCELLED before completion). transitionMeasure answers refusals as a union and also verifies.',
  })
  status?: WorkStatus;

  @Field(() => Float, { nullable: true, description: '投入金额 amount, yuan (元), two decimals, 0–10,000,000.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_MEASURE)
  amount?: number;

  @Field(() => Int, { nullable: true, description: '年度 year of the measure.' })
  @Min(2000)
  year?: number;

  @Field(() => String, { nullable: true, description: '措施内容 description (1–1,000 characters).' })
  @Length(1, 1000)
  @Matches(/\S/, { message: 'description must not be blank' })
  description?: string;

  @Field(() => String, { nullable: true, description: '责任单位 unit answerable for carrying it out (1–100 characters).' })
  @IsOptional()
  @Length(1, 100)
  @Matches(/\S/, { message: 'responsibleUnit must not be blank' })
  responsibleUnit?: string | null;

  @Field(() => String, { nullable: true, description: EVIDENCE })
  @IsOptional()
  @Length(1, 2000)
  evidence?: string | null;

  @Field(() => ID, { nullable: true, description: '资金来源 id of the fund allocation (of a project of the same county, in the village or its township) that pays for it.' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'fundAllocationId must be a record id' })
  fundAllocationId?: string | null;
}

@InputType({ description: 'A move of a measure to its next stage (措施进度变更).' })
export class MeasureTransitionInput {
  @Field(() => MeasureStage, { description: '目标进度 the stage to move to.' })
  to!: MeasureStage;

  @Field(() => String, { nullable: true, description: EVIDENCE })
  @IsOptional()
  @Length(1, 2000)
  evidence?: string | null;
}
