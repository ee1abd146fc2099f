import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { AppError, badInput } from '../../core/errors';
import { regionPredicate } from '../../core/scope';

// Uniqueness checks without an oracle (issue 7 §2). ID numbers are nationally unique in 建档立卡,
// so a registration checks them against every region; but the answer about a record outside the
// caller's scope says only "registered elsewhere" (DUPLICATE_ELSEWHERE: one code and one message,
// whatever the region), is audited (core/writes.ts maps the code to the `dup_elsewhere`
// outcome), and is rate-limited per caller, so that it cannot be used to sweep ID numbers.

/** The default of DUPLICATE_ELSEWHERE_PER_HOUR (core/config.ts), until main.ts sets it. */
let perHour = 10;

/** Sets the per-caller hourly limit of DUPLICATE_ELSEWHERE refusals (config DUPLICATE_ELSEWHERE_PER_HOUR). */
export function setDuplicateElsewhereLimit(limit: number): void {
  perHour = limit;
}

/** The current per-caller hourly limit of DUPLICATE_ELSEWHERE answers. */
export const duplicateElsewhereLimit = (): number => perHour;

/**
 * DUPLICATE_ELSEWHERE answers a caller ($1) had since $2: refused GraphQL registrations (audit
 * records) plus registry-import rows rejected so (import_reject of the caller's batches, applied
 * or not). One count for both ways in, so an import cannot probe past the GraphQL limit.
 */
export const DUPLICATE_ELSEWHERE_COUNT_SQL = `SELECT (
    (SELECT count(*) FROM audit_record WHERE subject = $1 AND outcome = 'dup_elsewhere' AND occurred_at > $2::timestamptz)
  + (SELECT count(*) FROM import_reject r JOIN import_batch b ON b.id = r.batch_id
      WHERE b.subject = $1 AND b.finished_at > $2::timestamptz AND r.code = 'DUPLICATE_ELSEWHERE'))::int AS n`;

/**
 * Refuses every registration by a caller who has had `perHour` DUPLICATE_ELSEWHERE refusals in
 * the last hour (RATE_LIMITED, itself audited). Counted from the audit log: the same on every
 * instance, and nothing to keep in memory. Concurrent attempts may pass the limit by as many
 * as run at once (the refusals commit in their own transactions).
 */
export async function checkRegistrationRate(ctx: RequestContext, tx: EntityManager): Promise<void> {
  const subject = ctx.principal?.subject;
  if (!subject) return;
  const [row]: Array<{ n: number }> = await tx.query(DUPLICATE_ELSEWHERE_COUNT_SQL, [subject, new Date(Date.now() - 3_600_000).toISOString()]);
  if (row.n >= perHour) {
    throw new AppError('RATE_LIMITED', 'Too many registrations refused as registered elsewhere in the last hour; try again later');
  }
}

/**
 * Refuses `value` when a row of `table` already has it in `column`: inside the caller's scope
 * BAD_USER_INPUT naming the field (the caller can look the record up), outside it
 * DUPLICATE_ELSEWHERE, which never says where.
 */
export async function refuseDuplicate(
  ctx: RequestContext,
  tx: EntityManager,
  what: { table: 'person' | 'household'; column: 'id_number' | 'number'; value: string; field: string; inScopeMessage: string },
): Promise<void> {
  const scope = regionPredicate(ctx.scope, 'x.village_code', 2);
  const rows: Array<{ inside: boolean }> = await tx.query(
    `SELECT (${scope.sql}) AS inside FROM ${what.table} x WHERE x.${what.column} = $1`,
    [what.value, ...scope.params],
  );
  if (!rows.length) return;
  if (rows.some((r) => r.inside)) throw badInput(what.field, what.inScopeMessage);
  throw new AppError('DUPLICATE_ELSEWHERE', `${what.field}: is already registered outside your scope (numbers are nationally unique); ask the office that holds it`, {
    field: what.field,
  });
}
