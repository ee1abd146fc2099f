import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Length, Matches, Min } from 'class-validator';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { FACET_ID_COLUMNS, facetByIdLoader, facetLoader } from '../../core/facet-loader';
import { HouseholdFacetNode } from '../../core/facet-types';
import { badInput } from '../../core/errors';
import { Department } from '../../core/vocab';
import { assertYearWithin, readBack, uniqueOr } from '../../core/write-checks';
import { householdAnchor, insertRow, mutate, updateVersioned } from '../../core/writes';
import { HouseholdNode } from '../registry';
import { MeasureStage } from './measure-stage';
import { assertNoPersonalDetails } from './personal-details';
import { measuresByHouseholdId } from './poverty-office.loaders';
import { MeasureNode } from './poverty-office.types';

// 帮扶计划 household support plans (“一户一策”): one per household and year, with its goal. Its
// measures are not attached one by one: every measure of the household for that year belongs
// to it, whichever department carries it out, so a plan can never miss one or hold a stray.

const OWNER = Department.POVERTY_OFFICE;
const PLAN_AHEAD_YEARS = 1;

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

const PLAN_COLUMNS = `${FACET_ID_COLUMNS}, f.year, f.goal`;

/** supportPlansByHouseholdId: household id → its plans, newest year first. */
export const supportPlansByHouseholdId = facetLoader<SupportPlanNode>({ table: 'support_plan', key: 'household_id', columns: PLAN_COLUMNS, orderBy: 'f.year DESC' });

/** supportPlanById: one plan (read back after a write). */
export const supportPlanById = facetByIdLoader<SupportPlanNode>({ table: 'support_plan', columns: PLAN_COLUMNS });

export class SupportPlanService {
  static async create(ctx: RequestContext, householdId: string, input: CreateSupportPlanInput): Promise<SupportPlanNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: 'SupportPlan', entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = await householdAnchor(ctx, tx, householdId);
      assertYearWithin(ctx, input.year, 'input.year', PLAN_AHEAD_YEARS);
      assertNoPersonalDetails('input.goal', input.goal);
      const newId = await uniqueOr(
        insertRow(tx, 'support_plan', { household_id: householdId, county_code: anchor.countyCode, year: input.year, goal: input.goal.trim() }),
        () => badInput('input.year', `the household already has a support plan for ${input.year}: change that one`),
      );
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId };
    });
    return readBack(ctx, supportPlanById, id, 'SupportPlan');
  }

  static async update(ctx: RequestContext, id: string, version: number, input: UpdateSupportPlanInput): Promise<SupportPlanNode> {
    await mutate(ctx, { department: OWNER, action: 'update', entity: 'SupportPlan', entityId: id, fields: ['goal'] }, async (tx) => {
      assertNoPersonalDetails('input.goal', input.goal);
      const { householdId, villageCode } = await updateVersioned(ctx, tx, { table: 'support_plan', entity: 'SupportPlan', id, version }, { goal: input.goal.trim() });
      return { result: id, entityId: id, regionCode: villageCode, householdId };
    });
    return readBack(ctx, supportPlanById, id, 'SupportPlan');
  }
}

/** The year's measures of the plan's household, all departments. */
function measuresOf(ctx: RequestContext, plan: SupportPlanNode): MeasureNode[] | Promise<MeasureNode[]> {
  return ctx.loaders.map(measuresByHouseholdId, plan.householdId, (all) => all.filter((m) => m.year === plan.year));
}

@Resolver(() => SupportPlanNode)
export class SupportPlanResolver {
  @FieldResolver(() => [MeasureNode], { nullable: true, description: '帮扶措施 every measure of the household for the plan\'s year, whichever department carries it out. 扶贫办 poverty office data.' })
  @Authorized<Permission>('facet:poverty_office:read')
  measures(@Ctx() ctx: RequestContext, @Root() plan: SupportPlanNode): MeasureNode[] | Promise<MeasureNode[]> {
    return measuresOf(ctx, plan);
  }

  @FieldResolver(() => Float, { nullable: true, description: '计划投入 sum of the amounts of the year\'s measures (cancelled ones excluded), yuan (元).' })
  @Authorized<Permission>('facet:poverty_office:read')
  async totalAmount(@Ctx() ctx: RequestContext, @Root() plan: SupportPlanNode): Promise<number> {
    const measures = await measuresOf(ctx, plan);
    return Math.round(measures.filter((m) => m.stage !== MeasureStage.CANCELLED).reduce((sum, m) => sum + m.amount * 100, 0)) / 100;
  }

  @FieldResolver(() => [Department], { nullable: true, description: '参与部门 departments carrying out the year\'s measures.' })
  @Authorized<Permission>('facet:poverty_office:read')
  async departments(@Ctx() ctx: RequestContext, @Root() plan: SupportPlanNode): Promise<Department[]> {
    return [...new Set((await measuresOf(ctx, plan)).map((m) => m.department))].sort();
  }
}

@Resolver(() => HouseholdNode)
export class HouseholdSupportPlanResolver {
  @FieldResolver(() => SupportPlanNode, { nullable: true, description: '帮扶计划 the household\'s support plan for a year; null when none. 扶贫办 poverty office data.' })
  @Authorized<Permission>('facet:poverty_office:read')
  supportPlan(
    @Ctx() ctx: RequestContext,
    @Root() household: HouseholdNode,
    @Arg('year', () => Int, { description: '计划年度 year.' }) year: number,
  ): SupportPlanNode | null | Promise<SupportPlanNode | null> {
    return ctx.loaders.map(supportPlansByHouseholdId, household.id, (plans) => plans.find((p) => p.year === year) ?? null);
  }
}

@Resolver()
export class SupportPlanWriteResolver {
  @Mutation(() => SupportPlanNode, {
    description: '帮扶计划 make a household\'s support plan for a year; the year\'s measures of every department belong to it. BAD_USER_INPUT when the year already has one. 扶贫办 poverty office and coordinators.',
  })
  @Authorized<Permission>('coordination:write')
  createSupportPlan(
    @Ctx() ctx: RequestContext,
    @Arg('householdId', () => ID, { description: 'Household id (户).' }) householdId: string,
    @Arg('input', () => CreateSupportPlanInput, { description: 'The plan (计划).' }) input: CreateSupportPlanInput,
  ) {
    return SupportPlanService.create(ctx, householdId, input);
  }

  @Mutation(() => SupportPlanNode, { description: '帮扶计划变更 change a plan\'s goal. CONFLICT when `version` is stale. 扶贫办 poverty office and coordinators.' })
  @Authorized<Permission>('coordination:write')
  updateSupportPlan(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Plan id (计划编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => UpdateSupportPlanInput, { description: 'The changes (变更内容).' }) input: UpdateSupportPlanInput,
  ) {
    return SupportPlanService.update(ctx, id, version, input);
  }
}
