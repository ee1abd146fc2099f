import { registerAuditSink, registeredAuditSink, type AuditEntry, type AuditSink } from '../../src/core/audit-sink';
import type { RequestContext } from '../../src/core/context';

// Core writes audit records through the sink on the request context; the audit module registers
// the real one when it is loaded (tests/e2e/audit*.test.ts exercise it against PostgreSQL).
// Jest gives this file its own module registry: nothing has registered a sink here.

const entry: AuditEntry = { action: 'read', entity: 'Person', entityId: '1', fields: ['idNumber'], outcome: 'success', regionCode: '990109' };
const ctx = { requestId: 'audit-sink-unit' } as RequestContext;

describe('the audit sink on the request context', () => {
  it('refuses to record (and so to let the write or read through) while no audit module has registered', async () => {
    await expect(registeredAuditSink.recordAlone(ctx, [entry])).rejects.toThrow(/no audit sink is registered/);
    await expect(registeredAuditSink.record(ctx, {} as never, [entry])).rejects.toThrow(/no audit sink is registered/);
  });

  it('hands records to the sink registered later, even through a context made before', async () => {
    const seen: Array<[string, readonly AuditEntry[]]> = [];
    const sink: AuditSink = {
      record: async (_ctx, _tx, entries) => void seen.push(['record', entries]),
      recordAlone: async (_ctx, entries) => void seen.push(['alone', entries]),
    };
    registerAuditSink(sink);
    await registeredAuditSink.recordAlone(ctx, [entry]);
    await registeredAuditSink.record(ctx, {} as never, [entry, entry]);
    expect(seen.map(([how, entries]) => [how, entries.length])).toEqual([['alone', 1], ['record', 2]]);
  });
});
