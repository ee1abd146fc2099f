import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { recordChangeEvents, type ChangeEventEntry } from '../modules/events';
import type { AuditEntry } from './audit-sink';
import type { RequestContext } from './context';
import { classifyDbError } from './db-errors';
import { AppError, badInput, notFound } from './errors';
import { countyScopedPredicate, regionPredicate } from './scope';
import type { Department } from './vocab';

// The write path every mutation takes: one transaction holding the change, its audit record
// and its change event (modules/events); version-checked updates written as SQL (TypeORM's
// save() does not enforce them); scope as a predicate in the statement that finds the row. A
// refused write changes nothing, writes no event, and is itself audited, in its own transaction.

type Outcome = AuditEntry['outcome'];
const OUTCOME_OF: Record<string, Outcome> = {
  CONFLICT: 'conflict', NOT_FOUND: 'not_found', FORBIDDEN: 'forbidden', BAD_USER_INPUT: 'invalid',
  DUPLICATE_ELSEWHERE: 'dup_elsewhere', RATE_LIMITED: 'rate_limited',
};

/**
 * A constraint the database enforced that a check in the service did not catch first (a race
 * between two writers): the caller's error, not ours.
 */
function fromConstraint(err: unknown): AppError | null {
  const code = (err as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (err as { code?: string }).code;
  if (code === '23505') return new AppError('CONFLICT', 'a record with the same identifying key already exists');
  if (code === '23503') return new AppError('BAD_USER_INPUT', 'refers to a record that does not exist');
  if (code === '23514') return new AppError('BAD_USER_INPUT', 'a value is out of range or malformed');
  // A value PostgreSQL cannot take (NUL in text, a year beyond smallint, …): refused and audited.
  const db = classifyDbError(err);
  return db?.code === 'BAD_USER_INPUT' ? new AppError('BAD_USER_INPUT', db.message) : null;
}

/** The audit column holds ids of up to 64 characters; ids are refused past it. */
const MAX_ID_LENGTH = 64;

/** An over-long id as the audit record keeps it: its start and a digest, within 64 characters. */
function auditableId(id: string | null): string | null {
  if (id === null || id.length <= MAX_ID_LENGTH) return id;
  return `${id.slice(0, 40)}…sha256:${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}

/** Where a write lands: the household (and person) it belongs to, inside the caller's scope. */
export interface WriteAnchor {
  householdId: string;
  personId: string | null;
  countyCode: string;
  villageCode: string;
}

/** What a write is about, known before it runs (refusals are audited with it). */
export interface WriteIntent {
  action: AuditEntry['action'];
  /** GraphQL type name of the record ('DibaoEnrolment', 'Person', …). */
  entity: string;
  entityId: string | null;
  /** Names of the fields written (input field names), never their values. */
  fields: string[];
  purpose?: string | null;
  regionCode?: string;
  /** Owner department of the record, for its change event; null or absent for registry (core) records. */
  department?: Department | null;
}

/** What `work` reports once it has written. */
export interface WriteDone<T> {
  result: T;
  entityId: string;
  /** Village code of the household written to (or the region the write is about). */
  regionCode: string;
  /** Household and person the record belongs to, for its change event (null: none). */
  householdId?: string | null;
  personId?: string | null;
  /** Field names the change event lists, when they differ from the intent's `fields`. */
  fields?: string[];
  /**
   * Further records the same write changed (a verified measure sets its village's and
   * households' utilities): their change events follow the main one, under the same lock.
   */
  alsoChanged?: ChangeEventEntry[];
}

/**
 * Runs `work` in one transaction with its audit record and its change event. `what` names
 * what is written (entity, id, fields) before `work` runs; `work` reports the id, region,
 * household and person once it has. The event is inserted after the audit record: the audit
 * append holds the chain-head lock until commit, so the event's seq is taken under that lock
 * and seq order is commit order (modules/events/change-event.writer.ts).
 */
export async function mutate<T>(
  ctx: RequestContext,
  what: WriteIntent,
  work: (tx: EntityManager) => Promise<WriteDone<T>>,
): Promise<T> {
  try {
    if (what.entityId !== null && what.entityId.length > MAX_ID_LENGTH) throw badInput('id', `must be at most ${MAX_ID_LENGTH} characters`);
    return await ctx.db.transaction(async (tx) => {
      const done = await work(tx).catch((err: unknown) => {
        throw fromConstraint(err) ?? err;
      });
      const { department: _department, ...audited } = what;
      await ctx.audit.record(ctx, tx, [{ ...audited, entityId: done.entityId, regionCode: done.regionCode, outcome: 'success' }]);
      if (what.action !== 'read') {
        // The change's own event, then any others it made (one statement whatever their number).
        await recordChangeEvents(ctx, tx, [{
          kind: what.action, entity: what.entity, entityId: done.entityId, householdId: done.householdId ?? null, personId: done.personId ?? null,
          regionCode: done.regionCode, department: what.department ?? null, fields: done.fields ?? what.fields,
        }, ...(done.alsoChanged ?? [])]);
      }
      return done.result;
    });
  } catch (err) {
    const code = err instanceof AppError ? String(err.extensions.code) : undefined;
    const outcome = code ? OUTCOME_OF[code] : undefined;
    if (outcome) {
      const { department: _department, ...audited } = what;
      await ctx.db.transaction((tx) =>
        ctx.audit.record(ctx, tx, [{ ...audited, entityId: auditableId(what.entityId), regionCode: what.regionCode ?? ctx.principal?.scope ?? '', outcome }]),
      );
    }
    throw err;
  }
}

/** The household `id` inside scope, locked against concurrent deletion; NOT_FOUND otherwise. */
export async function householdAnchor(ctx: RequestContext, tx: EntityManager, householdId: string): Promise<WriteAnchor> {
  if (!/^\d{1,18}$/.test(householdId)) throw notFound('household');
  const scope = regionPredicate(ctx.scope, 'h.village_code', 2);
  const rows: Array<{ countyCode: string; villageCode: string }> = await tx.query(
    `SELECT h.county_code AS "countyCode", h.village_code AS "villageCode" FROM household h
      WHERE h.id = $1 AND ${scope.sql} FOR SHARE`,
    [householdId, ...scope.params],
  );
  if (!rows.length) throw notFound('household');
  return { householdId, personId: null, ...rows[0] };
}

/** The person `id` inside scope with their household; NOT_FOUND otherwise. */
export async function personAnchor(ctx: RequestContext, tx: EntityManager, personId: string): Promise<WriteAnchor> {
  if (!/^\d{1,18}$/.test(personId)) throw notFound('person');
  const scope = regionPredicate(ctx.scope, 'p.village_code', 2);
  const rows: Array<{ householdId: string; countyCode: string; villageCode: string }> = await tx.query(
    `SELECT p.household_id::text AS "householdId", p.county_code AS "countyCode", p.village_code AS "villageCode" FROM person p
      WHERE p.id = $1 AND ${scope.sql} FOR SHARE`,
    [personId, ...scope.params],
  );
  if (!rows.length) throw notFound('person');
  return { personId, ...rows[0] };
}

/** Inserts one row of `values` (column → value) and returns its id. */
export async function insertRow(tx: EntityManager, table: string, values: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(values);
  const rows: Array<{ id: string }> = await tx.query(
    `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id::text AS id`,
    Object.values(values),
  );
  return rows[0].id;
}

/**
 * `UPDATE … WHERE id = $1 AND version = $2` inside scope, bumping the version. No row: the
 * record is missing or out of scope (NOT_FOUND, the same answer for both) or was changed since
 * the caller read it (CONFLICT).
 */
export async function updateVersioned(
  ctx: RequestContext,
  tx: EntityManager,
  target: { table: string; entity: string; id: string; version: number },
  set: Record<string, unknown>,
): Promise<{ householdId: string; personId: string | null; villageCode: string }> {
  if (!/^\d{1,18}$/.test(target.id)) throw notFound(target.entity);
  const columns = Object.keys(set);
  const scope = countyScopedPredicate(ctx.scope, 'f', 3 + columns.length);
  const assignments = columns.map((c, i) => `"${c}" = $${i + 3}`);
  // Wrapped in a CTE: TypeORM answers a bare UPDATE with [rows, rowCount], not the rows, which
  // would read as "one row updated" whether or not the version matched.
  // person_id through the row's JSON: household facets have no such column and answer null.
  const rows: Array<{ householdId: string; personId: string | null; villageCode: string }> = await tx.query(
    `WITH updated AS (
       UPDATE ${target.table} f SET ${[...assignments, 'version = f.version + 1', 'updated_at = now()'].join(', ')}
         FROM household h
        WHERE f.id = $1 AND f.version = $2 AND h.id = f.household_id AND ${scope.sql}
        RETURNING f.household_id::text AS "householdId", to_jsonb(f) ->> 'person_id' AS "personId", h.village_code AS "villageCode"
     ) SELECT * FROM updated`,
    [target.id, target.version, ...Object.values(set), ...scope.params],
  );
  if (rows.length) return rows[0];
  const probe = countyScopedPredicate(ctx.scope, 'f', 2);
  const existing: Array<{ version: number }> = await tx.query(
    `SELECT f.version FROM ${target.table} f WHERE f.id = $1 AND ${probe.sql}`,
    [target.id, ...probe.params],
  );
  if (!existing.length) throw notFound(target.entity);
  throw new AppError('CONFLICT', `${target.entity} ${target.id} was changed by someone else (now at version ${existing[0].version}); reload it and try again`, {
    currentVersion: existing[0].version,
  });
}

/** Refuses `end` before `start` (both ISO dates), naming the field. */
export function assertDateOrder(start: string | null | undefined, end: string | null | undefined, endField: string): void {
  if (start && end && end < start) throw badInput(endField, `must not be before ${start}`);
}

/** Drops undefined entries, so a patch sets only what the caller sent. */
export function definedOnly(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
