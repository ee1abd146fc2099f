import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { CreateMedicalAssistanceClaimInput, UpdateMedicalAssistanceClaimInput } from './health.inputs';
import { HealthWriteService } from './health-write.service';
import { MedicalAssistanceClaimNode } from './health.types';

/** Writes of 卫健/医保 health: its officers only, on persons inside their scope. */
@Resolver()
export class HealthWriteResolver {
  @Mutation(() => MedicalAssistanceClaimNode, {
    description: '医疗救助结算 record a medical-assistance claim of a person; reimbursed plus out of pocket must equal the total cost. 卫健/医保 health.',
  })
  @Authorized<Permission>('facet:health:write')
  createMedicalAssistanceClaim(
    @Ctx() ctx: RequestContext,
    @Arg('personId', () => ID, { description: 'Person id (人员).' }) personId: string,
    @Arg('input', () => CreateMedicalAssistanceClaimInput, { description: 'The claim (结算信息).' }) input: CreateMedicalAssistanceClaimInput,
  ) {
    return HealthWriteService.createMedicalAssistanceClaim(ctx, personId, input);
  }

  @Mutation(() => MedicalAssistanceClaimNode, {
    description: '医疗救助更正 correct a medical-assistance claim; the amounts must still add up. CONFLICT when `version` is stale. 卫健/医保 health.',
  })
  @Authorized<Permission>('facet:health:write')
  updateMedicalAssistanceClaim(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Claim id (结算记录编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => UpdateMedicalAssistanceClaimInput, { description: 'The changes (变更内容); omitted fields stay as they are.' }) input: UpdateMedicalAssistanceClaimInput,
  ) {
    return HealthWriteService.updateMedicalAssistanceClaim(ctx, id, version, input);
  }
}
