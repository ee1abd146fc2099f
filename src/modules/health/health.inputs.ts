import { IsNumber, Max, Min } from 'class-validator';
import { Field, Float, InputType } from 'type-graphql';
import { LocalDate } from '../../core/scalars';

// Inputs of the 卫健/医保 health writes. Shapes are checked here (class-validator, on in
// core/schema.ts); rules that need the database or several fields are in the write service.

/** Largest claim accepted, yuan: a serious illness can cost several hundred thousand. */
const MAX_CLAIM = 5_000_000;
const money = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };

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
