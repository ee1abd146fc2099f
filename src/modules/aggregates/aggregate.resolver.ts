import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { RegionLevel } from '../../core/vocab';
import type { EntryDefinition } from './aggregate-catalog';
import { changeEntry, entryVersions, listEntries, proposeEntry, refreshRelease } from './aggregate-entry.service';
import { listApproved, readApproved } from './aggregate-read.service';
import {
  AggregateEntryChange, AggregateEntryInput, AggregateEntryNode, AggregateEntryStatus, AggregateEntryVersionNode, AggregateReleaseNode, ApprovedAggregate,
} from './aggregate.types';

// The approved-aggregate catalog (公开统计目录, issue 9 §2): third parties and staff read approved
// entries and their published cells (aggregate:read); analysts and coordinators propose
// (aggregate:propose); the poverty office approves, revises, retires and refreshes (aggregate:approve).

const definition = (input: AggregateEntryInput): EntryDefinition => ({
  metric: input.metric, dimensions: [...input.dimensions], levels: [...input.levels], years: [...input.years],
  region: input.region, descriptionZh: input.descriptionZh, descriptionEn: input.descriptionEn,
});

@Resolver()
export class AggregateResolver {
  @Query(() => [AggregateEntryNode], {
    description: '公开统计目录 the approved catalog entries you may read, by code (a third party: those its key names).',
  })
  @Authorized<Permission>('aggregate:read')
  approvedAggregates(@Ctx() ctx: RequestContext): Promise<AggregateEntryNode[]> {
    return listApproved(ctx);
  }

  @Query(() => ApprovedAggregate, {
    description:
      '公开统计 the published cells of one approved entry for a year and level, from the latest frozen release: suppressed cells carry no value. ' +
      'An entry you may not read answers NOT_FOUND. Staff read cells inside their scope only.',
  })
  @Authorized<Permission>('aggregate:read')
  approvedAggregate(
    @Ctx() ctx: RequestContext,
    @Arg('code', () => String, { description: '代码 the entry\'s code.' }) code: string,
    @Arg('region', () => String, { nullable: true, description: '区域 a division code inside the entry\'s region (default: the entry\'s region).' }) region?: string | null,
    @Arg('year', () => Int, { nullable: true, description: '年度 one of the entry\'s years (default: the latest).' }) year?: number | null,
    @Arg('level', () => RegionLevel, { nullable: true, description: '层级 one of the entry\'s levels, not coarser than `region` (default: the region\'s own level).' }) level?: RegionLevel | null,
  ): Promise<ApprovedAggregate> {
    return readApproved(ctx, code, { region, year, level });
  }

  @Query(() => [AggregateEntryNode], { description: '目录条目 catalog entries in any status whose region overlaps your scope (proposals, approved, retired).' })
  @Authorized<Permission>('aggregate:propose', 'aggregate:approve')
  aggregateEntries(
    @Ctx() ctx: RequestContext,
    @Arg('statuses', () => [AggregateEntryStatus], { nullable: true, description: '状态 only these statuses.' }) statuses?: AggregateEntryStatus[] | null,
  ): Promise<AggregateEntryNode[]> {
    return listEntries(ctx, statuses ?? null);
  }

  @Query(() => [AggregateEntryVersionNode], { description: '条目版本 every version of one entry, oldest first.' })
  @Authorized<Permission>('aggregate:propose', 'aggregate:approve')
  aggregateEntryVersions(@Ctx() ctx: RequestContext, @Arg('code', () => String, { description: '代码 the entry\'s code.' }) code: string): Promise<AggregateEntryVersionNode[]> {
    return entryVersions(ctx, code);
  }

  @Mutation(() => AggregateEntryNode, { description: '提议条目 proposes a catalog entry (status PROPOSED; nothing is published until the poverty office approves it).' })
  @Authorized<Permission>('aggregate:propose')
  proposeAggregateEntry(
    @Ctx() ctx: RequestContext,
    @Arg('code', () => String, { description: '代码 a new, stable code.' }) code: string,
    @Arg('input', () => AggregateEntryInput, { description: '定义 what it publishes.' }) input: AggregateEntryInput,
  ): Promise<AggregateEntryNode> {
    return proposeEntry(ctx, code, definition(input));
  }

  @Mutation(() => AggregateEntryChange, { description: '批准条目 approves a proposed entry (扶贫办) and writes a new release of the catalog.' })
  @Authorized<Permission>('aggregate:approve')
  approveAggregateEntry(
    @Ctx() ctx: RequestContext,
    @Arg('code', () => String, { description: '代码 the entry.' }) code: string,
    @Arg('version', () => Int, { description: '版本 the version you read.' }) version: number,
  ): Promise<AggregateEntryChange> {
    return changeEntry(ctx, 'approve', code, version);
  }

  @Mutation(() => AggregateEntryChange, { description: '修订条目 gives an entry a new definition, approved as revised (扶贫办), and writes a new release.' })
  @Authorized<Permission>('aggregate:approve')
  reviseAggregateEntry(
    @Ctx() ctx: RequestContext,
    @Arg('code', () => String, { description: '代码 the entry.' }) code: string,
    @Arg('version', () => Int, { description: '版本 the version you read.' }) version: number,
    @Arg('input', () => AggregateEntryInput, { description: '定义 the new definition.' }) input: AggregateEntryInput,
  ): Promise<AggregateEntryChange> {
    return changeEntry(ctx, 'revise', code, version, definition(input));
  }

  @Mutation(() => AggregateEntryChange, { description: '停用条目 retires an entry (扶贫办): it is no longer published; a new release is written.' })
  @Authorized<Permission>('aggregate:approve')
  retireAggregateEntry(
    @Ctx() ctx: RequestContext,
    @Arg('code', () => String, { description: '代码 the entry.' }) code: string,
    @Arg('version', () => Int, { description: '版本 the version you read.' }) version: number,
  ): Promise<AggregateEntryChange> {
    return changeEntry(ctx, 'retire', code, version);
  }

  @Mutation(() => AggregateReleaseNode, { description: '刷新发布 recomputes every approved entry from the current data as a new frozen release (扶贫办).' })
  @Authorized<Permission>('aggregate:approve')
  refreshApprovedAggregates(@Ctx() ctx: RequestContext): Promise<AggregateReleaseNode> {
    return refreshRelease(ctx);
  }
}
