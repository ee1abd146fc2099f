import { Length, Matches, Min } from 'class-validator';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { HouseholdFacetNode } from '../../core/facet-types';

// 帮扶计划 household support plans (“一户一策”): one per household and year, with its goal. Its
// measures are not attached one by one: every measure of the household for that year belongs
// to it, whichever department carries it out, so a plan can never miss one or hold a stray.

@ObjectType('SupportPlan', { description: '帮扶计划 a household\'s support plan for a year (一户一策), grouping that year\'s measures of every department. Owned by 扶贫办 the poverty office.' })
export class SupportPlanNode extends HouseholdFacetNode {
  @Field(() => Int, { description: '计划年度 year of the plan.' })
  year!: number;

  @Field({ description: '帮扶目标 what the plan is to achieve this year.' })
  goal!: string;
}

@InputType({ description: 'A support plan (帮扶计划) of a household for a year.' })
export class CreateSupportPlanInput {
  @Field(() => Int, { description: '计划年度 year, 2000 to next year; one plan per household and year.' })
  @Min(2000)
  year!: number;

  @Field({ description: '帮扶目标 goal (1–2,000 characters); no personal details (ID, phone, bank card numbers, health details are refused).' })
  @Length(1, 2000)
  @Matches(/\S/, { message: 'goal must not be blank' })
  goal!: string;
}

@InputType({ description: 'Changes to a support plan (帮扶计划变更).' })
export class UpdateSupportPlanInput {
  @Field({ description: '帮扶目标 goal (1–2,000 characters); no personal details.' })
  @Length(1, 2000)
  @Matches(/\S/, { message: 'goal must not be blank' })
  goal!: string;
}
