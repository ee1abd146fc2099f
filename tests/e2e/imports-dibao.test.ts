import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer } from '../support/app';
import { buildImportCounty, startImportApp, type ImportApp } from '../support/import-world';

// 低保 imports (dibao-enrolment): the rules the write service checks one enrolment at a time
// (civil-affairs-write.service.ts checkDibao) run set-based over the batch in the import engine
// (declaration importRules): ENDED needs an end date, covered persons ≤ registered members, no
// overlap with another not-ENDED enrolment of the household, stored or in the same batch.
// County 996661 (households 6760001–…, three members each); each test uses its own households.

const C = '996661';
const PATH = '/imports/civil_affairs/dibao-enrolment';
const HEADER = 'householdNumber,category,monthlyAmount,coveredPersons,startDate,endDate,status';
const csv = (rows: Array<Array<string | number>>, header = HEADER) => `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;

interface Household { id: string; number: string }

describe('低保 imports run the 低保 rules set-based (dibao-enrolment)', () => {
  let app: ImportApp;
  let pg: Client;
  let h: Household[];
  let auth: string;
  let next = 0;
  /** A household no other test has used. */
  const fresh = () => h[next++];

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildImportCounty(url, C, 6_760_000, { villages: 4, households: 5 });
    pg = new Client({ connectionString: url });
    await pg.connect();
    h = (await pg.query(`SELECT id::text, number FROM household WHERE county_code = $1 ORDER BY id`, [C])).rows;
    // A rerun on a kept database starts from no enrolments.
    await pg.query(`DELETE FROM dibao_enrolment WHERE county_code = $1`, [C]);
    auth = await bearer({ role: Role.OFFICER, department: Department.CIVIL_AFFAIRS, scope: C, sub: `imp-dibao-${C}` });
    app = await startImportApp();
  });
  afterAll(async () => {
    await app?.stop();
    await pg?.end();
  });

  let keys = 0;
  const post = (body: string, mode?: 'apply-valid') => app.post(body, { batchKey: `dibao-${process.pid}-${Date.now()}-${keys++}`, ...(mode ? { mode } : {}) }, { auth, path: PATH });
  const stored = async (household: Household) =>
    (await pg.query(
      `SELECT category::text, monthly_amount::float8 AS amount, covered_persons AS covered, to_char(start_date, 'YYYY-MM-DD') AS start,
              to_char(end_date, 'YYYY-MM-DD') AS "end", status::text, version
         FROM dibao_enrolment WHERE household_id = $1 ORDER BY start_date`, [household.id])).rows;
  /** An enrolment written straight into the table (the state a test starts from). */
  const seed = async (household: Household, start: string, end: string | null, status = 'active') =>
    (await pg.query(
      `INSERT INTO dibao_enrolment (county_code, household_id, category, monthly_amount, covered_persons, start_date, end_date, status)
       VALUES ($1, $2, 'class_a', 300, 2, $3, $4, $5) RETURNING id::text`, [C, household.id, start, end, status])).rows[0].id as string;
  const rejectsOf = (res: { body: { rejects: Array<Record<string, unknown>> } }) => res.body.rejects.map((r) => [r.rowNumber, r.column, r.code]);

  it('a clean batch inserts every row (Chinese headers too)', async () => {
    const [x, y] = [fresh(), fresh()];
    const res = await post(csv([
      [x.number, 'class_a', 520, 3, '2024-01-01', '', 'active'],
      [y.number, 'CLASS_B', 300, 1, '2023-01-01', '2023-12-31', 'ended'],
    ], '户编号,低保类别,低保金额,保障人数,起始日期,终止日期,享受状态'));
    expect(res.status).toBe(200);
    expect(res.body.batch).toMatchObject({ status: 'applied', inserted: 2, rejected: 0 });
    expect(await stored(x)).toEqual([{ category: 'class_a', amount: 520, covered: 3, start: '2024-01-01', end: null, status: 'active', version: 1 }]);
    expect(await stored(y)).toEqual([{ category: 'class_b', amount: 300, covered: 1, start: '2023-01-01', end: '2023-12-31', status: 'ended', version: 1 }]);
  });

  it('refuses a row overlapping a stored enrolment that has not ended, naming the column and the enrolment in both languages', async () => {
    const x = fresh();
    const open = await seed(x, '2023-01-01', null);
    const res = await post(csv([[x.number, 'class_a', 500, 2, '2024-06-01', '', 'active']]));
    expect(res.status).toBe(422);
    expect(res.body.batch).toMatchObject({ status: 'rejected', inserted: 0, rejected: 1 });
    expect(rejectsOf(res)).toEqual([[1, 'startDate', 'RULE']]);
    expect(res.body.rejects[0].message).toContain(`overlaps 低保 enrolment ${open} of the same household`);
    expect(res.body.rejects[0].messageZh).toContain(`与本户未退出的低保记录 ${open}`);
    expect(await stored(x)).toHaveLength(1);

    // An ENDED stored enrolment does not count; the bounds are inclusive ([]) on both sides.
    const y = fresh();
    await seed(y, '2020-01-01', '2023-12-31', 'ended');
    await seed(y, '2024-01-01', '2024-06-30');
    const edge = await post(csv([
      [y.number, 'class_a', 500, 2, '2021-01-01', '2021-12-31', 'active'],
      [y.number, 'class_a', 500, 2, '2024-06-30', '', 'active'],
    ]), 'apply-valid');
    expect(edge.status).toBe(200);
    expect(edge.body.batch).toMatchObject({ inserted: 1, rejected: 1 });
    expect(rejectsOf(edge)).toEqual([[2, 'startDate', 'RULE']]);
  });

  it('refuses both of two overlapping rows of one household in one batch, and applies a third that overlaps neither (apply-valid)', async () => {
    const x = fresh();
    const res = await post(csv([
      [x.number, 'class_a', 500, 2, '2020-01-01', '2020-12-31', 'active'],
      [x.number, 'class_a', 500, 2, '2020-06-01', '2021-05-31', 'suspended'],
      [x.number, 'class_a', 500, 2, '2022-01-01', '', 'active'],
      // Ended rows never overlap (as in the service).
      [x.number, 'class_a', 500, 2, '2020-03-01', '2020-04-30', 'ended'],
    ]), 'apply-valid');
    expect(res.status).toBe(200);
    expect(res.body.batch).toMatchObject({ status: 'applied', inserted: 2, rejected: 2 });
    expect(rejectsOf(res)).toEqual([[1, 'startDate', 'RULE'], [2, 'startDate', 'RULE']]);
    expect(res.body.rejects[0].message).toContain('overlaps row 2 of this batch');
    expect(res.body.rejects[1].message).toContain('overlaps row 1 of this batch');
    expect(res.body.rejects[1].messageZh).toContain('与本批次第 1 行');
    expect((await stored(x)).map((e) => e.start)).toEqual(['2020-03-01', '2022-01-01']);
  });

  it('refuses covered persons over the household’s registered members, and ENDED without an end date', async () => {
    const [x, y] = [fresh(), fresh()];
    const res = await post(csv([
      [x.number, 'class_a', 500, 4, '2024-01-01', '', 'active'],
      [y.number, 'class_a', 500, 3, '2024-01-01', '', 'ended'],
    ]));
    expect(res.status).toBe(422);
    expect(rejectsOf(res)).toEqual([[1, 'coveredPersons', 'RULE'], [2, 'endDate', 'RULE']]);
    expect(res.body.rejects[0].message).toContain('exceeds the household\'s 3 registered members');
    expect(res.body.rejects[0].messageZh).toContain('超过本户登记人数（3 人）');
    expect(res.body.rejects[1].messageZh).toMatch(/[\u4e00-\u9fff]/);
    expect(await stored(x)).toEqual([]);
    expect(await stored(y)).toEqual([]);
  });

  it('all-or-nothing applies nothing when one row breaks a rule; apply-valid applies the rest', async () => {
    const [x, y] = [fresh(), fresh()];
    await seed(y, '2023-01-01', null);
    const rows = [
      [x.number, 'class_c', 200, 1, '2024-02-01', '', 'active'],
      [y.number, 'class_c', 200, 1, '2024-02-01', '', 'active'],
    ];
    const all = await post(csv(rows));
    expect(all.status).toBe(422);
    expect(all.body.batch).toMatchObject({ status: 'rejected', inserted: 0, rejected: 1 });
    expect(await stored(x)).toEqual([]);
    const valid = await post(csv(rows), 'apply-valid');
    expect(valid.status).toBe(200);
    expect(valid.body.batch).toMatchObject({ status: 'applied', inserted: 1, rejected: 1 });
    expect(rejectsOf(valid)).toEqual([[2, 'startDate', 'RULE']]);
    expect((await stored(x)).map((e) => e.start)).toEqual(['2024-02-01']);
    expect(await stored(y)).toHaveLength(1);
  });

  it('an update by natural key is not an overlap with itself; ending an enrolment and starting the next in one batch works', async () => {
    const x = fresh();
    await seed(x, '2023-01-01', null);
    const update = await post(csv([[x.number, 'class_a', 350, 3, '2023-01-01', '', 'active']]));
    expect(update.status).toBe(200);
    expect(update.body.batch).toMatchObject({ updated: 1, rejected: 0 });
    expect(await stored(x)).toEqual([{ category: 'class_a', amount: 350, covered: 3, start: '2023-01-01', end: null, status: 'active', version: 2 }]);

    // The file ends the stored one and starts the next: each row is checked against the other as it will be.
    const handover = await post(csv([
      [x.number, 'class_a', 350, 3, '2023-01-01', '2023-12-31', 'active'],
      [x.number, 'class_b', 380, 3, '2024-01-01', '', 'active'],
    ]));
    expect(handover.status).toBe(200);
    expect(handover.body.batch).toMatchObject({ updated: 1, inserted: 1, rejected: 0 });
    expect((await stored(x)).map((e) => [e.start, e.end])).toEqual([['2023-01-01', '2023-12-31'], ['2024-01-01', null]]);

    // A file without the endDate column keeps the stored end date, and the rules see the record
    // as it will be: still ended on 2023-12-31, so no overlap with the next one.
    const kept = await post(csv([[x.number, 'class_a', 360, 3, '2023-01-01', 'active']], 'householdNumber,category,monthlyAmount,coveredPersons,startDate,status'));
    expect(kept.status).toBe(200);
    expect(kept.body.batch).toMatchObject({ updated: 1, rejected: 0 });
    expect((await stored(x))[0]).toMatchObject({ amount: 360, end: '2023-12-31', status: 'active', version: 4 });
  });

  it('when the row ending a stored enrolment is refused, the row starting the next one is refused too (the stored one stays open)', async () => {
    const x = fresh();
    await seed(x, '2023-01-01', null);
    const res = await post(csv([
      [x.number, 'class_a', 300, 9, '2023-01-01', '2023-12-31', 'active'],
      [x.number, 'class_b', 380, 2, '2024-01-01', '', 'active'],
    ]), 'apply-valid');
    expect(res.status).toBe(200);
    expect(res.body.batch).toMatchObject({ inserted: 0, updated: 0, rejected: 2 });
    expect(rejectsOf(res)).toEqual([[1, 'coveredPersons', 'RULE'], [2, 'startDate', 'RULE']]);
    expect((await stored(x)).map((e) => [e.start, e.end])).toEqual([['2023-01-01', null]]);
  });

  it('waits for a GraphQL 低保 write of the county in progress (the service’s lock), then checks against what it wrote', async () => {
    const x = fresh();
    const other = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await other.connect();
    try {
      // What createDibaoEnrolment holds while it checks and inserts.
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))`, [`dibao_enrolment:county:${C}`]);
      await other.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`dibao_enrolment:${x.id}`]);
      await other.query(
        `INSERT INTO dibao_enrolment (county_code, household_id, category, monthly_amount, covered_persons, start_date, end_date, status)
         VALUES ($1, $2, 'class_a', 300, 2, '2024-01-01', NULL, 'active')`, [C, x.id]);
      let settled = false;
      const importing = post(csv([[x.number, 'class_a', 500, 2, '2024-05-01', '', 'active']])).then((r) => { settled = true; return r; });
      await new Promise((r) => setTimeout(r, 400));
      expect(settled).toBe(false);
      await other.query('COMMIT');
      const res = await importing;
      expect(res.status).toBe(422);
      expect(rejectsOf(res)).toEqual([[1, 'startDate', 'RULE']]);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
    }
    expect(await stored(x)).toHaveLength(1);
  });

  it('GraphQL createDibaoEnrolment and an import row refuse and accept the same changes', async () => {
    const create = `mutation($h: ID!, $input: CreateDibaoEnrolmentInput!) { createDibaoEnrolment(householdId: $h, input: $input) { id } }`;
    const cases: Array<{ name: string; existing?: [string, string | null, string]; row: { covered: number; start: string; end: string | null; status: 'ACTIVE' | 'SUSPENDED' | 'ENDED' } }> = [
      { name: 'clean', row: { covered: 2, start: '2024-01-01', end: null, status: 'ACTIVE' } },
      { name: 'overlaps an open one', existing: ['2023-01-01', null, 'active'], row: { covered: 2, start: '2024-01-01', end: null, status: 'ACTIVE' } },
      { name: 'starts on the stored end date', existing: ['2023-01-01', '2023-12-31', 'suspended'], row: { covered: 2, start: '2023-12-31', end: null, status: 'ACTIVE' } },
      { name: 'starts the day after', existing: ['2023-01-01', '2023-12-31', 'active'], row: { covered: 2, start: '2024-01-01', end: null, status: 'ACTIVE' } },
      { name: 'overlaps an ended one', existing: ['2023-01-01', '2023-12-31', 'ended'], row: { covered: 2, start: '2023-06-01', end: null, status: 'ACTIVE' } },
      { name: 'ended, overlapping an open one', existing: ['2023-01-01', null, 'active'], row: { covered: 2, start: '2023-06-01', end: '2023-08-31', status: 'ENDED' } },
      { name: 'covers more than registered', row: { covered: 4, start: '2024-01-01', end: null, status: 'ACTIVE' } },
      { name: 'ended without end date', row: { covered: 2, start: '2024-01-01', end: null, status: 'ENDED' } },
    ];
    const outcomes = [];
    for (const c of cases) {
      const [viaGraphql, viaImport] = [fresh(), fresh()];
      if (c.existing) for (const x of [viaGraphql, viaImport]) await seed(x, ...c.existing);
      const g = await app.gql(create, {
        h: viaGraphql.id,
        input: { category: 'CLASS_A', monthlyAmount: 400, coveredPersons: c.row.covered, startDate: c.row.start, endDate: c.row.end, status: c.row.status },
      }, auth);
      const i = await post(csv([[viaImport.number, 'class_a', 400, c.row.covered, c.row.start, c.row.end ?? '', c.row.status.toLowerCase()]]));
      const graphql = g.errors ? `refused ${g.errors[0].extensions.code}` : 'accepted';
      const imported = i.body.batch?.inserted === 1 ? 'accepted' : `refused ${i.body.rejects?.[0]?.code}`;
      outcomes.push({ name: c.name, graphql: graphql.split(' ')[0], imported: imported.split(' ')[0] });
      if (g.errors) expect({ name: c.name, code: g.errors[0].extensions.code }).toEqual({ name: c.name, code: 'BAD_USER_INPUT' });
      expect((await stored(viaGraphql)).length).toBe((await stored(viaImport)).length);
    }
    expect(outcomes).toEqual([
      { name: 'clean', graphql: 'accepted', imported: 'accepted' },
      { name: 'overlaps an open one', graphql: 'refused', imported: 'refused' },
      { name: 'starts on the stored end date', graphql: 'refused', imported: 'refused' },
      { name: 'starts the day after', graphql: 'accepted', imported: 'accepted' },
      { name: 'overlaps an ended one', graphql: 'accepted', imported: 'accepted' },
      { name: 'ended, overlapping an open one', graphql: 'accepted', imported: 'accepted' },
      { name: 'covers more than registered', graphql: 'refused', imported: 'refused' },
      { name: 'ended without end date', graphql: 'refused', imported: 'refused' },
    ]);
  });
});
