import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { toGlobalId } from '../../core/global-id';
import { fieldSelection, selectionAt } from '../../core/prefetch';
import { PageArgs } from '../../core/pagination';
import { PovertyCause } from '../../core/vocab';
import { RegionNode, villageByCode, VillageNode } from '../region';
import { readAheadOf } from './household-read-ahead';
import { HouseholdService } from './household.service';
import { incomesByHouseholdId, secondaryCausesByHouseholdId, statusEventsByHouseholdId } from './household.loaders';
import { membersByHouseholdId } from './person.loaders';
import {
  HouseholdConnection, HouseholdFilter, HouseholdIncomeNode, HouseholdNode, HouseholdStatusEventNode, PersonNode,
} from './registry.types';

@Resolver(() => HouseholdNode)
export class HouseholdResolver {
  @Query(() => HouseholdNode, { description: 'A household by id (按编号查询贫困户). NOT_FOUND when missing or outside your scope.' })
  @Authorized<Permission>('registry:read')
  household(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('id', () => ID, { description: 'Household record id.' }) id: string,
  ): Promise<HouseholdNode> {
    return HouseholdService.get(ctx, id, readAheadOf(ctx, info, fieldSelection(info)));
  }

  @Query(() => HouseholdNode, { description: 'A household by its 户编号 household number. NOT_FOUND when missing or outside your scope.' })
  @Authorized<Permission>('registry:read')
  householdByNumber(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('number', { description: '户编号 household number.' }) number: string,
  ): Promise<HouseholdNode> {
    return HouseholdService.getByNumber(ctx, number, readAheadOf(ctx, info, fieldSelection(info)));
  }

  @Query(() => HouseholdConnection, { description: 'Households matching a filter, in id order (贫困户列表).' })
  @Authorized<Permission>('registry:read')
  households(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => HouseholdFilter, { nullable: true }) filter?: HouseholdFilter,
  ) {
    return HouseholdService.page(ctx, HouseholdService.filterPrefix(filter), filter ?? {}, page, nodeReadAhead(ctx, info));
  }

  @FieldResolver(() => ID, { description: 'Opaque global id (全局标识); pass it to `node(id:)`, `household(id:)` or any `householdId` argument.' })
  @Authorized<Permission>('registry:read')
  id(@Root() household: HouseholdNode): string {
    return toGlobalId('Household', household.id);
  }

  @FieldResolver(() => String, { description: 'Database id (数据库编号): what `id` carried before global ids; still accepted wherever a household id is, for one deprecation period.' })
  @Authorized<Permission>('registry:read')
  databaseId(@Root() household: HouseholdNode): string {
    return household.id;
  }

  @FieldResolver(() => VillageNode, { description: 'The village the household lives in (所在村).' })
  @Authorized<Permission>('registry:read')
  village(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): VillageNode | Promise<VillageNode> {
    return ctx.loaders.map(villageByCode, household.villageCode, (village) => {
      if (!village) throw notFound('village');
      return village;
    });
  }

  @FieldResolver(() => [PersonNode], { description: '家庭成员 members of the household, head first, then in the order they were registered.' })
  @Authorized<Permission>('registry:read')
  members(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): PersonNode[] | Promise<PersonNode[]> {
    return ctx.loaders.load(membersByHouseholdId, household.id);
  }

  @FieldResolver(() => [PovertyCause], { description: '次要致贫原因 secondary poverty causes.' })
  @Authorized<Permission>('registry:read')
  secondaryCauses(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): string[] | Promise<string[]> {
    return ctx.loaders.load(secondaryCausesByHouseholdId, household.id);
  }

  @FieldResolver(() => [HouseholdIncomeNode], { description: '家庭人均纯收入 per-capita net income by year, oldest first.' })
  @Authorized<Permission>('registry:read')
  incomes(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): HouseholdIncomeNode[] | Promise<HouseholdIncomeNode[]> {
    return ctx.loaders.load(incomesByHouseholdId, household.id);
  }

  @FieldResolver(() => HouseholdIncomeNode, { nullable: true, description: 'Per-capita net income in one year (某年人均纯收入); null when not recorded.' })
  @Authorized<Permission>('registry:read')
  income(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode, @Arg('year', () => Int, { description: 'Year (年度).' }) year: number): HouseholdIncomeNode | null | Promise<HouseholdIncomeNode | null> {
    return ctx.loaders.map(incomesByHouseholdId, household.id, (incomes) => incomes.find((i) => i.year === year) ?? null);
  }

  @FieldResolver(() => [HouseholdStatusEventNode], { description: '状态变更记录 the household\'s status history, oldest first.' })
  @Authorized<Permission>('registry:read')
  statusEvents(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): HouseholdStatusEventNode[] | Promise<HouseholdStatusEventNode[]> {
    return ctx.loaders.load(statusEventsByHouseholdId, household.id);
  }
}

/** Households as seen from the region tree: registry owns the edge, so it lives here. */
@Resolver(() => RegionNode)
export class RegionHouseholdsResolver {
  @FieldResolver(() => HouseholdConnection, { description: 'Households inside this region (辖区内贫困户), in id order.' })
  @Authorized<Permission>('registry:read')
  households(
    @Ctx() ctx: RequestContext,
    @Root() region: RegionNode,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => HouseholdFilter, { nullable: true, description: 'regionCode is ignored here: the region is the filter.' }) filter?: HouseholdFilter,
  ) {
    return HouseholdService.page(ctx, region.prefix, filter ?? {}, page, nodeReadAhead(ctx, info));
  }
}

@Resolver(() => VillageNode)
export class VillageHouseholdsResolver {
  @FieldResolver(() => HouseholdConnection, { description: 'Households of this village (本村贫困户), in id order.' })
  @Authorized<Permission>('registry:read')
  households(
    @Ctx() ctx: RequestContext,
    @Root() village: VillageNode,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => HouseholdFilter, { nullable: true, description: 'regionCode is ignored here: the village is the filter.' }) filter?: HouseholdFilter,
  ) {
    return HouseholdService.page(ctx, village.code, filter ?? {}, page, nodeReadAhead(ctx, info));
  }
}

/** Relations to read ahead below a household connection's nodes (`edges { node { … } }`). */
const nodeReadAhead = (ctx: RequestContext, info: GraphQLResolveInfo) =>
  readAheadOf(ctx, info, selectionAt(info, fieldSelection(info), ['edges', 'node']));
