import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { makeIdNumber } from '../../src/core/id-number';
import { Department } from '../../src/core/vocab';
import { bearer, startApp } from '../support/app';
import { buildCounty, seedOnce } from '../support/fixtures';

// Uniqueness checks are not an oracle (issue 7 §2). A poverty-office officer of township
// 990503001 registers numbers that already exist: in their own township (BAD_USER_INPUT naming
// the field), or in the sibling township 990503002, the other county 990504 or the other
// province 98 (DUPLICATE_ELSEWHERE, one code and one message whatever the region, audited, and
// rate-limited per caller). Households 9_530_001/2 are in the caller's township.
const ID = {
  own: makeIdNumber('990503', '1970-05-01', 101),
  sibling: makeIdNumber('990503', '1970-05-01', 103),
  county: makeIdNumber('990504', '1970-05-01', 105),
  province: makeIdNumber('980101', '1970-05-01', 107),
};
const NUMBER = { own: '9905030010010001', sibling: '9905030020010001', county: '9905040010010001', province: '9801010010010001' };
const ELSEWHERE = ['sibling', 'county', 'province'] as const;

const PERSON = `mutation ($householdId: ID!, $input: CreatePersonInput!) { createPerson(householdId: $householdId, input: $input) { id } }`;
const HOUSEHOLD = `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { id } }`;
const person = (idNumber: string) => ({
  householdId: '9530001',
  input: { name: '新成员', idNumber, gender: 'MALE', birthDate: '1970-05-01', relation: 'OTHER', labourAbility: 'ORDINARY', healthCategory: 'HEALTHY', schoolingStage: 'NONE' },
});
const household = (number: string) => ({
  input: { villageCode: '990503001001', number, status: 'NONE', utilities: { water: true, electricity: true, road: true, housing: true, network: true, environment: true } },
});

describe('a duplicate outside the caller\'s scope', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;
  const officer = (sub: string) => bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '990503001', sub });
  const refusals = async (sub: string, outcome: string) =>
    (await pg.query(`SELECT region_code FROM audit_record WHERE subject = $1 AND outcome = $2`, [sub, outcome])).rows as Array<{ region_code: string }>;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: '990503', townships: 2, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_530_000 });
    await buildCounty(url, { county: '990504', townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_540_000 });
    await seedOnce(url, 'duplicate-elsewhere', { sql: 'SELECT 1 FROM region WHERE code = $1', params: ['980101001001'] }, async (client) => {
      // Another province, outside the fixture province 99: one village, one household, its head.
      await client.query(`INSERT INTO region (code, name, level, parent_code) VALUES
        ('980000000000', '别省', 'province', NULL), ('980100000000', '别市', 'city', '980000000000'),
        ('980101000000', '别县', 'county', '980100000000'), ('980101001000', '别镇', 'township', '980101000000'),
        ('980101001001', '别村', 'village', '980101001000')`);
      await client.query(`INSERT INTO village (code, county_code, is_poverty_village, indicator_year, poverty_incidence, per_capita_income, collective_income,
          broadband_mbps, has_water, has_electricity, has_road, has_safe_housing, has_network, has_sanitation)
        VALUES ('980101001001', '980101', false, 2015, 1, 9000, 0, 4, true, true, true, true, true, true)`);
      await client.query(`INSERT INTO household (id, number, village_code, county_code, status, has_water, has_electricity, has_road, has_safe_housing, has_network, has_sanitation)
        VALUES (9590001, $1, '980101001001', '980101', 'none', true, true, true, true, true, true)`, [NUMBER.province]);
      await client.query(`INSERT INTO person (id, household_id, village_code, county_code, relation, name, id_number, gender, birth_date,
          labour_ability, health_category, disability_level, schooling_stage)
        VALUES (95900011, 9590001, '980101001001', '980101', 'head', '别人', $1, 'male', '1970-05-01', 'ordinary', 'healthy', NULL, 'none')`, [ID.province]);
      // Valid ID numbers for the heads of households in the own and sibling townships and the other county.
      for (const [id, number] of [[95300011, ID.own], [95300031, ID.sibling], [95400011, ID.county]] as const) {
        await client.query('UPDATE person SET id_number = $2 WHERE id = $1', [id, number]);
      }
    });
    app = await startApp();
    pg = new Client({ connectionString: url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  it('answers DUPLICATE_ELSEWHERE with one code and one message whatever the region, and audits it', async () => {
    const authorization = await officer('dup-officer');
    const persons = await Promise.all(ELSEWHERE.map((k) => app.gql(PERSON, person(ID[k]), { authorization })));
    const households = await Promise.all(ELSEWHERE.map((k) => app.gql(HOUSEHOLD, household(NUMBER[k]), { authorization })));
    for (const [results, field] of [[persons, 'input.idNumber'], [households, 'input.number']] as const) {
      const answers = results.map((r) => ({ data: r.data?.createPerson ?? r.data?.createHousehold ?? null, errors: r.errors }));
      expect(answers[0].errors?.[0].extensions).toEqual({ code: 'DUPLICATE_ELSEWHERE', field });
      // Nothing tells the regions apart: not the code, not the message, not the extensions.
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(answers[0].errors?.[0].message).not.toMatch(/99|98/);
    }
    // Audited, each under the caller's own scope (the duplicate's region is nowhere).
    expect(await refusals('dup-officer', 'dup_elsewhere')).toEqual(Array(6).fill({ region_code: '990503001' }));
    // The numbers are still where they were, once each.
    const { rows } = await pg.query('SELECT count(*)::int AS n FROM person WHERE id_number = ANY($1)', [Object.values(ID)]);
    expect(rows[0].n).toBe(4);
  });

  it('answers a duplicate inside the caller\'s scope with BAD_USER_INPUT naming the field', async () => {
    const authorization = await officer('dup-officer-own');
    const p = await app.gql(PERSON, person(ID.own), { authorization });
    expect(p.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.idNumber' });
    const h = await app.gql(HOUSEHOLD, household(NUMBER.own), { authorization });
    expect(h.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.number' });
  });

  it('limits DUPLICATE_ELSEWHERE refusals per caller: past the limit every registration answers RATE_LIMITED', async () => {
    const sweeper = await officer('dup-sweeper');
    // The default limit, DUPLICATE_ELSEWHERE_PER_HOUR = 10.
    for (let i = 0; i < 10; i++) {
      const r = await app.gql(PERSON, person(ELSEWHERE.map((k) => ID[k])[i % 3]), { authorization: sweeper });
      expect(r.errors?.[0].extensions?.code).toBe('DUPLICATE_ELSEWHERE');
    }
    // Now nothing answers whether a number exists: a duplicate elsewhere, one inside, a fresh one.
    for (const vars of [person(ID.county), person(ID.own), person(makeIdNumber('990503', '1970-05-01', 901)), household('DUP-FRESH-1')]) {
      const r = await app.gql(vars.input && 'number' in vars.input ? HOUSEHOLD : PERSON, vars, { authorization: sweeper });
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
      expect(r.data?.createPerson ?? r.data?.createHousehold ?? null).toBeNull();
    }
    expect(await refusals('dup-sweeper', 'dup_elsewhere')).toHaveLength(10);
    expect(await refusals('dup-sweeper', 'rate_limited')).toHaveLength(4);
    // Another caller is not limited by the sweeper.
    const other = await app.gql(PERSON, person(makeIdNumber('990503', '1970-05-01', 903)), { authorization: await officer('dup-other') });
    expect(other.errors).toBeUndefined();
  });
});
