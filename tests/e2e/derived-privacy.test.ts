import fs from 'node:fs';
import path from 'node:path';
import { Role } from '../../src/core/auth';
import { isInputObjectType, isObjectType } from 'graphql';
import { DERIVED_FIELD_NAMES, isMinor, PERSONAL_FIELDS, privacyMatrix } from '../../src/core/privacy';
import { buildAppSchema } from '../../src/core/schema';
import { Department } from '../../src/core/vocab';
import { bearer, startApp } from '../support/app';
import { buildCounty, seedOnce } from '../support/fixtures';

// What is hidden stays hidden (issue 7 §2): a field or filter derived from a hidden birth date
// is as hidden as it, or a band by year of birth. County 990506 (fixtures.ts): 2 townships × 1 village ×
// 2 households; person id × 10 + 3 is a child born 2014-09-10, + 1 the head born 1970-05-01.
const CHILD = '95600013';
const HEAD = '95600011';

/** Dates around the child's birthday and across years: what an attacker would alias (13, within the alias limit). */
const PROBE_DATES = [
  '2014-09-01', '2014-09-05', '2014-09-09', '2014-09-10', '2014-09-11', '2015-09-09', '2015-09-10',
  '2020-01-01', '2020-09-09', '2020-09-10', '2026-09-09', '2026-09-10', '2032-09-10',
];

