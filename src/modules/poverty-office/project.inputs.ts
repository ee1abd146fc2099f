import { ArrayMaxSize, ArrayMinSize, IsNumber, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Field, Float, InputType, Int } from 'type-graphql';
import { LocalDate } from '../../core/scalars';
import { FundSource, MeasureKind } from '../../core/vocab';
import { ProjectStatus } from './project-stage';

// Inputs of projects and fund allocations (项目资金), written by 扶贫办 the poverty office.

/** Largest project budget accepted, yuan (the column holds 12 digits with 2 decimals). */
const MAX_BUDGET = 9_000_000_000;
const money = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };

@InputType({ description: 'A poverty-alleviation project (扶贫项目) entering the project pool (项目库) as PLANNED.' })
export class CreateProjectInput {
  @Field({ description: '项目所在区划 12-digit code of the village or township the project is in (inside your scope).' })
  regionCode!: string;

  @Field({ description: '项目名称 name (1–200 characters).' })
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @Field(() => MeasureKind, { description: '项目类别 kind (六个到村到户).' })
  kind!: MeasureKind;

  @Field(() => Int, { description: '项目年度 year, 2000 to two years ahead.' })
  @Min(2000)
  year!: number;

  @Field(() => Float, { description: '项目预算 budget, yuan (元), two decimals; allocations never exceed it.' })
  @IsNumber(money)
  @Min(0.01)
  @Max(MAX_BUDGET)
  budget!: number;

  @Field(() => [FundSource], { description: '资金来源 the sources it is to be funded from (1–5); every allocation comes from one of them.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  fundSources!: FundSource[];

  @Field({ description: '实施单位 the unit carrying it out (1–100 characters).' })
  @Length(1, 100)
  @Matches(/\S/, { message: 'implementingUnit must not be blank' })
  implementingUnit!: string;

  @Field(() => LocalDate, { nullable: true, description: '实施期限 planned first day.' })
  @IsOptional()
  startDate?: string | null;

  @Field(() => LocalDate, { nullable: true, description: '实施期限 planned last day; not before the first.' })
  @IsOptional()
  endDate?: string | null;

  @Field(() => Int, { nullable: true, description: '受益户数 number of households that benefit (a count, never a list).' })
  @IsOptional()
  @Min(0)
  @Max(1_000_000)
  beneficiaryHouseholds?: number | null;
}

@InputType({ description: 'A move of a project to its next status (项目状态变更).' })
export class ProjectTransitionInput {
  @Field(() => ProjectStatus, { description: '目标状态 the status to move to.' })
  to!: ProjectStatus;
}

@InputType({ description: 'An allocation of funds to an approved project (资金拨付), announced as it is made (公示).' })
export class AllocateFundsInput {
  @Field(() => FundSource, { description: '资金来源 one of the project\'s fund sources.' })
  source!: FundSource;

  @Field(() => Float, { description: '拨付金额 amount, yuan (元), two decimals; with earlier allocations at most the budget.' })
  @IsNumber(money)
  @Min(0.01)
  @Max(MAX_BUDGET)
  amount!: number;

  @Field(() => LocalDate, { description: '拨付日期 date allocated; not in the future.' })
  allocatedOn!: string;
}
