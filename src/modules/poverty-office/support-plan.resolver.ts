import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { Department } from '../../core/vocab';
import { HouseholdNode } from '../registry';
import { MeasureStage } from './measure-stage';
import { measuresByHouseholdId } from './poverty-office.loaders';
import { MeasureNode } from './poverty-office.types';
import { supportPlansByHouseholdId } from './support-plan.loaders';
import { SupportPlanService } from './support-plan.service';
import { CreateSupportPlanInput, SupportPlanNode, UpdateSupportPlanInput } from './support-plan.types';

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
