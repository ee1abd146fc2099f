import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { CreateDibaoEnrolmentInput, EndDibaoEnrolmentInput, UpdateDibaoEnrolmentInput } from './civil-affairs.inputs';
import { CivilAffairsWriteService } from './civil-affairs-write.service';
import { DibaoEnrolmentNode } from './civil-affairs.types';

/** Writes of 民政 civil affairs: its officers only, on households inside their scope. */
@Resolver()
export class CivilAffairsWriteResolver {
  @Mutation(() => DibaoEnrolmentNode, {
    description: '低保纳入 enrol a household in 低保 (minimum-living allowance). Refused when it overlaps an enrolment that has not ended. 民政 civil affairs.',
  })
  @Authorized<Permission>('facet:civil_affairs:write')
  createDibaoEnrolment(
    @Ctx() ctx: RequestContext,
    @Arg('householdId', () => ID, { description: 'Household id (户).' }) householdId: string,
    @Arg('input', () => CreateDibaoEnrolmentInput, { description: 'The enrolment (登记信息).' }) input: CreateDibaoEnrolmentInput,
  ) {
    return CivilAffairsWriteService.createDibaoEnrolment(ctx, householdId, input);
  }

  @Mutation(() => DibaoEnrolmentNode, { description: '低保变更 change a 低保 enrolment. CONFLICT when `version` is stale. 民政 civil affairs.' })
  @Authorized<Permission>('facet:civil_affairs:write')
  updateDibaoEnrolment(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Enrolment id (记录编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => UpdateDibaoEnrolmentInput, { description: 'The changes (变更内容); omitted fields stay as they are.' }) input: UpdateDibaoEnrolmentInput,
  ) {
    return CivilAffairsWriteService.updateDibaoEnrolment(ctx, id, version, input);
  }

  @Mutation(() => DibaoEnrolmentNode, {
    description: '低保退出 end a 低保 enrolment: sets its end date and status ENDED. CONFLICT when `version` is stale or it has already ended. 民政 civil affairs.',
  })
  @Authorized<Permission>('facet:civil_affairs:write')
  endDibaoEnrolment(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Enrolment id (记录编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => EndDibaoEnrolmentInput, { description: 'The end date (终止日期).' }) input: EndDibaoEnrolmentInput,
  ) {
    return CivilAffairsWriteService.endDibaoEnrolment(ctx, id, version, input);
  }
}
