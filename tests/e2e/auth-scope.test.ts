import { SignJWT } from 'jose';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer, startApp, TEST_AUTH } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Counties 990701 and 990702 under fixture city 9907; household ids from 7_000_001 and 7_100_001.

describe('authentication, scope and field privacy', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  const url = () => process.env.TEST_DATABASE_URL as string;

  beforeAll(async () => {
    await buildCounty(url(), { county: '990701', townships: 2, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 7_000_000 });
    await buildCounty(url(), { county: '990702', townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 7_100_000 });
    app = await startApp();
  });
  afterAll(() => app?.stop());

  const householdQuery = `query ($id: ID!) { household(id: $id) { number members { name idNumber birthDate } } }`;

  it('answers missing, bad, expired and malformed tokens with UNAUTHENTICATED only', async () => {
    const secret = new TextEncoder().encode(TEST_AUTH.AUTH_JWT_SECRET);
    const sign = (claims: Record<string, unknown>, key = secret, exp = '1h') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('household-graph').setAudience('household-graph').setIssuedAt().setExpirationTime(exp).sign(key);
    const tokens: Array<[string, string]> = [
      ['none', ''],
      ['not bearer', 'Basic dXNlcjpwYXNz'],
      ['garbage', 'Bearer not-a-jwt-at-all'],
      ['bad signature', `Bearer ${await sign({ role: 'coordinator', scope: '99' }, new TextEncoder().encode('another-secret-another-secret-0123456789'))}`],
      ['expired', `Bearer ${await sign({ role: 'coordinator', scope: '99' }, secret, '-1m')}`],
      ['bad role', `Bearer ${await sign({ role: 'superuser', scope: '99' })}`],
      ['bad scope', `Bearer ${await sign({ role: 'coordinator', scope: '9a' })}`],
      ['officer without department', `Bearer ${await sign({ role: 'officer', scope: '99' })}`],
      ['department on a coordinator', `Bearer ${await sign({ role: 'coordinator', department: 'health', scope: '99' })}`],
    ];
    for (const [label, authorization] of tokens) {
      const r = await app.gql(householdQuery, { id: '7000001' }, { authorization });
      expect({ label, codes: r.errors?.map((e) => e.extensions?.code) }).toEqual({ label, codes: ['UNAUTHENTICATED'] });
      expect(r.data?.household ?? null).toBeNull();
      expect(r.status).toBeLessThan(500);
    }
  });

  it('answers out-of-scope and missing records identically', async () => {
    const officer = await bearer({ role: Role.OFFICER, department: Department.CIVIL_AFFAIRS, scope: '990701' });
    const own = await app.gql(householdQuery, { id: '7000001' }, { authorization: officer });
    expect(own.errors).toBeUndefined();
    const foreign = await app.gql(householdQuery, { id: '7100001' }, { authorization: officer });
    const missing = await app.gql(householdQuery, { id: '7999999' }, { authorization: officer });
    expect(foreign.errors).toEqual(missing.errors);
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const township = await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: '990701001' });
    const sibling = await app.gql(householdQuery, { id: '7000003' }, { authorization: township }); // village in township 002
    expect(sibling.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const lists = await app.gql(`{ households(first: 50, filter: { regionCode: "9907" }) { totalCount edges { node { countyCode } } }
      region(code: "9907") { name summary { householdsByStatus { households } } } }`, {}, { authorization: officer });
    expect(lists.errors).toBeUndefined();
    expect(lists.data.households.totalCount).toBe(4);
    expect(lists.data.households.edges).toHaveLength(4);
    expect(lists.data.households.edges.every((e: any) => e.node.countyCode === '990701')).toBe(true);
    // The parent region is visible by name, but its figures cover only the caller's part of it.
    expect(lists.data.region.summary.householdsByStatus.reduce((n: number, s: any) => n + s.households, 0)).toBe(4);
  });

  it('lets analysts read aggregates but never a household or a person', async () => {
    const analyst = await bearer({ role: Role.ANALYST, scope: '9907' });
    const agg = await app.gql(`{ region(code: "9907") { summary { householdsByStatus { status households } } } }`, {}, { authorization: analyst });
    expect(agg.errors).toBeUndefined();
    for (const q of [`{ households(first: 1) { totalCount } }`, `{ person(id: "70000011") { id } }`, `{ region(code: "9907") { households(first: 1) { totalCount } } }`]) {
      const r = await app.gql(q, {}, { authorization: analyst });
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('masks ID numbers and hides minors from departments that do not serve them', async () => {
    const poverty = await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '990701' });
    const education = await bearer({ role: Role.OFFICER, department: Department.EDUCATION, scope: '990701' });
    const q = `{ household(id: "7000001") { members { relation name idNumber birthDate age ageBand } } }`;
    const p = await app.gql(q, {}, { authorization: poverty });
    expect(p.errors).toBeUndefined();
    const [head, , child] = p.data.household.members;
    expect(head.name).toBe('测试7000001-1');
    expect(head.idNumber).toMatch(/^\d{6}\*{12}$/);
    expect(head.birthDate).toBe('1970-05-01');
    expect(child).toMatchObject({ relation: 'CHILD', name: null, idNumber: null, birthDate: null });
    // The age is derived from the hidden birth date: hidden too, a band on today instead.
    expect(child).toMatchObject({ age: null, ageBand: 'AGE_6_14' });

    const e = await app.gql(q, {}, { authorization: education });
    expect(e.data.household.members[2].name).toBe('测试7000001-3');
    expect(e.data.household.members[2].idNumber).toMatch(/^\d{6}\*{12}$/);
  });
});
