import type { AuditEntry } from '../../core/audit-sink';
import type { RequestContext } from '../../core/context';
import { auditRecordHash, GENESIS_HASH, type AuditContent } from './audit-hash';
import { chainIdentity, highestCheckpoint, type AuditCheckpoint, type CheckpointAnchor } from './audit-checkpoint';

// The hash chain: appending (inside the caller's transaction) and verifying (streamed in seq
// order). Appends lock the one chain-head row, so concurrent appends queue behind each other
// and every record links to exactly one predecessor; the head also remembers the newest seq
// and hash, so that removing the newest records is a gap like any other. The head lives in the
// same database, so the verifier also holds the chain to signed checkpoints kept outside it
// (audit-checkpoint.ts): a head moved back behind one, or a wiped table, is reported too.

export type { AuditEntry };

/** Anything that runs a parameterised statement: a transaction's EntityManager, or `Db`. */
export interface SqlRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are what the statement selects; callers assert their row type
  query(text: string, params?: unknown[]): Promise<any>;
}

// Rows per INSERT: 10 parameters a row stays far below PostgreSQL's 65,535.
const INSERT_CHUNK = 1000;

// What PostgreSQL stores must be what was hashed: text cannot hold NUL, and UTF-8 turns a lone
// surrogate into U+FFFD on the way in, so both become U+FFFD before hashing.
// eslint-disable-next-line no-control-regex -- NUL is what PostgreSQL text refuses; finding it is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const storable = <T extends string | null>(s: T): T => (s === null ? s : (s.replace(UNSTORABLE, '\uFFFD') as T));

/**
 * Appends `entries` to the chain through `tx` (the caller's open transaction): locks the
 * chain head, hashes each record onto the previous one, inserts, moves the head. Everything
 * commits or rolls back with the caller's transaction.
 */
export async function appendAuditRecords(ctx: RequestContext, tx: SqlRunner, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const heads = (await tx.query(
    'SELECT last_seq::text AS "lastSeq", last_hash AS "lastHash" FROM audit_chain_head WHERE id = 1 FOR UPDATE',
  )) as Array<{ lastSeq: string; lastHash: string }>;
  if (!heads.length) throw new Error('audit_chain_head has no row: the audit migration has not run');
  // Taken after the lock, so that time and chain order agree on one server.
  const shared = {
    occurredAt: new Date().toISOString(),
    subject: storable(ctx.principal?.subject ?? null),
    role: ctx.principal?.role ?? null,
    department: ctx.principal?.department ?? null,
    requestId: storable(ctx.requestId),
  };
  let seq = BigInt(heads[0].lastSeq);
  let prevHash = heads[0].lastHash;
  const records = entries.map((e) => {
    seq += 1n;
    const content: AuditContent = {
      ...shared,
      seq: seq.toString(),
      action: e.action,
      entity: storable(e.entity),
      entityId: storable(e.entityId),
      fields: e.fields.map((f) => storable(f)),
      purpose: storable(e.purpose ?? null),
      outcome: e.outcome,
      regionCode: e.regionCode,
      prevHash,
    };
    prevHash = auditRecordHash(content);
    return { ...content, hash: prevHash };
  });

  for (let start = 0; start < records.length; start += INSERT_CHUNK) {
    const chunk = records.slice(start, start + INSERT_CHUNK);
    const last = chunk[chunk.length - 1];
    // $1–$5: the values every record of one call shares; $6, $7: the new head; then 10 a row.
    const params: unknown[] = [shared.occurredAt, shared.subject, shared.role, shared.department, shared.requestId, last.seq, last.hash];
    const values = chunk.map((r) => {
      const n = params.push(r.seq, r.action, r.entity, r.entityId, r.fields, r.purpose, r.outcome, r.regionCode, r.prevHash, r.hash);
      const p = (i: number) => `$${n - 10 + i}`;
      return `(${p(1)}::bigint, $1::timestamptz, $2, $3, $4, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}::text[], ${p(6)}, $5, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)})`;
    });
    await tx.query(
      `WITH appended AS (
         INSERT INTO audit_record (seq, occurred_at, subject, role, department, action, entity, entity_id, fields, purpose, request_id, outcome, region_code, prev_hash, hash)
         VALUES ${values.join(', ')}
       )
       UPDATE audit_chain_head SET last_seq = $6::bigint, last_hash = $7, updated_at = now() WHERE id = 1`,
      params,
    );
  }
}

