import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Permission } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { PageArgs } from '../../core/pagination';
import { householdById, HouseholdNode } from '../registry';
import { ProcedureStepsService } from './procedure-steps.service';
import { objectionsByProcedureId, proceduresByHouseholdId, stepsByProcedureId } from './procedure.loaders';
import { ProcedureService } from './procedure.service';
import {
  AdvanceProcedureInput, ApplyForProcedureInput, ObjectionResult, ProcedureConnection, ProcedureFilter, ProcedureNode, ProcedureObjectionNode,
  ProcedureStepRecordNode, ProcedureStepResult, RaiseObjectionInput, ResolveObjectionInput, StepRefusedNode,
} from './procedure.types';

/**
 * Procedures with public notice (识别、退出、防返贫监测纳入, issue 12 §4): read by coordinators and
 * 扶贫办 poverty-office officers in their scope; each step taken by the level the state machine
 * names (procedure.machine.ts), refusals answered as ProcedureStepRefused.
 */
@Resolver(() => ProcedureNode)
export class ProcedureResolver {
  @Query(() => ProcedureNode, { description: '程序 one procedure in your scope (NOT_FOUND when missing or outside it).' })
  @Authorized<Permission>('procedure:read')
  procedure(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'Procedure id (程序编号).' }) id: string): Promise<ProcedureNode> {
    return ProcedureService.one(ctx, id);
  }

  @Query(() => ProcedureConnection, { description: '程序列表 procedures in your scope, in id order.' })
  @Authorized<Permission>('procedure:read')
  procedures(
    @Ctx() ctx: RequestContext,
    @Args() page: PageArgs,
    @Arg('filter', () => ProcedureFilter, { nullable: true, description: 'Filter (筛选).' }) filter?: ProcedureFilter,
  ) {
    return ProcedureService.page(ctx, filter ?? {}, page);
  }

  @Mutation(() => ProcedureStepResult, {
    description: '农户申请 open a procedure for a household (its APPLICATION step): poverty-office officers and coordinators. Refused (ProcedureStepRefused) when the household\'s status does not fit or a procedure is open.',
  })
  @Authorized<Permission>('procedure:write')
  applyForProcedure(
    @Ctx() ctx: RequestContext,
    @Arg('householdId', () => ID, { description: '户 the household.' }) householdId: string,
    @Arg('input', () => ApplyForProcedureInput, { description: '申请 what is applied for.' }) input: ApplyForProcedureInput,
  ): Promise<ProcedureNode | StepRefusedNode> {
    return ProcedureStepsService.apply(ctx, householdId, input);
  }

  @Mutation(() => ProcedureStepResult, {
    description: '办理环节 take the procedure\'s next step. Refused (ProcedureStepRefused) when it is not the next step, not your level, an objection is open, the notice has not run its days, or an exit is not ready.',
  })
  @Authorized<Permission>('procedure:write')
  advanceProcedure(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Procedure id (程序编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => AdvanceProcedureInput, { description: '环节 the step and its comment.' }) input: AdvanceProcedureInput,
  ): Promise<ProcedureNode | StepRefusedNode> {
    return ProcedureStepsService.advance(ctx, id, version, input);
  }

  @Mutation(() => ObjectionResult, { description: '公示异议登记 record an objection received while the village notice runs; it blocks the next step until resolved.' })
  @Authorized<Permission>('procedure:write')
  raiseObjection(
    @Ctx() ctx: RequestContext,
    @Arg('procedureId', () => ID, { description: 'Procedure id (程序编号).' }) procedureId: string,
    @Arg('input', () => RaiseObjectionInput, { description: '异议 what was objected.' }) input: RaiseObjectionInput,
  ): Promise<ProcedureObjectionNode | StepRefusedNode> {
    return ProcedureStepsService.raiseObjection(ctx, procedureId, input);
  }

  @Mutation(() => ObjectionResult, { description: '异议核实 resolve an open objection (township or village level): DISMISSED lets the procedure go on, UPHELD rejects it.' })
  @Authorized<Permission>('procedure:write')
  resolveObjection(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Objection id (异议编号).' }) id: string,
    @Arg('version', () => Int, { description: 'The version you read (版本号).' }) version: number,
    @Arg('input', () => ResolveObjectionInput, { description: '核实 outcome and finding.' }) input: ResolveObjectionInput,
  ): Promise<ProcedureObjectionNode | StepRefusedNode> {
    return ProcedureStepsService.resolveObjection(ctx, id, version, input);
  }

  @FieldResolver(() => [ProcedureStepRecordNode], { description: '环节记录 every step taken, in order, with who, role, day and comment.' })
  @Authorized<Permission>('procedure:read')
  steps(@Ctx() ctx: RequestContext, @Root() p: ProcedureNode): ProcedureStepRecordNode[] | Promise<ProcedureStepRecordNode[]> {
    return ctx.loaders.load(stepsByProcedureId, p.id);
  }

  @FieldResolver(() => [ProcedureObjectionNode], { description: '公示异议 objections raised during the notice, in order.' })
  @Authorized<Permission>('procedure:read')
  objections(@Ctx() ctx: RequestContext, @Root() p: ProcedureNode): ProcedureObjectionNode[] | Promise<ProcedureObjectionNode[]> {
    return ctx.loaders.load(objectionsByProcedureId, p.id);
  }

  @FieldResolver(() => HouseholdNode, { nullable: true, description: '户 the household (建档立卡 record).' })
  @Authorized<Permission>('registry:read')
  household(@Ctx() ctx: RequestContext, @Root() p: ProcedureNode) {
    return ctx.loaders.load(householdById, p.householdId);
  }
}

/** Household.procedures: the procedures module owns the edge. */
@Resolver(() => HouseholdNode)
export class HouseholdProceduresResolver {
  @FieldResolver(() => [ProcedureNode], {
    description: '程序 the household\'s identification, exit and monitoring-inclusion procedures, oldest first. Coordinators and 扶贫办 the poverty office.',
  })
  @Authorized<Permission>('procedure:read')
  procedures(@Ctx() ctx: RequestContext, @Root() household: HouseholdNode): ProcedureNode[] | Promise<ProcedureNode[]> {
    return ctx.loaders.load(proceduresByHouseholdId, household.id);
  }
}
