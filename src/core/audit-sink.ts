import type { EntityManager } from 'typeorm';
import type { RequestContext } from './context';

// Where audit records go, as core sees it. Core writes records (every mutation, every refused
// one, every unmasked read) but does not know how they are stored: the audit module
// (modules/audit) implements this sink and registers it when it is loaded, and every request
// context carries it (`ctx.audit`). So core never imports a module, and there is no
// core ↔ audit import cycle.

/** What was done (操作类型); the values stored in audit_record.action. */
export enum AuditAction {
  CREATE = 'create',
  UPDATE = 'update',
  END = 'end',
  DELETE = 'delete',
  READ = 'read',
}

/** How it ended (结果); the values stored in audit_record.outcome. */
export enum AuditOutcome {
  SUCCESS = 'success',
  CONFLICT = 'conflict',
  NOT_FOUND = 'not_found',
  FORBIDDEN = 'forbidden',
  INVALID = 'invalid',
  DUPLICATE_ELSEWHERE = 'dup_elsewhere',
  RATE_LIMITED = 'rate_limited',
}

/** One audited event: who is taken from the context; what, when, purpose and outcome from here. */
export interface AuditEntry {
  /** create | update | end | delete | read (an unmasked personal field). Refused writes keep the attempted action. */
  action: `${AuditAction}`;
  /** GraphQL type name of the record, e.g. 'DibaoEnrolment', 'Person'. */
  entity: string;
  entityId: string | null;
  /** Fields written or unmasked. */
  fields: string[];
  purpose?: string | null;
  outcome: `${AuditOutcome}`;
  /** Division code (prefix) the record belongs to, so that auditors see their region's records. */
  regionCode: string;
}

/** The audit trail as core writes to it. */
export interface AuditSink {
  /** Appends records inside the caller's transaction: the write and its records commit together. */
  record(ctx: RequestContext, tx: EntityManager, entries: readonly AuditEntry[]): Promise<void>;
  /** Appends records in a transaction of their own: reads, and refusals before any write transaction. */
  recordAlone(ctx: RequestContext, entries: readonly AuditEntry[]): Promise<void>;
}

let registered: AuditSink | undefined;

/** Called once by the audit module when it is loaded. */
export function registerAuditSink(sink: AuditSink): void {
  registered = sink;
}

function current(): AuditSink {
  // Fail closed: a write or an unmasked read that cannot be audited does not happen.
  if (!registered) throw new Error('no audit sink is registered: load src/modules (modules/audit registers it)');
  return registered;
}

/**
 * The sink a new request context carries unless it is given one: the registered sink, looked up
 * when a record is written, so that a context made before the audit module loaded still audits.
 */
export const registeredAuditSink: AuditSink = {
  record: async (ctx, tx, entries) => current().record(ctx, tx, entries),
  recordAlone: async (ctx, entries) => current().recordAlone(ctx, entries),
};
