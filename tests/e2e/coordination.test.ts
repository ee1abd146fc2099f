import pino from 'pino';
import { Client } from 'pg';
import { dataSource } from '../../ormconfig';
import { Role } from '../../src/core/auth';
import { DEFAULT_CALENDAR } from '../../src/core/calendar';
import { Department } from '../../src/core/vocab';
import { asOf, CoordinationWorker, evaluateRules, RuleCode } from '../../src/modules/coordination';
import { bearer, startApp } from '../support/app';
import { seedOnce } from '../support/fixtures';

// Coordination rules and gaps (issue 12 §2) on a county of their own (992201), each rule with a
// household planted to fire it and one like it that must not; households 9922001…, persons ×10.

const COUNTY = '992201';
const V1 = '992201001001';
const V2 = '992201002001';
const ON = asOf(DEFAULT_CALENDAR.today());
const Y = ON.year;
const H = (n: number) => String(9_922_000 + n);
const P = (n: number, m = 1) => String((9_922_000 + n) * 10 + m);

interface Plant {
  n: number;
  village?: string;
  status: 'none' | 'registered' | 'exited' | 'monitored';
  water?: boolean;
  /** [member no., birth year, labour ability, insured this year] */
  members?: Array<[number, string, string, boolean]>;
  income?: number;
  sql?: string[];
}

const ADULT = (m = 1, insured = true): [number, string, string, boolean] => [m, '1980-01-01', 'ordinary', insured];
const CHILD = (m: number, insured = true): [number, string, string, boolean] => [m, `${Y - 10}-03-01`, 'none', insured];

const PLANTS: Plant[] = [
  // 应保尽保: nobody can work, income under the 低保 line (5,640), no 低保 — and the same with 低保.
  { n: 1, status: 'none', members: [[1, '1950-01-01', 'lost', true]], income: 3000 },
  { n: 2, status: 'none', members: [[1, '1950-01-01', 'lost', true]], income: 3000,
    sql: [`INSERT INTO dibao_enrolment (household_id, county_code, category, monthly_amount, covered_persons, start_date, status) VALUES (${H(2)}, '${COUNTY}', 'class_a', 400, 1, '${Y - 1}-01-01', 'active')`] },
  // 基本医疗保障: a registered household's member uninsured this year (paired, so nothing else fires).
  { n: 3, status: 'registered', members: [ADULT(1, false), ADULT(2, true)], income: 20000 },
  // 义务教育保障: a 10-year-old not enrolled; one enrolled; one enrolled but flagged a dropout.
  { n: 4, status: 'none', members: [ADULT(), CHILD(2)], income: 20000 },
  { n: 5, status: 'none', members: [ADULT(), CHILD(2)], income: 20000,
    sql: [`INSERT INTO school_enrolment (household_id, person_id, county_code, school_year, stage, school_name, grade, status) VALUES (${H(5)}, ${P(5, 2)}, '${COUNTY}', ${ON.schoolYear}, 'primary', '测试小学', 4, 'enrolled')`] },
  { n: 6, status: 'none', members: [ADULT(), CHILD(2)], income: 20000,
    sql: [
      `INSERT INTO school_enrolment (household_id, person_id, county_code, school_year, stage, school_name, grade, status) VALUES (${H(6)}, ${P(6, 2)}, '${COUNTY}', ${ON.schoolYear}, 'primary', '测试小学', 4, 'enrolled')`,
      `INSERT INTO dropout_watch (household_id, person_id, county_code, opened_on, reason, status) VALUES (${H(6)}, ${P(6, 2)}, '${COUNTY}', '${Y - 1}-10-01', '外出务工', 'open')`,
    ] },
  // 住房安全保障: a D house with nothing under way; one with a renovation under way.
  { n: 7, status: 'none', members: [ADULT()], income: 20000,
    sql: [`INSERT INTO housing_appraisal (household_id, county_code, grade, appraised_on, appraiser) VALUES (${H(7)}, '${COUNTY}', 'D', '${Y - 1}-05-01', '县住建局')`] },
  { n: 8, status: 'none', members: [ADULT()], income: 20000,
    sql: [
      `INSERT INTO housing_appraisal (household_id, county_code, grade, appraised_on, appraiser) VALUES (${H(8)}, '${COUNTY}', 'D', '${Y - 1}-05-01', '县住建局')`,
      `INSERT INTO renovation_project (household_id, county_code, funding_department, subsidy_amount, status, start_date) VALUES (${H(8)}, '${COUNTY}', 'housing', 15000, 'underway', '${Y - 1}-08-01')`,
    ] },
  // 饮水安全.
  { n: 9, status: 'none', water: false, members: [ADULT()], income: 20000 },
  // 结对帮扶全覆盖: a registered household with no cadre (household 3 and 15 have one).
  { n: 10, status: 'registered', members: [ADULT()], income: 20000 },
  // Duplicate support: industry from two departments this year; and two kinds from two departments.
  { n: 11, status: 'none', members: [ADULT()], income: 20000,
    sql: [
      `INSERT INTO measure (household_id, county_code, kind, department, status, amount, year, description) VALUES (${H(11)}, '${COUNTY}', 'industry', 'poverty_office', 'underway', 3000, ${Y}, '养殖'), (${H(11)}, '${COUNTY}', 'industry', 'civil_affairs', 'planned', 2000, ${Y}, '种植')`,
    ] },
  { n: 12, status: 'none', members: [ADULT()], income: 20000,
    sql: [
      `INSERT INTO measure (household_id, county_code, kind, department, status, amount, year, description) VALUES (${H(12)}, '${COUNTY}', 'industry', 'poverty_office', 'underway', 3000, ${Y}, '养殖'), (${H(12)}, '${COUNTY}', 'education_training', 'education', 'planned', 2000, ${Y}, '培训')`,
    ] },
  // 防返贫: exited, income under 1.5 × 4,600 = 6,900; and exited above it.
  { n: 13, status: 'exited', members: [ADULT()], income: 5000 },
  { n: 14, status: 'exited', members: [ADULT()], income: 8000 },
  // Clean registered households, one per village (the second village is outside a township scope).
  { n: 15, status: 'registered', members: [ADULT(), ADULT(2)], income: 20000 },
  { n: 16, village: V2, status: 'registered', water: false, members: [ADULT()], income: 20000 },
];

