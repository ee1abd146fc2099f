import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { CreateRelocationInput, UpdateRelocationInput } from './housing.inputs';
import { HousingWriteService } from './housing-write.service';
import { RelocationNode } from './housing.types';

/** Writes of 住建 housing: its officers only, on households inside their scope. */
@Resolver()
export class HousingWriteResolver {
  @Mutation(() => RelocationNode, {
    description: '易地扶贫搬迁 plan the relocation of a household to a destination division inside your scope. 住建 housing.',
  })
  @Authorized<Permission>('facet:housing:write')
  createRelocation(
    @Ctx() ctx: RequestContext,
    @Arg('householdId', () => ID, { description: 'Household id (户).' }) householdId: string,
    @Arg('input', () => CreateRelocationInput, { description: 'The relocation (搬迁信息).' }) input: CreateRelocationInput,
  ) {
    return HousingWriteService.createRelocation(ctx, householdId, input);
  }

  @Mutation(() => RelocationNode, { description: '搬迁进度 change a relocation (destination, status, move-in). CONFLICT when `version` is stale. 住建 housing.' })
  @Authorized<Permission>('facet:housing:write')
  updateRelocation(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Relocation id (搬迁记录编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => UpdateRelocationInput, { description: 'The changes (变更内容); omitted fields stay as they are.' }) input: UpdateRelocationInput,
  ) {
    return HousingWriteService.updateRelocation(ctx, id, version, input);
  }
}
