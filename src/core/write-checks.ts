import type { EntityManager } from 'typeorm';
import type { RequestContext } from './context';
import { AppError, badInput, notFound } from './errors';
import type { LoaderFactory } from './loaders';
import { countyScopedPredicate } from './scope';
import { updateVersioned } from './writes';

// Checks the department write services share (on top of core/writes.ts): dates that must have
// happened or may lie only a little ahead, patches that change something and null nothing
// required, and a version-checked patch that hands back the record before and after, so that
// a service can check the result as a whole; a check that throws rolls the transaction back.

/** The ISO date `days` after `from` (negative: before). */
export function addDays(from: string, days: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Refuses a date later than today plus `aheadDays` (0: the event must already have happened)
 * or earlier than 1980 (no record of this programme is older).
 */
export function assertDateWithin(ctx: RequestContext, date: string | null | undefined, field: string, aheadDays = 0): void {
  if (!date) return;
  const latest = addDays(ctx.today, aheadDays);
  if (date > latest) throw badInput(field, aheadDays === 0 ? 'must not be in the future' : `must not be later than ${latest}`);
  if (date < '1980-01-01') throw badInput(field, 'must not be before 1980-01-01');
}

/** Refuses a year after this year plus `aheadYears` (the lower bound is the input's @Min). */
export function assertYearWithin(ctx: RequestContext, year: number | null | undefined, field: string, aheadYears: number): void {
  if (year == null) return;
  const latest = Number(ctx.today.slice(0, 4)) + aheadYears;
  if (year > latest) throw badInput(field, `must not be later than ${latest}`);
}

/**
 * A patch (omitted fields stay as they are) must change something, and may set null only on
 * the fields listed as clearable: GraphQL cannot express "optional but not null".
 */
export function assertPatch(patch: object, clearable: readonly string[] = []): void {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (!entries.length) throw badInput('input', 'names nothing to change');
  for (const [key, value] of entries) {
    if (value === null && !clearable.includes(key)) throw badInput(`input.${key}`, 'cannot be cleared');
  }
}

/**
 * `updateVersioned` with the record as it was and as it now is (`columns`: a select list on
 * alias `f`). `before` is read and locked inside the caller's scope, ahead of the scoped,
 * version-checked UPDATE, and used only once that UPDATE has succeeded.
 */
export async function patchVersioned<R>(
  ctx: RequestContext,
  tx: EntityManager,
  target: { table: string; entity: string; id: string; version: number },
  set: Record<string, unknown>,
  columns: string,
): Promise<{ before: R; after: R; householdId: string; personId: string | null; villageCode: string }> {
  if (!/^\d{1,18}$/.test(target.id)) throw notFound(target.entity);
  const select = `SELECT ${columns} FROM ${target.table} f WHERE f.id = $1`;
  // Scoped like the UPDATE: a record outside the scope is neither locked nor waited for, as a
  // missing one is not (waiting on someone else's lock would tell the caller that it exists).
  const scope = countyScopedPredicate(ctx.scope, 'f', 2);
  const [before]: R[] = await tx.query(`${select} AND ${scope.sql} FOR UPDATE`, [target.id, ...scope.params]);
  const anchor = await updateVersioned(ctx, tx, target, set);
  const [after]: R[] = await tx.query(select, [target.id]);
  return { before, after, ...anchor };
}

/** The record `id` read back through its `<facet>ById` loader after a committed write. */
export async function readBack<T>(ctx: RequestContext, loader: LoaderFactory<string, T | null>, id: string, entity: string): Promise<T> {
  const byId = ctx.loaders.get(loader);
  byId.clear(id);
  const record = await byId.load(id);
  if (!record) throw notFound(entity);
  return record;
}

/**
 * Serialises the writers that check one rule over several rows (no two open 低保 enrolments of
 * household 7, say) until the transaction ends: the check that follows sees every earlier
 * writer's committed rows.
 */
export async function lockRule(tx: EntityManager, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

/**
 * The shared side of a coarse rule lock (`<lock>:county:<county>`) that a bulk import takes
 * exclusively (FacetDeclaration.importRules.lock): single writers do not wait for each other
 * on it, but none runs while an import of its county checks and writes the same rule.
 */
export async function lockRuleShared(tx: EntityManager, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [key]);
}

/**
 * Runs `work` (an INSERT or UPDATE) and turns a unique-index violation into `error`, so that
 * the index stays the one judge of uniqueness (no check-then-write race) and the caller still
 * learns which field collided. The transaction is aborted either way.
 */
export async function uniqueOr<T>(work: Promise<T>, error: () => AppError): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const code = (err as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (err as { code?: string }).code;
    if (code === '23505') throw error();
    throw err;
  }
}

/** Yuan as integer fen (分), so that sums of two-decimal amounts compare exactly. */
export const fen = (yuan: number): number => Math.round(yuan * 100);
