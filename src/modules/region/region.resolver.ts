import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { toGlobalId } from '../../core/global-id';
import { DivisionCode } from '../../core/scalars';
import { padCode, divisionPrefix } from '../../core/scope';
import { RegionLevel } from '../../core/vocab';
import { childrenByParentCode, regionByCode, villageByCode } from './region.loaders';
import { RegionNode, VillageNode } from './region.types';

@Resolver(() => RegionNode)
export class RegionResolver {
  @Query(() => RegionNode, { description: 'A region by its division code (按区划代码查询行政区划). NOT_FOUND when missing or outside your scope.' })
  @Authorized<Permission>('region:read')
  async region(@Ctx() ctx: RequestContext, @Arg('code', () => DivisionCode, { description: 'Division code (区划代码), 2–12 digits.' }) code: string): Promise<RegionNode> {
    const region = await ctx.loaders.get(regionByCode).load(padCode(divisionPrefix(code)));
    if (!region) throw notFound('region');
    return region;
  }

  @FieldResolver(() => ID, { description: 'Opaque global id (全局标识) of the region, for `node(id:)`; `code` is its key.' })
  @Authorized<Permission>('region:read')
  id(@Root() region: RegionNode): string {
    return toGlobalId('Region', region.code);
  }

  @FieldResolver(() => RegionNode, { nullable: true, description: 'The enclosing region (上级区划); null for a province.' })
  @Authorized<Permission>('region:read')
  parent(@Ctx() ctx: RequestContext, @Root() region: RegionNode): Promise<RegionNode | null> | null {
    return region.parentCode ? ctx.loaders.get(regionByCode).load(region.parentCode) : null;
  }

  @FieldResolver(() => [RegionNode], { description: 'The regions one level down (下级区划), ordered by code.' })
  @Authorized<Permission>('region:read')
  children(@Ctx() ctx: RequestContext, @Root() region: RegionNode): Promise<RegionNode[]> {
    return ctx.loaders.get(childrenByParentCode).load(region.code);
  }

  @FieldResolver(() => VillageNode, { nullable: true, description: 'Village facts (行政村信息) when this region is a village.' })
  @Authorized<Permission>('region:read')
  village(@Ctx() ctx: RequestContext, @Root() region: RegionNode): Promise<VillageNode | null> | null {
    return region.level === RegionLevel.VILLAGE ? ctx.loaders.get(villageByCode).load(region.code) : null;
  }
}

@Resolver(() => VillageNode)
export class VillageResolver {
  @Query(() => VillageNode, { description: 'A village by its 12-digit code (按村代码查询行政村). NOT_FOUND when missing or outside your scope.' })
  @Authorized<Permission>('region:read')
  async village(@Ctx() ctx: RequestContext, @Arg('code', () => DivisionCode, { description: '12-digit village code (村代码).' }) code: string): Promise<VillageNode> {
    const village = await ctx.loaders.get(villageByCode).load(padCode(divisionPrefix(code)));
    if (!village) throw notFound('village');
    return village;
  }

  @FieldResolver(() => ID, { description: 'Opaque global id (全局标识) of the village, for `node(id:)`; `code` is its key.' })
  @Authorized<Permission>('region:read')
  id(@Root() village: VillageNode): string {
    return toGlobalId('Village', village.code);
  }

  @FieldResolver(() => RegionNode, { description: 'The village as a region (所属区划), for walking up the tree.' })
  @Authorized<Permission>('region:read')
  async region(@Ctx() ctx: RequestContext, @Root() village: VillageNode): Promise<RegionNode> {
    const region = await ctx.loaders.get(regionByCode).load(village.code);
    if (!region) throw notFound('region');
    return region;
  }
}
