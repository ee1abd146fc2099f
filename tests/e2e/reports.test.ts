import iconv from 'iconv-lite';
import { Client } from 'pg';
import request from 'supertest';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer, startApp } from '../support/app';
import { buildCounty, seedOnce } from '../support/fixtures';

// Reports (统计报表, issue 9 §1) on two fixture counties of city 9923: figures equal direct SQL
// on the fixture, subtotals and the grand total add up, an analyst of one county never sees the
// other's rows (nor counts them in a total), no identifier reaches an answer, incompatible
// requests are refused, CSV comes with a BOM or in GBK, saved reports are their owner's alone,
// and a report is one SQL statement.

const A = '992301';
const B = '992302';
const AS_OF = '2024-12-31';

const REPORT = `query ($dimensions: [ReportDimension!]!, $metrics: [ReportMetric!]!, $filter: ReportFilter, $asOf: LocalDate) {
  report(dimensions: $dimensions, metrics: $metrics, filter: $filter, asOf: $asOf) {
    asOf dimensions metrics
    rows {
      totalOver grandTotal
      region { code name level }
      status mainCause measureKind department year housingGrade ageBand gender labourAbility schoolingStage
      values { metric value }
    }
  }
}`;

interface Row {
  totalOver: string[];
  grandTotal: boolean;
  region: { code: string; name: string | null; level: string } | null;
  [k: string]: any;
  values: Array<{ metric: string; value: number | null }>;
}

/** Extra facts on county A (and a project in B): 低保, appraisals, measures, funds. */
async function addFacets(url: string): Promise<void> {
  await seedOnce(url, 'reports-facets', { sql: `SELECT 1 FROM measure WHERE county_code = $1`, params: [A] }, async (c) => {
    // 低保: every third household active since 2020 (300 a month); every fifth had one that ended in 2021.
    await c.query(`INSERT INTO dibao_enrolment (county_code, household_id, category, monthly_amount, covered_persons, start_date, end_date, status)
      SELECT county_code, id, 'class_a'::dibao_category, 300, 3, '2020-01-01'::date, NULL::date, 'active'::enrolment_status FROM household WHERE county_code = $1 AND id % 3 = 0
      UNION ALL SELECT county_code, id, 'class_b', 150, 2, '2019-01-01', '2021-12-31', 'ended' FROM household WHERE county_code = $1 AND id % 5 = 0`, [A]);
    // Appraisals: even households C in 2019; every fourth renovated to A in 2024.
    await c.query(`INSERT INTO housing_appraisal (county_code, household_id, grade, appraised_on, appraiser)
      SELECT county_code, id, 'C'::housing_grade, '2019-06-01'::date, '测试鉴定' FROM household WHERE county_code = $1 AND id % 2 = 0
      UNION ALL SELECT county_code, id, 'A', '2024-06-01', '测试鉴定' FROM household WHERE county_code = $1 AND id % 4 = 0`, [A]);
    // Measures: an industry measure (completed, 1000) each; odd households a pairing underway in 2024 and one planned for 2026.
    await c.query(`INSERT INTO measure (county_code, household_id, kind, department, status, amount, year, description)
      SELECT county_code, id, 'industry'::measure_kind, 'poverty_office'::department, 'completed'::work_status, 1000, 2023, '产业' FROM household WHERE county_code = $1
      UNION ALL SELECT county_code, id, 'pairing', 'poverty_office', 'underway', 0, 2024, '结对' FROM household WHERE county_code = $1 AND id % 2 = 1
      UNION ALL SELECT county_code, id, 'education_training', 'education', 'planned', 500, 2026, '培训' FROM household WHERE county_code = $1 AND id % 2 = 1`, [A]);
    // Funds: a township project in A (two allocations, one after asOf) and one in B.
    await c.query(`INSERT INTO project (id, county_code, region_code, name, kind, year, budget, status) VALUES
      (9923001, $1::varchar, $1::varchar || '001000', '测试道路', 'infrastructure', 2024, 90000, 'underway'),
      (9923002, $2::varchar, $2::varchar || '001000', '测试饮水', 'infrastructure', 2024, 50000, 'underway')`, [A, B]);
    await c.query(`INSERT INTO fund_allocation (county_code, project_id, source, amount, allocated_on, announced_on) VALUES
      ($1, 9923001, 'central', 50000, '2024-03-01', '2024-04-01'), ($1, 9923001, 'county', 20000, '2025-01-10', NULL),
      ($1, 9923001, 'provincial', 7000, '2024-09-01', NULL), ($2, 9923002, 'central', 40000, '2024-03-01', '2024-04-01')`, [A, B]);
  });
}

