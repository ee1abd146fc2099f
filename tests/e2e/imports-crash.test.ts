import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { buildImportCounty, healthOfficer, personsOf, startImportApp, type ImportApp } from '../support/import-world';

// Exactly once, nothing half-applied (issue 8 §5): an import cut off anywhere before its commit
// — the client hanging up mid-upload, its database connection killed while rows stream in
// (pg_terminate_backend), or killed after every row was written but before the commit — leaves
// the graph as it was and no batch record; re-sending then gives what a clean import gives, row
// for row. County 996603: 2 × 2 villages × 200 households, 2,400 persons (a body of 170 KB, past the 64 KiB read to detect the encoding) with valid ID numbers,
// insured for 2023 and 2024 by the fixture.

const C = '996603';
const KEY = 'crash-resume-1';

describe('imports survive crashes (issue 8 §5)', () => {
  let app: ImportApp;
  let pg: Client;
  let port: number;
  let body: string;
  let expected: Map<string, { scheme: string; premium: number; subsidy: number; version: number }>;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildImportCounty(url, C, 6_630_000, { villages: 2, households: 200 });
    pg = new Client({ connectionString: url });
    await pg.connect();
    const persons = await personsOf(pg, C);
    // Every person: a new 2025 enrolment; every other person: a changed 2024 premium; the rest: 2024 as it is.
    const rows: string[] = [];
    expected = new Map();
    persons.forEach((p, i) => {
      rows.push(`${p.idNumber},2025,resident,${400 + (i % 7)},${100 + (i % 5)}`);
      expected.set(`${p.id}/2025`, { scheme: 'resident', premium: 400 + (i % 7), subsidy: 100 + (i % 5), version: 1 });
      const changed = i % 2 === 0;
      rows.push(`${p.idNumber},2024,resident,${changed ? 390 : 380},200`);
      expected.set(`${p.id}/2024`, { scheme: 'resident', premium: changed ? 390 : 380, subsidy: 200, version: changed ? 2 : 1 });
    });
    body = `idNumber,year,scheme,premium,subsidy\n${rows.join('\n')}\n`;
    app = await startImportApp();
    await new Promise<void>((resolve) => app.server.httpServer.listen(0, '127.0.0.1', resolve));
    port = (app.server.httpServer.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.stop();
    await pg?.end();
  });

  /** The county's enrolments, row for row, and whether the batch left any trace. */
  const snapshot = async () => {
    const rows = await pg.query(`SELECT person_id::text, year, scheme, premium::float8 AS premium, subsidy::float8 AS subsidy, version FROM insurance_enrolment WHERE county_code = $1 ORDER BY person_id, year`, [C]);
    const batches = await pg.query(`SELECT 1 FROM import_batch WHERE batch_key = $1`, [KEY]);
    const audits = await pg.query(`SELECT 1 FROM audit_record WHERE entity = 'ImportBatch' AND purpose LIKE $1`, [`% batch ${KEY} %`]);
    return { rows: rows.rows, batches: batches.rowCount, audits: audits.rowCount };
  };

  /** Polls until `sql` finds a row (an import's backend in a given state); returns its pid. */
  const waitFor = async (sql: string): Promise<number> => {
    for (let i = 0; i < 400; i++) {
      const r = await pg.query(sql);
      if (r.rowCount) return r.rows[0].pid;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`timed out waiting for: ${sql}`);
  };
  // This batch's backend only (the engine names it by batch key): other test files import beside it.
  const OURS = `datname = current_database() AND application_name = 'hg import ${KEY}'`;
  const COPYING = `SELECT pid FROM pg_stat_activity WHERE ${OURS} AND query LIKE 'COPY import_stage%' AND state = 'active'`;
  const AT_AUDIT = `SELECT pid FROM pg_stat_activity WHERE ${OURS} AND wait_event_type = 'Lock' AND query LIKE '%audit_chain_head%FOR UPDATE%'`;
  const noImportBackends = async () => {
    for (let i = 0; i < 400; i++) {
      const r = await pg.query(`SELECT 1 FROM pg_stat_activity WHERE ${OURS} AND state <> 'idle'`);
      if (!r.rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('an import backend is still busy');
  };

  /** Starts a streamed POST; resolves with the answer's status (0 when the connection broke). */
  const startPost = async () => {
    const auth = await healthOfficer(C);
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: `/imports/health/insurance-enrolment?batchKey=${KEY}`, headers: { authorization: auth, 'content-type': 'text/csv' } });
    const answered = new Promise<{ status: number; body: string }>((resolve) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', () => resolve({ status: 0, body: '' }));
    });
    return { req, answered };
  };

  it('cut off mid-upload, killed while copying, killed before the commit: nothing applied each time; re-sent, the result of a clean import', async () => {
    const before = await snapshot();
    expect(before.batches).toBe(0);
    const half = body.slice(0, body.indexOf('\n', body.length / 2) + 1);
    const kinds: string[] = [];
    for (let round = 0; round < 3; round++) {
      // 1. The client hangs up halfway through the upload.
      {
        const { req, answered } = await startPost();
        req.write(half);
        await waitFor(COPYING);
        req.destroy();
        await answered;
        await noImportBackends();
        expect(await snapshot()).toEqual(before);
        kinds.push('client gone');
      }
      // 2. The import's database connection is killed while rows stream in.
      {
        const { req, answered } = await startPost();
        req.write(half);
        const pid = await waitFor(COPYING);
        await pg.query('SELECT pg_terminate_backend($1)', [pid]);
        req.end(body.slice(half.length));
        const answer = await answered;
        expect([0, 503]).toContain(answer.status);
        if (answer.status) expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
        await noImportBackends();
        expect(await snapshot()).toEqual(before);
        kinds.push('killed copying');
      }
      // 3. Every row written, the batch waiting for the audit chain's head: killed before COMMIT.
      {
        const holder = new Client({ connectionString: process.env.TEST_DATABASE_URL });
        await holder.connect();
        await holder.query('BEGIN');
        await holder.query('SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE');
        try {
          const { req, answered } = await startPost();
          req.end(body);
          const pid = await waitFor(AT_AUDIT);
          await pg.query('SELECT pg_terminate_backend($1)', [pid]);
          const answer = await answered;
          expect(answer.status).toBe(503);
        } finally {
          await holder.query('ROLLBACK');
          await holder.end();
        }
        await noImportBackends();
        expect(await snapshot()).toEqual(before);
        kinds.push('killed before commit');
      }
    }
    expect(kinds).toHaveLength(9);

    // Resumed: the batch as a clean import gives it.
    const { req, answered } = await startPost();
    req.end(body);
    const answer = await answered;
    expect(answer.status).toBe(200);
    const batch = JSON.parse(answer.body).batch;
    expect(expected.size).toBeGreaterThan(0);
    expect(batch).toMatchObject({ status: 'applied', rowCount: expected.size, inserted: expected.size / 2, updated: expected.size / 4, unchanged: expected.size / 4, rejected: 0 });
    const after = await snapshot();
    expect(after.batches).toBe(1);
    expect(after.audits).toBe(1);
    const untouched = before.rows.filter((r) => r.year !== 2024);
    const byKey = new Map(after.rows.map((r) => [`${r.person_id}/${r.year}`, r]));
    for (const [key, want] of expected) expect({ key, ...byKey.get(key) }).toMatchObject({ key, ...want });
    for (const r of untouched) expect(byKey.get(`${r.person_id}/${r.year}`)).toEqual(r);
    expect(after.rows).toHaveLength(before.rows.length + expected.size / 2);
  });
});
