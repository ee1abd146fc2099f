import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { regionByCode, RegionNode } from '../region';
import { HouseholdNode } from '../registry';
import { housingAppraisalsByHouseholdId, relocationsByHouseholdId, renovationProjectsByHouseholdId } from './housing.loaders';
import { HousingAppraisalNode, RelocationNode, RenovationProjectNode } from './housing.types';

// Edges from the registry into 住建 housing facets. Each edge checks the department's read
// permission itself (STYLE §2).

@Resolver(() => HouseholdNode)
export class HousingHouseholdResolver {
  @FieldResolver(() => [HousingAppraisalNode], { description: '房屋安全鉴定 housing safety appraisals of the household, newest first. 住建 housing data.' })
  @Authorized<Permission>('facet:housing:read')
  housingAppraisals(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): HousingAppraisalNode[] | Promise<HousingAppraisalNode[]> {
    return ctx.loaders.load(housingAppraisalsByHouseholdId, household.id);
  }

  @FieldResolver(() => HousingAppraisalNode, { nullable: true, description: '最新鉴定 the most recent housing safety appraisal (current grade); null when never appraised. 住建 housing data.' })
  @Authorized<Permission>('facet:housing:read')
  latestHousingAppraisal(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): HousingAppraisalNode | null | Promise<HousingAppraisalNode | null> {
    return ctx.loaders.map(housingAppraisalsByHouseholdId, household.id, (appraisals) => appraisals[0] ?? null);
  }

  @FieldResolver(() => [RenovationProjectNode], { description: '危房改造 dilapidated-house renovations of the household, newest first. 住建 housing data.' })
  @Authorized<Permission>('facet:housing:read')
  renovationProjects(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): RenovationProjectNode[] | Promise<RenovationProjectNode[]> {
    return ctx.loaders.load(renovationProjectsByHouseholdId, household.id);
  }

  @FieldResolver(() => [RelocationNode], { description: '易地扶贫搬迁 relocations of the household, newest plan first. 住建 housing data.' })
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
