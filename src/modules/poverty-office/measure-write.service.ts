import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { regionPredicate, stripPadding, targetScopedPredicate } from '../../core/scope';
import { Department, MeasureKind, WorkStatus } from '../../core/vocab';
import { assertPatch, assertYearWithin, readBack } from '../../core/write-checks';
import { definedOnly, householdAnchor, insertRow, mutate } from '../../core/writes';
import { isLegalMeasureMove, MeasureStage, STAGE_OF_STATUS, STATUS_OF_STAGE } from './measure-stage';
import { illegalMeasureMove, IllegalTransition, sameActorVerification, SameActorVerification, TransitionRefused } from './measure-transition.types';
import { applyVerifiedUtilities, checkUtilities, writeBeneficiaries } from './measure-utilities';
import { assertNoPersonalDetails } from './personal-details';
import { measureById } from './poverty-office.loaders';
import type { CreateMeasureInput, MeasureTransitionInput, UpdateMeasureInput } from './poverty-office.inputs';
import type { MeasureNode } from './poverty-office.types';

// Measures (帮扶措施) of 扶贫办 the poverty office and coordinators: for a household or a village,
// moved through their stages (measure-stage.ts) by `transitionMeasure`, every write in one
// transaction with its audit record and change event (core/writes.ts).

const MEASURE = { table: 'measure', entity: 'Measure' } as const;
/** How many years ahead a measure may be planned. */
const MEASURE_AHEAD_YEARS = 2;
const OWNER = Department.POVERTY_OFFICE;

/** Where a measure lands: its county and village, and its household (null: a village measure). */
interface Target {
  countyCode: string;
  villageCode: string;
  householdId: string | null;
}

/** The village `code` inside scope (a village measure's target); NOT_FOUND otherwise. */
async function villageTarget(ctx: RequestContext, tx: EntityManager, code: string): Promise<Target> {
  if (!/^\d{12}$/.test(code)) throw notFound('village');
  const scope = regionPredicate(ctx.scope, 'v.code', 2);
  const rows: Array<{ countyCode: string }> = await tx.query(
    `SELECT v.county_code AS "countyCode" FROM village v WHERE v.code = $1 AND ${scope.sql} FOR SHARE`,
    [code, ...scope.params],
  );
  if (!rows.length) throw notFound('village');
  return { countyCode: rows[0].countyCode, villageCode: code, householdId: null };
}

/**
 * "Funds follow the projects": an allocation a measure names belongs to a project of the
 * measure's county, located in the measure's village or a division containing it.
 */
async function assertFundAllocation(tx: EntityManager, target: Target, allocationId: string | null | undefined): Promise<void> {
  if (allocationId == null) return;
  const rows: Array<{ regionCode: string }> = await tx.query(
    `SELECT p.region_code AS "regionCode" FROM fund_allocation a JOIN project p ON p.id = a.project_id
      WHERE a.id = $1 AND p.county_code = $2 FOR UPDATE OF a`,
    [allocationId, target.countyCode],
  );
  if (!rows.length) throw badInput('input.fundAllocationId', "is not a fund allocation of the measure's county");
  if (!target.villageCode.startsWith(stripPadding(rows[0].regionCode))) {
    throw badInput('input.fundAllocationId', "belongs to a project outside the measure's village and township");
  }
}

/**
 * "Supervision follows the funds": the measures charged to an allocation (cancelled ones aside)
 * spend at most its amount. Writers charging one allocation hold its row lock
 * (assertFundAllocation, lockAllocation), so they are checked one after another.
 */
async function assertWithinAllocation(tx: EntityManager, allocationId: string | null | undefined): Promise<void> {
  if (allocationId == null) return;
  const [r]: Array<{ amount: number; charged: number; over: boolean }> = await tx.query(
    `SELECT a.amount::float8 AS amount, coalesce(sum(m.amount), 0)::float8 AS charged, coalesce(sum(m.amount), 0) > a.amount AS over
       FROM fund_allocation a LEFT JOIN measure m ON m.fund_allocation_id = a.id AND m.status <> 'cancelled'
      WHERE a.id = $1 GROUP BY a.id, a.amount`,
    [allocationId],
  );
  if (r?.over) throw badInput('input.amount', `the measures charged to fund allocation ${allocationId} would spend ${r.charged} yuan of its ${r.amount}`);
}

/** Shape checks of a new measure (a state, not a move: it starts PLANNED or UNDERWAY). */
function checkNew(ctx: RequestContext, input: CreateMeasureInput): void {
  assertYearWithin(ctx, input.year, 'input.year', MEASURE_AHEAD_YEARS);
  if (input.status !== WorkStatus.PLANNED && input.status !== WorkStatus.UNDERWAY) {
    throw badInput('input.status', 'a new measure is PLANNED or UNDERWAY; completion is a move (transitionMeasure), verified by someone else');
  }
  assertNoPersonalDetails('input.evidence', input.evidence);
}

