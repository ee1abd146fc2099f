import DataLoader from 'dataloader';
import type { AuditEntry } from './audit-sink';
import type { RequestContext } from './context';

/**
 * Audits reads of unmasked personal fields. Every unmasking in one request is written in one
 * transaction (a DataLoader used as a batcher), and the value is released only after its
 * record is committed: if the audit cannot be written, the field is not shown.
 */
export function auditRead(ctx: RequestContext, entry: Omit<AuditEntry, 'action' | 'outcome'>): Promise<true> {
  const batcher = ctx.loaders.keyed('readAudit', () =>
    new DataLoader<Omit<AuditEntry, 'action' | 'outcome'>, true, string>(
      async (entries) => {
        await ctx.audit.recordAlone(ctx, entries.map((e) => ({ ...e, action: 'read' as const, outcome: 'success' as const })));
        return entries.map(() => true as const);
      },
      { cacheKeyFn: (e) => JSON.stringify([e.entity, e.entityId, e.fields, e.purpose]) },
    ),
  );
  return batcher.load(entry);
}
