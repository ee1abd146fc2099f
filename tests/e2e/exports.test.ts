import { createHash } from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import express from 'express';
import iconv from 'iconv-lite';
import { Client } from 'pg';
import pino from 'pino';
import { dataSource } from '../../ormconfig';
import { Role, TokenVerifier } from '../../src/core/auth';
import { Db } from '../../src/core/db';
import type { FacetDeclaration } from '../../src/core/facet-declaration';
import { fromCell } from '../../src/core/facet-validate';
import { Department } from '../../src/core/vocab';
import { exportCsvText, exportsRouter } from '../../src/modules/exports';
import { facetByKind } from '../../src/modules/facets';
import { insuranceEnrolmentFacet } from '../../src/modules/health/health.facets';
import { bearer, startApp, TEST_AUTH } from '../support/app';
import { buildCounty } from '../support/fixtures';

// GET /exports/:department/:kind (issue 8 §7). County 991801: townships 001 and 002, one
// village each, two households per village (ids 9_180_001–9_180_004; 9_180_001/2 in township
// 001); each household has a head (born 1970), a spouse (1972) and a child (2014, a minor), and
// everyone is insured in 2023 and 2024 (24 rows). County 991802 (ids from 9_182_001) is the
// out-of-scope neighbour. County 991803 (3,400 households from 9_190_001, 20,400 rows) is the
// large export.

const COUNTY = '991801';
const NEIGHBOUR = '991802';
const LARGE = '991803';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const PURPOSE = '年度参保核对 yearly enrolment check';
const URL_PATH = '/exports/health/insurance-enrolment';

/** A person-facet declaration owned by housing over the insurance table: housing does not serve minors. */
const housingView: FacetDeclaration = { ...insuranceEnrolmentFacet, kind: 'housing-insurance-view', department: Department.HOUSING };

/** A household-facet declaration over the temporary-assistance table (dates, money, free text). */
const assistanceView: FacetDeclaration = {
  kind: 'temporary-assistance-view', typeName: 'TemporaryAssistanceView', description: '临时救助 test view. Owned by 民政 civil affairs.', table: 'temporary_assistance',
  department: Department.CIVIL_AFFAIRS, parent: 'household', naturalKey: [], orderBy: 'f.id', edge: { field: 'x', description: 'x' }, mutations: 'custom',
  fields: [
    { name: 'paidOn', column: 'paid_on', type: { kind: 'date', aheadDays: 0 }, description: '发放日期', csv: { en: 'paidOn', zh: '发放日期' } },
    { name: 'amount', column: 'amount', type: { kind: 'money', min: 0, max: 100_000 }, description: '救助金额', csv: { en: 'amount', zh: '救助金额' } },
    { name: 'reason', column: 'reason', type: { kind: 'text', maxLength: 200 }, description: '事由', csv: { en: 'reason', zh: '救助事由' } },
  ],
};
const VIEWS = new Map([housingView, assistanceView].map((f) => [f.kind, f]));

interface Answer {
  status: number;
  headers: Headers;
  body: Buffer;
  json: () => any;
}

