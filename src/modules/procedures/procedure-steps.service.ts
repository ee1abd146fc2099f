import type { EntityManager } from 'typeorm';
import type { Principal } from '../../core/auth/roles';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { asInstances } from '../../core/loaders';
import { mutate, type WriteIntent } from '../../core/writes';
import { Department, HouseholdStatus } from '../../core/vocab';
import { recordAuditAlone } from '../audit';
import { exitBlockersOf, type ExitBlockerNode } from '../coordination';
import { recordChangeEvent } from '../events';
import { announcementText, noticeFacts, villageNoticeText } from './procedure-notice';
import { ObjectionStatus, ProcedureKind, ProcedureStatus, ProcedureStep, type MonitoringSubject } from './procedure.entities';
import { OBJECTION_COLUMNS, PROCEDURE_COLUMNS, procedureVisibility, toProcedureNodes } from './procedure.loaders';
import {
  addDays, mayResolveObjection, mayTakeStep, nextStep, noticeWindow, outcomeOf, procedureNoticeDays, STEP_ACTORS, statusesToApplyFrom,
} from './procedure.machine';
import {
  ObjectionOutcome, ProcedureNode, ProcedureObjectionNode, ProcedureRefusalReason as R, StepRefusedNode,
  type AdvanceProcedureInput, type ApplyForProcedureInput, type RaiseObjectionInput, type ResolveObjectionInput,
} from './procedure.types';

// The steps of a procedure, each one write through the pipeline (core/writes.ts `mutate`): the
// procedure row locked in scope, the version checked, the state machine's rules checked, the
// step recorded with who, role, day and comment, audited, and a change event (entity
// 'procedure', the household, its village, the poverty office, fields ['step'] …) in the same
// transaction. The announcement sets the household's registry status in that transaction too
// (a household_status_event and a Household change event). A rule that refuses the step rolls
// the transaction back and answers a ProcedureStepRefused, audited as refused.

const ENTITY = 'procedure';
const OWNER = Department.POVERTY_OFFICE;

/** A step refused by the rules: thrown inside the transaction (rolling it back), answered as a value. */
class Refusal extends Error {
  constructor(readonly node: StepRefusedNode, readonly regionCode: string | null) {
    super(node.message);
  }
}

interface RefusalFacts {
  procedureId?: string | null;
  attemptedStep?: ProcedureStep | null;
  currentStep?: ProcedureStep | null;
  expectedStep?: ProcedureStep | null;
  allowedFrom?: string | null;
  blockers?: ExitBlockerNode[];
  openObjectionIds?: string[];
  regionCode?: string | null;
}

function refuse(reason: R, message: string, f: RefusalFacts = {}): never {
  const node = Object.assign(new StepRefusedNode(), {
    reason, message, procedure: null, procedureId: f.procedureId ?? null, attemptedStep: f.attemptedStep ?? null, currentStep: f.currentStep ?? null,
    expectedStep: f.expectedStep ?? null, allowedFrom: f.allowedFrom ?? null, blockers: f.blockers ?? [], openObjectionIds: f.openObjectionIds ?? [],
  });
  throw new Refusal(node, f.regionCode ?? null);
}

/** Runs a write; a Refusal becomes its answer, audited (WRONG_LEVEL as forbidden, the rest as conflict). */
async function write<T>(ctx: RequestContext, what: WriteIntent, work: Parameters<typeof mutate<T>>[2]): Promise<T | StepRefusedNode> {
  try {
    return await mutate(ctx, what, work);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    const { department: _d, ...audited } = what;
    await recordAuditAlone(ctx, [{
      ...audited, entityId: err.node.procedureId ?? what.entityId, outcome: err.node.reason === R.WRONG_LEVEL ? 'forbidden' : 'conflict',
      regionCode: err.regionCode ?? ctx.principal?.scope ?? '',
    }]);
    err.node.procedure = err.node.procedureId ? await procedureNode(ctx, err.node.procedureId) : null;
    return err.node;
  }
}

function principalOf(ctx: RequestContext): Principal {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Not authenticated');
  return ctx.principal;
}

interface LockedProcedure {
  id: string;
  version: number;
  kind: ProcedureKind;
  subjectType: MonitoringSubject | null;
  year: number;
  mainCause: string | null;
  step: ProcedureStep;
  status: ProcedureStatus;
  householdId: string;
  countyCode: string;
  villageCode: string;
  householdStatus: HouseholdStatus;
  noticeStartsOn: string | null;
  noticeEndsOn: string | null;
}

