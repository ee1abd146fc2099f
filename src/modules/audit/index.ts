// Public surface of the audit module (审计): the record functions that every mutation and
// every unmasked personal-field read calls, the chain verifier, and the auditors' resolvers.
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { appendAuditRecords, type AuditEntry } from './audit-chain';
import { AuditResolver } from './audit.resolver';

export type { AuditEntry, AuditChainFinding, AuditChainReport } from './audit-chain';
export { appendAuditRecords, verifyAuditChain, type SqlRunner } from './audit-chain';
export type { AuditCheckpoint, CheckpointAnchor, SignedAuditCheckpoint } from './audit-checkpoint';
export { AuditCheckpointer, AuditCheckpointFile, startAuditCheckpoints, useAuditCheckpoints } from './audit-checkpoint';
export { auditRecordHash, GENESIS_HASH } from './audit-hash';

/** Writes an audit record inside the caller's transaction (the write and its record commit together). */
export async function recordAudit(ctx: RequestContext, manager: EntityManager, entry: AuditEntry): Promise<void> {
  await appendAuditRecords(ctx, manager, [entry]);
}

/**
 * Writes audit records in one transaction of their own: for reads, and for refusals that
 * happen before any write transaction exists.
 */
export async function recordAuditAlone(ctx: RequestContext, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await ctx.db.transaction((tx) => appendAuditRecords(ctx, tx, entries));
}

/** Writes audit records for reads of unmasked personal fields. */
export const recordReadAudit = recordAuditAlone;

export const auditResolvers: Function[] = [AuditResolver];