/** The gaps a full recompute must find: rule, household, person. */
const EXPECTED: Array<[RuleCode, string, string | null]> = [
  [RuleCode.DIBAO_COVERAGE, H(1), null],
  [RuleCode.MEDICAL_INSURANCE, H(3), P(3, 1)],
  [RuleCode.COMPULSORY_EDUCATION, H(4), P(4, 2)],
  [RuleCode.COMPULSORY_EDUCATION, H(6), P(6, 2)],
  [RuleCode.HOUSING_SAFETY, H(7), null],
  [RuleCode.SAFE_WATER, H(9), null],
  [RuleCode.SAFE_WATER, H(16), null],
  [RuleCode.PAIRING_COVERAGE, H(10), null],
  [RuleCode.DUPLICATE_SUPPORT, H(11), null],
  [RuleCode.RELAPSE_WATCH, H(13), null],
];

async function buildCoordinationCounty(url: string): Promise<void> {
  await seedOnce(url, 'fixture-counties', { sql: 'SELECT 1 FROM region WHERE code = $1', params: [`${COUNTY}000000`] }, async (c) => {
    await c.query(`INSERT INTO region (code, name, level, parent_code) VALUES ('990000000000', '测试省', 'province', NULL), ('992200000000', '测试市', 'city', '990000000000') ON CONFLICT DO NOTHING`);
    await c.query(`INSERT INTO region VALUES ('${COUNTY}000000', '协调测试县', 'county', '992200000000'),
      ('${COUNTY}001000', '一镇', 'township', '${COUNTY}000000'), ('${COUNTY}002000', '二镇', 'township', '${COUNTY}000000'),
      ('${V1}', '一村', 'village', '${COUNTY}001000'), ('${V2}', '二村', 'village', '${COUNTY}002000')`);
    await c.query(`INSERT INTO village (code, county_code, indicator_year, poverty_incidence, per_capita_income, collective_income)
      VALUES ('${V1}', '${COUNTY}', 2015, 10, 3000, 0), ('${V2}', '${COUNTY}', 2015, 10, 3000, 0)`);
    await c.query(`INSERT INTO policy_threshold (county_code, year, poverty_line, dibao_line, monitoring_factor) VALUES ('${COUNTY}', 2020, 4600, 5640, 1.5)`);
    await c.query(`INSERT INTO cadre (id, county_code, name, unit) VALUES (${H(0)}, '${COUNTY}', '干部甲', '县扶贫办')`);
    for (const p of PLANTS) {
      const village = p.village ?? V1;
      await c.query(
        `INSERT INTO household (id, number, village_code, county_code, status, has_water, has_electricity, has_road, has_safe_housing, has_network, has_sanitation)
         VALUES ($1, $2, $3, $4, $5, $6, true, true, true, true, true)`,
        [H(p.n), `${village}${String(p.n).padStart(4, '0')}`, village, COUNTY, p.status, p.water ?? true],
      );
      for (const [m, born, labour, insured] of p.members ?? []) {
        await c.query(
          `INSERT INTO person (id, household_id, village_code, county_code, relation, name, id_number, gender, birth_date, labour_ability, health_category, schooling_stage)
           VALUES ($1, $2, $3, $4, $5, $6, $9, 'male', $7, $8, 'healthy', 'none')`,
          [P(p.n, m), H(p.n), village, COUNTY, m === 1 ? 'head' : 'child', `协调${p.n}-${m}`, born, labour, P(p.n, m).padStart(18, '0')],
        );
        if (insured) {
          await c.query(`INSERT INTO insurance_enrolment (household_id, person_id, county_code, year, scheme, premium, subsidy) VALUES ($1, $2, $3, $4, 'resident', 380, 200)`, [H(p.n), P(p.n, m), COUNTY, Y]);
        }
      }
      if (p.income !== undefined) {
        await c.query(`INSERT INTO household_income (household_id, year, county_code, per_capita_net_income) VALUES ($1, $2, $3, $4)`, [H(p.n), Y - 1, COUNTY, p.income]);
      }
      if (p.status === 'registered' && p.n !== 10) {
        await c.query(`INSERT INTO pairing (household_id, county_code, cadre_id, start_date) VALUES ($1, $2, $3, $4)`, [H(p.n), COUNTY, H(0), `${Y - 2}-01-01`]);
      }
      for (const s of p.sql ?? []) await c.query(s);
    }
  });
}

