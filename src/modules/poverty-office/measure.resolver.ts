import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { VillageNode } from '../region';
import { MeasureTransitionResult } from './measure-transition.types';
import { MeasureWriteService } from './measure-write.service';
import { measuresByVillageCode } from './poverty-office.loaders';
import { CreateMeasureInput, MeasureTransitionInput, UpdateMeasureInput } from './poverty-office.inputs';
import { MeasureNode } from './poverty-office.types';

/**
 * Measures (帮扶措施, 六个到村到户): 扶贫办 poverty-office officers and coordinators write them
 * on households and villages inside their scope (DESIGN §1) and move them through their stages.
 */
@Resolver()
export class MeasureWriteResolver {
  @Mutation(() => MeasureNode, { description: '帮扶措施 add a measure (六个到村到户) for a household. 扶贫办 poverty office and coordinators.' })
  @Authorized<Permission>('coordination:write')
  createMeasure(
    @Ctx() ctx: RequestContext,
    @Arg('householdId', () => ID, { description: 'Household id (户).' }) householdId: string,
    @Arg('input', () => CreateMeasureInput, { description: 'The measure (措施内容).' }) input: CreateMeasureInput,
  ) {
    return MeasureWriteService.createMeasure(ctx, householdId, input);
  }

  @Mutation(() => MeasureNode, {
    description: '村级措施 add a village measure (e.g. infrastructure 基础设施: a road, a water works) for a village. 扶贫办 poverty office and coordinators.',
  })
  @Authorized<Permission>('coordination:write')
  createVillageMeasure(
    @Ctx() ctx: RequestContext,
    @Arg('villageCode', { description: '12-digit village code (村级区划代码).' }) villageCode: string,
    @Arg('input', () => CreateMeasureInput, { description: 'The measure (措施内容).' }) input: CreateMeasureInput,
  ) {
    return MeasureWriteService.createVillageMeasure(ctx, villageCode, input);
  }

  @Mutation(() => MeasureNode, {
    description:
      '措施变更 change a measure. A status change must be a legal move (BAD_USER_INPUT otherwise); a verified measure is closed (CONFLICT), as is a stale `version`. 扶贫办 poverty office and coordinators.',
  })
  @Authorized<Permission>('coordination:write')
  updateMeasure(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Measure id (措施编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => UpdateMeasureInput, { description: 'The changes (变更内容); omitted fields stay as they are.' }) input: UpdateMeasureInput,
  ) {
    return MeasureWriteService.updateMeasure(ctx, id, version, input);
  }

  @Mutation(() => MeasureTransitionResult, {
    description:
      '措施进度变更 move a measure to its next stage (PLANNED → IN_PROGRESS → COMPLETED → VERIFIED, CANCELLED before completion). A refused move answers IllegalTransition or SameActorVerification (the one who completed it may not verify it); CONFLICT when `version` is stale. 扶贫办 poverty office and coordinators.',
  })
  @Authorized<Permission>('coordination:write')
  transitionMeasure(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Measure id (措施编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => MeasureTransitionInput, { description: 'The move (进度变更).' }) input: MeasureTransitionInput,
  ) {
    return MeasureWriteService.transitionMeasure(ctx, id, version, input);
  }
}

@Resolver(() => VillageNode)
export class VillageMeasuresResolver {
  @FieldResolver(() => [MeasureNode], { nullable: true, description: '村级措施 the village\'s own measures (not its households\'), newest year first. 扶贫办 poverty office data.' })
  @Authorized<Permission>('facet:poverty_office:read')
  measures(
    @Ctx() ctx: RequestContext,
    @Root() village: VillageNode,
    @Arg('year', () => Int, { nullable: true, description: 'Only this year (年度).' }) year?: number | null,
  ): MeasureNode[] | Promise<MeasureNode[]> {
    return ctx.loaders.map(measuresByVillageCode, village.code, (all) => (year == null ? all : all.filter((m) => m.year === year)));
  }
}
