import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import request from 'supertest';
import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { makeIdNumber } from '../../src/core/id-number';
import { Department } from '../../src/core/vocab';
import { bearer } from '../support/app';
import { buildImportCounty, healthOfficer, personsOf, startImportApp, type ImportApp } from '../support/import-world';

// Bulk imports (issue 8 §3–§5, §7) over HTTP. County 996601 (households 6610001–6610008, three
// members each, ID numbers with valid checksums) is the health officer's region; county 996602
// (6620001–…) lies outside it. The fixture insures everyone for 2023 and 2024 (resident, 380,
// 200). Each test uses its own insurance years, so that the tests do not depend on each other.

const A = '996601';
const B = '996602';
const HEADER = 'idNumber,year,scheme,premium,subsidy';
const csv = (rows: Array<Array<string | number>>, header = HEADER) => `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;

describe('imports over HTTP (issue 8 §3–§5)', () => {
  let app: ImportApp;
  let pg: Client;
  let a: Array<{ id: string; idNumber: string }>;
  let b: Array<{ id: string; idNumber: string }>;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildImportCounty(url, A, 6_610_000);
    await buildImportCounty(url, B, 6_620_000);
    pg = new Client({ connectionString: url });
    await pg.connect();
    a = await personsOf(pg, A);
    b = await personsOf(pg, B);
    app = await startImportApp({ IMPORT_MAX_BYTES: 64 * 1024, IMPORT_MAX_ROWS: 300 });
  });
  afterAll(async () => {
    await app?.stop();
    await pg?.end();
  });

  const enrolment = async (personId: string, year: number) =>
    (await pg.query(`SELECT scheme, premium::float8 AS premium, subsidy::float8 AS subsidy, version FROM insurance_enrolment WHERE person_id = $1 AND year = $2`, [personId, year])).rows[0];
  const countYear = async (year: number) => Number((await pg.query(`SELECT count(*) FROM insurance_enrolment WHERE year = $1 AND county_code IN ($2, $3)`, [year, A, B])).rows[0].count);

  it('inserts, updates and leaves unchanged, counts each, audits the batch once with a digest of its row changes, and writes one change event per changed row', async () => {
    const listener = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await listener.connect();
    const notified: string[] = [];
    listener.on('notification', (n) => notified.push(String(n.payload)));
    await listener.query('LISTEN household_graph_events');
    const body = csv([
      [a[0].idNumber, 2025, 'resident', 400, 250],
      [a[1].idNumber, 2024, 'resident', 380, 200],
      [a[2].idNumber, 2024, 'RESIDENT', '420.50', 200],
    ]);
    const res = await app.post(body, { batchKey: 'happy-1' });
    expect(res.status).toBe(200);
    expect(res.body.replayed).toBe(false);
    expect(res.body.batch).toMatchObject({ status: 'applied', mode: 'all-or-nothing', encoding: 'utf-8', rowCount: 3, inserted: 1, updated: 1, unchanged: 1, rejected: 0 });
    expect(await enrolment(a[0].id, 2025)).toEqual({ scheme: 'resident', premium: 400, subsidy: 250, version: 1 });
    expect(await enrolment(a[1].id, 2024)).toEqual({ scheme: 'resident', premium: 380, subsidy: 200, version: 1 });
    expect(await enrolment(a[2].id, 2024)).toEqual({ scheme: 'resident', premium: 420.5, subsidy: 200, version: 2 });

    const batchId = res.body.batch.id as string;
    const changes = (await pg.query(`SELECT row_number AS "row", change, fields FROM import_row_change WHERE batch_id = $1 ORDER BY row_number`, [batchId])).rows;
    expect(changes).toEqual([
      { row: 1, change: 'insert', fields: ['year', 'scheme', 'premium', 'subsidy'] },
      { row: 3, change: 'update', fields: ['premium'] },
    ]);
    // One audit record for the batch; its digest is recomputable from the row-change table.
    const audit = (await pg.query(`SELECT entity, entity_id AS "entityId", outcome, purpose, fields, region_code AS "regionCode" FROM audit_record WHERE entity = 'ImportBatch' AND entity_id = $1`, [batchId])).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'success', regionCode: A, fields: ['year', 'scheme', 'premium', 'subsidy'] });
    const ids = (await pg.query(`SELECT row_number, entity_id::text FROM import_row_change WHERE batch_id = $1 ORDER BY row_number`, [batchId])).rows;
    const expected = createHash('sha256')
      .update(ids.map((r: { row_number: number; entity_id: string }, i: number) => `${r.row_number},${r.entity_id},${changes[i].change},${changes[i].fields.join(';')}`).join('\n'))
      .digest('hex');
    expect(res.body.batch.changeDigest).toBe(expected);
    expect(audit[0].purpose).toContain(`row changes sha256 ${expected}`);
    expect(audit[0].purpose).toContain(`content sha256 ${res.body.batch.contentDigest}`);

    // Change events: one per changed row, in row order, field names only, the batch named.
    const events = (await pg.query(
      `SELECT seq::text, entity, entity_id AS "entityId", person_id::text AS "personId", region_code AS "regionCode", department::text, kind, fields, actor, batch_id::text AS "batchId"
         FROM change_event WHERE batch_id = $1 ORDER BY seq`, [batchId])).rows;
    expect(events.map(({ seq: _s, regionCode: _r, ...e }) => e)).toEqual([
      { entity: 'InsuranceEnrolment', entityId: ids[0].entity_id, personId: a[0].id, department: 'health', kind: 'create', fields: ['year', 'scheme', 'premium', 'subsidy'], actor: 'imp-health-996601', batchId },
      { entity: 'InsuranceEnrolment', entityId: ids[1].entity_id, personId: a[2].id, department: 'health', kind: 'update', fields: ['premium'], actor: 'imp-health-996601', batchId },
    ]);
    expect(events.every((e) => e.regionCode.startsWith(A))).toBe(true);
    // The batch's audit record precedes its events in the chain's lock order; one NOTIFY with the last seq.
    for (let i = 0; i < 50 && !notified.includes(events[1].seq); i++) await new Promise((r) => setTimeout(r, 20));
    expect(notified).toContain(events[1].seq);
    await listener.end();
  });

  it('applies the same batch ten times exactly once, and refuses the same key with other content', async () => {
    const body = csv([[a[3].idNumber, 2022, 'resident', 300, 100], [a[4].idNumber, 2022, 'resident', 300, 100]]);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await app.post(body, { batchKey: 'ten-times' }));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(answers.map((r) => r.body.replayed)).toEqual([false, ...Array(9).fill(true)]);
    expect(new Set(answers.map((r) => r.body.batch.id)).size).toBe(1);
    expect(answers[9].body.batch).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    expect(await countYear(2022)).toBe(2);
    expect(await enrolment(a[3].id, 2022)).toMatchObject({ version: 1 });
    const audits = await pg.query(`SELECT 1 FROM audit_record WHERE entity = 'ImportBatch' AND entity_id = $1`, [answers[0].body.batch.id]);
    expect(audits.rowCount).toBe(1);

    const other = await app.post(csv([[a[3].idNumber, 2022, 'resident', 310, 100]]), { batchKey: 'ten-times' });
    expect(other.status).toBe(409);
    expect(other.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BATCH_KEY_REUSED', batchId: answers[0].body.batch.id });
    expect(await enrolment(a[3].id, 2022)).toMatchObject({ premium: 300, version: 1 });
  });

  it('all-or-nothing (the default): one bad row applies nothing and lists every reject with row, column, code and both messages', async () => {
    const badId = `${a[5].idNumber.slice(0, 17)}${a[5].idNumber[17] === '0' ? '1' : '0'}`;
    const body = csv([
      [a[5].idNumber, 2021, 'resident', 300, 100],
      [badId, 2021, 'resident', 300, 100],
      [a[6].idNumber, 2021, 'nonsense', 300, 400],
      [b[0].idNumber, 2021, 'resident', 300, 100],
      [makeIdNumber('110101', '1990-03-07', 1), 2021, 'resident', 300, 100],
      [a[7].idNumber, 2021, 'resident', 300, 100],
      [a[7].idNumber, 2021, 'resident', 320, 100],
    ]);
    const res = await app.post(body, { batchKey: 'aon-1' });
    expect(res.status).toBe(422);
    expect(res.body.batch).toMatchObject({ status: 'rejected', rowCount: 7, inserted: 0, updated: 0, unchanged: 0, rejected: 6 });
    expect(await countYear(2021)).toBe(0);
    const rejects = res.body.rejects.map((r: Record<string, unknown>) => [r.rowNumber, r.column, r.code]);
    expect(rejects).toEqual([
      [2, 'idNumber', 'INVALID_ID_NUMBER'],
      [3, 'scheme', 'NOT_IN_VOCABULARY'],
      // Out of scope and unknown answer alike: an import is not an oracle for ID numbers elsewhere.
      [4, 'idNumber', 'UNKNOWN_PERSON'],
      [5, 'idNumber', 'UNKNOWN_PERSON'],
      [6, 'idNumber', 'DUPLICATE_KEY'],
      [7, 'idNumber', 'DUPLICATE_KEY'],
    ]);
    for (const r of res.body.rejects) {
      expect(r.message).toMatch(/\w/);
      expect(r.messageZh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(res.body.rejects[4].message).toContain('rows 6, 7');
    // The batch's audit record says it was refused.
    const audit = await pg.query(`SELECT outcome FROM audit_record WHERE entity = 'ImportBatch' AND entity_id = $1`, [res.body.batch.id]);
    expect(audit.rows).toEqual([{ outcome: 'invalid' }]);
  });

  it('apply-valid applies the good rows and lists the rejects', async () => {
    const body = csv([
      [a[8].idNumber, 2020, 'resident', 300, 100],
      [a[9].idNumber, 2020, 'resident', 300, 400],
      [b[1].idNumber, 2020, 'resident', 300, 100],
      [a[10].idNumber, 2020, 'resident', 300, 100],
    ]);
    const res = await app.post(body, { batchKey: 'valid-1', mode: 'apply-valid' });
    expect(res.status).toBe(200);
    expect(res.body.batch).toMatchObject({ status: 'applied', mode: 'apply-valid', inserted: 2, rejected: 2 });
    expect(res.body.rejects.map((r: Record<string, unknown>) => [r.rowNumber, r.column, r.code])).toEqual([[2, 'subsidy', 'RULE'], [3, 'idNumber', 'UNKNOWN_PERSON']]);
    expect(await enrolment(a[8].id, 2020)).toBeDefined();
    expect(await enrolment(a[9].id, 2020)).toBeUndefined();
    expect(await enrolment(b[1].id, 2020)).toBeUndefined();
    expect(await enrolment(a[10].id, 2020)).toBeDefined();
  });

  it('a GBK file with Chinese headers imports the same as its UTF-8 twin', async () => {
    const rows = [[a[11].idNumber, 2019, '城乡居民', 300, 100], [a[12].idNumber, 2019, 'resident', 350, 150]];
    const utf8 = csv([[a[11].idNumber, 2019, 'resident', 300, 100], [a[12].idNumber, 2019, 'resident', 350, 150]]);
    const gbk = iconv.encode(csv(rows.map((r) => [r[0], r[1], 'resident', r[3], r[4]]), '身份证号,参保年度,险种,个人缴费标准,资助参保金额'), 'gbk');
    expect(gbk.includes(Buffer.from('身份证号', 'utf8'))).toBe(false);
    const first = await app.post(gbk, { batchKey: 'gbk-1' });
    expect(first.status).toBe(200);
    expect(first.body.batch).toMatchObject({ encoding: 'gb18030', inserted: 2 });
    // The twin: same rows, English header, UTF-8 with a BOM: the same content under the same key.
    const twin = await app.post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(utf8)]), { batchKey: 'gbk-1' });
    expect(twin.status).toBe(200);
    expect(twin.body.replayed).toBe(true);
    expect(twin.body.batch.contentDigest).toBe(first.body.batch.contentDigest);
    expect(await enrolment(a[12].id, 2019)).toEqual({ scheme: 'resident', premium: 350, subsidy: 150, version: 1 });
    // Declared encodings are honoured, Content-Type charset too.
    const declared = await app.post(gbk, { batchKey: 'gbk-2' }, { contentType: 'text/csv; charset=gbk' });
    expect(declared.body.batch).toMatchObject({ encoding: 'gbk', unchanged: 2 });
    expect(declared.body.batch.contentDigest).toBe(first.body.batch.contentDigest);
  });

  it('downloads the rejects as CSV in the encoding the file came in', async () => {
    const gbk = iconv.encode(csv([[a[13].idNumber, 2018, 'resident', 300, 900], ['123', 2018, 'resident', 1, 1]], '身份证号,参保年度,险种,个人缴费标准,资助参保金额'), 'gbk');
    const res = await app.post(gbk, { batchKey: 'rejects-csv' });
    expect(res.status).toBe(422);
    const dl = await request(app.server.app).get(res.body.rejectsUrl).set('authorization', await healthOfficer(A)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(dl.status).toBe(200);
    expect(dl.headers['content-type']).toContain('charset=gb18030');
    const text = iconv.decode(dl.body as Buffer, 'gb18030');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('row 行号,column 列,code 代码,message,说明');
    expect(lines[1]).toMatch(/^1,资助参保金额,RULE,/);
    expect(lines[2]).toMatch(/^2,身份证号,INVALID_ID_NUMBER,.*身份号码/);
    // Another department's officer does not see the batch.
    const other = await request(app.server.app).get(res.body.rejectsUrl).set('authorization', await bearer({ role: Role.OFFICER, department: Department.EDUCATION, scope: A }));
    expect(other.status).toBe(404);
  });

  it('is for officers of the owner department: another department is FORBIDDEN (403) and nothing is read', async () => {
    const body = csv([[a[14].idNumber, 2017, 'resident', 300, 100]]);
    const forbidden = await app.post(body, { batchKey: 'forbidden-1' }, { auth: await bearer({ role: Role.OFFICER, department: Department.EDUCATION, scope: A }) });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const coordinator = await app.post(body, { batchKey: 'forbidden-1' }, { auth: await bearer({ role: Role.COORDINATOR, scope: A }) });
    expect(coordinator.status).toBe(403);
    const anonymous = await app.post(body, { batchKey: 'forbidden-1' }, { auth: '' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrongDepartment = await app.post(body, { batchKey: 'forbidden-1' }, { path: '/imports/education/insurance-enrolment' });
    expect(wrongDepartment.status).toBe(404);
    expect(await countYear(2017)).toBe(0);
  });

  it('round-trips with the export: the county’s exported enrolments import back unchanged (UTF-8 and GBK with Chinese headers)', async () => {
    const auth = await healthOfficer(A);
    for (const [encoding, header] of [['utf-8', 'en'], ['gbk', 'zh']]) {
      const exported = await request(app.server.app).get('/exports/health/insurance-enrolment')
        .query({ purpose: '导入回读 round trip', encoding, header }).set('authorization', auth).buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(exported.status).toBe(200);
      const rows = Number(exported.headers['x-row-count']);
      expect(rows).toBeGreaterThan(40);
      const res = await app.post(exported.body as Buffer, { batchKey: `round-trip-${encoding}` });
      expect(res.status).toBe(200);
      expect(res.body.batch).toMatchObject({ rowCount: rows, inserted: 0, updated: 0, unchanged: rows, rejected: 0 });
    }
  });

  describe('malformed input is refused whole with a typed error and applies nothing', () => {
    const good = () => [a[15].idNumber, 2016, 'resident', 300, 100];
    const cases: Array<[string, () => string | Buffer, Record<string, string>, number, string]> = [
      ['empty file', () => '', {}, 400, 'EMPTY_FILE'],
      ['header only', () => `${HEADER}\n`, {}, 400, 'NO_ROWS'],
      ['ragged row', () => `${HEADER}\n${good().join(',')}\n${a[16].idNumber},2016,resident,300\n`, {}, 400, 'RAGGED_ROW'],
      ['bad quoting', () => `${HEADER}\n${good().join(',')}\n"${a[16].idNumber},2016,resident,300,100\n`, {}, 400, 'BAD_QUOTING'],
      ['unknown column', () => csv([[...good(), 'x']], `${HEADER},colour`), {}, 400, 'UNKNOWN_COLUMN'],
      ['missing column', () => csv([good().slice(0, 4)], 'idNumber,year,scheme,premium'), {}, 400, 'MISSING_COLUMN'],
      ['no header (data first)', () => csv([good()], good().join(',')), {}, 400, 'UNKNOWN_COLUMN'],
      ['repeated column', () => csv([[...good(), 2016]], `${HEADER},参保年度`), {}, 400, 'DUPLICATE_COLUMN'],
      ['binary junk', () => Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0x00, 0x13, 0x37, 0x0a]), {}, 400, 'NOT_TEXT'],
      ['unknown encoding', () => csv([good()]), { encoding: 'klingon' }, 400, 'UNKNOWN_ENCODING'],
      ['no batch key', () => csv([good()]), {}, 400, 'BAD_BATCH_KEY'],
      ['bad mode', () => csv([good()]), { mode: 'best-effort' }, 400, 'BAD_MODE'],
      ['oversize body', () => `${HEADER}\n${`${good().join(',')}\n`.repeat(2000)}`, {}, 413, 'BODY_TOO_LARGE'],
      ['too many rows', () => csv(Array.from({ length: 301 }, () => good())), {}, 400, 'TOO_MANY_ROWS'],
    ];
    it.each(cases)('%s', async (name, body, query, status, reason) => {
      const res = await app.post(body(), name === 'no batch key' ? query : { batchKey: `malformed-${name.replace(/\W/g, '-')}`, ...query });
      expect(res.status).toBe(status);
      expect(res.body.errors[0].extensions.reason).toBe(reason);
      expect(['BAD_USER_INPUT', 'BAD_REQUEST']).toContain(res.body.errors[0].extensions.code);
      expect(res.body.errors[0].extensions.messageZh).toMatch(/[\u4e00-\u9fff]/);
      expect(res.body.errors[0].message).not.toMatch(/at \w+ \(|node_modules/);
      expect(await countYear(2016)).toBe(0);
      const batches = await pg.query(`SELECT 1 FROM import_batch WHERE batch_key LIKE 'malformed-%'`);
      expect(batches.rowCount).toBe(0);
    });
  });
});