describe('GET /exports/:department/:kind', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let base: string;
  /** A second server: the same router over the same database, with a test declaration and small cursor batches. */
  let side: http.Server;
  let sideBase: string;
  /**
   * The side app on a Unix socket too, for the backpressure test: a loopback TCP connection here
   * buffers up to 32 MB (tcp_rmem), the whole export, so the server never has to wait for the
   * reader; a Unix socket buffers about 200 KB.
   */
  let sideUnix: http.Server;
  const SIDE_SOCKET = path.join(os.tmpdir(), `hg-exports-${process.pid}.sock`);
  let pg: Client;
  /** The side server's latest response, to see how much of an export it has produced. */
  let sideResponse: express.Response | undefined;

  const health = (scope = COUNTY, sub = 'export-test-health') => bearer({ role: Role.OFFICER, department: Department.HEALTH, scope, sub });

  async function get(path: string, authorization: string | null, root = base): Promise<Answer> {
    const res = await fetch(`${root}${path}`, { headers: authorization ? { authorization } : {} });
    const body = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) };
  }
  /** `get` through the side app's Unix socket. */
  function getUnix(path: string, authorization: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      http.get({ socketPath: SIDE_SOCKET, path, headers: { authorization } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers = new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)] as [string, string]));
          resolve({ status: res.statusCode ?? 0, headers, body, json: () => JSON.parse(body.toString('utf8')) });
        });
        res.on('error', reject);
      }).on('error', reject);
    });
  }
  const query = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

  /** The rows of a county straight from the tables, in record id order, keyed as the spec. */
  async function rowsOf(county: string, where = 'TRUE'): Promise<Array<Record<string, unknown>>> {
    const res = await pg.query(
      `SELECT i.id::text AS id, p.id_number AS "idNumber", i.year, i.scheme::text AS scheme, i.premium::text AS premium, i.subsidy::text AS subsidy
         FROM insurance_enrolment i JOIN person p ON p.id = i.person_id WHERE i.county_code = $1 AND ${where} ORDER BY i.id`,
      [county],
    );
    return res.rows;
  }
  const auditOf = async (requestId: string | null) =>
    (await pg.query(`SELECT role, department, action, entity, entity_id, fields, purpose, outcome, region_code FROM audit_record WHERE request_id = $1`, [requestId])).rows;
  const digestOf = (ids: string[]) => createHash('sha256').update(ids.map((id) => `${id}\n`).join('')).digest('hex');

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 2, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_180_000 });
    await buildCounty(url, { county: NEIGHBOUR, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_182_000 });
    await buildCounty(url, { county: LARGE, townships: 2, villagesPerTownship: 10, householdsPerVillage: 170, idBase: 9_190_000 });
    app = await startApp();
    await new Promise<void>((resolve) => app.server.httpServer.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}`;
    const verifier = await TokenVerifier.create(TEST_AUTH);
    const sideApp = express().use((_req, res, next) => {
      sideResponse = res;
      next();
    }).use(exportsRouter({
      db: new Db(dataSource),
      verifier,
      logger: pino({ level: 'silent' }),
      batchSize: 50,
      maxConcurrent: 1,
      facetByKind: (kind) => VIEWS.get(kind) ?? facetByKind(kind),
    }));
    side = http.createServer(sideApp);
    await new Promise<void>((resolve) => side.listen(0, '127.0.0.1', resolve));
    fs.rmSync(SIDE_SOCKET, { force: true });
    sideUnix = http.createServer(sideApp);
    await new Promise<void>((resolve) => sideUnix.listen(SIDE_SOCKET, resolve));
    sideBase = `http://127.0.0.1:${(side.address() as AddressInfo).port}`;
    pg = new Client({ connectionString: url });
    await pg.connect();
    await pg.query('DELETE FROM temporary_assistance WHERE county_code = $1', [COUNTY]);
    await pg.query(`INSERT INTO temporary_assistance (county_code, household_id, paid_on, amount, reason) VALUES
      ($1, 9180001, '2024-02-10', 1200.50, '火灾, "房屋" 受损
第二行'), ($1, 9180003, '2023-12-31', 80.00, '因病 illness')`, [COUNTY]);
  }, 120_000);
  afterAll(async () => {
    await pg?.end();
    await new Promise((resolve) => side?.close(resolve));
    await new Promise((resolve) => sideUnix?.close(resolve));
    fs.rmSync(SIDE_SOCKET, { force: true });
    await app?.stop();
  });

  it('exports exactly the in-scope rows, UTF-8 with a BOM and English headers, and audits it as one record', async () => {
    const res = await get(`${URL_PATH}${query({ purpose: PURPOSE })}`, await health());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="insurance-enrolment-991801-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.subarray(0, 3)).toEqual(BOM);
    const text = res.body.subarray(3).toString('utf8');
    const expected = await rowsOf(COUNTY);
    expect(expected).toHaveLength(24);
    expect(text).toBe(exportCsvText(insuranceEnrolmentFacet, expected));
    const [header, ...lines] = text.trimEnd().split('\r\n');
    expect(header).toBe('idNumber,year,scheme,premium,subsidy');
    // Everyone of the four households, both years; nobody from the neighbouring county.
    const want = [9_180_001, 9_180_002, 9_180_003, 9_180_004].flatMap((h) => [1, 2, 3].flatMap((m) => [2023, 2024].map((y) => `${String(h * 10 + m).padStart(18, '0')},${y},resident,380.00,200.00`)));
    expect([...lines].sort()).toEqual(want.sort());
    expect(res.headers.get('x-row-count')).toBe('24');
    expect(res.headers.get('x-rows-withheld')).toBe('0');
    const digest = digestOf(expected.map((r) => r.id as string));
    expect(res.headers.get('x-export-digest')).toBe(`sha256=${digest}`);
    expect(await auditOf(res.headers.get('x-request-id'))).toEqual([{
      role: 'officer', department: 'health', action: 'read', entity: 'insurance-enrolment', entity_id: digest,
      fields: ['idNumber', 'year', 'scheme', 'premium', 'subsidy', 'rows:24', 'withheld:0'], purpose: PURPOSE, outcome: 'success', region_code: COUNTY,
    }]);
  });

  it('reads back through fromCell to the stored values (the import side of the round trip)', async () => {
    const res = await get(`${URL_PATH}${query({ purpose: PURPOSE })}`, await health());
    const records: string[][] = parse(res.body, { bom: true, from_line: 2 });
    expect(records.length).toBeGreaterThan(0);
    const [spec] = [insuranceEnrolmentFacet.fields];
    for (const cells of records) {
      expect(cells[0]).toMatch(/^\d{18}$/);
      expect(spec.map((f, i) => fromCell(f.type, cells[i + 1]))).toEqual([expect.any(Number), 'resident', 380, 200]);
    }
  });

  it('cuts a township officer to the township', async () => {
    const res = await get(`${URL_PATH}${query({ purpose: PURPOSE })}`, await health(`${COUNTY}001`));
    expect(res.status).toBe(200);
    const expected = await rowsOf(COUNTY, 'i.household_id IN (9180001, 9180002)');
    expect(expected).toHaveLength(12);
    expect(res.body.subarray(3).toString('utf8')).toBe(exportCsvText(insuranceEnrolmentFacet, expected));
    expect(res.headers.get('content-disposition')).toContain('insurance-enrolment-991801001-');
  });

  it('gives Chinese headers, and GBK bytes that decode to the same rows', async () => {
    const utf8 = await get(`${URL_PATH}${query({ purpose: PURPOSE, header: 'zh' })}`, await health());
    const utf8Text = utf8.body.subarray(3).toString('utf8');
    expect(utf8Text.split('\r\n')[0]).toBe('身份证号,参保年度,险种,个人缴费标准,资助参保金额');
    expect(utf8Text).toBe(exportCsvText(insuranceEnrolmentFacet, await rowsOf(COUNTY), { header: 'zh' }));

    const gbk = await get(`${URL_PATH}${query({ purpose: PURPOSE, header: 'zh', encoding: 'gbk' })}`, await health());
    expect(gbk.status).toBe(200);
    expect(gbk.headers.get('content-type')).toBe('text/csv; charset=gb18030');
    // No BOM, and the Chinese header in GBK's own bytes (身 = C9 ED).
    expect(gbk.body.subarray(0, 8)).toEqual(iconv.encode('身份证号', 'gbk'));
    expect(iconv.decode(gbk.body, 'gbk')).toBe(utf8Text);
  });

  it('requires a stated purpose: without one, no ID number leaves and nothing is audited', async () => {
    for (const purpose of [undefined, '', '   ', 'abc', 'x'.repeat(201)]) {
      const res = await get(`${URL_PATH}${purpose === undefined ? '' : query({ purpose })}`, await health());
      expect({ purpose, status: res.status, body: res.json() }).toEqual({
        purpose, status: 400, body: { errors: [{ message: expect.stringContaining('purpose'), extensions: { code: 'BAD_USER_INPUT', field: 'purpose' } }] },
      });
      expect(res.body.toString('utf8')).not.toMatch(/\d{18}/);
      expect(await auditOf(res.headers.get('x-request-id'))).toEqual([]);
    }
  });

  it('refuses bad parameters with 400', async () => {
    const bad = await get(`${URL_PATH}${query({ purpose: PURPOSE, encoding: 'latin1' })}`, await health());
    expect([bad.status, bad.json().errors[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: 'encoding' }]);
    const header = await get(`${URL_PATH}${query({ purpose: PURPOSE, header: 'fr' })}`, await health());
    expect([header.status, header.json().errors[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: 'header' }]);
    const twice = await get(`${URL_PATH}?purpose=${encodeURIComponent(PURPOSE)}&purpose=again`, await health());
    expect([twice.status, twice.json().errors[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: 'purpose' }]);
  });

  it('refuses every caller but an officer of the owning department (403), anonymous callers (401), and unknown kinds (404)', async () => {
    const forbidden = [
      await bearer({ role: Role.COORDINATOR, scope: COUNTY }),
      await bearer({ role: Role.ANALYST, scope: COUNTY }),
      await bearer({ role: Role.AUDITOR, scope: COUNTY }),
      await bearer({ role: Role.ADMIN, scope: COUNTY }),
      await bearer({ role: Role.OFFICER, department: Department.CIVIL_AFFAIRS, scope: COUNTY }),
      await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: COUNTY }),
    ];
    for (const authorization of forbidden) {
      const res = await get(`${URL_PATH}${query({ purpose: PURPOSE })}`, authorization);
      expect([res.status, res.json().errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
      expect(res.body.toString('utf8')).not.toMatch(/\d{18}/);
      expect(await auditOf(res.headers.get('x-request-id'))).toEqual([]);
    }
    const anonymous = await get(`${URL_PATH}${query({ purpose: PURPOSE })}`, null);
    expect([anonymous.status, anonymous.json().errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    const badToken = await get(`${URL_PATH}${query({ purpose: PURPOSE })}`, 'Bearer not.a.token');
    expect([badToken.status, badToken.json().errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    for (const path of ['/exports/health/no-such-kind', '/exports/civil_affairs/insurance-enrolment', '/exports/nowhere/insurance-enrolment']) {
      const res = await get(`${path}${query({ purpose: PURPOSE })}`, await health());
      expect([path, res.status, res.json()]).toEqual([path, 404, { errors: [{ message: 'export kind not found', extensions: { code: 'NOT_FOUND' } }] }]);
    }
  });

  it('withholds the rows of subjects whose ID number the policy hides from the caller (minors, for housing), and says how many', async () => {
    const housing = await bearer({ role: Role.OFFICER, department: Department.HOUSING, scope: COUNTY, sub: 'export-test-housing' });
    const res = await get(`/exports/housing/${housingView.kind}${query({ purpose: PURPOSE })}`, housing, sideBase);
    expect(res.status).toBe(200);
    // Children (m = 3, born 2014) are minors; heads and spouses are adults.
    const adults = await rowsOf(COUNTY, 'p.id % 10 <> 3');
    expect(adults).toHaveLength(16);
    expect(res.body.subarray(3).toString('utf8')).toBe(exportCsvText(housingView, adults));
    expect(res.headers.get('x-row-count')).toBe('16');
    expect(res.headers.get('x-rows-withheld')).toBe('8');
    const [audit] = await auditOf(res.headers.get('x-request-id'));
    expect(audit).toMatchObject({ entity: housingView.kind, entity_id: digestOf(adults.map((r) => r.id as string)), fields: expect.arrayContaining(['rows:16', 'withheld:8']) });
    // Health serves minors: the same rows through the side server come whole.
    const whole = await get(`${URL_PATH}${query({ purpose: PURPOSE })}`, await health(), sideBase);
    expect(whole.headers.get('x-rows-withheld')).toBe('0');
    expect(whole.headers.get('x-row-count')).toBe('24');
  });

  it('streams a large export from a cursor: the first bytes arrive while the query is still open, and every row arrives', async () => {
    const expectedRows = 20_400;
    const authorization = await health(LARGE, 'export-test-large');
    const largePath = `${URL_PATH}${query({ purpose: 'large export check 大批量' })}`;
    const chunks: Buffer[] = [];
    const openBackends = async () =>
      (await pg.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE xact_start IS NOT NULL AND query LIKE '%FROM insurance_enrolment f JOIN person p%' AND pid <> pg_backend_pid()`)).rows[0].n as number;
    let secondWhilePaused: Answer | undefined;
    const done = new Promise<{ status: number; headers: http.IncomingHttpHeaders; openWhilePaused: number; producedWhilePaused: number }>((resolve, reject) => {
      const req = http.get({ socketPath: SIDE_SOCKET, path: largePath, headers: { authorization } }, (res) => {
        let paused = false;
        let openWhilePaused = -1;
        let producedWhilePaused = -1;
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (paused) return;
          paused = true;
          // Stop reading after the first bytes: the server's cursor must still be open, waiting.
          res.pause();
          // Asked at once: a loopback socket's buffers can take most of this file within the
          // pause below, after which the cursor may rightly have finished.
          const openNow = openBackends();
          setTimeout(() => void (async () => {
            openWhilePaused = await openNow;
            // What the server has produced so far: sent to the socket, or queued on the response.
            producedWhilePaused = (sideResponse?.socket?.bytesWritten ?? 0) + (sideResponse?.writableLength ?? 0);
            // The side server runs one export at a time: a second one is turned away meanwhile.
            secondWhilePaused = await getUnix(`${URL_PATH}${query({ purpose: PURPOSE })}`, await health());
            res.resume();
          })().catch(reject), 500);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, openWhilePaused, producedWhilePaused }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    const { status, headers, openWhilePaused, producedWhilePaused } = await done;
    expect(status).toBe(200);
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(headers['content-length']).toBeUndefined();
    expect(openWhilePaused).toBe(1);
    expect([secondWhilePaused?.status, secondWhilePaused?.headers.get('retry-after'), secondWhilePaused?.json().errors[0].extensions.code]).toEqual([503, '10', 'SERVICE_UNAVAILABLE']);
    expect(await auditOf(secondWhilePaused?.headers.get('x-request-id') ?? null)).toEqual([]);
    const body = Buffer.concat(chunks);
    // Backpressure reaches the cursor: while the reader waited, the server had produced only a
    // part of the file (what the Unix socket's buffer holds, about 200 KB), not the whole of it.
    expect(producedWhilePaused).toBeGreaterThan(0);
    expect(producedWhilePaused).toBeLessThan(body.length / 2);
    const lines = body.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(expectedRows + 1);
    expect(headers['x-row-count']).toBe(String(expectedRows));
    expect(new Set(lines.slice(1)).size).toBe(expectedRows);
    // And the snapshot is closed once the last row is sent (polled: under load the COMMIT may
    // land a little after the client has read the last byte).
    let open = await openBackends();
    for (let waited = 0; open !== 0 && waited < 5000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      open = await openBackends();
    }
    expect(open).toBe(0);
    // Its slot is free again.
    expect((await get(`${URL_PATH}${query({ purpose: PURPOSE })}`, await health(), sideBase)).status).toBe(200);
  }, 120_000);
  it('a reader that hangs up mid-export closes the snapshot and frees its slot', async () => {
    const authorization = await health(LARGE, 'export-test-hangup');
    const url = new URL(`${sideBase}${URL_PATH}${query({ purpose: 'hang-up check 中断' })}`);
    await new Promise<void>((resolve, reject) => {
      const req = http.get(url, { headers: { authorization } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    });
    const open = async () =>
      (await pg.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE xact_start IS NOT NULL AND query LIKE '%FROM insurance_enrolment f JOIN person p%' AND pid <> pg_backend_pid()`)).rows[0].n as number;
    for (let i = 0; i < 50 && (await open()) > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await open()).toBe(0);
    expect((await get(`${URL_PATH}${query({ purpose: PURPOSE })}`, await health(), sideBase)).status).toBe(200);
  }, 60_000);
  it('exports a household facet keyed by household number, with dates, money and quoted free text', async () => {
    const civil = await bearer({ role: Role.OFFICER, department: Department.CIVIL_AFFAIRS, scope: COUNTY, sub: 'export-test-civil' });
    const res = await get(`/exports/civil_affairs/${assistanceView.kind}${query({ purpose: PURPOSE, header: 'zh' })}`, civil, sideBase);
    expect(res.status).toBe(200);
    const records: string[][] = parse(res.body, { bom: true });
    expect(records).toEqual([
      ['户编号', '发放日期', '救助金额', '救助事由'],
      ['9918010010010001', '2024-02-10', '1200.50', '火灾, "房屋" 受损\n第二行'],
      ['9918010020010001', '2023-12-31', '80.00', '因病 illness'],
    ]);
    const [audit] = await auditOf(res.headers.get('x-request-id'));
    expect(audit.fields).toEqual(['householdNumber', 'paidOn', 'amount', 'reason', 'rows:2', 'withheld:0']);
  });
});
