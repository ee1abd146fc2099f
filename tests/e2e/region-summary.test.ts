import { Client } from 'pg';
import { startApp } from '../support/app';
import { buildCounty } from '../support/fixtures';

// County 990301: one village of 8 households (ids 8_000_001…8_000_008), 3 members each
// (person id = household id × 10 + 1…3). By fixtures.ts, households 4 and 8 are registered.
// The facts below are chosen so that every summary figure has one right answer.

const H = (n: number) => String(8_000_000 + n);

describe('region summary computed in SQL', () => {
  let app: Awaited<ReturnType<typeof startApp>>;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: '990301', townships: 1, villagesPerTownship: 1, householdsPerVillage: 8, idBase: 8_000_000 });
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`INSERT INTO dibao_enrolment (county_code, household_id, category, monthly_amount, covered_persons, start_date, end_date, status) VALUES
        ('990301', $1, 'class_a', 450, 3, '2020-01-01', NULL, 'active'),          -- active today
        ('990301', $2, 'class_b', 300, 2, '2019-01-01', '2021-12-31', 'active'),  -- period over
        ('990301', $3, 'class_b', 300, 2, '2020-01-01', NULL, 'ended'),           -- ended
        ('990301', $4, 'class_c', 200, 1, '2099-01-01', NULL, 'active')           -- starts later`,
        [H(1), H(2), H(3), H(4)]);
      // Household 4's spouse has no insurance in 2024: 5 of the 6 members of registered households are insured.
      await client.query(`DELETE FROM insurance_enrolment WHERE person_id = $1 AND year = 2024`, [`${H(4)}2`]);
      await client.query(`INSERT INTO housing_appraisal (county_code, household_id, grade, appraised_on, appraiser) VALUES
        ('990301', $1, 'C', '2019-05-01', '县住建局'), ('990301', $1, 'B', '2022-05-01', '县住建局'),  -- renovated: latest B
        ('990301', $2, 'D', '2021-03-01', '县住建局'),
        ('990301', $3, 'A', '2021-03-01', '县住建局'),
        ('990301', $4, 'C', '2023-08-01', '县住建局')`,
        [H(1), H(2), H(3), H(4)]);
    } finally {
      await client.end();
    }
    app = await startApp();
  });
  afterAll(() => app?.stop());

  const SUMMARY = `query ($code: DivisionCode!, $asOf: LocalDate) { region(code: $code) { summary {
    householdsByStatus { status households } registeredByMainCause { cause households }
    dibaoHouseholds(asOf: $asOf) insuredShare(year: 2024) dilapidatedHousingShare } } }`;

  it('counts active 低保 households, the insured share and the share of C/D houses', async () => {
    const r = await app.gql(SUMMARY, { code: '990301', asOf: '2024-06-30' });
    expect(r.errors).toBeUndefined();
    const s = r.data.region.summary;
    expect(s.householdsByStatus).toEqual([
      { status: 'NONE', households: 2 }, { status: 'REGISTERED', households: 2 }, { status: 'EXITED', households: 2 }, { status: 'MONITORED', households: 2 },
    ]);
    expect(s.dibaoHouseholds).toBe(1);
    expect(s.insuredShare).toBeCloseTo(5 / 6, 10);
    expect(s.dilapidatedHousingShare).toBe(0.5);
  });

  it('answers "as of" another date', async () => {
    const later = await app.gql(SUMMARY, { code: '990301', asOf: '2099-06-30' });
    expect(later.data.region.summary.dibaoHouseholds).toBe(2);
    const earlier = await app.gql(SUMMARY, { code: '990301', asOf: '2021-06-30' });
    expect(earlier.data.region.summary.dibaoHouseholds).toBe(2);
  });

  it('gives the same figures at village and township level when they hold the same households', async () => {
    const village = await app.gql(SUMMARY, { code: '990301001001', asOf: '2024-06-30' });
    expect(village.data.region.summary.dibaoHouseholds).toBe(1);
    expect(village.data.region.summary.dilapidatedHousingShare).toBe(0.5);
    const township = await app.gql(SUMMARY, { code: '990301001', asOf: '2024-06-30' });
    expect(township.data.region.summary).toEqual(village.data.region.summary);
  });
});