const GAPS = `query ($filter: CoordinationGapFilter, $after: String) {
  coordinationGaps(filter: $filter, first: 100, after: $after) {
    totalCount
    edges { node { id version rule ruleVersion ruleName severity department householdId personId regionCode facts status openedAt resolvedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('coordination rules and gaps', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let owner: Client;
  let worker: CoordinationWorker | null = null;
  const sql = async (text: string, params: unknown[] = []) => (await owner.query(text, params)).rows;
  const coordinator = () => bearer({ role: Role.COORDINATOR, scope: COUNTY });
  const officer = (department: Department, scope = COUNTY) => bearer({ role: Role.OFFICER, department, scope, sub: `coord-${department}` });
  const gapsOf = async (auth: string, filter: Record<string, unknown> = {}) => {
    const r = await app.gql(GAPS, { filter }, { authorization: auth });
    expect(r.errors).toBeUndefined();
    return r.data.coordinationGaps.edges.map((e: any) => e.node);
  };
  const live = (gaps: any[]) => gaps.filter((g) => g.status !== 'RESOLVED').map((g) => [g.rule, g.householdId, g.personId]).sort();

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCoordinationCounty(url);
    owner = new Client({ connectionString: url });
    await owner.connect();
    app = await startApp();
  });
  afterAll(async () => {
    await worker?.stop();
    await owner?.end();
    await app?.stop();
  });

  it('a full recompute finds exactly the planted gaps, each once, with facts that identify no one', async () => {
    const r = await app.gql(`mutation { recomputeCoordinationGaps(regionCode: "${COUNTY}") { opened resolved updated } }`, {}, { authorization: await coordinator() });
    expect(r.errors).toBeUndefined();
    const gaps = await gapsOf(await coordinator());
    expect(live(gaps)).toEqual(EXPECTED.map(([rule, h, p]) => [rule, h, p]).sort());
    // Idempotent: a second recompute changes nothing.
    const again = await app.gql(`mutation { recomputeCoordinationGaps(regionCode: "${COUNTY}") { opened resolved updated } }`, {}, { authorization: await coordinator() });
    expect(again.data.recomputeCoordinationGaps).toEqual({ opened: 0, resolved: 0, updated: 0 });

    const byRule = Object.fromEntries(gaps.map((g: any) => [`${g.rule}:${g.householdId}`, g]));
    expect(byRule[`HOUSING_SAFETY:${H(7)}`].facts).toMatchObject({ grade: 'D', renovation: null, relocation: null });
    expect(byRule[`DIBAO_COVERAGE:${H(1)}`]).toMatchObject({ department: 'CIVIL_AFFAIRS', ruleName: '应保尽保', severity: 'high', facts: { perCapitaIncome: 3000, dibaoLine: 5640 } });
    expect(byRule[`RELAPSE_WATCH:${H(13)}`].facts).toMatchObject({ perCapitaIncome: 5000, povertyLine: 4600, band: 6900 });
    expect(byRule[`DUPLICATE_SUPPORT:${H(11)}`].facts).toMatchObject({ year: Y, duplicates: [{ kind: 'industry', departments: ['civil_affairs', 'poverty_office'] }] });
    expect(byRule[`COMPULSORY_EDUCATION:${H(6)}`].facts).toMatchObject({ age: 9 + (ON.date.slice(5) >= '03-01' ? 1 : 0), enrolled: true, dropoutWatch: true });

    // No name, ID number or phone in any stored facts.
    const people = await sql(`SELECT name, id_number FROM person WHERE county_code = $1`, [COUNTY]);
    expect(people.length).toBeGreaterThan(0);
    const stored = (await sql(`SELECT facts::text AS f FROM coordination_gap WHERE county_code = $1`, [COUNTY])).map((x) => x.f).join('\n');
    for (const p of people) {
      expect(stored).not.toContain(p.name);
      expect(stored).not.toContain(p.id_number);
    }
    // Every gap opened has a history row.
    const history = await sql(`SELECT count(*)::int AS n FROM coordination_gap_history h JOIN coordination_gap g ON g.id = h.gap_id WHERE g.county_code = $1 AND h.to_status = 'open'`, [COUNTY]);
    expect(history[0].n).toBeGreaterThanOrEqual(EXPECTED.length);
  });

  it('an officer sees the gaps their department owns, a coordinator all in scope; out of scope nothing', async () => {
    const health = await gapsOf(await officer(Department.HEALTH));
    expect(live(health)).toEqual([[RuleCode.MEDICAL_INSURANCE, H(3), P(3, 1)]]);
    const housing = await gapsOf(await officer(Department.HOUSING));
    expect(live(housing)).toEqual([[RuleCode.HOUSING_SAFETY, H(7), null]]);
    // A township coordinator: the other township's household is invisible.
    const township = await gapsOf(await bearer({ role: Role.COORDINATOR, scope: `${COUNTY}001` }));
    expect(township.map((g: any) => g.householdId)).not.toContain(H(16));
    expect(live(township)).toHaveLength(EXPECTED.length - 1);
    // Another county sees nothing of ours, filter or not.
    expect(await gapsOf(await bearer({ role: Role.COORDINATOR, scope: '990101' }), { regionCode: COUNTY })).toEqual([]);
    // Household.gaps follows the same rule.
    const q = `query ($id: ID!) { household(id: $id) { gaps { rule department } } }`;
    const asHealth = await app.gql(q, { id: H(3) }, { authorization: await officer(Department.HEALTH) });
    expect(asHealth.data.household.gaps).toEqual([{ rule: 'MEDICAL_INSURANCE', department: 'HEALTH' }]);
    const asCivil = await app.gql(q, { id: H(3) }, { authorization: await officer(Department.CIVIL_AFFAIRS) });
    expect(asCivil.data.household.gaps).toEqual([]);
    // Counts by region (townships under the county) and rule.
    const counts = await app.gql(`{ coordinationGapCounts(regionCode: "${COUNTY}") { regionCode rule count } }`, {}, { authorization: await coordinator() });
    expect(counts.errors).toBeUndefined();
    expect(counts.data.coordinationGapCounts).toEqual(expect.arrayContaining([
      { regionCode: `${COUNTY}001000`, rule: 'SAFE_WATER', count: 1 },
      { regionCode: `${COUNTY}002000`, rule: 'SAFE_WATER', count: 1 },
      { regionCode: `${COUNTY}001000`, rule: 'COMPULSORY_EDUCATION', count: 2 },
    ]));
  });

  it('acknowledging: the owning department or a coordinator, audited, with a change event', async () => {
    const [gap] = await gapsOf(await coordinator(), { rule: 'HOUSING_SAFETY' });
    const ack = `mutation ($id: ID!, $v: Int!) { acknowledgeCoordinationGap(id: $id, version: $v) { status version } }`;
    const civil = await app.gql(ack, { id: gap.id, v: gap.version }, { authorization: await officer(Department.CIVIL_AFFAIRS) });
    expect(civil.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const done = await app.gql(ack, { id: gap.id, v: gap.version }, { authorization: await officer(Department.HOUSING) });
    expect(done.errors).toBeUndefined();
    expect(done.data.acknowledgeCoordinationGap.status).toBe('ACKNOWLEDGED');
    const stale = await app.gql(ack, { id: gap.id, v: gap.version }, { authorization: await coordinator() });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const again = await app.gql(ack, { id: gap.id, v: gap.version + 1 }, { authorization: await coordinator() });
    expect(again.data.acknowledgeCoordinationGap).toEqual({ status: 'ACKNOWLEDGED', version: gap.version + 2 });
    expect(await sql(`SELECT from_status::text AS "from", to_status::text AS "to", actor FROM coordination_gap_history WHERE gap_id = $1 ORDER BY id`, [gap.id])).toEqual([
      { from: null, to: 'open', actor: null },
      { from: 'open', to: 'acknowledged', actor: 'coord-housing' },
      { from: 'acknowledged', to: 'acknowledged', actor: 'test-coordinator' },
    ]);
    expect(await sql(`SELECT outcome FROM audit_record WHERE request_id = $1`, [done.requestId])).toEqual([{ outcome: 'success' }]);
    expect(await sql(`SELECT entity, kind, department::text FROM change_event WHERE request_id = $1`, [done.requestId])).toEqual([
      { entity: 'CoordinationGap', kind: 'update', department: 'housing' },
    ]);
  });

  it('the worker follows change events: a fixed fact resolves its gap, a new one opens, within seconds', async () => {
    // The worker starts from the events' end (a fresh database would get a full recompute first).
    await sql(`INSERT INTO coordination_cursor (name, last_seq) SELECT 'coordination-gaps', coalesce(max(seq), 0) FROM change_event ON CONFLICT (name) DO NOTHING`);
    worker = new CoordinationWorker(dataSource, pino({ level: 'silent' }));
    await worker.start({ connectionString: process.env.TEST_APP_DATABASE_URL });

    const status = async (rule: string, household: string) =>
      (await sql(`SELECT status::text FROM coordination_gap WHERE county_code = $1 AND rule_code = $2 AND household_id = $3 ORDER BY id DESC LIMIT 1`, [COUNTY, rule, household]))[0]?.status ?? null;
    const until = async (rule: string, household: string, want: string) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const s = await status(rule, household);
        if (s === want) return;
        if (Date.now() > deadline) throw new Error(`${rule} for ${household} is ${s}, not ${want}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    // 结对: pairing household 10 resolves its gap.
    const paired = await app.gql(
      `mutation ($h: ID!, $input: CreatePairingInput!) { createPairing(householdId: $h, input: $input) { id } }`,
      { h: H(10), input: { cadreId: H(0), startDate: `${Y - 1}-06-01` } },
      { authorization: await coordinator() },
    );
    expect(paired.errors).toBeUndefined();
    await until('PAIRING_COVERAGE', H(10), 'resolved');
    const history = await sql(`SELECT h.from_status::text AS "from", h.to_status::text AS "to" FROM coordination_gap_history h JOIN coordination_gap g ON g.id = h.gap_id
      WHERE g.rule_code = 'PAIRING_COVERAGE' AND g.household_id = $1 ORDER BY h.id`, [H(10)]);
    expect(history).toEqual([{ from: null, to: 'open' }, { from: 'open', to: 'resolved' }]);

    // 饮水: household 15 loses its water supply: a gap opens; restored, it resolves.
    const [{ version }] = await sql(`SELECT version FROM household WHERE id = $1`, [H(15)]);
    const utilities = (water: boolean) => ({ water, electricity: true, road: true, housing: true, network: true, environment: true });
    const upd = `mutation ($id: ID!, $v: Int!, $input: UpdateHouseholdInput!) { updateHousehold(id: $id, version: $v, input: $input) { version } }`;
    const lost = await app.gql(upd, { id: H(15), v: version, input: { utilities: utilities(false) } }, { authorization: await officer(Department.POVERTY_OFFICE) });
    expect(lost.errors).toBeUndefined();
    await until('SAFE_WATER', H(15), 'open');
    const back = await app.gql(upd, { id: H(15), v: version + 1, input: { utilities: utilities(true) } }, { authorization: await officer(Department.POVERTY_OFFICE) });
    expect(back.errors).toBeUndefined();
    await until('SAFE_WATER', H(15), 'resolved');

    // The cursor moved durably, past the events it read.
    const [{ lastSeq }] = await sql(`SELECT last_seq::text AS "lastSeq" FROM coordination_cursor WHERE name = 'coordination-gaps'`);
    const [{ seq }] = await sql(`SELECT seq::text AS seq FROM change_event WHERE request_id = $1`, [back.requestId]);
    expect(BigInt(lastSeq)).toBeGreaterThanOrEqual(BigInt(seq));
  });

  it('Household.gaps on a page of households costs a bounded number of statements', async () => {
    const q = `query ($code: DivisionCode) { households(first: 100, filter: { regionCode: $code }) { edges { node { id gaps { rule facts } } } } }`;
    const r = await app.gql(q, { code: COUNTY });
    expect(r.errors).toBeUndefined();
    expect(r.data.households.edges.length).toBe(PLANTS.length);
    const withGaps = r.data.households.edges.filter((e: any) => e.node.gaps.length > 0).length;
    expect(withGaps).toBeGreaterThan(5);
    expect(r.sqlStatements).toBeLessThanOrEqual(5);
  });

  it('evaluateRules is set-based: the same number of statements for one household or all', async () => {
    let count = 0;
    const runner = { query: (text: string, params?: unknown[]) => { count += 1; return owner.query(text, params).then((x) => x.rows); } };
    await owner.query('BEGIN');
    try {
      await evaluateRules(runner, { householdIds: [H(1)] }, ON);
      const one = count;
      count = 0;
      await evaluateRules(runner, { householdIds: PLANTS.map((p) => H(p.n)) }, ON);
      expect(count).toBe(one);
    } finally {
      await owner.query('ROLLBACK');
    }
  });

  it('exit readiness lists every blocking reason as of the year, for coordinators and the poverty office', async () => {
    const q = `query ($id: ID!, $year: Int!) { household(id: $id) { exitReadiness(year: $year) { year asOf ready blockers { reason personId facts } } } }`;
    const ask = async (id: string, year = Y, auth?: string) => app.gql(q, { id, year }, { authorization: auth ?? (await coordinator()) });
    const clean = await ask(H(15));
    expect(clean.errors).toBeUndefined();
    expect(clean.data.household.exitReadiness).toEqual({ year: Y, asOf: ON.date, ready: true, blockers: [] });
    const uninsured = await ask(H(3));
    expect(uninsured.data.household.exitReadiness.blockers).toEqual([{ reason: 'MEDICAL_INSURANCE', personId: P(3, 1), facts: expect.objectContaining({ year: Y, insured: false }) }]);
    const dry = await ask(H(16), Y, await officer(Department.POVERTY_OFFICE));
    expect(dry.data.household.exitReadiness.blockers.map((b: any) => b.reason)).toEqual(['SAFE_WATER']);
    const poor = await ask(H(1));
    expect(poor.data.household.exitReadiness.blockers).toEqual([{ reason: 'INCOME_BELOW_LINE', personId: null, facts: { incomeYear: Y - 1, perCapitaIncome: 3000, povertyLine: 4600 } }]);
    const house = await ask(H(7));
    expect(house.data.household.exitReadiness).toMatchObject({ ready: false, blockers: [{ reason: 'HOUSING_SAFETY', facts: { grade: 'D' } }] });
    // As of last year: insured only this year, so both members of household 15 block it then.
    const lastYear = await ask(H(15), Y - 1);
    expect(lastYear.data.household.exitReadiness).toMatchObject({ year: Y - 1, asOf: `${Y - 1}-12-31`, ready: false });
    expect(lastYear.data.household.exitReadiness.blockers.map((b: any) => [b.reason, b.personId])).toEqual([['MEDICAL_INSURANCE', P(15, 1)], ['MEDICAL_INSURANCE', P(15, 2)]]);
    // A future year is the caller's mistake; other departments may not ask.
    expect((await ask(H(15), Y + 1)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await ask(H(15), Y, await officer(Department.HEALTH))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // One statement for a whole page of households.
    const page = await app.gql(`query ($code: DivisionCode) { households(first: 100, filter: { regionCode: $code }) { edges { node { id: databaseId exitReadiness(year: ${Y}) { ready } } } } }`, { code: COUNTY }, { authorization: await coordinator() });
    expect(page.errors).toBeUndefined();
    expect(page.data.households.edges.filter((e: any) => e.node.exitReadiness.ready).map((e: any) => e.node.id).sort()).toEqual([5, 8, 10, 11, 12, 13, 14, 15].map(H).sort());
    expect(page.sqlStatements).toBeLessThanOrEqual(5);
  });
});
