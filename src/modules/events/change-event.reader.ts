import type { Department } from '../../core/vocab';
import type { SqlRunner } from './change-event.writer';

// Reading change events in seq order (internal: the coordination rules and subscriptions that
// come next page through them; there is no GraphQL field). Seq order is commit order
// (change-event.writer.ts), so paging by the last seq seen misses nothing that commits later.

/** One change event as readers see it. */
export interface ChangeEventRow {
  /** Global sequence as decimal text (bigint). */
  seq: string;
  occurredAt: Date;
  entity: string;
  entityId: string;
  householdId: string | null;
  personId: string | null;
  regionCode: string;
  department: Department | null;
  kind: string;
  fields: string[];
  actor: string | null;
  actorRole: string | null;
  requestId: string | null;
  batchId: string | null;
}

/** Most events one call returns. */
export const MAX_EVENTS_PER_READ = 10_000;

const SEQ = /^(0|[1-9]\d{0,18})$/;

/**
 * Events with seq greater than `afterSeq` ('0' for the first page), ascending, at most `limit`
 * (1…MAX_EVENTS_PER_READ). The next page starts after the last seq returned.
 */
export async function eventsSince(db: SqlRunner, afterSeq: string | bigint | number, limit: number): Promise<ChangeEventRow[]> {
  const after = String(afterSeq);
  if (!SEQ.test(after) || BigInt(after) > 9223372036854775807n) throw new RangeError(`eventsSince: seq must be a non-negative integer, got ${after}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_PER_READ) {
    throw new RangeError(`eventsSince: limit must be an integer in 1..${MAX_EVENTS_PER_READ}, got ${limit}`);
  }
  return (await db.query(
    `SELECT e.seq::text AS seq, e.occurred_at AS "occurredAt", e.entity, e.entity_id AS "entityId", e.household_id::text AS "householdId",
            e.person_id::text AS "personId", e.region_code AS "regionCode", e.department::text AS department, e.kind, e.fields,
            e.actor, e.actor_role AS "actorRole", e.request_id AS "requestId", e.batch_id::text AS "batchId"
       FROM change_event e WHERE e.seq > $1::bigint ORDER BY e.seq LIMIT $2`,
    [after, limit],
  )) as ChangeEventRow[];
}
