import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { PageArgs } from '../../core/pagination';
import { HouseholdNode } from '../registry';
import { GapStatus } from './coordination.entities';
import { CoordinationService, gapsByHouseholdId } from './coordination.service';
import { ExitReadinessNode, GapConnection, GapCountNode, GapFilter, GapNode, RecomputeResult } from './coordination.types';
import { exitAsOf, exitBlockersByHouseholdId } from './exit-readiness';

/**
 * Coordination gaps (协调缺口, issue 12 §2): what the rules found, for the department that owns
 * each gap and for coordinators (扶贫开发领导小组), inside their scope.
 */
@Resolver(() => GapNode)
export class CoordinationResolver {
  @Query(() => GapConnection, {
    description: '协调缺口列表 coordination gaps in your scope, in id order: an officer sees the gaps their department owns, a coordinator all.',
  })
  @Authorized<Permission>('gaps:read')
  coordinationGaps(
    @Ctx() ctx: RequestContext,
    @Args() page: PageArgs,
    @Arg('filter', () => GapFilter, { nullable: true, description: 'Filter (筛选).' }) filter?: GapFilter,
  ) {
    return CoordinationService.page(ctx, filter ?? {}, page);
  }

  @Query(() => [GapCountNode], {
    description: '缺口统计 gaps counted by rule and by the regions one level below `regionCode` (default your scope); live gaps unless `status` is given.',
  })
  @Authorized<Permission>('gaps:read')
  coordinationGapCounts(
    @Ctx() ctx: RequestContext,
    @Arg('regionCode', () => String, { nullable: true, description: '区划代码 region (2–12 digits).' }) regionCode?: string | null,
    @Arg('status', () => GapStatus, { nullable: true, description: '状态 count only this status.' }) status?: GapStatus | null,
  ): Promise<GapCountNode[]> {
    return CoordinationService.counts(ctx, regionCode, status);
  }

  @Mutation(() => GapNode, {
    description: '认领缺口 acknowledge a live gap (open, or acknowledged again): an officer of the owning department, or a coordinator. CONFLICT when the gap is resolved or `version` is stale.',
  })
  @Authorized<Permission>('gaps:acknowledge')
  acknowledgeCoordinationGap(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Gap id (缺口编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
  ): Promise<GapNode> {
    return CoordinationService.acknowledge(ctx, id, version);
  }

  @Mutation(() => RecomputeResult, {
    description: '全量重算 evaluate every coordination rule over every household of `regionCode` (default your scope) now. Coordinators and administrators.',
  })
  @Authorized<Permission>('gaps:recompute')
  recomputeCoordinationGaps(
    @Ctx() ctx: RequestContext,
    @Arg('regionCode', () => String, { nullable: true, description: '区划代码 region (2–12 digits).' }) regionCode?: string | null,
  ): Promise<RecomputeResult> {
    return CoordinationService.recompute(ctx, regionCode);
  }
}

/** Household.gaps: the coordination module owns the edge. */
@Resolver(() => HouseholdNode)
export class HouseholdGapsResolver {
  @FieldResolver(() => [GapNode], {
    description: '协调缺口 the household\'s live gaps (open or acknowledged) you may see: your department\'s, or all for a coordinator.',
  })
  @Authorized<Permission>('gaps:read')
  gaps(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): GapNode[] | Promise<GapNode[]> {
    return ctx.loaders.load(gapsByHouseholdId, household.id);
  }

  @FieldResolver(() => ExitReadinessNode, {
    description:
      '退出评估 whether the household is ready to exit in `year` (两不愁三保障: income over the line, compulsory education, basic medical care, safe housing, safe water), with every blocking reason. Coordinators and 扶贫办 the poverty office.',
  })
  @Authorized<Permission>('exit:read')
  async exitReadiness(
    @Ctx() ctx: RequestContext,
    @Root() household: HouseholdNode,
    @Arg('year', () => Int, { description: '年度 the year (2010 to the current year).' }) year: number,
  ): Promise<ExitReadinessNode> {
    const on = exitAsOf(ctx, year);
    const blockers = await exitBlockersByHouseholdId(ctx, year).load(household.id);
    return { year, asOf: on.date, ready: blockers.length === 0, blockers };
  }
}
