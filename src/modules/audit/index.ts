// Public surface of the audit module (审计): the record functions that every mutation and
// every unmasked personal-field read calls, the chain verifier, and the auditors' resolvers.
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { appendAuditRecords, type AuditEntry } from './audit-chain';
import { AuditResolver } from './audit.resolver';

export type { AuditEntry, AuditChainFinding, AuditChainReport } from './audit-chain';
export { verifyAuditChain } from './audit-chain';
export { auditRecordHash, GENESIS_HASH } from './audit-hash';

/** Writes an audit record inside the caller's transaction (the write and its record commit together). */
export async function recordAudit(ctx: RequestContext, manager: EntityManager, entry: AuditEntry): Promise<void> {
  await appendAuditRecords(ctx, manager, [entry]);
}

/** Writes audit records for reads, all in one transaction of their own. */
export async function recordReadAudit(ctx: RequestContext, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await ctx.db.transaction((tx) => appendAuditRecords(ctx, tx, entries));
}

export const auditResolvers: Function[] = [AuditResolver];
