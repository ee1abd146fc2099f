import { Arg, Authorized, Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { LocalDate } from '../../core/scalars';
import { RegionNode } from '../region';
import {
  dibaoHouseholdsByPrefix, dilapidatedShareByPrefix, insuredShareByPrefix, registryCountsByPrefix,
} from './summary.loaders';
import { CauseCount, RegionSummary, StatusCount } from './summary.types';

@Resolver(() => RegionNode)
export class RegionSummaryEdgeResolver {
  @FieldResolver(() => RegionSummary, { description: 'Cross-department figures for this region (区域汇总), computed in SQL.' })
  @Authorized<Permission>('summary:read')
  summary(@Root() region: RegionNode): RegionSummary {
    return { prefix: region.prefix };
  }
}

@Resolver(() => RegionSummary)
export class RegionSummaryResolver {
  @FieldResolver(() => [StatusCount], { description: '按识别状态 households by registration status.' })
  @Authorized<Permission>('summary:read')
  async householdsByStatus(@Ctx() ctx: RequestContext, @Root() summary: RegionSummary): Promise<StatusCount[]> {
    return (await registryCountsByPrefix(ctx).load(summary.prefix)).byStatus;
  }

  @FieldResolver(() => [CauseCount], { description: '按主要致贫原因 registered households by main poverty cause, most frequent first.' })
  @Authorized<Permission>('summary:read')
  async registeredByMainCause(@Ctx() ctx: RequestContext, @Root() summary: RegionSummary): Promise<CauseCount[]> {
    return (await registryCountsByPrefix(ctx).load(summary.prefix)).byMainCause;
  }

  @FieldResolver(() => Int, { description: '低保户数 households with a 低保 minimum-living allowance enrolment active on `asOf` (today by default).' })
  @Authorized<Permission>('summary:read')
  dibaoHouseholds(
    @Ctx() ctx: RequestContext,
    @Root() summary: RegionSummary,
    @Arg('asOf', () => LocalDate, { nullable: true, description: 'Reference date (基准日).' }) asOf?: string,
  ): Promise<number> {
    return dibaoHouseholdsByPrefix(ctx, asOf ?? ctx.today).load(summary.prefix);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: '参保率 share (0–1) of members of registered households with medical insurance in `year`; null when there are none.',
  })
  @Authorized<Permission>('summary:read')
  insuredShare(
    @Ctx() ctx: RequestContext,
    @Root() summary: RegionSummary,
    @Arg('year', () => Int, { description: 'Insurance year (参保年度).' }) year: number,
  ): Promise<number | null> {
    return insuredShareByPrefix(ctx, year).load(summary.prefix);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: '危房比例 share (0–1) of appraised households whose latest appraisal is C or D (dilapidated); null when none were appraised.',
  })
  @Authorized<Permission>('summary:read')
  dilapidatedHousingShare(@Ctx() ctx: RequestContext, @Root() summary: RegionSummary): Promise<number | null> {
    return dilapidatedShareByPrefix(ctx).load(summary.prefix);
  }
}
