import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { regionByCode, RegionNode } from '../region';
import { HouseholdNode } from '../registry';
import { relocationsByHouseholdId } from './housing.loaders';
import { RelocationNode } from './housing.types';

// Edges from the registry into 住建 housing facets. Each edge checks the department's read
// permission itself (STYLE §2) and is nullable: a refusal nulls that field alone.

@Resolver(() => HouseholdNode)
export class HousingHouseholdResolver {
  @FieldResolver(() => [RelocationNode], { nullable: true, description: '易地扶贫搬迁 relocations of the household, newest plan first. 住建 housing data.' })
  @Authorized<Permission>('facet:housing:read')
  relocations(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): RelocationNode[] | Promise<RelocationNode[]> {
    return ctx.loaders.load(relocationsByHouseholdId, household.id);
  }
}

@Resolver(() => RelocationNode)
export class RelocationResolver {
  @FieldResolver(() => RegionNode, { nullable: true, description: '安置点 the destination division; null when it lies outside your scope (its code is in destinationCode).' })
  @Authorized<Permission>('region:read')
  destination(@Ctx() ctx: RequestContext, @Root() relocation: RelocationNode): Promise<RegionNode | null> {
    return ctx.loaders.get(regionByCode).load(relocation.destinationCode);
  }
}