/** The measure row `id` inside scope, locked for the rest of the transaction; NOT_FOUND otherwise. */
async function lockMeasure(ctx: RequestContext, tx: EntityManager, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw notFound(MEASURE.entity);
  const scope = targetScopedPredicate(ctx.scope, 'f', 2);
  const rows: Array<{
    version: number; status: WorkStatus; verified: boolean; completedBy: string | null; kind: string; providesUtilities: boolean; fundAllocationId: string | null;
    countyCode: string; villageCode: string; householdId: string | null;
  }> = await tx.query(
    `SELECT f.version, f.status, f.verified_at IS NOT NULL AS verified, f.completed_by AS "completedBy", f.kind, f.county_code AS "countyCode",
            cardinality(f.utilities) > 0 AS "providesUtilities", f.fund_allocation_id::text AS "fundAllocationId",
            COALESCE(f.village_code, (SELECT h.village_code FROM household h WHERE h.id = f.household_id)) AS "villageCode",
            f.household_id::text AS "householdId"
       FROM measure f WHERE f.id = $1 AND ${scope.sql} FOR UPDATE OF f`,
    [id, ...scope.params],
  );
  if (!rows.length) throw notFound(MEASURE.entity);
  const row = rows[0];
  return { ...row, stage: row.verified ? MeasureStage.VERIFIED : STAGE_OF_STATUS[row.status] };
}

/** A stale version (the caller read an older measure) is a CONFLICT naming the current one; checked before any rule. */
function assertVersion(id: string, version: number, current: number): void {
  if (version !== current) {
    throw new AppError('CONFLICT', `${MEASURE.entity} ${id} was changed by someone else (now at version ${current}); reload it and try again`, { currentVersion: current });
  }
}

/** Sets `set` on a measure locked by `lockMeasure`, bumping its version. */
async function writeMeasure(tx: EntityManager, id: string, set: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(set);
  await tx.query(
    `UPDATE measure SET ${[...columns.map((c, i) => `"${c}" = $${i + 2}`), 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`,
    [id, ...Object.values(set)],
  );
}

/** Columns set when a measure moves to `to` by the caller. */
function stampsOf(ctx: RequestContext, to: MeasureStage): Record<string, unknown> {
  const subject = ctx.principal?.subject ?? null;
  if (to === MeasureStage.COMPLETED) return { status: WorkStatus.COMPLETED, completed_by: subject, completed_at: new Date() };
  if (to === MeasureStage.VERIFIED) return { verified_by: subject, verified_at: new Date() };
  return { status: STATUS_OF_STAGE[to] };
}

export class MeasureWriteService {
  /** A measure for a household in scope. */
  static createMeasure(ctx: RequestContext, householdId: string, input: CreateMeasureInput): Promise<MeasureNode> {
    return MeasureWriteService.create(ctx, input, async (tx) => {
      const anchor = await householdAnchor(ctx, tx, householdId);
      return { countyCode: anchor.countyCode, villageCode: anchor.villageCode, householdId };
    });
  }

  /** A village measure (村级措施, e.g. a road or a water works) for a village in scope. */
  static createVillageMeasure(ctx: RequestContext, villageCode: string, input: CreateMeasureInput): Promise<MeasureNode> {
    return MeasureWriteService.create(ctx, input, (tx) => villageTarget(ctx, tx, villageCode));
  }

