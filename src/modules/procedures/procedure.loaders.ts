import type { RequestContext } from '../../core/context';
import { asInstances, groupBy, indexBy, loaderFactory } from '../../core/loaders';
import { countyScopedPredicate, regionPredicate } from '../../core/scope';
import { addDays, nextStep, outcomeOf } from './procedure.machine';
import { ProcedureStatus } from './procedure.entities';
import { ProcedureNode, ProcedureObjectionNode, ProcedureStepRecordNode } from './procedure.types';

// Reads of procedures, their steps and objections: scope is one predicate in each statement
// (the household's village under the caller's prefix), lists come through per-request loaders,
// one statement per relation whatever the number of parents.

/** The columns of a Procedure row, from `procedure p JOIN household h`. */
export const PROCEDURE_COLUMNS = `p.id::text AS id, p.version, p.kind::text AS kind, p.subject_type::text AS "subjectType", p.year,
  p.main_cause AS "mainCause", p.step::text AS step, p.status::text AS status, p.household_id::text AS "householdId",
  h.village_code AS "regionCode", p.county_code AS "countyCode", p.applied_on::text AS "appliedOn",
  p.notice_starts_on::text AS "noticeStartsOn", p.notice_ends_on::text AS "noticeEndsOn", p.notice_text AS "noticeText",
  p.announcement_text AS "announcementText", p.closed_on::text AS "closedOn"`;

/** Rows to Procedure nodes, with the fields derived from the state machine. */
export function toProcedureNodes(rows: ProcedureNode[]): ProcedureNode[] {
  for (const r of rows) {
    r.nextStep = r.status === ProcedureStatus.OPEN ? nextStep(r.step) : null;
    r.outcome = outcomeOf(r.kind);
    // The audit may follow the notice's last day (fixed when the notice was posted).
    r.townshipAuditFrom = r.noticeEndsOn ? addDays(r.noticeEndsOn, 1) : null;
  }
  return asInstances(ProcedureNode, rows);
}

/** Procedures visible to the caller: the household's village inside scope (and `requested`). */
export function procedureVisibility(ctx: RequestContext, param: number, requested = ''): { sql: string; params: string[] } {
  return regionPredicate(ctx.scope, 'h.village_code', param, requested);
}

/** procedureById: id → the procedure, or null when missing or outside the caller's scope. */
export const procedureById = loaderFactory<ProcedureNode | null>(async (ctx, ids) => {
  const vis = procedureVisibility(ctx, 2);
  const rows = await ctx.db.query<ProcedureNode>(
    `SELECT ${PROCEDURE_COLUMNS} FROM procedure p JOIN household h ON h.id = p.household_id
      WHERE p.id = ANY($1::bigint[]) AND ${vis.sql}`,
    [ids.filter((id) => /^\d{1,18}$/.test(id)), ...vis.params],
  );
  return indexBy(ids, toProcedureNodes(rows), (r) => r.id);
});

/** proceduresByHouseholdId: household id → its procedures (every status), oldest first. */
export const proceduresByHouseholdId = loaderFactory<ProcedureNode[]>(async (ctx, ids) => {
  const vis = procedureVisibility(ctx, 2);
  const rows = await ctx.db.query<ProcedureNode>(
    `SELECT ${PROCEDURE_COLUMNS} FROM procedure p JOIN household h ON h.id = p.household_id
      WHERE p.household_id = ANY($1::bigint[]) AND ${vis.sql} ORDER BY p.household_id, p.id`,
    [ids, ...vis.params],
  );
  return groupBy(ids, toProcedureNodes(rows), (r) => r.householdId);
});

/** stepsByProcedureId: procedure id → the steps taken, in order. */
export const stepsByProcedureId = loaderFactory<ProcedureStepRecordNode[]>(async (ctx, ids) => {
  const scope = countyScopedPredicate(ctx.scope, 's', 2);
  const rows = await ctx.db.query<ProcedureStepRecordNode>(
    `SELECT s.procedure_id::text AS "procedureId", s.step::text AS step, s.actor, s.actor_role AS "actorRole",
            s.actor_department::text AS "actorDepartment", s.actor_scope AS "actorScope", s.occurred_on::text AS "occurredOn",
            s.recorded_at AS "recordedAt", s.comment
       FROM procedure_step_record s WHERE s.procedure_id = ANY($1::bigint[]) AND ${scope.sql} ORDER BY s.procedure_id, s.id`,
    [ids, ...scope.params],
  );
  return groupBy(ids, asInstances(ProcedureStepRecordNode, rows), (r) => r.procedureId);
});

export const OBJECTION_COLUMNS = `o.id::text AS id, o.version, o.procedure_id::text AS "procedureId", o.status::text AS status, o.content,
  o.raised_by AS "raisedBy", o.raised_role AS "raisedRole", o.raised_on::text AS "raisedOn", o.resolved_by AS "resolvedBy",
  o.resolved_role AS "resolvedRole", o.resolved_on::text AS "resolvedOn", o.resolution`;

/** objectionsByProcedureId: procedure id → the objections raised during its notice, in order. */
export const objectionsByProcedureId = loaderFactory<ProcedureObjectionNode[]>(async (ctx, ids) => {
  const scope = countyScopedPredicate(ctx.scope, 'o', 2);
  const rows = await ctx.db.query<ProcedureObjectionNode>(
    `SELECT ${OBJECTION_COLUMNS} FROM procedure_objection o WHERE o.procedure_id = ANY($1::bigint[]) AND ${scope.sql} ORDER BY o.procedure_id, o.id`,
    [ids, ...scope.params],
  );
  return groupBy(ids, asInstances(ProcedureObjectionNode, rows), (r) => r.procedureId);
});
