import { Client } from 'pg';
import { dataSource } from '../../ormconfig';
import { isSeeded, seedDatabase, type SeedSummary } from '../../seeds';
import { TABLE_NAMES } from '../../seeds/copy';
import { loadRegions } from '../../seeds/regions';
import { allocateHouseholds } from '../../seeds/scales';
import { connectAndMigrate } from '../../src/core/database';
import { isValidIdNumber } from '../../src/core/id-number';
import { recreateDatabase, TEST_DB_NAME } from '../support/test-database';

// The seed is deterministic (the same scale twice gives byte-identical tables, ids included)
// and looks like what a user of the registry would expect: valid ID numbers, schooling that
// fits the age, and the deliberate gaps the coordination rules are meant to find.

/**
 * Tables the seed does not write: bookkeeping, the audit chain (its head is stamped at migration
 * time) and change events (a feed of changes made after the seed, like the audit log).
 */
// saved_report: analysts' own report definitions, made through the API, never seeded.
// Coordination gaps, their history, rule rows and the worker's cursor are computed from the data
// by the server (modules/coordination), not seeded.
const NOT_SEED_DATA = new Set(['typeorm_migrations', 'audit_record', 'audit_chain_head', 'change_event', 'saved_report', 'import_batch', 'import_reject', 'import_row_change',
  'coordination_gap', 'coordination_gap_history', 'coordination_rule', 'coordination_cursor',
  // Secrets an administrator issues; procedures are opened by people (the seed plants none yet).
  'api_key', 'procedure', 'procedure_step_record', 'procedure_objection',
  // The approved-aggregate catalog: proposed and approved by people, released from the data.
  'aggregate_entry', 'aggregate_entry_version', 'aggregate_release', 'aggregate_cell']);
/** Reference data the migrations load; the seed relies on it, so it is compared too. */
const REFERENCE_DATA = ['poverty_cause_term', 'policy_threshold'];

async function freshDatabase(suffix: string): Promise<string> {
  const url = await recreateDatabase(process.env.TEST_SERVER_URL as string, `${TEST_DB_NAME}_${suffix}`);
  await connectAndMigrate(dataSource, url);
  await dataSource.destroy();
  return url;
}

async function tableDigests(client: Client): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const table of [...TABLE_NAMES, ...REFERENCE_DATA]) {
    const hasId = await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = 'id'`, [table]);
    const order = hasId.rowCount ? 't.id' : 't::text';
    const { rows } = await client.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY ${order}), '')) AS md5 FROM "${table}" t`);
    digests[table] = `${rows[0].n}:${rows[0].md5}`;
  }
  return digests;
}

