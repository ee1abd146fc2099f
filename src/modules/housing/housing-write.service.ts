import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { padCode, regionPredicate } from '../../core/scope';
import { Department, WorkStatus } from '../../core/vocab';
import { assertDateWithin, assertPatch, assertYearWithin, patchVersioned, readBack } from '../../core/write-checks';
import { definedOnly, householdAnchor, insertRow, mutate } from '../../core/writes';
import { relocationById } from './housing.loaders';
import type { CreateRelocationInput, UpdateRelocationInput } from './housing.inputs';
import type { RelocationNode } from './housing.types';

// Writes of 住建 housing kept by hand: 易地扶贫搬迁 relocations, whose destination must be a
// division inside the caller's scope (appraisals and renovations derive from housing.facets.ts),
// each in one transaction with its audit record (core/writes.ts), only on households inside the
// caller's scope.

const RELOCATION = { table: 'relocation', entity: 'Relocation' } as const;
/** How many years ahead a relocation may be planned (one five-year plan). */
const PLAN_AHEAD_YEARS = 5;

/** A move-in date not in the future; COMPLETED needs one, PLANNED has none. */
function checkRelocation(ctx: RequestContext, r: { status: WorkStatus; plannedYear: number; movedOn: string | null }): void {
  assertYearWithin(ctx, r.plannedYear, 'input.plannedYear', PLAN_AHEAD_YEARS);
  assertDateWithin(ctx, r.movedOn, 'input.movedOn');
  if (r.status === WorkStatus.COMPLETED && !r.movedOn) throw badInput('input.movedOn', 'is required when the status is COMPLETED');
  if (r.status === WorkStatus.PLANNED && r.movedOn) throw badInput('input.movedOn', 'must be empty while the relocation is PLANNED');
}

/** The 12-digit code of an existing county, township or village inside the caller's scope. */
async function destination(ctx: RequestContext, tx: EntityManager, code: string): Promise<string> {
  const padded = code.length === 12 ? code : padCode(code);
  const scope = regionPredicate(ctx.scope, 'r.code', 2);
  const rows: unknown[] = await tx.query(
    `SELECT 1 FROM region r WHERE r.code = $1 AND r.level IN ('county', 'township', 'village') AND ${scope.sql}`,
    [padded, ...scope.params],
  );
  if (!rows.length) throw badInput('input.destinationCode', 'is not a county, township or village inside your scope');
  return padded;
}

/** Owner department of every record written here (change events). */
const OWNER = Department.HOUSING;

export class HousingWriteService {
  static async createRelocation(ctx: RequestContext, householdId: string, input: CreateRelocationInput): Promise<RelocationNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: RELOCATION.entity, entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = await householdAnchor(ctx, tx, householdId);
      checkRelocation(ctx, { status: input.status, plannedYear: input.plannedYear, movedOn: input.movedOn ?? null });
      const destinationCode = await destination(ctx, tx, input.destinationCode);
      const newId = await insertRow(tx, RELOCATION.table, {
        household_id: householdId, county_code: anchor.countyCode, destination_code: destinationCode, settlement_mode: input.settlementMode,
        planned_year: input.plannedYear, moved_on: input.movedOn ?? null, subsidy_amount: input.subsidyAmount, status: input.status,
      });
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId: anchor.householdId, personId: anchor.personId };
    });
    return readBack(ctx, relocationById, id, RELOCATION.entity);
  }

  static async updateRelocation(ctx: RequestContext, id: string, version: number, patch: UpdateRelocationInput): Promise<RelocationNode> {
    await mutate(ctx, { department: OWNER, action: 'update', entity: RELOCATION.entity, entityId: id, fields: Object.keys(definedOnly({ ...patch })) }, async (tx) => {
      assertPatch(patch, ['movedOn']);
      const destinationCode = patch.destinationCode === undefined ? undefined : await destination(ctx, tx, patch.destinationCode);
      const set = definedOnly({
        destination_code: destinationCode, settlement_mode: patch.settlementMode, planned_year: patch.plannedYear,
        moved_on: patch.movedOn, subsidy_amount: patch.subsidyAmount, status: patch.status,
      });
      const { after, householdId, personId, villageCode } = await patchVersioned<{ status: WorkStatus; plannedYear: number; movedOn: string | null }>(
        ctx, tx, { ...RELOCATION, id, version }, set, 'f.status, f.planned_year AS "plannedYear", f.moved_on AS "movedOn"',
      );
      checkRelocation(ctx, after);
      return { result: id, entityId: id, regionCode: villageCode, householdId, personId };
    });
    return readBack(ctx, relocationById, id, RELOCATION.entity);
  }
}