/** What the verifier found wrong with one record or one run of records. */
export interface AuditChainFinding {
  /**
   * altered: the record's content (or its stored hash) no longer matches its own hash.
   * removed: records seq…lastSeq are missing. unlinked: the record and its predecessor each
   * match their own hash but the link between them does not hold (one of the two was rewritten
   * and re-hashed), or the newest record disagrees with the chain head.
   * Against the signed checkpoints (audit-checkpoint.ts): rolled_back: the chain head is behind
   * a checkpoint, so records seq…lastSeq were cut from its end (and the head moved back).
   * wiped: the table holds no record although a checkpoint says records 1…lastSeq existed.
   * checkpoint_mismatch: the record at a checkpoint's seq has another hash than the
   * checkpoint signed (the chain was rewritten from there, or cut and written anew).
   */
  kind: 'altered' | 'removed' | 'unlinked' | 'rolled_back' | 'wiped' | 'checkpoint_mismatch';
  seq: string;
  /** Last seq of a removed run; equal to `seq` otherwise. */
  lastSeq: string;
  /** Record id; null for removed records. */
  id: string | null;
  /** Stored region of the record; null for removed records (their region went with them). */
  regionCode: string | null;
}

export interface AuditChainReport {
  /** No finding anywhere in the range walked (visible or not). */
  intact: boolean;
  /** Records read and re-hashed. */
  checked: number;
  /** seq and hash the chain head held when the walk began. */
  headSeq: string;
  headHash: string;
  /** Findings that passed `visible`, in seq order, at most `maxFindings`. */
  findings: AuditChainFinding[];
  /** Findings that did not pass `visible` (counted, not named). */
  hiddenFindings: number;
  /** More visible findings existed than `maxFindings`. */
  truncated: boolean;
  /** The newest (highest seq) signed checkpoint the chain was held to; null without one. */
  checkpoint: AuditCheckpoint | null;
  /** Checkpoint lines ignored because their signature or shape did not hold. */
  rejectedCheckpoints: number;
}

export interface VerifyOptions {
  /** Rows read per statement (keyset pages by seq). */
  batchSize?: number;
  maxFindings?: number;
  /** First and last seq to walk; the whole chain by default. */
  fromSeq?: bigint | null;
  toSeq?: bigint | null;
  /** Which findings the caller may see named; the others are only counted. */
  visible?: (finding: AuditChainFinding) => boolean;
  /**
   * Signed checkpoints to hold the chain to. Read them before calling: a checkpoint written
   * after the head is read here could otherwise look like a head that moved back.
   */
  checkpoints?: CheckpointAnchor | null;
}

/** A stored record: its hashed content, plus its surrogate id and its own hash. */
type StoredRecord = Omit<AuditContent, 'occurredAt'> & { id: string; occurredAt: Date; hash: string };

// Qualified throughout: `ORDER BY seq` would sort by the text alias, not the bigint column.
const RECORD_COLUMNS = `a.id::text AS id, a.seq::text AS seq, a.occurred_at AS "occurredAt", a.subject, a.role, a.department, a.action, a.entity,
  a.entity_id AS "entityId", a.fields, a.purpose, a.request_id AS "requestId", a.outcome, a.region_code AS "regionCode", a.prev_hash AS "prevHash", a.hash`;

/** Whether a stored record still matches its own hash (content and stored prev_hash). */
export function matchesOwnHash(r: StoredRecord): boolean {
  const { id: _id, hash, occurredAt, ...content } = r;
  return auditRecordHash({ ...content, occurredAt: occurredAt.toISOString() }) === hash;
}

/**
 * Walks the chain in seq order, `batchSize` rows at a time, and names exactly what was
 * tampered with. Each record is judged against its own stored prev_hash and hash (altered);
 * links are judged separately, and a broken link is blamed on a neighbour only when neither
 * side is already altered and no record is missing between them — so the records after a
 * tampered one are not reported too.
 */
