import { createHash } from 'node:crypto';
import { verifyAuditChain, type SqlRunner } from '../../src/modules/audit/audit-chain';
import { auditRecordHash, canonicalAuditContent, GENESIS_HASH, type AuditContent } from '../../src/modules/audit/audit-hash';

const base: AuditContent = {
  seq: '1',
  occurredAt: '2024-09-01T08:00:00.000Z',
  subject: 'officer-1',
  role: 'officer',
  department: 'poverty_office',
  action: 'update',
  entity: 'Household',
  entityId: '42',
  fields: ['status', 'mainCause'],
  purpose: null,
  requestId: 'req-1',
  outcome: 'success',
  regionCode: '990107001001',
  prevHash: GENESIS_HASH,
};

describe('audit record hash', () => {
  it('is SHA-256 (hex) of the canonical JSON array, and deterministic', () => {
    const canonical = canonicalAuditContent(base);
    expect(JSON.parse(canonical)).toEqual([
      'hg-audit-v1', '1', '2024-09-01T08:00:00.000Z', 'officer-1', 'officer', 'poverty_office', 'update', 'Household', '42',
      ['status', 'mainCause'], null, 'req-1', 'success', '990107001001', GENESIS_HASH,
    ]);
    expect(auditRecordHash(base)).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
    expect(auditRecordHash({ ...base, fields: [...base.fields] })).toBe(auditRecordHash(base));
    expect(auditRecordHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when any content field or the previous hash changes', () => {
    const h = auditRecordHash(base);
    const variants: Array<Partial<AuditContent>> = [
      { seq: '2' }, { occurredAt: '2024-09-01T08:00:00.001Z' }, { subject: 'officer-2' }, { role: 'coordinator' }, { department: null },
      { action: 'create' }, { entity: 'Person' }, { entityId: '43' }, { entityId: null }, { fields: ['status'] }, { fields: ['mainCause', 'status'] },
      { purpose: '核查' }, { requestId: 'req-2' }, { outcome: 'conflict' }, { regionCode: '990107001002' }, { prevHash: 'f'.repeat(64) },
    ];
    for (const v of variants) expect({ v, changed: auditRecordHash({ ...base, ...v }) !== h }).toEqual({ v, changed: true });
  });

  it('leaves no room for two contents to serialize alike', () => {
    expect(auditRecordHash({ ...base, fields: ['a,b'] })).not.toBe(auditRecordHash({ ...base, fields: ['a', 'b'] }));
    expect(auditRecordHash({ ...base, purpose: 'null' })).not.toBe(auditRecordHash({ ...base, purpose: null }));
    expect(auditRecordHash({ ...base, subject: 'a', role: 'b' })).not.toBe(auditRecordHash({ ...base, subject: 'a","b', role: null }));
  });
});

// The verifier's judgement on an in-memory chain: a fake SqlRunner answers its three statements.
type Row = AuditContent & { id: string; hash: string };

function chain(n: number, regionOf = (_seq: number) => base.regionCode): Row[] {
  const rows: Row[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const content: AuditContent = { ...base, seq: String(i), entityId: String(i), regionCode: regionOf(i), prevHash: prev };
    prev = auditRecordHash(content);
    rows.push({ ...content, id: String(100 + i), hash: prev });
  }
  return rows;
}

const CHAIN = '7000000000000000001:16384';

function runner(rows: Row[], head: { seq: string; hash: string }): SqlRunner & { statements: number } {
  const stored = () => [...rows].sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => ({ ...r, occurredAt: new Date(r.occurredAt) }));
  return {
    statements: 0,
    async query(text: string, params: unknown[] = []) {
      this.statements += 1;
      if (text.includes('FROM audit_chain_head')) return [{ lastSeq: head.seq, lastHash: head.hash }];
      if (text.includes('pg_control_system')) return [{ chain: CHAIN }];
      if (text.includes('max(seq)')) return [{ maxSeq: rows.length ? String(Math.max(...rows.map((r) => Number(r.seq)))) : null }];
      if (text.includes('WHERE a.seq = $1')) return stored().filter((r) => r.seq === params[0]);
      const [after, upper, limit] = params.map(Number);
      return stored().filter((r) => Number(r.seq) > after && Number(r.seq) <= upper).slice(0, limit);
    },
  };
}

const headOf = (rows: Row[]) => ({ seq: rows[rows.length - 1].seq, hash: rows[rows.length - 1].hash });
const kinds = (r: Awaited<ReturnType<typeof verifyAuditChain>>) => r.findings.map((f) => [f.kind, f.seq, f.lastSeq]);