describe('reports', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let db: Client;
  let analystA: string;
  const sql = async <T = any>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[];

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: A, townships: 2, villagesPerTownship: 2, householdsPerVillage: 5, idBase: 9_950_000 });
    await buildCounty(url, { county: B, townships: 2, villagesPerTownship: 2, householdsPerVillage: 3, idBase: 9_955_000 });
    await addFacets(url);
    db = new Client({ connectionString: url });
    await db.connect();
    app = await startApp();
    analystA = await bearer({ role: Role.ANALYST, scope: A, sub: 'reports-analyst-a' });
  });
  afterAll(async () => {
    await db?.end();
    await app?.stop();
  });

  const report = async (vars: Record<string, unknown>, authorization = analystA) => {
    const res = await app.gql<{ report: { rows: Row[] } }>(REPORT, { asOf: AS_OF, ...vars }, { authorization });
    return res;
  };
  const rowsOf = async (vars: Record<string, unknown>, authorization = analystA): Promise<Row[]> => {
    const res = await report(vars, authorization);
    expect(res.errors).toBeUndefined();
    return res.data.report.rows;
  };
  const value = (row: Row, metric: string) => row.values.find((v) => v.metric === metric)?.value;
  const details = (rows: Row[]) => rows.filter((r) => r.totalOver.length === 0);
  const grand = (rows: Row[]) => rows.filter((r) => r.grandTotal);

  it('counts households, persons and 低保 by township and main cause as direct SQL does, in one statement', async () => {
    const metrics = ['HOUSEHOLDS', 'PERSONS', 'DIBAO_HOUSEHOLDS', 'DIBAO_MONTHLY_AMOUNT', 'DIBAO_COVERAGE'];
    const res = await report({ dimensions: ['REGION_TOWNSHIP', 'MAIN_CAUSE'], metrics });
    expect(res.errors).toBeUndefined();
    expect(res.sqlStatements).toBe(1);
    const rows = res.data.report.rows;
    const expected = await sql<{ township: string; cause: string | null; households: number; persons: number; dibao: number; amount: number }>(
      `SELECT rpad(left(h.village_code, 9), 12, '0') AS township, h.main_cause AS cause, count(*)::int AS households,
              sum((SELECT count(*) FROM person p WHERE p.household_id = h.id))::int AS persons,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM dibao_enrolment d WHERE d.household_id = h.id AND d.status = 'active' AND d.start_date <= $2 AND (d.end_date IS NULL OR d.end_date >= $2)))::int AS dibao,
              coalesce(sum((SELECT sum(d.monthly_amount) FROM dibao_enrolment d WHERE d.household_id = h.id AND d.status = 'active' AND d.start_date <= $2 AND (d.end_date IS NULL OR d.end_date >= $2))), 0)::float8 AS amount
         FROM household h WHERE h.county_code = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [A, AS_OF],
    );
    const got = details(rows).map((r) => ({
      township: r.region?.code, cause: r.mainCause === null ? null : r.mainCause.toLowerCase(),
      households: value(r, 'HOUSEHOLDS'), persons: value(r, 'PERSONS'), dibao: value(r, 'DIBAO_HOUSEHOLDS'), amount: value(r, 'DIBAO_MONTHLY_AMOUNT'),
    }));
    expect(got).toEqual(expected);
    expect(expected.reduce((s, e) => s + e.dibao, 0)).toBeGreaterThan(0);
    // Township names come from the region table; levels are the one asked.
    expect(details(rows).every((r) => r.region?.level === 'TOWNSHIP' && /^测试镇\d$/.test(r.region.name ?? ''))).toBe(true);

    // Subtotals: per township (over MAIN_CAUSE), per cause (over the township), the grand total.
    for (const metric of ['HOUSEHOLDS', 'PERSONS', 'DIBAO_HOUSEHOLDS', 'DIBAO_MONTHLY_AMOUNT']) {
      const byTownship = rows.filter((r) => r.totalOver.join() === 'MAIN_CAUSE');
      expect(byTownship).toHaveLength(2);
      for (const t of byTownship) {
        expect(value(t, metric)).toBeCloseTo(details(rows).filter((r) => r.region?.code === t.region?.code).reduce((s, r) => s + (value(r, metric) ?? 0), 0));
      }
      const byCause = rows.filter((r) => r.totalOver.join() === 'REGION_TOWNSHIP');
      for (const c of byCause) {
        expect(value(c, metric)).toBeCloseTo(details(rows).filter((r) => r.mainCause === c.mainCause).reduce((s, r) => s + (value(r, metric) ?? 0), 0));
      }
      expect(grand(rows)).toHaveLength(1);
      expect(value(grand(rows)[0], metric)).toBeCloseTo(details(rows).reduce((s, r) => s + (value(r, metric) ?? 0), 0));
    }
    const [total] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM household WHERE county_code = $1`, [A]);
    expect(value(grand(rows)[0], 'HOUSEHOLDS')).toBe(total.n);
    expect(value(grand(rows)[0], 'DIBAO_COVERAGE')).toBeCloseTo((value(grand(rows)[0], 'DIBAO_HOUSEHOLDS') as number) / total.n);
    // Detail rows come first, the grand total last.
    expect(rows[rows.length - 1].grandTotal).toBe(true);
  });

  it('computes person metrics by age band and gender: insurance in asOf\'s year, enrolment of 6–15-year-olds', async () => {
    const metrics = ['PERSONS', 'INSURED_PERSONS', 'INSURANCE_COVERAGE', 'SCHOOL_AGE_CHILDREN', 'ENROLLED_CHILDREN', 'ENROLMENT_RATE'];
    const rows = await rowsOf({ dimensions: ['AGE_BAND', 'GENDER'], metrics });
    const [persons] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM person WHERE county_code = $1`, [A]);
    const g = grand(rows)[0];
    expect(value(g, 'PERSONS')).toBe(persons.n);
    // Every member is insured in 2023 and 2024; children (born 2014) are enrolled in school year 2024.
    expect(value(g, 'INSURANCE_COVERAGE')).toBe(1);
    expect(value(g, 'SCHOOL_AGE_CHILDREN')).toBe(persons.n / 3);
    expect(value(g, 'ENROLMENT_RATE')).toBe(1);
    const kids = details(rows).find((r) => r.ageBand === 'AGE_6_14' && r.gender === 'MALE') as Row;
    expect(value(kids, 'PERSONS')).toBe(persons.n / 3);
    expect(details(rows).map((r) => r.ageBand).sort()).toEqual(['AGE_18_59', 'AGE_18_59', 'AGE_6_14']);
    // Adults have no school age: the rate has no denominator there.
    expect(details(rows).filter((r) => r.ageBand === 'AGE_18_59').every((r) => value(r, 'ENROLMENT_RATE') === null)).toBe(true);

    // In 2025 nobody is insured yet; the 2024 school year still runs in June 2025.
    const later = grand(await rowsOf({ dimensions: [], metrics, asOf: '2025-06-30' }))[0];
    expect(value(later, 'INSURED_PERSONS')).toBe(0);
    expect(value(later, 'ENROLLED_CHILDREN')).toBe(persons.n / 3);
    // In September 2025 a new school year starts, with no enrolment recorded.
    expect(value(grand(await rowsOf({ dimensions: [], metrics, asOf: '2025-09-01' }))[0], 'ENROLLED_CHILDREN')).toBe(0);
  });

  it('counts persons the same whether they are cut by household facts only or by their own', async () => {
    const metrics = ['PERSONS', 'INSURED_PERSONS', 'ENROLLED_CHILDREN'];
    // Household facts only: persons are counted per household (report-sql.ts); with GENDER, row by row.
    const folded = details(await rowsOf({ dimensions: ['STATUS', 'HOUSING_GRADE'], metrics: [...metrics, 'HOUSEHOLDS'] }));
    const joined = await rowsOf({ dimensions: ['STATUS', 'HOUSING_GRADE', 'GENDER'], metrics });
    expect(folded.length).toBeGreaterThan(4);
    for (const row of folded) {
      const same = joined.find((r) => r.totalOver.join() === 'GENDER' && r.status === row.status && r.housingGrade === row.housingGrade) as Row;
      expect(metrics.map((m) => value(same, m))).toEqual(metrics.map((m) => value(row, m)));
    }
    const expected = await sql<{ status: string; n: number }>(
      `SELECT h.status::text AS status, count(*)::int AS n FROM person p JOIN household h ON h.id = p.household_id WHERE h.county_code = $1 GROUP BY 1 ORDER BY 1`, [A],
    );
    const byStatus = details(await rowsOf({ dimensions: ['STATUS'], metrics: ['PERSONS'] }));
    expect(byStatus.map((r) => ({ status: r.status.toLowerCase(), n: value(r, 'PERSONS') }))).toEqual(expected);
  });

  it('counts measures by kind and department, funds by project region, housing grades as of asOf', async () => {
    const measureRows = await rowsOf({ dimensions: ['MEASURE_KIND', 'DEPARTMENT'], metrics: ['MEASURES', 'MEASURES_COMPLETED', 'MEASURES_UNDERWAY', 'MEASURE_AMOUNT', 'MEASURE_AMOUNT_COMPLETED'] });
    const expected = await sql<{ kind: string; department: string; n: number; completed: number; underway: number; amount: number }>(
      `SELECT kind::text, department::text, count(*)::int AS n, count(*) FILTER (WHERE status = 'completed')::int AS completed,
              count(*) FILTER (WHERE status = 'underway')::int AS underway, sum(amount)::float8 AS amount
         FROM measure WHERE county_code = $1 AND year <= 2024 GROUP BY 1, 2 ORDER BY 1, 2`,
      [A],
    );
    expect(details(measureRows).map((r) => ({
      kind: r.measureKind.toLowerCase(), department: r.department.toLowerCase(), n: value(r, 'MEASURES'), completed: value(r, 'MEASURES_COMPLETED'),
      underway: value(r, 'MEASURES_UNDERWAY'), amount: value(r, 'MEASURE_AMOUNT'),
    }))).toEqual(expected);
    // The 2026 plan is not counted as of 2024.
    expect(measureRows.some((r) => r.measureKind === 'EDUCATION_TRAINING')).toBe(false);

    const funds = await rowsOf({ dimensions: ['REGION_TOWNSHIP', 'MEASURE_KIND'], metrics: ['FUND_ALLOCATED', 'FUND_ANNOUNCED'] });
    const road = details(funds);
    expect(road).toEqual([expect.objectContaining({ region: { code: `${A}001000`, name: '测试镇1', level: 'TOWNSHIP' }, measureKind: 'INFRASTRUCTURE' })]);
    expect(value(road[0], 'FUND_ALLOCATED')).toBe(57000);
    expect(value(road[0], 'FUND_ANNOUNCED')).toBe(50000);

    const grade = async (asOf: string) => Object.fromEntries(details(await rowsOf({ dimensions: ['HOUSING_GRADE'], metrics: ['HOUSEHOLDS'], asOf })).map((r) => [r.housingGrade ?? 'none', value(r, 'HOUSEHOLDS')]));
    const [counts] = await sql<{ even: number; fourth: number; all: number }>(
      `SELECT count(*) FILTER (WHERE id % 2 = 0)::int AS even, count(*) FILTER (WHERE id % 4 = 0)::int AS fourth, count(*)::int AS all FROM household WHERE county_code = $1`, [A],
    );
    expect(await grade('2024-12-31')).toEqual({ A: counts.fourth, C: counts.even - counts.fourth, none: counts.all - counts.even });
    expect(await grade('2023-12-31')).toEqual({ C: counts.even, none: counts.all - counts.even });
  });

  it('keeps an analyst of one county to that county, in rows and in totals', async () => {
    const rows = await rowsOf({ dimensions: ['REGION_COUNTY'], metrics: ['HOUSEHOLDS', 'PERSONS', 'FUND_ALLOCATED'].slice(0, 2) });
    expect(details(rows).map((r) => r.region?.code)).toEqual([`${A}000000`]);
    const [a] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM household WHERE county_code = $1`, [A]);
    expect(value(grand(rows)[0], 'HOUSEHOLDS')).toBe(a.n);
    // Asking for county B, or the whole city, by filter: nothing of B.
    const other = await rowsOf({ dimensions: ['REGION_TOWNSHIP'], metrics: ['HOUSEHOLDS'], filter: { regionCode: B } });
    expect(other).toHaveLength(1);
    expect(value(other[0], 'HOUSEHOLDS')).toBe(0);
    const city = await rowsOf({ dimensions: ['REGION_VILLAGE'], metrics: ['HOUSEHOLDS', 'FUND_ALLOCATED'].slice(0, 1), filter: { regionCode: '9923' } });
    expect(details(city).length).toBeGreaterThan(0);
    expect(details(city).every((r) => r.region?.code.startsWith(A))).toBe(true);
    expect(value(grand(city)[0], 'HOUSEHOLDS')).toBe(a.n);
    // A padded code names its level: 992301000000 is the whole county, not a village.
    const padded = await rowsOf({ dimensions: [], metrics: ['HOUSEHOLDS'], filter: { regionCode: `${A}000000` } });
    expect(value(padded[0], 'HOUSEHOLDS')).toBe(a.n);
    const funds = await rowsOf({ dimensions: [], metrics: ['FUND_ALLOCATED'] });
    expect(value(funds[0], 'FUND_ALLOCATED')).toBe(57000);
    // A city analyst sees both counties.
    const cityAnalyst = await bearer({ role: Role.ANALYST, scope: '9923', sub: 'reports-analyst-city' });
    const both = await rowsOf({ dimensions: ['REGION_COUNTY'], metrics: ['HOUSEHOLDS'] }, cityAnalyst);
    expect(details(both).map((r) => r.region?.code)).toEqual([`${A}000000`, `${B}000000`]);
  });

  it('never answers an ID number, a name or a household number', async () => {
    const identifiers = await sql<{ v: string }>(
      `SELECT id_number AS v FROM person WHERE county_code = $1 UNION ALL SELECT name FROM person WHERE county_code = $1
       UNION ALL SELECT number FROM household WHERE county_code = $1 UNION ALL SELECT birth_date::text FROM person WHERE county_code = $1`,
      [A],
    );
    expect(identifiers.length).toBeGreaterThan(100);
    const answers: string[] = [];
    for (const dimensions of [
      ['REGION_VILLAGE', 'STATUS', 'MAIN_CAUSE'], ['REGION_VILLAGE', 'AGE_BAND', 'GENDER'], ['LABOUR_ABILITY', 'SCHOOLING_STAGE', 'HOUSING_GRADE'], ['YEAR', 'STATUS'],
    ]) {
      const res = await report({ dimensions, metrics: ['HOUSEHOLDS', 'PERSONS'].filter((m) => m === 'PERSONS' || !dimensions.some((d) => ['AGE_BAND', 'GENDER', 'LABOUR_ABILITY', 'SCHOOLING_STAGE'].includes(d))) });
      expect(res.errors).toBeUndefined();
      answers.push(JSON.stringify(res.data));
    }
    const csv = await request(app.server.app).get('/reports/export.csv')
      .query({ dimensions: 'REGION_VILLAGE,AGE_BAND,GENDER', metrics: 'PERSONS', asOf: AS_OF }).set('authorization', analystA);
    answers.push(csv.text);
    for (const answer of answers) {
      const found = identifiers.filter(({ v }) => answer.includes(v));
      expect(found).toEqual([]);
    }
  });

  it('refuses incompatible, unbounded and malformed requests with BAD_USER_INPUT naming the problem', async () => {
    const refused = async (vars: Record<string, unknown>, pattern: RegExp) => {
      const res = await report(vars);
      expect(res.status).toBeLessThan(500);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(pattern);
    };
    await refused({ dimensions: ['MEASURE_KIND'], metrics: ['PERSONS'] }, /MEASURE_KIND does not combine with PERSONS/);
    await refused({ dimensions: ['AGE_BAND'], metrics: ['HOUSEHOLDS'] }, /AGE_BAND does not combine with HOUSEHOLDS/);
    await refused({ dimensions: ['REGION_TOWNSHIP'], metrics: ['HOUSEHOLDS', 'FUND_ALLOCATED'], filter: { statuses: ['REGISTERED'] } }, /STATUS does not combine with FUND_ALLOCATED/);
    await refused({ dimensions: ['STATUS', 'MAIN_CAUSE', 'YEAR', 'HOUSING_GRADE'], metrics: ['HOUSEHOLDS'] }, /at most 3 dimensions/);
    await refused({ dimensions: ['REGION_COUNTY', 'REGION_TOWNSHIP'], metrics: ['HOUSEHOLDS'] }, /one region level/);
    await refused({ dimensions: [], metrics: [] }, /at least one metric/);
    await refused({ dimensions: [], metrics: ['HOUSEHOLDS'], asOf: '1900-01-01' }, /asOf/);
  });

  it('is for staff with a region scope: auditors and admins are refused', async () => {
    const officer = await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: A, sub: 'reports-officer' });
    expect((await report({ dimensions: ['STATUS'], metrics: ['HOUSEHOLDS'] }, officer)).errors).toBeUndefined();
    for (const role of [Role.AUDITOR, Role.ADMIN]) {
      const res = await report({ dimensions: ['STATUS'], metrics: ['HOUSEHOLDS'] }, await bearer({ role, scope: A }));
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await report({ dimensions: ['STATUS'], metrics: ['HOUSEHOLDS'] }, '')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('exports the same report as CSV: UTF-8 with a BOM by default, GBK on request, Chinese headers on request', async () => {
    const get = (query: Record<string, string>, authorization: string | null = analystA) => {
      const req = request(app.server.app).get('/reports/export.csv').query(query).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      return authorization ? req.set('authorization', authorization) : req;
    };
    const q = { dimensions: 'REGION_TOWNSHIP,MAIN_CAUSE', metrics: 'HOUSEHOLDS,PERSONS', asOf: AS_OF };
    const utf8 = await get(q);
    expect(utf8.status).toBe(200);
    expect(utf8.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(utf8.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
    const body = utf8.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('township_code,township_name,main_cause,total_over,households,persons');
    const rows = await rowsOf({ dimensions: ['REGION_TOWNSHIP', 'MAIN_CAUSE'], metrics: ['HOUSEHOLDS', 'PERSONS'] });
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[lines.length - 1]).toBe(`,,,REGION_TOWNSHIP|MAIN_CAUSE,${value(grand(rows)[0], 'HOUSEHOLDS')},${value(grand(rows)[0], 'PERSONS')}`);
    expect(lines[1]).toMatch(new RegExp(`^${A}001000,测试镇1,`));

    const gbk = await get({ ...q, encoding: 'gbk', headers: 'zh' });
    expect(gbk.status).toBe(200);
    expect(gbk.headers['content-type']).toMatch(/charset=gbk/);
    const gbkBody = gbk.body as Buffer;
    expect(gbkBody[0]).not.toBe(0xef);
    const decoded = iconv.decode(gbkBody, 'gbk');
    expect(decoded.split('\r\n')[0]).toBe('乡/镇代码,乡/镇名称,主要致贫原因,合计维度,户数,人数');
    expect(decoded).toContain('测试镇1');
    expect(gbkBody.includes(Buffer.from('测试镇1', 'utf8'))).toBe(false);
    const both = await get({ ...q, headers: 'both' });
    expect((both.body as Buffer).subarray(3).toString('utf8').split('\r\n')[0]).toBe('乡/镇代码 township_code,乡/镇名称 township_name,主要致贫原因 main_cause,合计维度 total_over,户数 households,人数 persons');

    const status = async (query: Record<string, string>, authorization: string | null = analystA) => {
      const res = await get(query, authorization);
      return { status: res.status, code: JSON.parse((res.body as Buffer).toString('utf8')).errors[0].extensions.code };
    };
    expect(await status(q, null)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await status(q, 'Bearer not-a-token-at-all')).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await status(q, await bearer({ role: Role.AUDITOR, scope: A }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await status({ ...q, metrics: 'NO_SUCH' })).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    expect(await status({ ...q, dimensions: 'MEASURE_KIND', metrics: 'PERSONS' })).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    expect(await status({ ...q, filter: '{not json' })).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    expect(await status({ ...q, asOf: '2024-02-30' })).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    expect(await status({ ...q, encoding: 'latin1' })).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    // A filter as JSON cuts the export as it cuts the query.
    const registered = await get({ ...q, filter: JSON.stringify({ statuses: ['REGISTERED'], mainCauses: ['ILLNESS', 'disability', 'LABOUR'] }) });
    expect(registered.status).toBe(200);
    const cut = (registered.body as Buffer).subarray(3).toString('utf8').trim().split('\r\n');
    const [reg] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM household WHERE county_code = $1 AND status = 'registered'`, [A]);
    expect(cut[cut.length - 1].split(',')[4]).toBe(String(reg.n));
  });

  it('saves report definitions per owner: listed, run and changed by their owner only', async () => {
    const SAVE = `mutation ($name: String!, $definition: ReportDefinitionInput!, $id: ID, $version: Int) {
      saveReport(name: $name, definition: $definition, id: $id, version: $version) { id name version definition { dimensions metrics filter { statuses regionCode } } } }`;
    const other = await bearer({ role: Role.ANALYST, scope: A, sub: 'reports-analyst-other' });
    const definition = { dimensions: ['REGION_TOWNSHIP', 'MAIN_CAUSE'], metrics: ['HOUSEHOLDS', 'PERSONS'], filter: { statuses: ['REGISTERED'] } };
    const saved = await app.gql(SAVE, { name: '低保户 by township', definition }, { authorization: analystA });
    expect(saved.errors).toBeUndefined();
    const { id } = saved.data.saveReport;
    expect(saved.data.saveReport).toMatchObject({ name: '低保户 by township', version: 1, definition: { ...definition, filter: { statuses: ['REGISTERED'], regionCode: null } } });
    // The change is audited and leaves a change event.
    const [audit] = await sql(`SELECT action, outcome FROM audit_record WHERE entity = 'SavedReport' AND entity_id = $1`, [id]);
    expect(audit).toEqual({ action: 'create', outcome: 'success' });
    expect(await sql(`SELECT kind FROM change_event WHERE entity = 'SavedReport' AND entity_id = $1`, [id])).toEqual([{ kind: 'create' }]);

    const dup = await app.gql(SAVE, { name: '低保户 by township', definition }, { authorization: analystA });
    expect(dup.errors?.[0].extensions?.code).toBe('CONFLICT');
    const bad = await app.gql(SAVE, { name: 'bad', definition: { dimensions: ['MEASURE_KIND'], metrics: ['PERSONS'] } }, { authorization: analystA });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const LIST = `{ savedReports { id name } }`;
    expect((await app.gql(LIST, {}, { authorization: analystA })).data.savedReports).toEqual([{ id, name: '低保户 by township' }]);
    expect((await app.gql(LIST, {}, { authorization: other })).data.savedReports).toEqual([]);

    const RUN = `query ($id: ID!, $asOf: LocalDate) { runSavedReport(id: $id, asOf: $asOf) { dimensions rows { grandTotal values { metric value } } } }`;
    const run = await app.gql(RUN, { id, asOf: AS_OF }, { authorization: analystA });
    expect(run.errors).toBeUndefined();
    const [reg] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM household WHERE county_code = $1 AND status = 'registered'`, [A]);
    expect(run.data.runSavedReport.rows.find((r: Row) => r.grandTotal).values[0]).toEqual({ metric: 'HOUSEHOLDS', value: reg.n });
    expect((await app.gql(RUN, { id }, { authorization: other })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const csv = await request(app.server.app).get('/reports/export.csv').query({ savedReport: id, asOf: AS_OF }).set('authorization', other);
    expect(csv.status).toBe(404);

    // Another analyst can neither change nor delete it; its owner can, at the version read.
    const stolen = await app.gql(SAVE, { id, version: 1, name: 'mine now', definition }, { authorization: other });
    expect(stolen.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const DELETE = `mutation ($id: ID!, $version: Int) { deleteReport(id: $id, version: $version) }`;
    expect((await app.gql(DELETE, { id }, { authorization: other })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const stale = await app.gql(SAVE, { id, version: 7, name: 'renamed', definition }, { authorization: analystA });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const renamed = await app.gql(SAVE, { id, version: 1, name: 'renamed', definition: { ...definition, filter: null } }, { authorization: analystA });
    expect(renamed.data.saveReport).toMatchObject({ id, name: 'renamed', version: 2, definition: { filter: null } });
    expect((await app.gql(DELETE, { id, version: 2 }, { authorization: analystA })).data.deleteReport).toBe(id);
    expect((await app.gql(LIST, {}, { authorization: analystA })).data.savedReports).toEqual([]);
    // Auditors have no saved reports to write.
    const auditor = await bearer({ role: Role.AUDITOR, scope: A });
    expect((await app.gql(SAVE, { name: 'x', definition }, { authorization: auditor })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
