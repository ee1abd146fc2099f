import { IsNumber, Max, Min } from 'class-validator';
import { Field, Float, InputType, Int } from 'type-graphql';
import { DivisionCode, LocalDate } from '../../core/scalars';
import { CareMode, WorkStatus } from '../../core/vocab';

// Inputs of the 住建 housing writes. Shapes are checked here (class-validator, on in
// core/schema.ts); rules that need the database or several fields are in the write service.

/** Largest relocation subsidy of one household accepted, yuan. */
const MAX_RELOCATION = 1_000_000;
const money = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };

@InputType({ description: 'A 易地扶贫搬迁 relocation of a household.' })
export class CreateRelocationInput {
  @Field(() => DivisionCode, { description: '安置点区划代码 division of the destination: an existing county, township or village inside your scope.' })
  destinationCode!: string;

  @Field(() => CareMode, { description: '安置方式 settlement mode: centralised or dispersed.' })
  settlementMode!: CareMode;

  @Field(() => Int, { description: '计划搬迁年度 planned year, 2000 to five years ahead.' })
  @Min(2000)
  plannedYear!: number;

  @Field(() => LocalDate, { nullable: true, description: '搬迁入住日期 date moved in; not in the future; required once COMPLETED.' })
  movedOn?: string | null;

  @Field(() => Float, { description: '搬迁补助 subsidy, yuan (元), two decimals, 0–1,000,000.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_RELOCATION)
  subsidyAmount!: number;

  @Field(() => WorkStatus, { defaultValue: WorkStatus.PLANNED, description: '实施状态 status; PLANNED has no move-in date, COMPLETED needs one.' })
  status!: WorkStatus;
}

@InputType({ description: 'Changes to a relocation (搬迁进度); omitted fields stay as they are.' })
export class UpdateRelocationInput {
  @Field(() => DivisionCode, { nullable: true, description: '安置点区划代码 destination: an existing county, township or village inside your scope.' })
  destinationCode?: string;

  @Field(() => CareMode, { nullable: true, description: '安置方式 settlement mode.' })
  settlementMode?: CareMode;

  @Field(() => Int, { nullable: true, description: '计划搬迁年度 planned year.' })
  @Min(2000)
  plannedYear?: number;

  @Field(() => LocalDate, { nullable: true, description: '搬迁入住日期 date moved in; null clears it.' })
  movedOn?: string | null;

  @Field(() => Float, { nullable: true, description: '搬迁补助 subsidy, yuan (元), two decimals, 0–1,000,000.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_RELOCATION)
  subsidyAmount?: number;

  @Field(() => WorkStatus, { nullable: true, description: '实施状态 status.' })
  status?: WorkStatus;
}
