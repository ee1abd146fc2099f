import { IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LocalDate } from '../../core/scalars';
import { VisitKind } from './poverty-office.entities';

// Inputs of pairing work: cadres and their visits.

@InputType({ description: 'A pairing cadre (帮扶责任人) of a county.' })
export class CreateCadreInput {
  @Field({
    description: '派驻区划 12-digit code of the county, township or village the cadre is sent to, inside your scope. The cadre belongs to its county and may be paired with any household of it.',
  })
  regionCode!: string;

  @Field({ description: '姓名 name (1–50 characters).' })
  @Length(1, 50)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @Field({ description: '帮扶单位 work unit (1–100 characters).' })
  @Length(1, 100)
  @Matches(/\S/, { message: 'unit must not be blank' })
  unit!: string;

  @Field(() => String, { nullable: true, description: '联系电话 work phone, as posted on the household\'s 明白卡 (7–20 digits, dashes).' })
  @IsOptional()
  @Matches(/^[0-9-]{7,20}$/, { message: 'phone must be 7–20 digits or dashes' })
  phone?: string | null;
}

@InputType({ description: 'A visit of the pairing cadre to the household (帮扶走访).' })
export class LogVisitInput {
  @Field(() => LocalDate, { description: '走访日期 date of the visit: within the pairing, not in the future.' })
  visitedOn!: string;

  @Field(() => VisitKind, { description: '走访方式 kind of visit.' })
  kind!: VisitKind;

  @Field(() => String, {
    nullable: true,
    description: '走访记录 notes (1–2,000 characters): what was discussed and done. Never personal health details, ID, phone or bank card numbers: those are refused.',
  })
  @IsOptional()
  @Length(1, 2000)
  notes?: string | null;
}