describe('audit chain verifier', () => {
  it('finds nothing on an intact chain, reading it in pages', async () => {
    const rows = chain(25);
    const db = runner(rows, headOf(rows));
    const report = await verifyAuditChain(db, { batchSize: 10 });
    expect(report).toMatchObject({ intact: true, checked: 25, headSeq: '25', findings: [], hiddenFindings: 0 });
    expect(db.statements).toBe(1 + 3);
  });

  it('names an altered record, a changed hash and a removed record — and nothing after them', async () => {
    const rows = chain(30);
    const head = headOf(rows);
    rows[4] = { ...rows[4], purpose: 'forged' }; // seq 5: content changed
    rows[11] = { ...rows[11], hash: 'a'.repeat(64) }; // seq 12: hash changed
    rows.splice(19, 2); // seq 20 and 21 removed
    const report = await verifyAuditChain(runner(rows, head), { batchSize: 7 });
    expect(kinds(report)).toEqual([['altered', '5', '5'], ['altered', '12', '12'], ['removed', '20', '21']]);
    expect(report.findings[0]).toMatchObject({ id: '105', regionCode: '990107001001' });
    expect(report.findings[2]).toMatchObject({ id: null, regionCode: null });
  });

  it('names removed records at the start and at the end (against the chain head)', async () => {
    const rows = chain(10);
    const head = headOf(rows);
    const report = await verifyAuditChain(runner(rows.slice(2, 8), head));
    expect(kinds(report)).toEqual([['removed', '1', '2'], ['removed', '9', '10']]);
    expect(kinds(await verifyAuditChain(runner([], head)))).toEqual([['removed', '1', '10']]);
  });

  it('names a record rewritten and re-hashed as unlinked, once', async () => {
    const rows = chain(10);
    const head = headOf(rows);
    const forged = { ...rows[5], purpose: 'forged' }; // seq 6, re-hashed: matches itself, seq 7 no longer links to it
    rows[5] = { ...forged, hash: auditRecordHash(forged) };
    expect(kinds(await verifyAuditChain(runner(rows, head)))).toEqual([['unlinked', '7', '7']]);

    const tail = chain(10);
    const forgedTail = { ...tail[9], purpose: 'forged' };
    tail[9] = { ...forgedTail, hash: auditRecordHash(forgedTail) };
    expect(kinds(await verifyAuditChain(runner(tail, head)))).toEqual([['unlinked', '10', '10']]);
  });

  it('checks a window, linking its first record to the one before it', async () => {
    const rows = chain(20);
    rows[9] = { ...rows[9], hash: 'b'.repeat(64) }; // seq 10 altered: seq 11's broken link is explained by it
    const db = runner(rows, headOf(rows));
    expect(kinds(await verifyAuditChain(db, { fromSeq: 11n, toSeq: 15n }))).toEqual([]);
    expect(kinds(await verifyAuditChain(db, { fromSeq: 10n, toSeq: 15n }))).toEqual([['altered', '10', '10']]);
    const report = await verifyAuditChain(db, { fromSeq: 5n, toSeq: 8n });
    expect(report).toMatchObject({ intact: true, checked: 4 });
  });

  it('counts findings the caller may not see, and caps the list', async () => {
    const rows = chain(10, (seq) => (seq % 2 ? '990107001001' : '990108001001'));
    const head = headOf(rows);
    for (const i of [1, 2, 3, 4]) rows[i] = { ...rows[i], hash: 'c'.repeat(64) };
    const report = await verifyAuditChain(runner(rows, head), {
      visible: (f) => f.regionCode === null || f.regionCode.startsWith('990107'),
      maxFindings: 1,
    });
    expect(report).toMatchObject({ intact: false, hiddenFindings: 2, truncated: true });
    expect(kinds(report)).toEqual([['altered', '3', '3']]);
  });
});

describe('audit chain verifier against signed checkpoints', () => {
  const cp = (rows: Row[], seq: number, chain = CHAIN) => ({ chain, seq: String(seq), hash: rows[seq - 1].hash, at: '2024-09-01T09:00:00.000Z' });
  const anchor = (...trusted: Array<ReturnType<typeof cp>>) => ({ trusted, rejected: 0 });

  it('finds nothing when the chain reaches every checkpoint with its hash', async () => {
    const rows = chain(12);
    const report = await verifyAuditChain(runner(rows, headOf(rows)), { checkpoints: anchor(cp(rows, 4), cp(rows, 12)) });
    expect(report).toMatchObject({ intact: true, findings: [], checkpoint: { seq: '12' } });
  });

  it('names a tail cut behind a checkpoint, with the head moved back', async () => {
    const rows = chain(12);
    const signed = anchor(cp(rows, 12));
    const cut = rows.slice(0, 9);
    expect(kinds(await verifyAuditChain(runner(cut, headOf(cut))))).toEqual([]); // the chain alone cannot tell
    expect(kinds(await verifyAuditChain(runner(cut, headOf(cut)), { checkpoints: signed }))).toEqual([['rolled_back', '10', '12']]);
    // A window still sees that the head is behind.
    expect(kinds(await verifyAuditChain(runner(cut, headOf(cut)), { checkpoints: signed, fromSeq: 2n, toSeq: 4n }))).toEqual([['rolled_back', '10', '12']]);
  });

  it('names a wiped table, whether or not the head was moved back', async () => {
    const rows = chain(6);
    const signed = anchor(cp(rows, 5));
    expect(kinds(await verifyAuditChain(runner([], headOf(rows)), { checkpoints: signed }))).toEqual([['wiped', '1', '6']]);
    expect(kinds(await verifyAuditChain(runner([], { seq: '0', hash: GENESIS_HASH }), { checkpoints: signed }))).toEqual([['wiped', '1', '5']]);
  });

  it('names the record at a checkpoint whose hash changed, and ignores other chains\' checkpoints', async () => {
    const rows = chain(10);
    const rewritten = chain(10, () => '990107001002'); // the same positions, written anew
    const report = await verifyAuditChain(runner(rewritten, headOf(rewritten)), { checkpoints: anchor(cp(rows, 7), cp(rows, 10, '1:1')) });
    expect(kinds(report)).toEqual([['checkpoint_mismatch', '7', '7']]);
    expect(report.checkpoint).toMatchObject({ seq: '7' });
  });
});
