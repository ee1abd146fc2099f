import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { CreateHouseholdInput, CreatePersonInput, UpdateHouseholdInput, UpdatePersonInput } from './registry.inputs';
import { RegistryWriteService } from './registry-write.service';
import { HouseholdNode, PersonNode } from './registry.types';

/** Registry changes: 扶贫办 poverty office officers inside their scope. */
@Resolver()
export class RegistryWriteResolver {
  @Mutation(() => HouseholdNode, { description: '新增贫困户 register a household in a village inside your scope.' })
  @Authorized<Permission>('registry:write')
  createHousehold(@Ctx() ctx: RequestContext, @Arg('input', () => CreateHouseholdInput, { description: 'The household.' }) input: CreateHouseholdInput) {
    return RegistryWriteService.createHousehold(ctx, input);
  }

  @Mutation(() => HouseholdNode, { description: '修改贫困户 change a household; a status change is kept as a status event. CONFLICT when `version` is stale.' })
  @Authorized<Permission>('registry:write')
  updateHousehold(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Household id.' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => UpdateHouseholdInput, { description: 'The changes.' }) input: UpdateHouseholdInput,
  ) {
    return RegistryWriteService.updateHousehold(ctx, id, version, input);
  }

  @Mutation(() => PersonNode, { description: '新增家庭成员 add a member to a household inside your scope.' })
  @Authorized<Permission>('registry:write')
  createPerson(
    @Ctx() ctx: RequestContext,
    @Arg('householdId', () => ID, { description: 'Household id.' }) householdId: string,
    @Arg('input', () => CreatePersonInput, { description: 'The person.' }) input: CreatePersonInput,
  ) {
    return RegistryWriteService.createPerson(ctx, householdId, input);
  }

  @Mutation(() => PersonNode, { description: '修改成员信息 change a person. CONFLICT when `version` is stale.' })
  @Authorized<Permission>('registry:write')
  updatePerson(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Person id.' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => UpdatePersonInput, { description: 'The changes.' }) input: UpdatePersonInput,
  ) {
    return RegistryWriteService.updatePerson(ctx, id, version, input);
  }
}