export async function verifyAuditChain(db: SqlRunner, options: VerifyOptions = {}): Promise<AuditChainReport> {
  const batchSize = options.batchSize ?? 5000;
  const maxFindings = options.maxFindings ?? 10_000;
  const visible = options.visible ?? (() => true);
  // Only this database's checkpoints count (a shared file may hold others').
  let checkpoints = options.checkpoints?.trusted ?? [];
  if (checkpoints.length) {
    const chain = await chainIdentity(db);
    checkpoints = checkpoints.filter((c) => c.chain === chain);
  }
  const top = highestCheckpoint({ trusted: checkpoints, rejected: 0 });
  const report: AuditChainReport = {
    intact: true, checked: 0, headSeq: '0', headHash: GENESIS_HASH, findings: [], hiddenFindings: 0, truncated: false,
    checkpoint: top, rejectedCheckpoints: options.checkpoints?.rejected ?? 0,
  };
  const note = (finding: AuditChainFinding) => {
    report.intact = false;
    if (!visible(finding)) report.hiddenFindings += 1;
    else if (report.findings.length < maxFindings) report.findings.push(finding);
    else report.truncated = true;
  };
  const removed = (from: bigint, to: bigint) => note({ kind: 'removed', seq: from.toString(), lastSeq: to.toString(), id: null, regionCode: null });
  const named = (kind: 'altered' | 'unlinked' | 'checkpoint_mismatch', r: StoredRecord) => note({ kind, seq: r.seq, lastSeq: r.seq, id: r.id, regionCode: r.regionCode });
  const cut = (kind: 'rolled_back' | 'wiped', from: bigint, to: bigint) => note({ kind, seq: from.toString(), lastSeq: to.toString(), id: null, regionCode: null });
  // The hashes signed for each position; a record at one of them must carry one of its hashes.
  const signed = new Map<string, Set<string>>();
  for (const c of checkpoints) {
    const hashes = signed.get(c.seq) ?? signed.set(c.seq, new Set()).get(c.seq)!;
    hashes.add(c.hash);
  }

  // Records at or below the head were committed with it; later appends are left for next time.
  const [head] = (await db.query(
    'SELECT last_seq::text AS "lastSeq", last_hash AS "lastHash" FROM audit_chain_head WHERE id = 1',
  )) as Array<{ lastSeq: string; lastHash: string }>;
  if (!head) throw new Error('audit_chain_head has no row: the audit migration has not run');
  report.headSeq = head.lastSeq;
  report.headHash = head.lastHash;
  const headSeq = BigInt(head.lastSeq);
  const topSeq = top ? BigInt(top.seq) : 0n;
  // A head behind a signed checkpoint: the newest records were cut (or all of them). This holds
  // for the whole chain, whatever window is walked; the walk below names the rest.
  if (topSeq > headSeq) {
    const [{ maxSeq }] = (await db.query('SELECT max(seq)::text AS "maxSeq" FROM audit_record')) as Array<{ maxSeq: string | null }>;
    if (maxSeq === null) {
      cut('wiped', 1n, topSeq);
      return report;
    }
  }
  const start = options.fromSeq != null && options.fromSeq > 1n ? options.fromSeq : 1n;
  const upper = options.toSeq != null && options.toSeq < headSeq ? options.toSeq : headSeq;
  const cutTail = () => {
    if (topSeq > headSeq) cut('rolled_back', headSeq + 1n, topSeq);
  };
  if (start > upper) {
    cutTail();
    return report;
  }

  // The predecessor of the first record walked: the genesis, or the record just before the window.
  // `flagged`: already named, so a broken link out of it is explained and not named again.
  let prev: { seq: bigint; hash: string; flagged: boolean } | null = { seq: 0n, hash: GENESIS_HASH, flagged: false };
  if (start > 1n) {
    const [before] = (await db.query(`SELECT ${RECORD_COLUMNS} FROM audit_record a WHERE a.seq = $1`, [(start - 1n).toString()])) as StoredRecord[];
    prev = before ? { seq: start - 1n, hash: before.hash, flagged: !matchesOwnHash(before) } : null;
  }

  let cursor = start - 1n;
  let last: StoredRecord | null = null;
  for (;;) {
    const rows = (await db.query(
      `SELECT ${RECORD_COLUMNS} FROM audit_record a WHERE a.seq > $1 AND a.seq <= $2 ORDER BY a.seq LIMIT $3`,
      [cursor.toString(), upper.toString(), batchSize],
    )) as StoredRecord[];
    for (const r of rows) {
      const seq = BigInt(r.seq);
      const altered = !matchesOwnHash(r);
      if (altered) named('altered', r);
      const checkpointed = signed.get(r.seq);
      if (checkpointed && !checkpointed.has(r.hash)) named('checkpoint_mismatch', r);
      const expected: bigint = prev ? prev.seq + 1n : start;
      let unlinked = false;
      if (seq > expected) removed(expected, seq - 1n);
      else if (prev && r.prevHash !== prev.hash && !prev.flagged && !altered) {
        named('unlinked', r);
        unlinked = true;
      }
      prev = { seq, hash: r.hash, flagged: altered || unlinked };
      last = r;
      report.checked += 1;
    }
    if (rows.length < batchSize) break;
    cursor = BigInt(rows[rows.length - 1].seq);
  }

  // The end of the walk: nothing may be missing up to `upper`, and the newest record must be
  // the one the head remembers.
  const reached = last ? BigInt(last.seq) : start - 1n;
  // Nothing at all from the first record to the head, though a checkpoint says there were records: a wipe.
  if (!last && start === 1n && upper === headSeq && topSeq > 0n && topSeq <= headSeq) cut('wiped', 1n, headSeq);
  else if (reached < upper) removed(reached + 1n, upper);
  else if (last && upper === headSeq && prev && !prev.flagged && last.hash !== head.lastHash) named('unlinked', last);
  cutTail();
  return report;
}
