import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { CloseDropoutWatchInput, CreateSchoolEnrolmentInput, OpenDropoutWatchInput, UpdateSchoolEnrolmentInput } from './education.inputs';
import { EducationWriteService } from './education-write.service';
import { DropoutWatchNode, SchoolEnrolmentNode } from './education.types';

/** Writes of 教育 education: its officers only, on persons inside their scope. */
@Resolver()
export class EducationWriteResolver {
  @Mutation(() => SchoolEnrolmentNode, {
    description: '学籍登记 enrol a person in a school for a school year. One ENROLLED record per person and school year. 教育 education.',
  })
  @Authorized<Permission>('facet:education:write')
  createSchoolEnrolment(
    @Ctx() ctx: RequestContext,
    @Arg('personId', () => ID, { description: 'Person id (人员).' }) personId: string,
    @Arg('input', () => CreateSchoolEnrolmentInput, { description: 'The enrolment (登记信息).' }) input: CreateSchoolEnrolmentInput,
  ) {
    return EducationWriteService.createSchoolEnrolment(ctx, personId, input);
  }

  @Mutation(() => SchoolEnrolmentNode, {
    description: '学籍变动 change a school enrolment, e.g. its status to DROPPED_OUT (辍学). CONFLICT when `version` is stale. 教育 education.',
  })
  @Authorized<Permission>('facet:education:write')
  updateSchoolEnrolment(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Enrolment id (记录编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => UpdateSchoolEnrolmentInput, { description: 'The changes (变更内容); omitted fields stay as they are.' }) input: UpdateSchoolEnrolmentInput,
  ) {
    return EducationWriteService.updateSchoolEnrolment(ctx, id, version, input);
  }

  @Mutation(() => DropoutWatchNode, { description: '控辍保学立案 open a dropout-watch case for a person; one open case per person. 教育 education.' })
  @Authorized<Permission>('facet:education:write')
  openDropoutWatch(
    @Ctx() ctx: RequestContext,
    @Arg('personId', () => ID, { description: 'Person id (人员).' }) personId: string,
    @Arg('input', () => OpenDropoutWatchInput, { description: 'The case (立案信息).' }) input: OpenDropoutWatchInput,
  ) {
    return EducationWriteService.openDropoutWatch(ctx, personId, input);
  }

  @Mutation(() => DropoutWatchNode, {
    description: '控辍保学销号 close a dropout-watch case as RETURNED or CLOSED. CONFLICT when `version` is stale or the case is already closed. 教育 education.',
  })
  @Authorized<Permission>('facet:education:write')
  closeDropoutWatch(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Case id (案件编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => CloseDropoutWatchInput, { description: 'Date and outcome (销号日期与结果).' }) input: CloseDropoutWatchInput,
  ) {
    return EducationWriteService.closeDropoutWatch(ctx, id, version, input);
  }
}
