import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import {
  CreateRelocationInput, CreateRenovationProjectInput, RecordHousingAppraisalInput, UpdateRelocationInput, UpdateRenovationProjectInput,
} from './housing.inputs';
import { HousingWriteService } from './housing-write.service';
import { HousingAppraisalNode, RelocationNode, RenovationProjectNode } from './housing.types';

/** Writes of 住建 housing: its officers only, on households inside their scope. */
@Resolver()
export class HousingWriteResolver {
  @Mutation(() => HousingAppraisalNode, {
    description: '房屋安全鉴定 record a housing safety appraisal (A–D) of a household; the newest appraisal is the current grade. 住建 housing.',
  })
  @Authorized<Permission>('facet:housing:write')
  recordHousingAppraisal(
    @Ctx() ctx: RequestContext,
    @Arg('householdId', () => ID, { description: 'Household id (户).' }) householdId: string,
    @Arg('input', () => RecordHousingAppraisalInput, { description: 'The appraisal (鉴定结果).' }) input: RecordHousingAppraisalInput,
  ) {
    return HousingWriteService.recordHousingAppraisal(ctx, householdId, input);
  }

  @Mutation(() => RenovationProjectNode, { description: '危房改造立项 create a dilapidated-house renovation project for a household. 住建 housing.' })
  @Authorized<Permission>('facet:housing:write')
  createRenovationProject(
    @Ctx() ctx: RequestContext,
    @Arg('householdId', () => ID, { description: 'Household id (户).' }) householdId: string,
    @Arg('input', () => CreateRenovationProjectInput, { description: 'The project (项目信息).' }) input: CreateRenovationProjectInput,
  ) {
    return HousingWriteService.createRenovationProject(ctx, householdId, input);
  }

  @Mutation(() => RenovationProjectNode, {
    description: '危房改造进度 change a renovation project (status, completion, subsidy). CONFLICT when `version` is stale. 住建 housing.',
  })
  @Authorized<Permission>('facet:housing:write')
  updateRenovationProject(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Project id (项目编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => UpdateRenovationProjectInput, { description: 'The changes (变更内容); omitted fields stay as they are.' }) input: UpdateRenovationProjectInput,
  ) {
    return HousingWriteService.updateRenovationProject(ctx, id, version, input);
  }

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
