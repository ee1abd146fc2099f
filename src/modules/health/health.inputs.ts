import { IsNumber, Max, Min } from 'class-validator';
import { Field, Float, InputType, Int } from 'type-graphql';
import { LocalDate } from '../../core/scalars';
import { InsuranceScheme } from '../../core/vocab';

// Inputs of the 卫健/医保 health writes. Shapes are checked here (class-validator, on in
// core/schema.ts); rules that need the database or several fields are in the write service.

/** Largest yearly premium accepted, yuan (resident premiums are a few hundred). */
const MAX_PREMIUM = 20_000;
/** Largest claim accepted, yuan: a serious illness can cost several hundred thousand. */
const MAX_CLAIM = 5_000_000;
const money = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };

@InputType({ description: 'A yearly medical-insurance enrolment of a person (参保登记), with the premium subsidy (资助参保).' })
export class CreateInsuranceEnrolmentInput {
  @Field(() => Int, { description: '参保年度 insurance year, 2003 (新农合) to next year; one enrolment per person and year.' })
  @Min(2003)
  year!: number;

  @Field(() => InsuranceScheme, { description: '险种 insurance scheme.' })
  scheme!: InsuranceScheme;

  @Field(() => Float, { description: '个人缴费标准 premium, yuan (元), two decimals, 0–20,000.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_PREMIUM)
  premium!: number;

  @Field(() => Float, { description: '资助参保金额 part of the premium paid by the state, yuan (元); at most the premium.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_PREMIUM)
  subsidy!: number;
}

@InputType({ description: 'Changes to an insurance enrolment (参保变更); omitted fields stay as they are.' })
export class UpdateInsuranceEnrolmentInput {
  @Field(() => Int, { nullable: true, description: '参保年度 insurance year; one enrolment per person and year.' })
  @Min(2003)
  year?: number;

  @Field(() => InsuranceScheme, { nullable: true, description: '险种 insurance scheme.' })
  scheme?: InsuranceScheme;

  @Field(() => Float, { nullable: true, description: '个人缴费标准 premium, yuan (元), two decimals, 0–20,000.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_PREMIUM)
  premium?: number;

  @Field(() => Float, { nullable: true, description: '资助参保金额 state-paid part of the premium, yuan (元); at most the premium.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_PREMIUM)
  subsidy?: number;
}

@InputType({
  description: 'A medical-assistance claim of a person (医疗救助结算): reimbursed plus out of pocket must equal the total cost.',
})
export class CreateMedicalAssistanceClaimInput {
  @Field(() => LocalDate, { description: '结算日期 claim date; not in the future.' })
  claimDate!: string;

  @Field(() => Float, { description: '医疗总费用 total cost, yuan (元), two decimals, 0–5,000,000.' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_CLAIM)
  totalCost!: number;

  @Field(() => Float, { description: '报销及救助金额 reimbursed by insurance and assistance, yuan (元).' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_CLAIM)
  reimbursed!: number;

  @Field(() => Float, { description: '个人自付 paid out of pocket, yuan (元).' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_CLAIM)
  outOfPocket!: number;
}

@InputType({
  description: 'Changes to a medical-assistance claim (医疗救助更正); omitted fields stay as they are. The amounts must still add up.',
})
export class UpdateMedicalAssistanceClaimInput {
  @Field(() => LocalDate, { nullable: true, description: '结算日期 claim date; not in the future.' })
  claimDate?: string;

  @Field(() => Float, { nullable: true, description: '医疗总费用 total cost, yuan (元).' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_CLAIM)
  totalCost?: number;

  @Field(() => Float, { nullable: true, description: '报销及救助金额 reimbursed, yuan (元).' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_CLAIM)
  reimbursed?: number;

  @Field(() => Float, { nullable: true, description: '个人自付 out of pocket, yuan (元).' })
  @IsNumber(money)
  @Min(0)
  @Max(MAX_CLAIM)
  outOfPocket?: number;
}
