// Public surface of the audit module (审计): the record functions that every mutation and
// every unmasked personal-field read calls, the chain verifier, and the auditors' resolvers.
import { registerAuditSink } from '../../core/audit-sink';
import type { RequestContext } from '../../core/context';
import { appendAuditRecords, type AuditEntry } from './audit-chain';
import { AuditResolver } from './audit.resolver';

export type { AuditEntry, AuditChainFinding, AuditChainReport } from './audit-chain';
export { appendAuditRecords, verifyAuditChain, type SqlRunner } from './audit-chain';
export type { AuditCheckpoint, CheckpointAnchor, SignedAuditCheckpoint } from './audit-checkpoint';
export { AuditCheckpointer, AuditCheckpointFile, startAuditCheckpoints, useAuditCheckpoints } from './audit-checkpoint';
export { auditRecordHash, GENESIS_HASH } from './audit-hash';

/**
 * Writes audit records in one transaction of their own: for reads, and for refusals that
 * happen before any write transaction exists.
 */
export async function recordAuditAlone(ctx: RequestContext, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await ctx.db.transaction((tx) => appendAuditRecords(ctx, tx, entries));
}

/** Writes audit records for reads of unmasked personal fields. */
export const recordReadAudit = recordAuditAlone;

// Core writes its audit records through the sink on the request context (core/audit-sink.ts):
// this module is that sink, from the moment it is loaded.
registerAuditSink({ record: (ctx, tx, entries) => appendAuditRecords(ctx, tx, entries), recordAlone: recordAuditAlone });

export const auditResolvers: Function[] = [AuditResolver];