describe('seed data', () => {
  let a: Client;
  let b: Client;
  let urlB: string;
  let summary: SeedSummary;
  const one = async (sql: string) => Number((await b.query(sql)).rows[0].n);

  beforeAll(async () => {
    const urlA = await freshDatabase('seed_a');
    urlB = await freshDatabase('seed_b');
    expect(await isSeeded(urlA)).toBe(false);
    summary = await seedDatabase(urlA, 'test');
    await seedDatabase(urlB, 'test');
    expect(await isSeeded(urlA)).toBe(true);
    a = new Client({ connectionString: urlA });
    b = new Client({ connectionString: urlB });
    await a.connect();
    await b.connect();
  }, 60_000);
  afterAll(async () => {
    await a?.end();
    await b?.end();
  });

  it('is identical, table by table and id by id, when seeded twice', async () => {
    const [da, db] = await Promise.all([tableDigests(a), tableDigests(b)]);
    expect(da).toEqual(db);
    expect(summary.households).toBe(300);
    expect(Number(da.household.split(':')[0])).toBe(300);
  });

  it('fills every table of the schema', async () => {
    const { rows } = await b.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const known = new Set<string>([...TABLE_NAMES, ...REFERENCE_DATA, ...NOT_SEED_DATA]);
    // A new table fails here until seeds/ fills it (or it is declared not to be seed data above).
    expect(rows.map((r) => r.table_name).filter((t) => !known.has(t))).toEqual([]);
    for (const table of TABLE_NAMES) expect([table, await one(`SELECT count(*) AS n FROM "${table}"`) > 0]).toEqual([table, true]);
  });

  it('refuses to seed a database that has households, and moves the id sequences past the seeded ids', async () => {
    await expect(seedDatabase(urlB, 'test')).rejects.toThrow(/already has households/);
    const { rows } = await b.query(`SELECT nextval(pg_get_serial_sequence('person', 'id')) > (SELECT max(id) FROM person) AS ok`);
    expect(rows[0].ok).toBe(true);
  });

  it('gives every person a valid ID number with the county code, birth date and sex in it', async () => {
    const { rows } = await b.query<{ id_number: string; county_code: string; birth: string; gender: string }>(
      `SELECT id_number, county_code, to_char(birth_date, 'YYYYMMDD') AS birth, gender FROM person`,
    );
    const bad = rows.filter(
      (p) => !isValidIdNumber(p.id_number) || !p.id_number.startsWith(p.county_code) || p.id_number.slice(6, 14) !== p.birth ||
        (Number(p.id_number[16]) % 2 === 1) !== (p.gender === 'male'),
    );
    expect(bad).toEqual([]);
    expect(new Set(rows.map((p) => p.id_number)).size).toBe(rows.length);
  });

  it('has households of 1–7 members whose ages fit their relation to the head', async () => {
    expect(await one(`SELECT count(*) AS n FROM (SELECT household_id, count(*) c FROM person GROUP BY 1) s WHERE c NOT BETWEEN 1 AND 7`)).toBe(0);
    expect(await one(`SELECT count(*) AS n FROM household h WHERE (SELECT count(*) FROM person p WHERE p.household_id = h.id AND p.relation = 'head') <> 1`)).toBe(0);
    expect(await one(`
      SELECT count(*) AS n FROM person p JOIN person hd ON hd.household_id = p.household_id AND hd.relation = 'head'
       WHERE (p.relation = 'child' AND p.birth_date < hd.birth_date + interval '15 years')
          OR (p.relation = 'grandchild' AND p.birth_date < hd.birth_date + interval '30 years')
          OR (p.relation IN ('parent', 'grandparent') AND p.birth_date > hd.birth_date - interval '15 years')`)).toBe(0);
  });

  it('enrols only children and young people, at the stage their age calls for', async () => {
    const { rows } = await b.query<{ stage: string; age: number }>(
      `SELECT s.stage, date_part('year', age(make_date(s.school_year, 9, 1), p.birth_date))::int AS age
         FROM school_enrolment s JOIN person p ON p.id = s.person_id`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const ages: Record<string, [number, number]> = {
      preschool: [3, 5], primary: [6, 11], junior: [12, 14], senior: [15, 17], vocational: [15, 17], college: [18, 21],
    };
    expect(rows.filter((r) => r.age < ages[r.stage][0] || r.age > ages[r.stage][1])).toEqual([]);
    // The person's current stage is this school year's enrolment.
    expect(await one(`
      SELECT count(*) AS n FROM person p
       WHERE p.schooling_stage IS DISTINCT FROM coalesce(
         (SELECT s.stage FROM school_enrolment s WHERE s.person_id = p.id AND s.school_year = 2025 AND s.status = 'enrolled'), 'none')`)).toBe(0);
  });

  it('leaves the gaps the coordination rules are meant to find', async () => {
    // 基本医疗保障: a member of a registered household without insurance this year.
    expect(await one(`
      SELECT count(*) AS n FROM person p JOIN household h ON h.id = p.household_id
       WHERE h.status = 'registered' AND NOT EXISTS (SELECT 1 FROM insurance_enrolment i WHERE i.person_id = p.id AND i.year = 2025)`)).toBeGreaterThan(0);
    // 义务教育保障: a 6–15-year-old not enrolled this school year.
    expect(await one(`
      SELECT count(*) AS n FROM person p
       WHERE date_part('year', age(DATE '2025-09-01', p.birth_date)) BETWEEN 6 AND 15
         AND NOT EXISTS (SELECT 1 FROM school_enrolment s WHERE s.person_id = p.id AND s.school_year = 2025 AND s.status = 'enrolled')`)).toBeGreaterThan(0);
    // 住房安全保障: a registered household in a C/D house with no renovation or relocation.
    expect(await one(`
      SELECT count(*) AS n FROM household h
       WHERE h.status = 'registered'
         AND (SELECT a.grade FROM housing_appraisal a WHERE a.household_id = h.id ORDER BY a.appraised_on DESC LIMIT 1) IN ('C', 'D')
         AND NOT EXISTS (SELECT 1 FROM renovation_project r WHERE r.household_id = h.id)
         AND NOT EXISTS (SELECT 1 FROM relocation r WHERE r.household_id = h.id)`)).toBeGreaterThan(0);
    // 结对帮扶全覆盖: a registered household with no current pairing.
    expect(await one(`
      SELECT count(*) AS n FROM household h
       WHERE h.status = 'registered' AND NOT EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id AND p.end_date IS NULL)`)).toBeGreaterThan(0);
    // 应保尽保: nobody can work, income under any local 低保 line, and no 低保 (nor 特困).
    expect(await one(`
      SELECT count(*) AS n FROM household h
       WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.labour_ability NOT IN ('lost', 'none'))
         AND (SELECT i.per_capita_net_income FROM household_income i WHERE i.household_id = h.id AND i.year = 2024) < 5000
         AND NOT EXISTS (SELECT 1 FROM dibao_enrolment d WHERE d.household_id = h.id AND d.status = 'active')
         AND NOT EXISTS (SELECT 1 FROM extreme_poverty_support e WHERE e.household_id = h.id)`)).toBeGreaterThan(0);
    // ...but they are gaps, not the rule: most registered members are insured.
    expect(await one(`
      SELECT (100 * count(*) FILTER (WHERE EXISTS (SELECT 1 FROM insurance_enrolment i WHERE i.person_id = p.id AND i.year = 2025)) / count(*))::int AS n
        FROM person p JOIN household h ON h.id = p.household_id WHERE h.status = 'registered'`)).toBeGreaterThanOrEqual(90);
  });

  it('records department facts that agree with the person they are about', async () => {
    const none = async (label: string, sql: string) => expect([label, await one(`SELECT count(*) AS n FROM ${sql}`)]).toEqual([label, 0]);
    await none('condition of a healthy person', `health_condition c JOIN person p ON p.id = c.person_id WHERE p.health_category NOT IN ('chronic', 'serious')`);
    await none('claim before the diagnosis', `medical_assistance_claim m WHERE m.claim_date < (SELECT min(c.diagnosed_on) FROM health_condition c WHERE c.person_id = m.person_id)`);
    await none('claim that does not add up', `medical_assistance_claim WHERE total_cost <> reimbursed + out_of_pocket`);
    await none('disability subsidy without a disability', `disability_subsidy d JOIN person p ON p.id = d.person_id WHERE p.health_category <> 'disabled'`);
    await none('insured before birth', `insurance_enrolment i JOIN person p ON p.id = i.person_id WHERE i.year < date_part('year', p.birth_date)`);
    await none('left-behind child of 16 or more', `left_behind_record l JOIN person p ON p.id = l.person_id WHERE l.kind = 'child' AND age(DATE '2025-09-01', p.birth_date) >= interval '16 years'`);
    await none('student aid without an enrolment', `student_aid a WHERE NOT EXISTS (SELECT 1 FROM school_enrolment s WHERE s.person_id = a.person_id AND s.school_year = a.school_year)`);
    await none('低保 for more people than live there', `dibao_enrolment d WHERE d.covered_persons > (SELECT count(*) FROM person p WHERE p.household_id = d.household_id)`);
    await none('renovation subsidy outside 10,000–15,000', `renovation_project WHERE funding_department = 'housing' AND subsidy_amount NOT BETWEEN 10000 AND 15000`);
    await none('funds beyond the budget', `project p WHERE (SELECT coalesce(sum(f.amount), 0) FROM fund_allocation f WHERE f.project_id = p.id) > p.budget`);
    await none('poverty village outside 10–30% incidence', `village WHERE is_poverty_village AND poverty_incidence NOT BETWEEN 10 AND 30`);
  });

  it('spreads the demo and bench scales over real villages', () => {
    const tree = loadRegions();
    const demo = allocateHouseholds(tree, 'demo');
    expect(demo.reduce((n, q) => n + q.households, 0)).toBe(20_000);
    expect(demo.every((q) => q.village.code.startsWith('431226'))).toBe(true);
    const bench = allocateHouseholds(tree, 'bench');
    expect(bench.reduce((n, q) => n + q.households, 0)).toBeGreaterThanOrEqual(300_000);
    expect(new Set(bench.map((q) => q.village.code.slice(0, 4)))).toEqual(new Set(['4312', '3607', '4228', '4510']));
    expect(Math.max(...bench.map((q) => q.households))).toBeLessThan(10_000); // household numbers have 4 digits per village
  });

  it('keeps every household-scoped row in its household\'s county', async () => {
    for (const table of TABLE_NAMES) {
      const cols = await b.query(`SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = 'household_id'`, [table]);
      if (!cols.rowCount) continue;
      const n = await one(`SELECT count(*) AS n FROM "${table}" t JOIN household h ON h.id = t.household_id WHERE t.county_code <> h.county_code`);
      expect([table, n]).toEqual([table, 0]);
    }
  });
});
