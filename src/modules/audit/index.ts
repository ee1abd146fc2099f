// Public surface of the audit module (being implemented): the record functions that every
// mutation and every unmasked personal-field read calls.
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';

/** One audited event: who is taken from the context; what, when, purpose and outcome from here. */
export interface AuditEntry {
  /** create | update | end | delete | read (an unmasked personal field) | refused writes. */
  action: 'create' | 'update' | 'end' | 'delete' | 'read';
  /** GraphQL type name of the record, e.g. 'DibaoEnrolment', 'Person'. */
  entity: string;
  entityId: string | null;
  /** Fields written or unmasked. */
  fields: string[];
  purpose?: string | null;
  outcome: 'success' | 'conflict' | 'not_found' | 'forbidden' | 'invalid';
  /** Division code (prefix) the record belongs to, so that auditors see their region's records. */
  regionCode: string;
}

/** Writes an audit record inside the caller's transaction (the write and its record commit together). */
export async function recordAudit(_ctx: RequestContext, _manager: EntityManager, _entry: AuditEntry): Promise<void> {
  throw new Error('audit module not implemented yet');
}

/** Writes audit records for reads, in their own transaction. */
export async function recordReadAudit(_ctx: RequestContext, _entries: AuditEntry[]): Promise<void> {
  throw new Error('audit module not implemented yet');
}

export const auditResolvers: Function[] = [];
