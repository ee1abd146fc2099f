import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { CreatePairingInput, EndPairingInput } from './poverty-office.inputs';
import { PovertyOfficeWriteService } from './poverty-office-write.service';
import { PairingNode } from './poverty-office.types';

/**
 * Coordination writes on pairings: 扶贫办 poverty-office officers and coordinators
 * (扶贫开发领导小组), on households inside their scope (DESIGN §1).
 */
@Resolver()
export class PovertyOfficeWriteResolver {
  @Mutation(() => PairingNode, {
    description: '结对帮扶 pair a cadre of the household\'s county with a household. 扶贫办 poverty office and coordinators.',
  })
  @Authorized<Permission>('coordination:write')
  createPairing(
    @Ctx() ctx: RequestContext,
    @Arg('householdId', () => ID, { description: 'Household id (户).' }) householdId: string,
    @Arg('input', () => CreatePairingInput, { description: 'The pairing (结对信息).' }) input: CreatePairingInput,
  ) {
    return PovertyOfficeWriteService.createPairing(ctx, householdId, input);
  }

  @Mutation(() => PairingNode, {
    description:
      '解除结对 end a pairing. CONFLICT when `version` is stale or it has already ended; a registered household keeps at least one current pairing (不脱贫不脱钩). 扶贫办 poverty office and coordinators.',
  })
  @Authorized<Permission>('coordination:write')
  endPairing(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Pairing id (结对记录编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => EndPairingInput, { description: 'The end date (终止日期).' }) input: EndPairingInput,
  ) {
    return PovertyOfficeWriteService.endPairing(ctx, id, version, input);
  }
}
