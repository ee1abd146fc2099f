import { createHash } from 'node:crypto';

// The one definition of what an audit record's hash covers. Pure (node:crypto only), so the
// chain can be checked outside the server: a record's hash is SHA-256 over a canonical
// serialization of its content and the hash of the record before it.

/** prev_hash of the first record in the chain (创世记录). */
export const GENESIS_HASH = '0'.repeat(64);

/** Tag of the serialization below; a change of format gets a new tag, never a silent change. */
const FORMAT = 'hg-audit-v1';

/** What a record's hash covers: everything it says, and its place in the chain. */
export interface AuditContent {
  /** Chain position, decimal (bigint). */
  seq: string;
  /** ISO-8601 UTC with milliseconds (what `Date#toISOString` gives and timestamptz keeps). */
  occurredAt: string;
  subject: string | null;
  role: string | null;
  department: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  fields: readonly string[];
  purpose: string | null;
  requestId: string;
  outcome: string;
  regionCode: string;
  prevHash: string;
}

/**
 * The canonical form: a JSON array in a fixed field order. JSON.stringify of strings, nulls
 * and arrays of strings is deterministic, and an array (not an object) leaves no room for key
 * order to differ. The surrogate id is not covered: the chain position is `seq`.
 */
export function canonicalAuditContent(c: AuditContent): string {
  return JSON.stringify([
    FORMAT,
    c.seq,
    c.occurredAt,
    c.subject,
    c.role,
    c.department,
    c.action,
    c.entity,
    c.entityId,
    [...c.fields],
    c.purpose,
    c.requestId,
    c.outcome,
    c.regionCode,
    c.prevHash,
  ]);
}

/** SHA-256 (lower-case hex) of a record's canonical content, prev_hash included. */
export function auditRecordHash(c: AuditContent): string {
  return createHash('sha256').update(canonicalAuditContent(c), 'utf8').digest('hex');
}
