import { Arg, Args, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { Connection, PageArgs } from '../../core/pagination';
import { ProjectNode, PublicNoticeNode } from './poverty-office.types';
import { AllocateFundsInput, CreateProjectInput, ProjectTransitionInput } from './project.inputs';
import { FundAllocationResult, ProjectTransitionResult } from './project-transition.types';
import { ProjectWriteService } from './project-write.service';
import { listNotices } from './public-notice.service';

const PublicNoticeConnection = Connection(PublicNoticeNode, 'PublicNotice', '公告公示');

/**
 * Projects and funds (项目资金公告公示): 扶贫办 poverty-office officers write them (the
 * facet:poverty_office:write permission, which coordinators do not hold); notices are public.
 */
@Resolver()
export class ProjectWriteResolver {
  @Mutation(() => ProjectNode, { description: '项目入库 add a project (PLANNED) in a village or township. 扶贫办 poverty office.' })
  @Authorized<Permission>('facet:poverty_office:write')
  createProject(@Ctx() ctx: RequestContext, @Arg('input', () => CreateProjectInput, { description: 'The project (项目信息).' }) input: CreateProjectInput) {
    return ProjectWriteService.createProject(ctx, input);
  }

  @Mutation(() => ProjectTransitionResult, {
    description:
      '项目状态变更 move a project on (PLANNED → APPROVED → UNDERWAY → COMPLETED → ACCEPTED; CANCELLED before work starts). Approval and acceptance publish a notice (公告). A refused move answers IllegalProjectTransition; CONFLICT when `version` is stale. 扶贫办 poverty office.',
  })
  @Authorized<Permission>('facet:poverty_office:write')
  transitionProject(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Project id (项目编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => ProjectTransitionInput, { description: 'The move (状态变更).' }) input: ProjectTransitionInput,
  ) {
    return ProjectWriteService.transitionProject(ctx, id, version, input);
  }

  @Mutation(() => FundAllocationResult, {
    description:
      '资金拨付 allocate funds to an approved project, and publish the allocation (公示). Past the budget answers BudgetExceeded; CONFLICT when the project is not approved or already accepted. 扶贫办 poverty office.',
  })
  @Authorized<Permission>('facet:poverty_office:write')
  allocateFunds(
    @Ctx() ctx: RequestContext,
    @Arg('projectId', () => ID, { description: 'Project id (项目编号).' }) projectId: string,
    @Arg('input', () => AllocateFundsInput, { description: 'The allocation (拨付信息).' }) input: AllocateFundsInput,
  ) {
    return ProjectWriteService.allocateFunds(ctx, projectId, input);
  }

  @Query(() => PublicNoticeConnection, {
    description:
      '公告公示 public notices of project approvals, fund allocations and acceptances in a division, newest first. They name projects, villages and townships, never a person. Staff in scope, and third parties (aggregate:read).',
  })
  @Authorized<Permission>('region:read', 'aggregate:read')
  publicNotices(
    @Ctx() ctx: RequestContext,
    @Arg('regionCode', () => String, { nullable: true, description: 'Division code or prefix (2, 4, 6, 9 or 12 digits); default: all you may see.' }) regionCode: string | null,
    @Args() page: PageArgs,
  ) {
    return listNotices(ctx, regionCode, page);
  }
}
