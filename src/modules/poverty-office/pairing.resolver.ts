import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { Connection, PageArgs } from '../../core/pagination';
import { HouseholdConnection } from '../registry';
import { CreateCadreInput, LogVisitInput } from './cadre.inputs';
import { pairingsByCadreId, visitsByPairingId } from './cadre.loaders';
import { CadreLoadNode, CadreVisitNode } from './cadre.types';
import { CadreWriteService } from './cadre-write.service';
import { householdsWithoutCadre, overloadedCadres } from './pairing-coverage.service';
import { CadreNode, PairingNode } from './poverty-office.types';

const CadreLoadConnection = Connection(CadreLoadNode, 'CadreLoad', '帮扶负担');
const regionArg = { nullable: true, description: 'Division code or prefix (2, 4, 6, 9 or 12 digits); default: all you may see.' } as const;

/** Pairing work (结对帮扶): cadres, visits and coverage. 扶贫办 poverty office and coordinators. */
@Resolver()
export class PairingWorkResolver {
  @Mutation(() => CadreNode, { description: '帮扶责任人 add a pairing cadre of a county in (or containing) your scope. 扶贫办 poverty office and coordinators.' })
  @Authorized<Permission>('coordination:write')
  createCadre(@Ctx() ctx: RequestContext, @Arg('input', () => CreateCadreInput, { description: 'The cadre (帮扶责任人).' }) input: CreateCadreInput) {
    return CadreWriteService.createCadre(ctx, input);
  }

  @Mutation(() => CadreVisitNode, {
    description: '帮扶走访 log a visit of the pairing cadre to the household. Notes carrying ID, phone or bank card numbers or health details are refused. 扶贫办 poverty office and coordinators.',
  })
  @Authorized<Permission>('coordination:write')
  logVisit(
    @Ctx() ctx: RequestContext,
    @Arg('pairingId', () => ID, { description: 'Pairing id (结对记录编号).' }) pairingId: string,
    @Arg('input', () => LogVisitInput, { description: 'The visit (走访记录).' }) input: LogVisitInput,
  ) {
    return CadreWriteService.logVisit(ctx, pairingId, input);
  }

  @Query(() => HouseholdConnection, {
    description: '结对帮扶全覆盖 registered households with no current pairing cadre, by id. 扶贫办 poverty office and coordinators.',
  })
  @Authorized<Permission>('facet:poverty_office:read')
  householdsWithoutCadre(@Ctx() ctx: RequestContext, @Arg('regionCode', () => String, regionArg) regionCode: string | null, @Args() page: PageArgs) {
    return householdsWithoutCadre(ctx, regionCode, page);
  }

  @Query(() => CadreLoadConnection, {
    description: '帮扶负担 cadres currently paired with more than `over` households (default: the configured PAIRING_MAX_HOUSEHOLDS, 10). 扶贫办 poverty office and coordinators.',
  })
  @Authorized<Permission>('facet:poverty_office:read')
  overloadedCadres(
    @Ctx() ctx: RequestContext,
    @Arg('regionCode', () => String, regionArg) regionCode: string | null,
    @Arg('over', () => Int, { nullable: true, description: 'Load limit (户数); default the configured one.' }) over: number | null,
    @Args() page: PageArgs,
  ) {
    return overloadedCadres(ctx, regionCode, over, page);
  }
}

@Resolver(() => PairingNode)
export class PairingVisitsResolver {
  @FieldResolver(() => [CadreVisitNode], { nullable: true, description: '帮扶走访 visits logged on this pairing, newest first. 扶贫办 poverty office data.' })
  @Authorized<Permission>('facet:poverty_office:read')
  visits(@Ctx() ctx: RequestContext, @Root() pairing: PairingNode): Promise<CadreVisitNode[]> {
    return ctx.loaders.get(visitsByPairingId).load(pairing.id);
  }
}

@Resolver(() => CadreNode)
export class CadrePairingsResolver {
  @FieldResolver(() => [PairingNode], { nullable: true, description: '结对户 the cadre\'s pairings on households in your scope, current first. 扶贫办 poverty office data.' })
  @Authorized<Permission>('facet:poverty_office:read')
  pairings(
    @Ctx() ctx: RequestContext,
    @Root() cadre: CadreNode,
    @Arg('current', () => Boolean, { nullable: true, description: 'Only current pairings (当前结对) when true.' }) current?: boolean | null,
  ): PairingNode[] | Promise<PairingNode[]> {
    return ctx.loaders.map(pairingsByCadreId, cadre.id, (all) => (current ? all.filter((p) => p.current) : all));
  }
}
