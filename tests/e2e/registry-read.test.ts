import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer, startApp } from '../support/app';
import { buildCounty } from '../support/fixtures';

// County 990201: 2 townships × 2 villages × 8 households, 3 members each (fixtures.ts).
// Household h (1-based within its village) has status registered/exited/monitored/none by h % 4.

describe('registry read API', () => {
  let app: Awaited<ReturnType<typeof startApp>>;

  beforeAll(async () => {
    await buildCounty(process.env.TEST_DATABASE_URL as string, {
      county: '990201', townships: 2, villagesPerTownship: 2, householdsPerVillage: 8, idBase: 5_000_000,
    });
    app = await startApp();
  });
  afterAll(() => app?.stop());

  it('walks region → children → village → households → members', async () => {
    const r = await app.gql(`{ region(code: "990201") { code prefix name level parent { name level }
      children { prefix level children { code level village { code isPovertyVillage indicators { year povertyIncidence } utilities { water road }
        households(first: 2) { totalCount edges { node { number members { relation name birthDate age(asOf: "2024-09-01") } } } } } } } } }`);
    expect(r.errors).toBeUndefined();
    const region = r.data.region;
    expect(region).toMatchObject({ code: '990201000000', prefix: '990201', level: 'COUNTY', parent: { level: 'CITY' } });
    expect(region.children.map((t: any) => t.prefix)).toEqual(['990201001', '990201002']);
    const village = region.children[0].children[0].village;
    expect(village).toMatchObject({ code: '990201001001', isPovertyVillage: true, indicators: { year: 2015, povertyIncidence: 18.5 }, utilities: { water: true, road: false } });
    expect(village.households.totalCount).toBe(8);
    expect(village.households.edges).toHaveLength(2);
    // The child's birth date is hidden from a coordinator, and so is the age derived from it.
    expect(village.households.edges[0].node.members.map((m: any) => [m.relation, m.age])).toEqual([['HEAD', 54], ['SPOUSE', 52], ['CHILD', null]]);
  });

  it('pages through households with cursors, without gaps or repeats', async () => {
    const query = `query ($after: String) { households(first: 5, after: $after, filter: { regionCode: "990201" }) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { databaseId } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r = await app.gql(query, { after });
      expect(r.errors).toBeUndefined();
      const conn: any = r.data.households;
      expect(conn.totalCount).toBe(32);
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...conn.edges.map((e: any) => e.node.databaseId));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(32);
    expect(new Set(seen).size).toBe(32);
    expect([...seen].sort((a, b) => Number(a) - Number(b))).toEqual(seen);
  });

  it('filters households by status, main cause and identification year', async () => {
    const r = await app.gql(`{
      registered: households(first: 100, filter: { regionCode: "990201", status: REGISTERED }) { totalCount edges { node { status } } }
      illness: households(first: 100, filter: { regionCode: "990201001", mainCause: ILLNESS }) { totalCount edges { node { mainCause } } }
      y2015: households(first: 100, filter: { regionCode: "990201", identificationYear: 2015 }) { totalCount edges { node { identificationYear } } }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.registered.totalCount).toBe(8);
    // Each `.every` below is over a list whose length is asserted first: an empty page passes `.every`.
    expect(r.data.registered.edges).toHaveLength(8);
    expect(r.data.registered.edges.every((e: any) => e.node.status === 'REGISTERED')).toBe(true);
    expect(r.data.illness.totalCount).toBeGreaterThan(0);
    expect(r.data.illness.edges).toHaveLength(r.data.illness.totalCount);
    expect(r.data.illness.edges.every((e: any) => e.node.mainCause === 'ILLNESS')).toBe(true);
    expect(r.data.y2015.totalCount).toBeGreaterThan(0);
    expect(r.data.y2015.edges).toHaveLength(r.data.y2015.totalCount);
    expect(r.data.y2015.edges.every((e: any) => e.node.identificationYear === 2015)).toBe(true);
  });

  it('finds households by id and number and persons by age band, labour ability and schooling stage', async () => {
    const byNumber = await app.gql(`{ householdByNumber(number: "9902010010010001") { id number village { code } secondaryCauses statusEvents { toStatus } incomes { year } } }`);
    expect(byNumber.errors).toBeUndefined();
    const id = byNumber.data.householdByNumber.id;
    const byId = await app.gql(`query ($id: ID!) { household(id: $id) { number } }`, { id });
    expect(byId.data.household.number).toBe('9902010010010001');

    // Exact ages of minors on a chosen date: a department that serves minors (education).
    const education = { authorization: await bearer({ role: Role.OFFICER, department: Department.EDUCATION, scope: '990201' }) };
    const children = await app.gql(`{ persons(first: 100, filter: { regionCode: "990201", minAge: 6, maxAge: 15, asOf: "2024-09-01", schoolingStage: PRIMARY }) {
      totalCount edges { node { relation age(asOf: "2024-09-01") household { number } } } } }`, {}, education);
    expect(children.errors).toBeUndefined();
    expect(children.data.persons.totalCount).toBe(32);
    expect(children.data.persons.edges).toHaveLength(32);
    expect(children.data.persons.edges.every((e: any) => e.node.relation === 'CHILD' && e.node.age === 9)).toBe(true);

    // Ages are whole years on asOf: the spouse born 1972-03-15 is 52 on 2024-09-01, 51 the day before her birthday.
    const band = await app.gql(`{ a: persons(first: 1, filter: { regionCode: "990201", minAge: 52, maxAge: 52, asOf: "2024-09-01" }) { totalCount }
      b: persons(first: 1, filter: { regionCode: "990201", minAge: 52, maxAge: 52, asOf: "2024-03-14" }) { totalCount }
      weak: persons(first: 1, filter: { regionCode: "990201", labourAbility: WEAK }) { totalCount } }`, {}, education);
    expect(band.data.a.totalCount).toBe(32);
    expect(band.data.b.totalCount).toBe(0);
    expect(band.data.weak.totalCount).toBe(32);
  });

  it('computes region summaries in SQL', async () => {
    const r = await app.gql(`{ region(code: "990201") { summary { householdsByStatus { status households } registeredByMainCause { cause households }
      dibaoHouseholds insuredShare(year: 2024) dilapidatedHousingShare } } }`);
    expect(r.errors).toBeUndefined();
    const s = r.data.region.summary;
    expect(s.householdsByStatus).toEqual([
      { status: 'NONE', households: 8 }, { status: 'REGISTERED', households: 8 }, { status: 'EXITED', households: 8 }, { status: 'MONITORED', households: 8 },
    ]);
    expect(s.registeredByMainCause.reduce((n: number, c: any) => n + c.households, 0)).toBe(8);
    expect(s.insuredShare).toBe(1);
    expect(s.dibaoHouseholds).toBe(0);
    expect(s.dilapidatedHousingShare).toBeNull();
  });

  it('answers bad input and missing records with typed errors, never a 500', async () => {
    const cases: Array<[string, string]> = [
      ['{ household(id: "999999999") { id } }', 'NOT_FOUND'],
      ['{ household(id: "abc") { id } }', 'NOT_FOUND'],
      ['{ householdByNumber(number: "nope") { id } }', 'NOT_FOUND'],
      ['{ person(id: "999999999") { id } }', 'NOT_FOUND'], // not "1": persons created through the API take ids from 1
      ['{ region(code: "990299") { name } }', 'NOT_FOUND'],
      ['{ region(code: "12345") { name } }', 'GRAPHQL_VALIDATION_FAILED'],
      ['{ households(first: 0) { totalCount } }', 'BAD_USER_INPUT'],
      ['{ households(first: 1000) { totalCount } }', 'BAD_USER_INPUT'],
      ['{ households(first: 5, after: "bogus") { totalCount } }', 'BAD_USER_INPUT'],
      ['{ persons(first: 5, filter: { minAge: -1 }) { totalCount } }', 'BAD_USER_INPUT'],
      ['{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
      ['{ household(id: ', 'GRAPHQL_PARSE_FAILED'],
    ];
    for (const [query, code] of cases) {
      const r = await app.gql(query);
      expect({ query, code: r.errors?.[0]?.extensions?.code }).toEqual({ query, code });
      expect(r.status).toBeLessThan(500);
      expect(JSON.stringify(r.errors)).not.toMatch(/stack|at .*\.ts|SELECT|postgres/i);
    }
  });
});