/** The procedure `id` inside scope, locked for the step; NOT_FOUND otherwise (outside ≡ missing). */
async function lockProcedure(ctx: RequestContext, tx: EntityManager, id: string, what = 'procedure'): Promise<LockedProcedure> {
  if (!/^\d{1,18}$/.test(id)) throw notFound(what);
  const vis = procedureVisibility(ctx, 2);
  const rows: LockedProcedure[] = await tx.query(
    `SELECT p.id::text AS id, p.version, p.kind::text AS kind, p.subject_type::text AS "subjectType", p.year, p.main_cause AS "mainCause",
            p.step::text AS step, p.status::text AS status, p.household_id::text AS "householdId", p.county_code AS "countyCode",
            h.village_code AS "villageCode", h.status::text AS "householdStatus",
            p.notice_starts_on::text AS "noticeStartsOn", p.notice_ends_on::text AS "noticeEndsOn"
       FROM procedure p JOIN household h ON h.id = p.household_id
      WHERE p.id = $1 AND ${vis.sql} FOR UPDATE OF p, h`,
    [id, ...vis.params],
  );
  if (!rows.length) throw notFound(what);
  return rows[0];
}

function checkVersion(entity: string, id: string, current: number, given: number): void {
  if (current !== given) {
    throw new AppError('CONFLICT', `${entity} ${id} was changed by someone else (now at version ${current}); reload it and try again`, { currentVersion: current });
  }
}