describe('derived fields and filters are as hidden as the birth date', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  const coordinator = () => bearer({ role: Role.COORDINATOR, scope: '990506', sub: 'derived-coordinator' });
  const officer = (department: Department) => bearer({ role: Role.OFFICER, department, scope: '990506', sub: `derived-${department}` });

  beforeAll(async () => {
    await buildCounty(process.env.TEST_DATABASE_URL as string, {
      county: '990506', townships: 2, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_560_000,
    });
    app = await startApp();
  });
  afterAll(() => app?.stop());

  const agesQuery = (id: string) =>
    `{ person(id: "${id}") { birthDate ageBand now: age ${PROBE_DATES.map((d, i) => `a${i}: age(asOf: "${d}")`).join(' ')} } }`;

  it('a coordinator cannot recover a minor\'s birth date by aliasing age(asOf:) over many dates', async () => {
    const r = await app.gql(agesQuery(CHILD), {}, { authorization: await coordinator() });
    expect(r.errors).toBeUndefined();
    const person = r.data.person;
    expect(person.birthDate).toBeNull();
    // Not one exact age, on any date: the answers cannot vary with asOf.
    const answers = [person.now, ...PROBE_DATES.map((_, i) => person[`a${i}`])];
    expect(new Set(answers)).toEqual(new Set([null]));
    // What the coordinator may know: a band by year of birth.
    expect(person.ageBand).toBe('AGE_6_14');
  });

  it('the same aliases still answer exact ages where the birth date is visible', async () => {
    const adult = await app.gql(agesQuery(HEAD), {}, { authorization: await coordinator() });
    expect(adult.errors).toBeUndefined();
    expect(adult.data.person.birthDate).toBe('1970-05-01');
    expect(adult.data.person.a0).toBe(44);
    expect(adult.data.person.ageBand).toBe('AGE_18_59');
    // Education serves minors and sees the child's birth date, so its age on any date.
    const child = await app.gql(agesQuery(CHILD), {}, { authorization: await officer(Department.EDUCATION) });
    expect(child.errors).toBeUndefined();
    expect(child.data.person).toMatchObject({ birthDate: '2014-09-10', a2: -1, a3: 0, a5: 0, a6: 1, ageBand: 'AGE_6_14' });
  });

  const count = async (filter: string, who: Promise<string>) =>
    app.gql(`{ persons(first: 1, filter: { regionCode: "990506", ${filter} }) { totalCount } }`, {}, { authorization: await who });

  it('a coordinator cannot bisect a minor\'s birth date with minAge, maxAge or asOf', async () => {
    // Every probe a bisection needs is refused, whatever the date: the answers do not vary.
    const probes = [
      'minAge: 12', 'minAge: 13', 'maxAge: 12', 'minAge: 12, maxAge: 12',
      ...PROBE_DATES.slice(0, 6).map((d) => `minAge: 0, asOf: "${d}"`),
      'minAge: 18, asOf: "2032-09-09"', 'asOf: "2032-09-10"',
    ];
    for (const probe of probes) {
      const r = await count(probe, coordinator());
      expect({ probe, code: r.errors?.[0]?.extensions?.code }).toEqual({ probe, code: 'BAD_USER_INPUT' });
      expect(r.errors?.[0]?.extensions?.field).toMatch(/^filter\.(minAge|maxAge|asOf)$/);
      expect(r.data?.persons ?? null).toBeNull();
    }
  });

  it('a coordinator filters ages by band (year of birth), which the band field shows anyway', async () => {
    const children = await count('minAge: 6, maxAge: 14', coordinator());
    expect(children.errors).toBeUndefined();
    expect(children.data.persons.totalCount).toBe(4);
    const adults = await count('minAge: 18', coordinator());
    expect(adults.data.persons.totalCount).toBe(8);
    const minors = await count('maxAge: 17', coordinator());
    expect(minors.data.persons.totalCount).toBe(4);
  });

  it('a department that sees minors\' birth dates keeps exact age filters', async () => {
    const before = await count('minAge: 1, asOf: "2015-09-09"', officer(Department.EDUCATION));
    const after = await count('minAge: 1, asOf: "2015-09-10"', officer(Department.EDUCATION));
    expect(before.errors).toBeUndefined();
    expect([before.data.persons.totalCount, after.data.persons.totalCount]).toEqual([8, 12]);
  });

  it('the privacy matrix lists every derived field and filter, as hidden as its source', () => {
    const committed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schema/privacy-matrix.json'), 'utf8'));
    expect(Object.keys(committed as object).length).toBeGreaterThan(0);
    for (const row of Object.values(committed as Record<string, Record<string, string>>)) {
      for (const field of DERIVED_FIELD_NAMES) expect(row).toHaveProperty([field]);
    }
    const matrix = privacyMatrix();
    expect(Object.values(matrix).filter((row) => row['Person.birthDate'] === 'hidden').length).toBeGreaterThan(0);
    for (const [label, row] of Object.entries(matrix)) {
      // Wherever the birth date is hidden, the exact age and the reference date are too.
      if (row['Person.birthDate'] === 'hidden') expect({ label, age: row['Person.age'] }).toEqual({ label, age: 'hidden' });
      if (label.endsWith('(minor)') && row['Person.birthDate'] === 'hidden') {
        expect({ label, asOf: row['PersonFilter.asOf'], minAge: row['PersonFilter.minAge'] }).toEqual({
          label, asOf: 'hidden', minAge: row['PersonFilter.minAge'] === 'hidden' ? 'hidden' : 'banded',
        });
      }
    }
    expect(matrix['coordinator (minor)']).toMatchObject({ 'Person.age': 'hidden', 'Person.ageBand': 'banded', 'PersonFilter.minAge': 'banded', 'PersonFilter.asOf': 'hidden' });
    expect(matrix['officer:education (minor)']).toMatchObject({ 'Person.age': 'full', 'PersonFilter.minAge': 'full', 'PersonFilter.asOf': 'full' });
  });

  it('lists a household\'s members in an order that does not depend on hidden birth dates', async () => {
    // County 990505: one household (9_550_001) whose members 95500013 (born 2014) and 95500014
    // (born 2010, registered later) are both minors: their order must not say who is older.
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: '990505', townships: 1, villagesPerTownship: 1, householdsPerVillage: 1, idBase: 9_550_000 });
    await seedOnce(url, 'derived-privacy-order', { sql: 'SELECT 1 FROM person WHERE id = 95500014', params: [] }, async (client) => {
      await client.query(`INSERT INTO person (id, household_id, village_code, county_code, relation, name, id_number, gender, birth_date,
          labour_ability, health_category, disability_level, schooling_stage)
        SELECT 95500014, h.id, h.village_code, h.county_code, 'child', '测试9550001-4', '000000000095500014', 'female', '2010-03-03',
               'none', 'healthy', NULL, 'junior' FROM household h WHERE h.id = 9550001`);
    });
    const query = `{ household(id: "9550001") { members { id: databaseId relation birthDate } } }`;
    for (const authorization of [await bearer({ role: Role.COORDINATOR, scope: '990505', sub: 'derived-order' }), await bearer({ role: Role.OFFICER, department: Department.EDUCATION, scope: '990505', sub: 'derived-order-edu' })]) {
      const r = await app.gql(query, {}, { authorization });
      expect(r.errors).toBeUndefined();
      // Head first, then by registration (id), whoever asks and whatever the birth dates.
      expect(r.data.household.members.map((m: any) => m.id)).toEqual(['95500011', '95500012', '95500013', '95500014']);
    }
    // The same order through the read-ahead path (a page of households) as through the loader.
    const page = await app.gql(`{ households(first: 5, filter: { regionCode: "990505" }) { edges { node { members { id: databaseId } } } } }`, {},
      { authorization: await bearer({ role: Role.COORDINATOR, scope: '990505', sub: 'derived-order' }) });
    expect(page.data.households.edges[0].node.members.map((m: any) => m.id)).toEqual(['95500011', '95500012', '95500013', '95500014']);
  });

  it('every Person field and PersonFilter field about ages or birth dates is in the privacy policy', async () => {
    const schema = await buildAppSchema();
    const listed = new Set<string>([...PERSONAL_FIELDS, ...DERIVED_FIELD_NAMES]);
    const person = schema.getType('Person');
    const filter = schema.getType('PersonFilter');
    const names = [
      ...(isObjectType(person) ? Object.values(person.getFields()).flatMap((f) => [`Person.${f.name}`, ...f.args.map((a) => `Person.${f.name}(${a.name})`)]) : []),
      ...(isInputObjectType(filter) ? Object.keys(filter.getFields()).map((f) => `PersonFilter.${f}`) : []),
    ];
    // By camel-case words: minAge, ageBand, birthDate, asOf (not villageCode or schoolingStage).
    const words = (n: string) => n.replace(/^Person(Filter)?\./, '').split(/(?=[A-Z(])|[()]/).map((w) => w.replace('(', '').toLowerCase());
    const aboutAge = names.filter((n) => words(n).some((w) => w === 'age' || w === 'birth' || w === 'of'));
    expect(aboutAge.length).toBeGreaterThan(5);
    // An argument is covered by its field (age(asOf) is Person.age).
    expect(aboutAge.filter((n) => !listed.has(n.replace(/\(.*\)$/, '')))).toEqual([]);
  });

  it('a missing birth date counts as a minor\'s (fail closed), never an adult\'s', () => {
    expect(isMinor(undefined, '2026-11-29')).toBe(true);
    expect(isMinor(null, '2026-11-29')).toBe(true);
    expect(isMinor('1970-05-01', '2026-11-29')).toBe(false);
  });
});
