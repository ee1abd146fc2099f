import { Client } from 'pg';
import { dataSource } from '../../ormconfig';
import { Role } from '../../src/core/auth';
import { createContext } from '../../src/core/context';
import { Db } from '../../src/core/db';
import { Department } from '../../src/core/vocab';
import { recordReadAudit, verifyAuditChain, type AuditEntry } from '../../src/modules/audit';
import { bearer, startApp, type GqlResult } from '../support/app';
import { buildCounty } from '../support/fixtures';

// County 990107: 2 townships × 1 village × 2 households, ids from 7_200_001 (persons id × 10 + m,
// the head m = 1 born 1970). The bulk chain is written under county 990109, which has no
// fixture data: audit records carry a region code, not a reference to a region row.

const OFFICER_SUB = 'audit-test-officer';

describe('audit log', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;
  const officer = () => bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '990107', sub: OFFICER_SUB });
  const auditor = (scope: string) => bearer({ role: Role.AUDITOR, scope, sub: `audit-test-auditor-${scope}` });
  const byRequest = async (requestId: string) =>
    (await pg.query(`SELECT subject, role, department, action, entity, entity_id, fields, purpose, outcome, region_code, request_id
                       FROM audit_record WHERE request_id = $1 ORDER BY seq`, [requestId])).rows;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: '990107', townships: 2, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 7_200_000 });
    app = await startApp();
    pg = new Client({ connectionString: url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  const createHousehold = `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { id: databaseId version villageCode } }`;
  const updateHousehold = `mutation ($id: ID!, $version: Int!, $input: UpdateHouseholdInput!) { updateHousehold(id: $id, version: $version, input: $input) { id: databaseId version status } }`;
  const utilities = { water: true, electricity: true, road: false, housing: true, network: true, environment: false };

  it('writes exactly one record for a mutation, with who, what and how it ended', async () => {
    const r = await app.gql(createHousehold, {
      input: { villageCode: '990107002001', number: 'AUDIT-0001', status: 'REGISTERED', identificationYear: 2016, mainCause: 'ILLNESS', secondaryCauses: ['LAND'], utilities },
    }, { authorization: await officer() });
    expect(r.errors).toBeUndefined();
    expect(await byRequest(r.requestId)).toEqual([{
      subject: OFFICER_SUB, role: 'officer', department: 'poverty_office', action: 'create', entity: 'Household',
      entity_id: r.data.createHousehold.id, fields: ['villageCode', 'number', 'status', 'identificationYear', 'mainCause', 'secondaryCauses', 'utilities'],
      purpose: null, outcome: 'success', region_code: '990107002001', request_id: r.requestId,
    }]);
  });

  it('audits a refused write (stale version: CONFLICT), which changes nothing', async () => {
    const id = '7200001';
    const before = (await pg.query('SELECT version, status, updated_at FROM household WHERE id = $1', [id])).rows[0];
    const events = async () => Number((await pg.query('SELECT count(*) FROM household_status_event WHERE household_id = $1', [id])).rows[0].count);
    const eventsBefore = await events();

    const stale = await app.gql(updateHousehold, { id, version: before.version + 5, input: { status: 'EXITED' } },
      { authorization: await officer() });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await pg.query('SELECT version, status, updated_at FROM household WHERE id = $1', [id])).rows[0]).toEqual(before);
    expect(await events()).toBe(eventsBefore);
    expect(await byRequest(stale.requestId)).toEqual([expect.objectContaining({
      subject: OFFICER_SUB, action: 'update', entity: 'Household', entity_id: id, fields: ['status'], outcome: 'conflict', region_code: '990107',
    })]);

    const fresh = await app.gql(updateHousehold, { id, version: before.version, input: { statusReason: 'audit test' } },
      { authorization: await officer() });
    expect(fresh.errors).toBeUndefined();
    expect(await byRequest(fresh.requestId)).toEqual([expect.objectContaining({ action: 'update', outcome: 'success', region_code: '990107001001' })]);
  });

  it('audits reading an ID number with a stated purpose, and only then', async () => {
    const query = `query ($purpose: String) { person(id: "72000011") { idNumber(purpose: $purpose) } }`;
    const masked = await app.gql(query, {}, { authorization: await officer() });
    expect(masked.data.person.idNumber).toMatch(/^\d{6}\*{12}$/);
    expect(await byRequest(masked.requestId)).toEqual([]);

    const full = await app.gql(query, { purpose: '核对低保申请 dibao check' }, { authorization: await officer() });
    expect(full.errors).toBeUndefined();
    expect(full.data.person.idNumber).toBe('000000000072000011');
    expect(await byRequest(full.requestId)).toEqual([expect.objectContaining({
      subject: OFFICER_SUB, action: 'read', entity: 'Person', entity_id: '72000011', fields: ['idNumber'], purpose: '核对低保申请 dibao check',
      outcome: 'success', region_code: '990107001001',
    })]);
  });

  it('lets auditors query the log inside their region only; others are FORBIDDEN', async () => {
    // Its own records, under its own subject: a create, a refused and a done update, an unmasking.
    const sub = 'audit-test-officer-log';
    // Each request is named here by the server's request id it was given (x-request-id).
    const names = new Map<string, string>();
    const as = async (name: string, r: Promise<GqlResult>) => {
      const result = await r;
      names.set(result.requestId, name);
      return result;
    };
    const nameOf = (requestId: string) => names.get(requestId) ?? requestId;
    const author = async () => ({ authorization: await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '990107', sub }) });
    const created = await as('log-create', app.gql(createHousehold, {
      input: { villageCode: '990107002001', number: 'AUDIT-0002', status: 'NONE', utilities },
    }, await author()));
    const id = created.data.createHousehold.id;
    await as('log-conflict', app.gql(updateHousehold, { id, version: 7, input: { identificationYear: 2017 } }, await author()));
    await as('log-update', app.gql(updateHousehold, { id, version: 1, input: { statusReason: 'checked' } }, await author()));
    await as('log-read', app.gql(`{ person(id: "72000021") { idNumber(purpose: "入户核查 home visit") } }`, {}, await author()));

    const log = `query ($filter: AuditLogFilter, $first: Int, $after: String) { auditLog(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id seq subject role department action entity entityId fields purpose outcome regionCode requestId occurredAt prevHash hash } } } }`;
    const mine = { subject: sub };
    const county = await app.gql(log, { filter: mine, first: 100 }, { authorization: await auditor('990107') });
    expect(county.errors).toBeUndefined();
    const nodes = county.data.auditLog.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => [nameOf(n.requestId), n.action, n.outcome, n.regionCode])).toEqual([
      ['log-create', 'CREATE', 'SUCCESS', '990107002001'], ['log-conflict', 'UPDATE', 'CONFLICT', '990107'],
      ['log-update', 'UPDATE', 'SUCCESS', '990107002001'], ['log-read', 'READ', 'SUCCESS', '990107001001'],
    ]);
    expect(nodes[0]).toMatchObject({ subject: sub, role: 'OFFICER', department: 'POVERTY_OFFICE', entity: 'Household', entityId: id });
    expect(nodes[3]).toMatchObject({ entity: 'Person', entityId: '72000021', fields: ['idNumber'], purpose: '入户核查 home visit' });
    expect(nodes.every((n: any) => /^[0-9a-f]{64}$/.test(n.hash) && /^[0-9a-f]{64}$/.test(n.prevHash) && !Number.isNaN(Date.parse(n.occurredAt)))).toBe(true);
    expect(county.data.auditLog.totalCount).toBe(4);

    // Pages, filters, narrower and foreign scopes.
    const page1 = await app.gql(log, { filter: mine, first: 3 }, { authorization: await auditor('990107') });
    const page2 = await app.gql(log, { filter: mine, first: 3, after: page1.data.auditLog.pageInfo.endCursor }, { authorization: await auditor('990107') });
    expect(page1.data.auditLog.pageInfo.hasNextPage).toBe(true);
    expect([...page1.data.auditLog.edges, ...page2.data.auditLog.edges].map((e: any) => e.node.id)).toEqual(nodes.map((n: any) => n.id));
    const filtered = async (filter: Record<string, unknown>, scope = '990107') =>
      (await app.gql(log, { filter: { ...mine, ...filter }, first: 100 }, { authorization: await auditor(scope) })).data.auditLog.edges.map((e: any) => nameOf(e.node.requestId));
    expect(await filtered({ outcome: 'CONFLICT' })).toEqual(['log-conflict']);
    expect(await filtered({ action: 'READ', entity: 'Person', entityId: '72000021' })).toEqual(['log-read']);
    expect(await filtered({ entity: 'Household', entityId: id })).toEqual(['log-create', 'log-conflict', 'log-update']);
    expect(await filtered({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect(await filtered({ from: '2000-01-01T00:00:00Z', to: new Date(Date.now() + 60_000).toISOString() })).toHaveLength(4);
    expect(await filtered({}, '990107001')).toEqual(['log-read']);
    expect(await filtered({ regionCode: '990107002' })).toEqual(['log-create', 'log-update']);
    expect(await filtered({ regionCode: '990108' })).toEqual([]);
    expect(await filtered({}, '990108')).toEqual([]);

    for (const authorization of [await bearer({ role: Role.COORDINATOR, scope: '990107' }), await officer(), await bearer({ role: Role.ANALYST, scope: '99' })]) {
      for (const q of [log, '{ verifyAuditChain { intact } }']) {
        const denied = await app.gql(q, { first: 5 }, { authorization });
        expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
        expect(denied.data).toBeNull();
      }
    }
    expect((await app.gql(log, { first: 5 }, { authorization: '' })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses UPDATE and DELETE on the log itself', async () => {
    const ctx = createContext(new Db(dataSource), { requestId: 'audit-append-only', principal: null });
    await recordReadAudit(ctx, [{ action: 'read', entity: 'Person', entityId: '1', fields: ['idNumber'], outcome: 'success', regionCode: '990109' }]);
    await expect(pg.query(`UPDATE audit_record SET purpose = 'x' WHERE request_id = 'audit-append-only'`)).rejects.toThrow(/append-only/);
    await expect(pg.query(`DELETE FROM audit_record WHERE request_id = 'audit-append-only'`)).rejects.toThrow(/append-only/);
    expect((await byRequest('audit-append-only'))[0]).toMatchObject({ subject: null, role: null, purpose: null });
  });

  it('keeps one chain when appends race', async () => {
    const db = new Db(dataSource);
    const principal = { subject: 'audit-test-race', role: Role.COORDINATOR, department: null, scope: '990109' };
    const entry: AuditEntry = { action: 'read', entity: 'Person', entityId: '1', fields: ['idNumber'], purpose: 'race', outcome: 'success', regionCode: '990109001001' };
    await Promise.all(Array.from({ length: 25 }, (_, i) =>
      recordReadAudit(createContext(db, { requestId: `audit-race-${i}`, principal }), [entry, entry, entry])));
    const rows = (await pg.query(`SELECT request_id, seq::int AS seq FROM audit_record WHERE request_id LIKE 'audit-race-%' ORDER BY seq`)).rows;
    expect(rows).toHaveLength(75);
    // Each append took the head in turn: its three records are consecutive, and no seq repeats.
    for (let i = 0; i < 75; i += 3) {
      expect(new Set(rows.slice(i, i + 3).map((r) => r.request_id)).size).toBe(1);
      expect(rows[i + 2].seq - rows[i].seq).toBe(2);
    }
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true, findings: [] });
  });

  it('names exactly the altered and removed records in a chain of 10,000', async () => {
    const db = new Db(dataSource);
    const ctx = createContext(db, {
      requestId: 'audit-bulk-chain',
      principal: { subject: 'audit-test-bulk', role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '990109' },
    });
    const entries: AuditEntry[] = Array.from({ length: 10_000 }, (_, i) => ({
      action: 'read', entity: 'Person', entityId: String(99_000_000 + i), fields: ['idNumber'], purpose: `bulk ${i}`, outcome: 'success',
      regionCode: `990109${String(1 + (i % 3)).padStart(3, '0')}001`,
    }));
    let t = Date.now();
    await recordReadAudit(ctx, entries);
    const appendMs = Date.now() - t;

    const seqs = (await pg.query(`SELECT seq::int AS seq FROM audit_record WHERE request_id = 'audit-bulk-chain' ORDER BY seq`)).rows.map((r) => r.seq);
    expect(seqs).toHaveLength(10_000);
    expect(seqs[9999] - seqs[0]).toBe(9999); // one append: contiguous

    t = Date.now();
    const clean = await verifyAuditChain(db);
    const verifyMs = Date.now() - t;
    expect(clean).toMatchObject({ intact: true, findings: [] });
    expect(clean.checked).toBeGreaterThanOrEqual(10_000);

    // Tamper as the table owner would: past the append-only trigger, inside one transaction.
    const [altered, removed, rehashed] = [seqs[1234], seqs[5000], seqs[8765]];
    const originals = (await pg.query('SELECT * FROM audit_record WHERE seq = ANY($1::bigint[]) ORDER BY seq', [[altered, removed, rehashed]])).rows;
    const asOwner = async (statements: Array<[string, unknown[]]>) => {
      await pg.query('BEGIN');
      await pg.query('ALTER TABLE audit_record DISABLE TRIGGER tr_audit_record_append_only');
      for (const [sql, params] of statements) await pg.query(sql, params);
      await pg.query('ALTER TABLE audit_record ENABLE TRIGGER tr_audit_record_append_only');
      await pg.query('COMMIT');
    };
    await asOwner([
      [`UPDATE audit_record SET purpose = 'nothing to see' WHERE seq = $1`, [altered]],
      ['DELETE FROM audit_record WHERE seq = $1', [removed]],
      [`UPDATE audit_record SET hash = repeat('e', 64) WHERE seq = $1`, [rehashed]],
    ]);
    try {
      t = Date.now();
      const report = await verifyAuditChain(db);
      const tamperedVerifyMs = Date.now() - t;
      expect(report.intact).toBe(false);
      expect(report.findings.map((f) => [f.kind, Number(f.seq), Number(f.lastSeq)])).toEqual([
        ['altered', altered, altered], ['removed', removed, removed], ['altered', rehashed, rehashed],
      ]);
      expect(report.findings.map((f) => f.id)).toEqual([originals[0].id, null, originals[2].id]);

      // Over GraphQL: named inside the auditor's scope, counted outside it; removed records by seq to all.
      const query = '{ verifyAuditChain { intact checkedRecords headSeq headHash findingsOutsideScope truncated findings { kind seq lastSeq id regionCode } } }';
      const own = await app.gql(query, {}, { authorization: await auditor('990109') });
      expect(own.errors).toBeUndefined();
      expect(own.data.verifyAuditChain).toMatchObject({ intact: false, findingsOutsideScope: 0, truncated: false });
      expect(own.data.verifyAuditChain.findings.map((f: any) => [f.kind, f.seq])).toEqual([
        ['ALTERED', String(altered)], ['REMOVED', String(removed)], ['ALTERED', String(rehashed)],
      ]);
      const other = await app.gql(query, {}, { authorization: await auditor('990107') });
      expect(other.data.verifyAuditChain).toMatchObject({ intact: false, findingsOutsideScope: 2, findings: [{ kind: 'REMOVED', seq: String(removed), id: null }] });
      const window = await app.gql(`{ verifyAuditChain(fromSeq: "${seqs[0]}", toSeq: "${seqs[1000]}") { intact checkedRecords } }`, {}, { authorization: await auditor('990109') });
      expect(window.data.verifyAuditChain).toEqual({ intact: true, checkedRecords: 1001 });
      console.log(`audit chain: append 10,000 in ${appendMs} ms; verify ${clean.checked} in ${verifyMs} ms (tampered: ${tamperedVerifyMs} ms)`);
    } finally {
      // Put the originals back, so the chain verifies clean again for whatever runs next.
      const [a, d, h] = originals;
      await asOwner([
        ['UPDATE audit_record SET purpose = $2 WHERE seq = $1', [altered, a.purpose]],
        [`INSERT INTO audit_record (id, seq, occurred_at, subject, role, department, action, entity, entity_id, fields, purpose, request_id, outcome, region_code, prev_hash, hash)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [d.id, d.seq, d.occurred_at, d.subject, d.role, d.department, d.action, d.entity, d.entity_id, d.fields, d.purpose, d.request_id, d.outcome, d.region_code, d.prev_hash, d.hash]],
        ['UPDATE audit_record SET hash = $2 WHERE seq = $1', [rehashed, h.hash]],
      ]);
    }
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true, findings: [] });
  });
});