async function insertStep(ctx: RequestContext, tx: EntityManager, p: { id: string; householdId: string; countyCode: string }, step: ProcedureStep, comment: string): Promise<void> {
  const who = principalOf(ctx);
  await tx.query(
    `INSERT INTO procedure_step_record (procedure_id, household_id, county_code, step, actor, actor_role, actor_department, actor_scope, occurred_on, comment)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [p.id, p.householdId, p.countyCode, step, who.subject, who.role, who.department, who.scope, ctx.today, comment],
  );
}

/** One procedure as the caller sees it (after a write: read back through the request's handle). */
export async function procedureNode(ctx: RequestContext, id: string): Promise<ProcedureNode | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const vis = procedureVisibility(ctx, 2);
  const rows = await ctx.db.query<ProcedureNode>(
    `SELECT ${PROCEDURE_COLUMNS} FROM procedure p JOIN household h ON h.id = p.household_id WHERE p.id = $1 AND ${vis.sql}`,
    [id, ...vis.params],
  );
  return rows.length ? toProcedureNodes(rows)[0] : null;
}

async function objectionNode(ctx: RequestContext, id: string): Promise<ProcedureObjectionNode> {
  const rows = await ctx.db.query<ProcedureObjectionNode>(`SELECT ${OBJECTION_COLUMNS} FROM procedure_objection o WHERE o.id = $1`, [id]);
  return asInstances(ProcedureObjectionNode, rows)[0];
}

export class ProcedureStepsService {
  /** 农户申请: opens a procedure for the household (APPLICATION is its first step). */
  static async apply(ctx: RequestContext, householdId: string, input: ApplyForProcedureInput): Promise<ProcedureNode | StepRefusedNode> {
    const who = principalOf(ctx);
    const current = Number(ctx.today.slice(0, 4));
    const year = input.year ?? current;
    if (year < 2010 || year > current) throw badInput('input.year', `must be a year from 2010 to ${current}`);
    const subject = input.subjectType ?? null;
    if (input.kind === ProcedureKind.MONITORING && !subject) throw badInput('input.subjectType', 'is required for a monitoring inclusion (监测对象类别)');
    if (input.kind !== ProcedureKind.MONITORING && subject) throw badInput('input.subjectType', 'is for a monitoring inclusion only');
    if (input.kind !== ProcedureKind.IDENTIFICATION && input.mainCause) throw badInput('input.mainCause', 'is recorded with an identification only');
    const result = await write<string>(ctx, { action: 'create', entity: ENTITY, entityId: null, fields: ['step'], department: OWNER }, async (tx) => {
      // Locked for update at once (not FOR SHARE first): two applications for one household then
      // queue here, and the second finds the first's procedure, instead of deadlocking on an upgrade.
      if (!/^\d{1,18}$/.test(householdId)) throw notFound('household');
      const vis = procedureVisibility(ctx, 2);
      const [h]: Array<{ status: HouseholdStatus; mainCause: string | null; countyCode: string; villageCode: string }> = await tx.query(
        `SELECT h.status::text AS status, h.main_cause AS "mainCause", h.county_code AS "countyCode", h.village_code AS "villageCode"
           FROM household h WHERE h.id = $1 AND ${vis.sql} FOR UPDATE`,
        [householdId, ...vis.params],
      );
      if (!h) throw notFound('household');
      const anchor = h;
      const region = { regionCode: anchor.villageCode, attemptedStep: ProcedureStep.APPLICATION };
      if (!mayTakeStep(who, ProcedureStep.APPLICATION)) refuse(R.WRONG_LEVEL, `${STEP_ACTORS.application.zh}: your role or level may not record an application`, region);
      const allowed = statusesToApplyFrom(input.kind, subject);
      if (!allowed.includes(h.status)) {
        refuse(R.HOUSEHOLD_STATUS_MISMATCH, `the household is ${h.status}; this procedure applies to a household that is ${allowed.join(' or ')}`, region);
      }
      const [open]: Array<{ id: string }> = await tx.query(`SELECT id::text AS id FROM procedure WHERE household_id = $1 AND status = 'open'`, [householdId]);
      if (open) refuse(R.PROCEDURE_ALREADY_OPEN, `the household has procedure ${open.id} open; it must be completed or rejected first`, { ...region, procedureId: open.id });
      const cause = input.kind === ProcedureKind.IDENTIFICATION ? (input.mainCause ?? h.mainCause) : null;
      if (input.kind === ProcedureKind.IDENTIFICATION && !cause) throw badInput('input.mainCause', 'is required: the household has no main poverty cause recorded');
      const [row]: Array<{ id: string }> = await tx.query(
        `INSERT INTO procedure (household_id, county_code, kind, subject_type, year, main_cause, step, applied_on)
         VALUES ($1, $2, $3, $4, $5, $6, 'application', $7) RETURNING id::text AS id`,
        [householdId, anchor.countyCode, input.kind, subject, year, cause, ctx.today],
      );
      await insertStep(ctx, tx, { id: row.id, householdId, countyCode: anchor.countyCode }, ProcedureStep.APPLICATION, input.comment);
      return { result: row.id, entityId: row.id, regionCode: anchor.villageCode, householdId, fields: ['step'] };
    });
    return typeof result === 'string' ? ((await procedureNode(ctx, result)) as ProcedureNode) : result;
  }

  /** 办理环节: takes the procedure's next step, if the rules allow it now. */
  static async advance(ctx: RequestContext, id: string, version: number, input: AdvanceProcedureInput): Promise<ProcedureNode | StepRefusedNode> {
    const who = principalOf(ctx);
    const step = input.step;
    const result = await write<string>(ctx, { action: 'update', entity: ENTITY, entityId: id, fields: ['step'], department: OWNER }, async (tx) => {
      const p = await lockProcedure(ctx, tx, id);
      checkVersion('procedure', id, p.version, version);
      const expected = p.status === ProcedureStatus.OPEN ? nextStep(p.step) : null;
      const facts: RefusalFacts = { procedureId: id, attemptedStep: step, currentStep: p.step, expectedStep: expected, regionCode: p.villageCode };
      if (p.status !== ProcedureStatus.OPEN) refuse(R.PROCEDURE_CLOSED, `the procedure is ${p.status}; no step follows`, facts);
      if (step !== expected) {
        refuse(R.ILLEGAL_TRANSITION, `the last step taken is ${p.step}; only ${expected} may follow it (no step is skipped or repeated)`, facts);
      }
      if (!mayTakeStep(who, step)) refuse(R.WRONG_LEVEL, `${STEP_ACTORS[step].zh}: your role or level may not take this step`, facts);
      const open: Array<{ id: string }> = await tx.query(`SELECT id::text AS id FROM procedure_objection WHERE procedure_id = $1 AND status = 'open' ORDER BY id`, [id]);
      if (open.length) {
        refuse(R.OBJECTION_OPEN, `${open.length} objection(s) raised during the notice must be resolved first`, { ...facts, openObjectionIds: open.map((o) => o.id) });
      }
      const fields = ['step'];
      const set: Record<string, unknown> = { step };
      switch (step) {
        case ProcedureStep.VILLAGE_NOTICE: {
          const days = procedureNoticeDays();
          const w = noticeWindow(ctx.today, days);
          set.notice_starts_on = w.startsOn;
          set.notice_ends_on = w.endsOn;
          set.notice_text = villageNoticeText(await noticeFacts(tx, p.householdId, ctx.today), p, w.startsOn, w.endsOn, days);
          break;
        }
        case ProcedureStep.TOWNSHIP_AUDIT: {
          const from = addDays(p.noticeEndsOn as string, 1);
          if (ctx.today < from) refuse(R.NOTICE_PERIOD_NOT_OVER, `the village notice runs until ${p.noticeEndsOn}; the township audit may be taken from ${from}`, { ...facts, allowedFrom: from });
          break;
        }
        case ProcedureStep.COUNTY_APPROVAL: {
          if (p.kind === ProcedureKind.EXIT) {
            const blockers = await exitBlockersOf(ctx, tx, p.year, p.householdId);
            if (blockers.length) {
              refuse(R.EXIT_NOT_READY, `the household is not ready to exit in ${p.year}: ${blockers.map((b) => b.reason).join(', ')}`, { ...facts, blockers });
            }
          }
          break;
        }
        case ProcedureStep.ANNOUNCEMENT: {
          const allowed = statusesToApplyFrom(p.kind, p.subjectType);
          if (!allowed.includes(p.householdStatus)) {
            refuse(R.HOUSEHOLD_STATUS_MISMATCH, `the household is ${p.householdStatus} now; this procedure applies to a household that is ${allowed.join(' or ')}`, facts);
          }
          await setRegistryStatus(ctx, tx, p);
          set.status = ProcedureStatus.COMPLETED;
          set.closed_on = ctx.today;
          set.announcement_text = announcementText(await noticeFacts(tx, p.householdId, ctx.today), p, ctx.today);
          fields.push('status');
          break;
        }
        default:
          break;
      }
      const columns = Object.keys(set);
      await tx.query(
        `UPDATE procedure SET ${columns.map((c, i) => `"${c}" = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now() WHERE id = $1`,
        [id, ...Object.values(set)],
      );
      await insertStep(ctx, tx, p, step, input.comment);
      return { result: id, entityId: id, regionCode: p.villageCode, householdId: p.householdId, fields };
    });
    return typeof result === 'string' ? ((await procedureNode(ctx, result)) as ProcedureNode) : result;
  }

  /** 公示异议登记: records an objection received while the village notice runs. */
  static async raiseObjection(ctx: RequestContext, procedureId: string, input: RaiseObjectionInput): Promise<ProcedureObjectionNode | StepRefusedNode> {
    const who = principalOf(ctx);
    const result = await write<string>(ctx, { action: 'create', entity: ENTITY, entityId: procedureId, fields: ['objections'], department: OWNER }, async (tx) => {
      const p = await lockProcedure(ctx, tx, procedureId);
      const facts: RefusalFacts = { procedureId, currentStep: p.step, regionCode: p.villageCode };
      if (p.status !== ProcedureStatus.OPEN) refuse(R.PROCEDURE_CLOSED, `the procedure is ${p.status}`, facts);
      const running = p.step === ProcedureStep.VILLAGE_NOTICE && p.noticeStartsOn !== null && p.noticeEndsOn !== null
        && ctx.today >= p.noticeStartsOn && ctx.today <= p.noticeEndsOn;
      if (!running) {
        const when = p.noticeStartsOn ? `the notice ran from ${p.noticeStartsOn} to ${p.noticeEndsOn}` : 'the notice has not been posted';
        refuse(R.NOTICE_NOT_RUNNING, `objections are raised while the village notice runs; ${when}`, facts);
      }
      const [row]: Array<{ id: string }> = await tx.query(
        `INSERT INTO procedure_objection (procedure_id, household_id, county_code, content, raised_by, raised_role, raised_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
        [procedureId, p.householdId, p.countyCode, input.content, who.subject, who.role, ctx.today],
      );
      return { result: row.id, entityId: procedureId, regionCode: p.villageCode, householdId: p.householdId };
    });
    return typeof result === 'string' ? objectionNode(ctx, result) : result;
  }

  /** 异议核实: dismisses an objection (the procedure goes on) or upholds it (the procedure is rejected). */
  static async resolveObjection(ctx: RequestContext, id: string, version: number, input: ResolveObjectionInput): Promise<ProcedureObjectionNode | StepRefusedNode> {
    const who = principalOf(ctx);
    if (!/^\d{1,18}$/.test(id)) throw notFound('procedure objection');
    // The procedure it belongs to names the audit record and the change event (read again, locked, below).
    const [seen] = await ctx.db.query<{ procedureId: string }>(`SELECT procedure_id::text AS "procedureId" FROM procedure_objection WHERE id = $1`, [id]);
    const fields = input.outcome === ObjectionOutcome.UPHELD ? ['objections', 'status'] : ['objections'];
    const result = await write<string>(ctx, { action: 'update', entity: ENTITY, entityId: seen?.procedureId ?? id, fields, department: OWNER }, async (tx) => {
      if (!seen) throw notFound('procedure objection');
      const p = await lockProcedure(ctx, tx, seen.procedureId, 'procedure objection');
      const [o]: Array<{ version: number; status: ObjectionStatus }> = await tx.query(
        `SELECT version, status::text AS status FROM procedure_objection WHERE id = $1 AND procedure_id = $2 FOR UPDATE`, [id, p.id],
      );
      if (!o) throw notFound('procedure objection');
      checkVersion('procedure objection', id, o.version, version);
      const facts: RefusalFacts = { procedureId: p.id, currentStep: p.step, regionCode: p.villageCode };
      if (o.status !== ObjectionStatus.OPEN) refuse(R.OBJECTION_ALREADY_RESOLVED, `the objection is ${o.status} already`, facts);
      if (!mayResolveObjection(who)) refuse(R.WRONG_LEVEL, 'objections are resolved at the township or village level', facts);
      if (p.status !== ProcedureStatus.OPEN) refuse(R.PROCEDURE_CLOSED, `the procedure is ${p.status}`, facts);
      await tx.query(
        `UPDATE procedure_objection SET status = $2, resolution = $3, resolved_by = $4, resolved_role = $5, resolved_on = $6, version = version + 1, updated_at = now()
          WHERE id = $1`,
        [id, input.outcome, input.resolution, who.subject, who.role, ctx.today],
      );
      if (input.outcome === ObjectionOutcome.UPHELD) {
        await tx.query(`UPDATE procedure SET status = 'rejected', closed_on = $2, version = version + 1, updated_at = now() WHERE id = $1`, [p.id, ctx.today]);
      }
      return { result: id, entityId: p.id, regionCode: p.villageCode, householdId: p.householdId };
    });
    return typeof result === 'string' ? objectionNode(ctx, result) : result;
  }
}

/**
 * The announcement's effect on the registry: the household gets the procedure's outcome status
 * (with its status event, dated on the service calendar), and an identification records its
 * year and cause. Its own change event (entity Household, field status), as a registry write has.
 */
async function setRegistryStatus(ctx: RequestContext, tx: EntityManager, p: LockedProcedure): Promise<void> {
  const to = outcomeOf(p.kind);
  const identification = p.kind === ProcedureKind.IDENTIFICATION;
  await tx.query(
    `UPDATE household SET status = $2, version = version + 1, updated_at = now()
       ${identification ? `, identification_year = $3, main_cause = $4, identification_standard = coalesce(identification_standard, 'national')` : ''}
      WHERE id = $1`,
    identification ? [p.householdId, to, p.year, p.mainCause] : [p.householdId, to],
  );
  await tx.query(
    `INSERT INTO household_status_event (household_id, county_code, from_status, to_status, occurred_on, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
    [p.householdId, p.countyCode, p.householdStatus, to, ctx.today, `procedure ${p.id} (${p.kind}) announced`],
  );
  const fields = identification ? ['status', 'identificationYear', 'mainCause'] : ['status'];
  await ctx.audit.record(ctx, tx, [{ action: 'update', entity: 'Household', entityId: p.householdId, fields, purpose: `procedure ${p.id}`, outcome: 'success', regionCode: p.villageCode }]);
  await recordChangeEvent(ctx, tx, {
    kind: 'update', entity: 'Household', entityId: p.householdId, householdId: p.householdId, personId: null,
    regionCode: p.villageCode, department: null, fields,
  });
}
