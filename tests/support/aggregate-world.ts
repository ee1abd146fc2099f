import { buildCounty, seedOnce } from './fixtures';

// Fixture data for the approved-aggregate catalog (issue 9 §2, §4): three counties of the
// fixture city 9931 with uneven villages (about a fifth of the households removed), statuses
// and causes drawn by a fixed hash from skewed shares (half registered, two fifths illness: a
// few large cells beside many small ones), and 低保 enrolments starting in 2023 or 2024, so that
// township cells are often small and the years differ. Deterministic: the same rows every run.

export const AGG_CITY = '9931';
export const AGG_COUNTIES = ['993101', '993102', '993103'] as const;

/** Builds the fixture counties in the database at `url` once (idempotent across test files). */
export async function buildAggregateWorld(url: string): Promise<void> {
  await buildCounty(url, { county: '993101', townships: 3, villagesPerTownship: 3, householdsPerVillage: 16, idBase: 9_931_000 });
  await buildCounty(url, { county: '993102', townships: 2, villagesPerTownship: 4, householdsPerVillage: 12, idBase: 9_932_000 });
  await buildCounty(url, { county: '993103', townships: 4, villagesPerTownship: 2, householdsPerVillage: 18, idBase: 9_933_000 });
  await seedOnce(url, 'aggregate-world', { sql: `SELECT 1 FROM dibao_enrolment WHERE county_code LIKE '9931%'`, params: [] }, async (c) => {
    const hash = `((h.id * 2654435761) % 1000)`;
    await c.query(`DELETE FROM household h WHERE h.county_code LIKE '9931%' AND ${hash} % 5 = 0`);
    await c.query(
      `UPDATE household h SET status = (string_to_array('${'registered,'.repeat(10)}${'exited,'.repeat(6)}${'monitored,'.repeat(3)}none', ','))[1 + (${hash} / 7) % 20]::household_status,
              main_cause = nullif((string_to_array('${'illness,'.repeat(8)}${'disability,'.repeat(4)}${'labour,'.repeat(4)}schooling,schooling,disaster,', ','))[1 + (${hash} / 3) % 20], '')
        WHERE h.county_code LIKE '9931%'`,
    );
    await c.query(
      `INSERT INTO dibao_enrolment (county_code, household_id, category, monthly_amount, covered_persons, start_date, end_date, status)
       SELECT county_code, id, 'class_a'::dibao_category, 300, 3, CASE WHEN ${hash} % 2 = 0 THEN '2023-03-01' ELSE '2024-05-01' END::date, NULL::date,
              'active'::enrolment_status
         FROM household h WHERE h.county_code LIKE '9931%' AND ${hash} % 3 = 0`,
    );
  });
}
