import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer } from '../support/app';
import { buildImportCounty, healthOfficer, personsOf, startImportApp, type ImportApp } from '../support/import-world';

// Imports over GraphQL (issue 8 §3, §7): the importBatch mutation runs small JSON batches through
// the engine of POST /imports, and importBatches / importBatch show the batch records to the
// department's officers and to auditors inside the region. County 996604 (the officers'),
// 996605 (elsewhere); persons with valid ID numbers, insured 2023 and 2024 by the fixture.

const A = '996604';
const B = '996605';
const BATCH = 'id kind department batchKey mode status encoding rowCount inserted updated unchanged rejected contentDigest changeDigest';
const IMPORT = `mutation ($kind: String!, $rows: [JSONObject!]!, $key: String!, $mode: ImportMode) {
  importBatch(kind: $kind, rows: $rows, batchKey: $key, mode: $mode) { replayed batch { ${BATCH} rejects { rowNumber column code message messageZh } } } }`;
const LIST = `query ($filter: ImportBatchFilter) { importBatches(first: 10, filter: $filter) { totalCount edges { node { id batchKey scope rejects(first: 5) { rowNumber code } } } } }`;
const ONE = `query ($id: ID!) { importBatch(id: $id) { id batchKey status } }`;

describe('imports over GraphQL (issue 8 §3, §7)', () => {
  let app: ImportApp;
  let pg: Client;
  let a: Array<{ id: string; idNumber: string }>;
  let b: Array<{ id: string; idNumber: string }>;
  let health: string;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildImportCounty(url, A, 6_640_000);
    await buildImportCounty(url, B, 6_650_000);
    pg = new Client({ connectionString: url });
    await pg.connect();
    a = await personsOf(pg, A);
    b = await personsOf(pg, B);
    app = await startImportApp({ IMPORT_MAX_JSON_ROWS: 20 });
    health = await healthOfficer(A, 'gql-health');
  });
  afterAll(async () => {
    await app?.stop();
    await pg?.end();
  });

  it('imports JSON rows (English or Chinese keys) through the same engine, exactly once per batch key', async () => {
    const rows = [
      { idNumber: a[0].idNumber, year: 2025, scheme: 'RESIDENT', premium: 400, subsidy: 250 },
      { 身份证号: a[1].idNumber, 参保年度: '2024', 险种: 'resident', 个人缴费标准: 380, 资助参保金额: 200 },
    ];
    const first = await app.gql(IMPORT, { kind: 'insurance-enrolment', rows, key: 'gql-1' }, health);
    expect(first.errors).toBeUndefined();
    expect(first.data.importBatch).toMatchObject({ replayed: false, batch: { status: 'APPLIED', mode: 'ALL_OR_NOTHING', encoding: 'json', rowCount: 2, inserted: 1, unchanged: 1, rejected: 0 } });
    const again = await app.gql(IMPORT, { kind: 'insurance-enrolment', rows, key: 'gql-1' }, health);
    expect(again.data.importBatch.replayed).toBe(true);
    expect(again.data.importBatch.batch.id).toBe(first.data.importBatch.batch.id);
    const changed = await app.gql(IMPORT, { kind: 'insurance-enrolment', rows: rows.slice(0, 1), key: 'gql-1' }, health);
    expect(changed.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BATCH_KEY_REUSED' });
  });

  it('lists rejects, applies valid rows in apply-valid mode, and refuses other departments and oversize batches', async () => {
    const rows = [
      { idNumber: a[2].idNumber, year: 2022, scheme: 'resident', premium: 300, subsidy: 100 },
      { idNumber: b[0].idNumber, year: 2022, scheme: 'resident', premium: 300, subsidy: 100 },
      { idNumber: a[3].idNumber, year: 2022, scheme: 'resident', premium: 'lots', subsidy: 100 },
    ];
    const res = await app.gql(IMPORT, { kind: 'insurance-enrolment', rows, key: 'gql-valid', mode: 'APPLY_VALID' }, health);
    expect(res.errors).toBeUndefined();
    expect(res.data.importBatch.batch).toMatchObject({ status: 'APPLIED', inserted: 1, rejected: 2 });
    expect(res.data.importBatch.batch.rejects.map((r: { rowNumber: number; column: string; code: string }) => [r.rowNumber, r.column, r.code]))
      .toEqual([[2, 'idNumber', 'UNKNOWN_PERSON'], [3, 'premium', 'INVALID_FORMAT']]);

    const education = await bearer({ role: Role.OFFICER, department: Department.EDUCATION, scope: A, sub: 'gql-education' });
    const forbidden = await app.gql(IMPORT, { kind: 'insurance-enrolment', rows, key: 'gql-forbidden' }, education);
    expect(forbidden.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const coordinator = await app.gql(IMPORT, { kind: 'insurance-enrolment', rows, key: 'gql-forbidden' }, await bearer({ role: Role.COORDINATOR, scope: A }));
    expect(coordinator.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const tooMany = await app.gql(IMPORT, { kind: 'insurance-enrolment', rows: Array(21).fill(rows[0]), key: 'gql-many' }, health);
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'TOO_MANY_ROWS' });
    const unknownColumn = await app.gql(IMPORT, { kind: 'insurance-enrolment', rows: [{ ...rows[0], colour: 'red' }], key: 'gql-colour' }, health);
    expect(unknownColumn.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_COLUMN' });
    expect(Number((await pg.query(`SELECT count(*) FROM import_batch WHERE batch_key IN ('gql-forbidden', 'gql-many', 'gql-colour')`)).rows[0].count)).toBe(0);
  });

  it('shows batches to their department’s officers and to auditors inside the region, and to nobody else', async () => {
    const mine = await app.gql(LIST, { filter: { batchKey: 'gql-valid' } }, health);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.importBatches.totalCount).toBe(1);
    const node = mine.data.importBatches.edges[0].node;
    expect(node).toMatchObject({ batchKey: 'gql-valid', scope: A, rejects: [{ rowNumber: 2, code: 'UNKNOWN_PERSON' }, { rowNumber: 3, code: 'INVALID_FORMAT' }] });
    const auditor = await bearer({ role: Role.AUDITOR, scope: A, sub: 'gql-auditor' });
    expect((await app.gql(ONE, { id: node.id }, auditor)).data.importBatch).toMatchObject({ batchKey: 'gql-valid', status: 'APPLIED' });
    // Another department, another region, or a township inside the county: not theirs to see.
    const education = await bearer({ role: Role.OFFICER, department: Department.EDUCATION, scope: A, sub: 'gql-education' });
    const notFound = { code: 'NOT_FOUND' };
    expect((await app.gql(ONE, { id: node.id }, education)).errors?.[0].extensions).toMatchObject(notFound);
    expect((await app.gql(LIST, { filter: { batchKey: 'gql-valid' } }, education)).data.importBatches.totalCount).toBe(0);
    expect((await app.gql(ONE, { id: node.id }, await healthOfficer(B, 'gql-health-b'))).errors?.[0].extensions).toMatchObject(notFound);
    expect((await app.gql(ONE, { id: node.id }, await healthOfficer(`${A}001`, 'gql-health-township'))).errors?.[0].extensions).toMatchObject(notFound);
    const analyst = await app.gql(ONE, { id: node.id }, await bearer({ role: Role.ANALYST, scope: A }));
    expect(analyst.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});
