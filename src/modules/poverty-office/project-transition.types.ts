import { createUnionType, Field, Float, ObjectType } from 'type-graphql';
import { FundAllocationNode, ProjectNode } from './poverty-office.types';
import { TransitionRefused } from './measure-transition.types';
import { PROJECT_TRANSITIONS, ProjectStatus } from './project-stage';

// Union results of project moves and fund allocations: refusals a client branches on.

@ObjectType('IllegalProjectTransition', { description: '不允许的项目状态变更 the project cannot move from its status to the one asked for; nothing changed.' })
export class IllegalProjectTransition {
  @Field(() => ProjectStatus, { description: '当前状态 the project\'s status.' })
  from!: ProjectStatus;

  @Field(() => ProjectStatus, { description: '请求的状态 the status asked for.' })
  to!: ProjectStatus;

  @Field(() => [ProjectStatus], { description: '可选的下一步 the statuses it may move to (empty: final).' })
  allowed!: ProjectStatus[];

  @Field({ description: 'Why, in words (说明).' })
  message!: string;
}

@ObjectType('BudgetExceeded', { description: '超出预算 the allocation would take the project past its budget; nothing was allocated.' })
export class BudgetExceeded {
  @Field(() => Float, { description: '项目预算 budget, yuan.' })
  budget!: number;

  @Field(() => Float, { description: '已拨付 allocated before this request, yuan.' })
  allocated!: number;

  @Field(() => Float, { description: '本次申请 the amount asked for, yuan.' })
  requested!: number;

  @Field(() => Float, { description: '可拨付余额 what may still be allocated, yuan.' })
  remaining!: number;

  @Field({ description: 'Why, in words (说明).' })
  message!: string;
}

export const ProjectTransitionResult = createUnionType({
  name: 'ProjectTransitionResult',
  description: '项目状态变更结果 the project after the move, or why it was refused.',
  types: () => [ProjectNode, IllegalProjectTransition] as const,
  resolveType: (value) => (value instanceof IllegalProjectTransition ? IllegalProjectTransition : ProjectNode),
});

export const FundAllocationResult = createUnionType({
  name: 'FundAllocationResult',
  description: '资金拨付结果 the allocation made (and announced), or why it was refused.',
  types: () => [FundAllocationNode, BudgetExceeded] as const,
  resolveType: (value) => (value instanceof BudgetExceeded ? BudgetExceeded : FundAllocationNode),
});

export function illegalProjectMove(from: ProjectStatus, to: ProjectStatus): TransitionRefused<IllegalProjectTransition> {
  const allowed = [...PROJECT_TRANSITIONS[from]];
  const message = allowed.length
    ? `a ${from} project can move to ${allowed.join(' or ')}, not to ${to}`
    : `a ${from} project is final and cannot move to ${to}`;
  return new TransitionRefused(Object.assign(new IllegalProjectTransition(), { from, to, allowed, message }), message);
}

export function budgetExceeded(budget: number, allocated: number, requested: number): TransitionRefused<BudgetExceeded> {
  const remaining = Math.round((budget - allocated) * 100) / 100;
  const message = `the project's budget is ${budget} yuan, ${allocated} already allocated: at most ${remaining} more, not ${requested}`;
  return new TransitionRefused(Object.assign(new BudgetExceeded(), { budget, allocated, requested, remaining, message }), message);
}
