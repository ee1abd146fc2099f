import type { RequestContext } from '../../core/context';
import type { Department } from '../../core/vocab';

// Writing one change event inside the caller's transaction, and its NOTIFY, in one statement.
//
// Order: `change_event.seq` is an identity (CACHE 1), handed out when the row is inserted. The
// table's statement trigger (migration 1796000000000-CreateChangeEvent) locks the audit chain
// head before the insert takes a seq, and that lock is held until the transaction ends. In
// `mutate` (core/writes.ts) the audit record is appended first, which takes the same lock, so
// there the trigger's lock is already held. Every transaction that inserts events therefore
// holds the head lock from before its first seq to its commit, one after another: a later seq
// belongs to a later commit. (The lock is released only after the commit is visible, so a
// snapshot that sees seq N sees every smaller seq that was ever committed.) A reader paging by
// `eventsSince(lastSeen)` never has an event commit behind it. Rolled-back writes leave gaps in
// seq; gaps are never filled later.

/** The LISTEN/NOTIFY channel; the payload is the event's seq as decimal text. */
export const EVENTS_CHANNEL = 'household_graph_events';

/** What changed, as `mutate` knows it once the write has run. */
export interface ChangeEventEntry {
  /** create | update | end | delete (the audit record's action). */
  kind: 'create' | 'update' | 'end' | 'delete';
  /** GraphQL type name of the changed record ('DibaoEnrolment', 'Person', …). */
  entity: string;
  entityId: string;
  householdId: string | null;
  personId: string | null;
  /** Village code of the household, or the region the change is about. */
  regionCode: string;
  /** Owner department of the changed record; null for registry (core) records. */
  department: Department | null;
  /** Names of the fields written (input field names), never their values. */
  fields: readonly string[];
  /** Import batch that applied the change (imports only). */
  batchId?: string | null;
}

/** Anything that runs a parameterised statement inside the caller's transaction. */
export interface SqlRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are what the statement selects; callers assert their row type
  query(text: string, params?: unknown[]): Promise<any>;
}

/**
 * A field NAME: an identifier, optionally dotted (`utilities.water`), at most 64 characters.
 * Anything else (an amount, an ID number, free text) is refused here as a programming error,
 * so that no value can reach the event table through `fields`.
 */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

// Text PostgreSQL cannot store (NUL, lone surrogates) in a token subject or request id becomes U+FFFD, as in the audit chain.
// eslint-disable-next-line no-control-regex -- NUL is what PostgreSQL text refuses; finding it is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const storable = (s: string | null): string | null => (s === null ? s : s.replace(UNSTORABLE, '\uFFFD'));

/**
 * Inserts the event through `tx` (the change's own transaction) and queues the NOTIFY that
 * PostgreSQL delivers only if, and when, that transaction commits. Returns the event's seq.
 */
export async function recordChangeEvent(ctx: RequestContext, tx: SqlRunner, e: ChangeEventEntry): Promise<string> {
  return recordChangeEvents(ctx, tx, [e]);
}

/**
 * Inserts events through `tx` in one statement, in the order given (seq follows it), and queues
 * one NOTIFY with the last seq. Returns that seq.
 */
export async function recordChangeEvents(ctx: RequestContext, tx: SqlRunner, entries: readonly ChangeEventEntry[]): Promise<string> {
  for (const e of entries) {
    for (const f of e.fields) {
      if (f.length > 64 || !FIELD_NAME.test(f)) throw new Error(`change event ${e.entity}: "fields" must hold field names only`);
    }
  }
  const rows = entries.map((e, n) => ({
    n, entity: e.entity, entity_id: e.entityId, household_id: e.householdId, person_id: e.personId, region_code: e.regionCode,
    department: e.department, kind: e.kind, fields: [...new Set(e.fields)], batch_id: e.batchId ?? null,
  }));
  const [{ seq }] = (await tx.query(
    `WITH e AS (
       INSERT INTO change_event (entity, entity_id, household_id, person_id, region_code, department, kind, fields, actor, actor_role, request_id, batch_id)
       SELECT x.entity, x.entity_id, x.household_id, x.person_id, x.region_code, x.department::department, x.kind, x.fields, $2, $3, $4, x.batch_id
         FROM jsonb_to_recordset($1::jsonb) AS x(n int, entity text, entity_id text, household_id bigint, person_id bigint, region_code text,
              department text, kind text, fields text[], batch_id bigint)
        ORDER BY x.n
       RETURNING seq
     )
     SELECT max(seq)::text AS seq, pg_notify('${EVENTS_CHANNEL}', max(seq)::text) FROM e`,
    [JSON.stringify(rows), storable(ctx.principal?.subject ?? null), ctx.principal?.role ?? null, storable(ctx.requestId)],
  )) as Array<{ seq: string }>;
  return seq;
}
