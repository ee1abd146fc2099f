import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { regionByCode, RegionNode, VillageNode } from '../region';
import { HouseholdNode } from '../registry';
import { fundAllocationsByProjectId, measuresByHouseholdId, pairingsByHouseholdId, projectsByRegionPrefix } from './poverty-office.loaders';
import { FundAllocationNode, MeasureNode, PairingNode, ProjectNode } from './poverty-office.types';

// Edges into 扶贫办 poverty-office facts: pairings and measures hang off households, projects
// off the division they are in (village or township). Each edge checks the read permission
// itself (STYLE §2) and is nullable, so a refusal nulls that field alone; a year argument
// filters the loaded list, so all values share one statement.

const yearArg = { nullable: true, description: 'Only this year (年度).' } as const;

@Resolver(() => HouseholdNode)
export class PovertyOfficeHouseholdResolver {
  @FieldResolver(() => [PairingNode], { nullable: true, description: '结对帮扶 pairing cadres of the household, newest first. 扶贫办 poverty office data.' })
  @Authorized<Permission>('facet:poverty_office:read')
  pairings(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): PairingNode[] | Promise<PairingNode[]> {
    return ctx.loaders.load(pairingsByHouseholdId, household.id);
  }

  @FieldResolver(() => [MeasureNode], { nullable: true, description: '帮扶措施 measures applied to the household (六个到村到户), newest year first. 扶贫办 poverty office data.' })
  @Authorized<Permission>('facet:poverty_office:read')
  measures(
    @Ctx() ctx: RequestContext,
    @Root() household: HouseholdNode,
    @Arg('year', () => Int, yearArg) year?: number | null,
  ): MeasureNode[] | Promise<MeasureNode[]> {
    return ctx.loaders.map(measuresByHouseholdId, household.id, (all) => year == null ? all : all.filter((m) => m.year === year));
  }
}

/** Projects located in a division or inside it, optionally of one year. */
async function projectsIn(ctx: RequestContext, prefix: string, year: number | null | undefined): Promise<ProjectNode[]> {
  const all = await ctx.loaders.get(projectsByRegionPrefix).load(prefix);
  return year == null ? all : all.filter((p) => p.year === year);
}

@Resolver(() => RegionNode)
export class RegionProjectsResolver {
  @FieldResolver(() => [ProjectNode], { nullable: true, description: '扶贫项目 projects located in this division or any division inside it, newest year first. 扶贫办 poverty office data.' })
  @Authorized<Permission>('facet:poverty_office:read')
  projects(@Ctx() ctx: RequestContext, @Root() region: RegionNode, @Arg('year', () => Int, yearArg) year?: number | null): Promise<ProjectNode[]> {
    return projectsIn(ctx, region.prefix, year);
  }
}

@Resolver(() => VillageNode)
export class VillageProjectsResolver {
  @FieldResolver(() => [ProjectNode], { nullable: true, description: '扶贫项目 projects of this village, newest year first. 扶贫办 poverty office data.' })
  @Authorized<Permission>('facet:poverty_office:read')
  projects(@Ctx() ctx: RequestContext, @Root() village: VillageNode, @Arg('year', () => Int, yearArg) year?: number | null): Promise<ProjectNode[]> {
    return projectsIn(ctx, village.code, year);
  }
}

@Resolver(() => ProjectNode)
export class ProjectResolver {
  @FieldResolver(() => RegionNode, { nullable: true, description: '项目所在区划 the village or township of the project; null when outside your scope.' })
  @Authorized<Permission>('region:read')
  region(@Ctx() ctx: RequestContext, @Root() project: ProjectNode): Promise<RegionNode | null> {
    return ctx.loaders.get(regionByCode).load(project.regionCode);
  }

  @FieldResolver(() => [FundAllocationNode], { nullable: true, description: '资金拨付 fund allocations to the project, newest first. 扶贫办 poverty office data.' })
  @Authorized<Permission>('facet:poverty_office:read')
  fundAllocations(@Ctx() ctx: RequestContext, @Root() project: ProjectNode): Promise<FundAllocationNode[]> {
    return ctx.loaders.get(fundAllocationsByProjectId).load(project.id);
  }
}
