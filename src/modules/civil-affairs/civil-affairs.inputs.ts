import { IsNumber, Max, Min } from 'class-validator';
import { Field, Float, InputType, Int } from 'type-graphql';
import { LocalDate } from '../../core/scalars';
import { DibaoCategory, EnrolmentStatus } from '../../core/vocab';

// Inputs of the 民政 civil-affairs writes. Shapes are checked here (class-validator, on in
// core/schema.ts); rules that need the database or several fields are in the write service.

/** Largest monthly 低保 allowance of one household accepted, yuan: far above any local line. */
const MAX_MONTHLY = 20_000;
const money = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };

@InputType({ description: 'A new 低保 minimum-living allowance enrolment of a household (低保纳入).' })
export class CreateDibaoEnrolmentInput {
  @Field(() => DibaoCategory, { description: '低保类别 classification (分类施保).' })
  category!: DibaoCategory;

  @Field(() => Float, { description: '月保障金 monthly allowance, yuan (元/月), two decimals, 0–20,000.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_MONTHLY)
  monthlyAmount!: number;

  @Field(() => Int, { description: '保障人数 members covered: at least 1, at most the household\'s registered members.' })
  @Min(1)
  @Max(30)
  coveredPersons!: number;

  @Field(() => LocalDate, { description: '起始日期 first day of the enrolment; at most a year ahead.' })
  startDate!: string;

  @Field(() => LocalDate, { nullable: true, description: '终止日期 last day, if already fixed; not before the start.' })
  endDate?: string | null;

  @Field(() => EnrolmentStatus, { defaultValue: EnrolmentStatus.ACTIVE, description: '享受状态 status; ENDED needs an end date.' })
  status!: EnrolmentStatus;
}

@InputType({ description: 'Changes to a 低保 enrolment (低保变更); omitted fields stay as they are.' })
export class UpdateDibaoEnrolmentInput {
  @Field(() => DibaoCategory, { nullable: true, description: '低保类别 classification (分类施保).' })
  category?: DibaoCategory;

  @Field(() => Float, { nullable: true, description: '月保障金 monthly allowance, yuan (元/月), two decimals, 0–20,000.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_MONTHLY)
  monthlyAmount?: number;

  @Field(() => Int, { nullable: true, description: '保障人数 members covered.' })
  @Min(1)
  @Max(30)
  coveredPersons?: number;

  @Field(() => LocalDate, { nullable: true, description: '起始日期 first day of the enrolment.' })
  startDate?: string;

  @Field(() => LocalDate, { nullable: true, description: '终止日期 last day; null clears it (only while not ENDED).' })
  endDate?: string | null;

  @Field(() => EnrolmentStatus, { nullable: true, description: '享受状态 status, e.g. SUSPENDED (暂停); ENDED needs an end date (or use endDibaoEnrolment).' })
  status?: EnrolmentStatus;
}

@InputType({ description: 'Ending a 低保 enrolment (低保退出).' })
export class EndDibaoEnrolmentInput {
  @Field(() => LocalDate, { description: '终止日期 last day of the enrolment; not before its start, at most a year ahead.' })
  endDate!: string;
}
