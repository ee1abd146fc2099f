import { startApp } from '../support/app';
import { buildCounty } from '../support/fixtures';

// The number of SQL statements a query issues is bounded by its depth, not by the size of its
// lists: the same 5-level query costs the same on a county with 10× the data.

const FIVE_LEVELS = `query ($code: DivisionCode!) {
  region(code: $code) {
    name
    children {                       # townships
      name
      children {                     # villages
        name
        village {
          isPovertyVillage
          households(first: 100) {
            totalCount
            edges { node {
              number status
              members {
                name age
                insuranceEnrolments(year: 2024) { year premium subsidy }
                schoolEnrolments { schoolYear stage }
              }
            } }
          }
        }
      }
    }
  }
}`;

describe('SQL statements per query', () => {
  let app: Awaited<ReturnType<typeof startApp>>;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: '990101', townships: 2, villagesPerTownship: 3, householdsPerVillage: 4, idBase: 1_000_000 });
    await buildCounty(url, { county: '990102', townships: 4, villagesPerTownship: 5, householdsPerVillage: 12, idBase: 2_000_000 });
    app = await startApp();
  });
  afterAll(() => app?.stop());

  it('is bounded by depth and unchanged when the data grows 10×', async () => {
    const small = await app.gql(FIVE_LEVELS, { code: '990101' });
    const large = await app.gql(FIVE_LEVELS, { code: '990102' });
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();

    const households = (r: typeof small) =>
      r.data.region.children.flatMap((t: any) => t.children.flatMap((v: any) => v.village.households.edges)).length;
    const persons = (r: typeof small) =>
      r.data.region.children.flatMap((t: any) => t.children.flatMap((v: any) => v.village.households.edges.flatMap((e: any) => e.node.members))).length;
    expect(households(small)).toBe(24);
    expect(households(large)).toBe(240);
    expect(persons(large)).toBe(10 * persons(small));
    const members = (r: typeof small) =>
      r.data.region.children.flatMap((t: any) => t.children.flatMap((v: any) => v.village.households.edges.flatMap((e: any) => e.node.members)));
    // Every member is insured in 2024 (380 yuan, 200 subsidised); each child is enrolled in 2024.
    expect(members(large)).toHaveLength(persons(large));
    expect(persons(large)).toBeGreaterThan(0);
    expect(members(large).every((m: any) => m.insuranceEnrolments.length === 1 && m.insuranceEnrolments[0].premium === 380)).toBe(true);
    expect(members(large).filter((m: any) => m.schoolEnrolments.length === 1)).toHaveLength(240);

    // region, townships, villages, village facts, household pages, page totals: one statement
    // each. Members, insurance and school enrolments are read ahead in the household-page
    // statement (src/core/prefetch.ts), so they add nothing.
    expect(small.sqlStatements).toBe(6);
    expect(large.sqlStatements).toBe(small.sqlStatements);
  });
});
