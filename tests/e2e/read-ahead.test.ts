import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer, startApp } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Read-ahead (src/core/prefetch.ts): `household(id)` and household pages fetch the relations
// their query selects in the statement that loads the households and prime the loaders the
// field resolvers use. The answer must be the one the loaders give on their own, and a relation
// the caller may not read is refused exactly as before.
// County 990901: households 9090001–9090004, members h*10+1..3, everyone insured 2023 and 2024,
// each child enrolled in 2024 (tests/support/fixtures.ts).

const COUNTY = '990901';
const H1 = '9090001';
const HEAD = '90900011';

const CARD = `fragment Card on Household {
  id databaseId number status secondaryCauses incomes { year } statusEvents { toStatus }
  village { code name }
  dibaoEnrolments { id } housingAppraisals { grade } latestHousingAppraisal { grade } measures { kind } pairings { startDate }
  members {
    id name idNumber birthDate age
    insuranceEnrolments { year premium } schoolEnrolments { stage } healthConditions { kind diagnosis }
  }
}`;

const codes = (r: { errors?: Array<{ extensions?: Record<string, any> }> }) => [...new Set(r.errors?.map((e) => e.extensions?.code))].sort();

describe('read-ahead below households', () => {
  let app: Awaited<ReturnType<typeof startApp>>;

  beforeAll(async () => {
    await buildCounty(process.env.TEST_DATABASE_URL as string, { county: COUNTY, townships: 2, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_090_000 });
    app = await startApp();
  });
  afterAll(() => app?.stop());

  it('answers a household card in one statement, exactly as the per-relation loaders do', async () => {
    const ahead = await app.gql(`${CARD} query ($id: ID!) { household(id: $id) { ...Card } }`, { id: H1 });
    // Person.household has no read-ahead: every relation below it goes through its loader.
    const loaded = await app.gql(`${CARD} query ($id: ID!) { person(id: $id) { household { ...Card } } }`, { id: HEAD });
    expect(ahead.errors).toBeUndefined();
    expect(loaded.errors).toBeUndefined();
    expect(ahead.data.household.members).toHaveLength(3);
    expect(ahead.data.household).toEqual(loaded.data.person.household);
    expect(ahead.sqlStatements).toBe(1);
    expect(loaded.sqlStatements).toBeGreaterThan(5);
  });

  it('answers a page of households as the loaders do', async () => {
    const page = await app.gql(`${CARD} { households(first: 10, filter: { regionCode: "${COUNTY}" }) { edges { node { ...Card } } } }`);
    expect(page.errors).toBeUndefined();
    const nodes = page.data.households.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.databaseId)).toEqual(['9090001', '9090002', '9090003', '9090004']);
    for (const node of nodes) {
      const one = await app.gql(`${CARD} query ($id: ID!) { person(id: $id) { household { ...Card } } }`, { id: `${node.databaseId}1` });
      expect(node).toEqual(one.data.person.household);
    }
  });

  it('refuses a relation the caller may not read, as its field resolver always did', async () => {
    const education = await bearer({ role: Role.OFFICER, department: Department.EDUCATION, scope: COUNTY });
    const ask = (selection: string) => app.gql(`query ($id: ID!) { household(id: $id) { ${selection} } }`, { id: H1 }, { authorization: education });
    const own = await ask('number members { id schoolEnrolments { stage } }');
    expect(own.errors).toBeUndefined();
    expect(own.data.household.members.map((m: any) => m.schoolEnrolments.length)).toEqual([0, 0, 1]);
    expect(own.sqlStatements).toBe(1);
    // Other departments' facets: each refusal nulls its field alone (one per member), and the
    // household is still answered in the one statement, the refused edges not read ahead.
    for (const selection of ['dibaoEnrolments { id }', 'members { insuranceEnrolments { year } }', 'members { healthConditions { kind } }']) {
      const r = await ask(`number ${selection}`);
      const [field, , nested] = selection.split(' ');
      const paths = field === 'members' ? [0, 1, 2].map((i) => `household.members.${i}.${nested}`) : [`household.${field}`];
      expect(r.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual(paths.map((p) => ['FORBIDDEN', p]));
      expect(r.data.household.number).toBe('9909010010010001');
      if (field === 'members') expect(r.data.household.members).toEqual([0, 1, 2].map(() => ({ [nested]: null })));
      else expect(r.data.household[field]).toBeNull();
      expect(r.sqlStatements).toBe(1);
    }
  });

  it('keeps the caller scope: a household outside it is NOT_FOUND', async () => {
    const elsewhere = await bearer({ role: Role.COORDINATOR, scope: '990902' });
    const r = await app.gql(`${CARD} query ($id: ID!) { household(id: $id) { ...Card } }`, { id: H1 }, { authorization: elsewhere });
    expect(codes(r)).toEqual(['NOT_FOUND']);
  });

  it('reads ahead only the columns the operation can use, and still what its resolvers need', async () => {
    // Each selection names few fields: age needs the birth date, name the minor rule (birth
    // date), insuranceEnrolments(year) the year, diagnosis the subject's birth date and the record id.
    const health = await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: COUNTY });
    const NARROW = `fragment Narrow on Household {
      members { age name insuranceEnrolments(year: 2024) { premium } healthConditions { diagnosis } }
      measures(year: 2024) { kind } latestHousingAppraisal { grade }
    }`;
    const CLINICAL = `fragment Narrow on Household { members { name healthConditions { diagnosis icd10Code } } }`;
    for (const [fragment, authorization] of [[NARROW, undefined], [CLINICAL, health]] as const) {
      const headers = authorization ? { authorization } : undefined;
      const ahead = await app.gql(`${fragment} query ($id: ID!) { household(id: $id) { ...Narrow } }`, { id: H1 }, headers);
      const loaded = await app.gql(`${fragment} query ($id: ID!) { person(id: $id) { household { ...Narrow } } }`, { id: HEAD }, headers);
      expect(ahead.errors).toBeUndefined();
      expect(loaded.errors).toBeUndefined();
      expect(ahead.sqlStatements).toBe(1);
      expect(ahead.data.household).toEqual(loaded.data.person.household);
      if (!authorization) {
        expect(ahead.data.household.members.map((m: any) => m.insuranceEnrolments.length)).toEqual([1, 1, 1]);
        // The adults' ages need their birth dates read ahead; the child's is hidden from a coordinator.
        expect(ahead.data.household.members.map((m: any) => typeof m.age)).toEqual(['number', 'number', 'object']);
      }
    }
  });
});