  private static async create(ctx: RequestContext, input: CreateMeasureInput, targetOf: (tx: EntityManager) => Promise<Target>): Promise<MeasureNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: MEASURE.entity, entityId: null, fields: Object.keys(definedOnly({ ...input })) }, async (tx) => {
      const target = await targetOf(tx);
      checkNew(ctx, input);
      checkUtilities(input.kind, target.householdId === null, input.utilities, input.beneficiaryHouseholdIds);
      await assertFundAllocation(tx, target, input.fundAllocationId);
      const newId = await insertRow(tx, MEASURE.table, {
        household_id: target.householdId, village_code: target.householdId ? null : target.villageCode, county_code: target.countyCode,
        kind: input.kind, department: input.department, status: input.status, amount: input.amount, year: input.year,
        description: input.description.trim(), responsible_unit: input.responsibleUnit?.trim() ?? null, evidence: input.evidence ?? null,
        fund_allocation_id: input.fundAllocationId ?? null, utilities: [...new Set(input.utilities ?? [])],
      });
      await writeBeneficiaries(tx, newId, target.villageCode, target.countyCode, input.beneficiaryHouseholdIds ?? []);
      await assertWithinAllocation(tx, input.fundAllocationId);
      return { result: newId, entityId: newId, regionCode: target.villageCode, householdId: target.householdId };
    });
    return readBack(ctx, measureById, id, MEASURE.entity);
  }

  /**
   * Changes a measure's facts. A status change must be a legal move (VERIFIED only through
   * transitionMeasure); a verified measure is closed (CONFLICT).
   */
  static async updateMeasure(ctx: RequestContext, id: string, version: number, patch: UpdateMeasureInput): Promise<MeasureNode> {
    await mutate(ctx, { department: OWNER, action: 'update', entity: MEASURE.entity, entityId: id, fields: Object.keys(definedOnly({ ...patch })) }, async (tx) => {
      assertPatch(patch, ['responsibleUnit', 'evidence', 'fundAllocationId']);
      assertYearWithin(ctx, patch.year, 'input.year', MEASURE_AHEAD_YEARS);
      assertNoPersonalDetails('input.evidence', patch.evidence);
      const row = await lockMeasure(ctx, tx, id);
      assertVersion(id, version, row.version);
      if (row.stage === MeasureStage.VERIFIED) throw new AppError('CONFLICT', `${MEASURE.entity} ${id} is verified (已验收) and closed to changes`);
      if (patch.kind !== undefined && patch.kind !== MeasureKind.INFRASTRUCTURE && row.providesUtilities) {
        throw badInput('input.kind', 'the measure provides utilities (六到农家): only an INFRASTRUCTURE measure does');
      }
      let stamps: Record<string, unknown> = {};
      if (patch.status !== undefined && patch.status !== row.status) {
        const to = STAGE_OF_STATUS[patch.status];
        if (!isLegalMeasureMove(row.stage, to)) throw badInput('input.status', illegalMeasureMove(row.stage, to).message);
        stamps = stampsOf(ctx, to);
      }
      const target = { countyCode: row.countyCode, villageCode: row.villageCode, householdId: row.householdId };
      await assertFundAllocation(tx, target, patch.fundAllocationId);
      const allocation = patch.fundAllocationId !== undefined ? patch.fundAllocationId : row.fundAllocationId;
      if (patch.fundAllocationId === undefined && allocation !== null) await tx.query('SELECT 1 FROM fund_allocation WHERE id = $1 FOR UPDATE', [allocation]);
      await writeMeasure(tx, id, definedOnly({
        kind: patch.kind, department: patch.department, status: patch.status, amount: patch.amount, year: patch.year,
        description: patch.description?.trim(), responsible_unit: patch.responsibleUnit === null ? null : patch.responsibleUnit?.trim(),
        evidence: patch.evidence, fund_allocation_id: patch.fundAllocationId, ...stamps,
      }));
      await assertWithinAllocation(tx, allocation);
      return { result: id, entityId: id, regionCode: row.villageCode, householdId: row.householdId };
    });
    return readBack(ctx, measureById, id, MEASURE.entity);
  }

  /**
   * Moves a measure to its next stage. A move the machine does not allow answers
   * IllegalTransition; verifying a measure the caller completed answers SameActorVerification.
   * Both roll back and are audited as refused (outcome 'conflict'). Verifying an infrastructure
   * measure sets the utilities it names on its village and households in the same transaction.
   */
  static async transitionMeasure(
    ctx: RequestContext, id: string, version: number, input: MeasureTransitionInput,
  ): Promise<MeasureNode | IllegalTransition | SameActorVerification> {
    const fields = ['stage', ...(input.evidence != null ? ['evidence'] : [])];
    try {
      await mutate(ctx, { department: OWNER, action: 'update', entity: MEASURE.entity, entityId: id, fields }, async (tx) => {
        assertNoPersonalDetails('input.evidence', input.evidence);
        const row = await lockMeasure(ctx, tx, id);
        assertVersion(id, version, row.version);
        if (!isLegalMeasureMove(row.stage, input.to)) throw illegalMeasureMove(row.stage, input.to);
        // A completion recorded outside the API (seeded, imported) names nobody: anyone else may verify it.
        if (input.to === MeasureStage.VERIFIED && row.completedBy !== null && row.completedBy === ctx.principal?.subject) throw sameActorVerification();
        await writeMeasure(tx, id, { ...stampsOf(ctx, input.to), ...(input.evidence != null ? { evidence: input.evidence } : {}) });
        // 六到农家: a verified infrastructure measure sets the utilities it names, in this transaction.
        const alsoChanged = input.to === MeasureStage.VERIFIED ? await applyVerifiedUtilities(tx, id) : [];
        return { result: id, entityId: id, regionCode: row.villageCode, householdId: row.householdId, alsoChanged };
      });
    } catch (err) {
      if (err instanceof TransitionRefused) return err.result as IllegalTransition | SameActorVerification;
      throw err;
    }
    return readBack(ctx, measureById, id, MEASURE.entity);
  }
}
