import { dataSource } from '../../ormconfig';
import { Role } from '../../src/core/auth';
import { createContext } from '../../src/core/context';
import { Db } from '../../src/core/db';
import { incomesByHouseholdId, secondaryCausesByHouseholdId, statusEventsByHouseholdId } from '../../src/modules/registry/household.loaders';
import { buildCounty, seedOnce } from '../support/fixtures';

// Every loader carries the caller's scope in its own SQL, not only its parent's (issue 7 §2).
// County 990501: 2 townships × 1 village × 2 households, ids 9_500_001…9_500_004; households
// 9_500_001/2 are in township 990501001, 9_500_003/4 in township 990501002. Each gets an income,
// a status event and a secondary cause here.

describe('loaders below a household carry the scope predicate', () => {
  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: '990501', townships: 2, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_500_000 });
    await seedOnce(url, 'loader-scope-facts', { sql: 'SELECT 1 FROM household_income WHERE household_id = 9500001', params: [] }, async (client) => {
      await client.query(`INSERT INTO household_income (household_id, county_code, year, per_capita_net_income)
                          SELECT id, county_code, 2024, 3000 FROM household WHERE county_code = '990501'`);
      await client.query(`INSERT INTO household_status_event (household_id, county_code, from_status, to_status, occurred_on, reason)
                          SELECT id, county_code, NULL, status, '2024-01-01', 'fixture' FROM household WHERE county_code = '990501'`);
      await client.query(`INSERT INTO household_secondary_cause (household_id, cause_code, vocabulary_version, county_code)
                          SELECT id, 'transport', 1, county_code FROM household WHERE county_code = '990501'`);
    });
    if (!dataSource.isInitialized) {
      dataSource.setOptions({ url });
      await dataSource.initialize();
    }
  });
  afterAll(() => dataSource.destroy());

  const township = (scope: string) =>
    createContext(new Db(dataSource), { principal: { subject: 'loader-scope', role: Role.COORDINATOR, department: null, scope } });

  it.each([
    ['incomesByHouseholdId', incomesByHouseholdId],
    ['statusEventsByHouseholdId', statusEventsByHouseholdId],
    ['secondaryCausesByHouseholdId', secondaryCausesByHouseholdId],
  ] as const)('%s answers nothing for a household outside the caller\'s scope', async (_name, loader) => {
    // Township scope (9 digits): the predicate checks the household's village.
    const own = township('990501001');
    const [inScope, foreign] = await Promise.all([own.loaders.load(loader as never, '9500001'), own.loaders.load(loader as never, '9500003')]);
    expect(inScope).toHaveLength(1);
    expect(foreign).toEqual([]);
    // County scope (6 digits): the county column decides.
    const other = township('990502');
    expect(await other.loaders.load(loader as never, '9500001')).toEqual([]);
    expect(await township('990501').loaders.load(loader as never, '9500003')).toHaveLength(1);
  });
});
