import { dataSource } from '../../ormconfig';
import { Role } from '../../src/core/auth';
import { createContext } from '../../src/core/context';
import { Db } from '../../src/core/db';
import { registeredEdges } from '../../src/core/prefetch';
import { type Scope, UNRESTRICTED } from '../../src/core/scope';
import '../../src/modules';
import { incomesByHouseholdId, secondaryCausesByHouseholdId, statusEventsByHouseholdId } from '../../src/modules/registry/household.loaders';
import { memberOf, seedWorld, worldOf } from '../support/access-world';
import { buildCounty, seedOnce } from '../support/fixtures';

// Every loader carries the caller's scope in its own SQL, not only its parent's (issue 7 §2).
// County 990506: 2 townships × 1 village × 2 households, ids 9_560_001…9_560_004; households
// 9_560_001/2 are in township 990506001, 9_560_003/4 in township 990506002. Each gets an income,
// a status event and a secondary cause here.

describe('loaders below a household carry the scope predicate', () => {
  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: '990506', townships: 2, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_560_000 });
    await seedOnce(url, 'loader-scope-facts', { sql: 'SELECT 1 FROM household_income WHERE household_id = 9560001', params: [] }, async (client) => {
      await client.query(`INSERT INTO household_income (household_id, county_code, year, per_capita_net_income)
                          SELECT id, county_code, 2024, 3000 FROM household WHERE county_code = '990506'`);
      await client.query(`INSERT INTO household_status_event (household_id, county_code, from_status, to_status, occurred_on, reason)
                          SELECT id, county_code, NULL, status, '2024-01-01', 'fixture' FROM household WHERE county_code = '990506'`);
      await client.query(`INSERT INTO household_secondary_cause (household_id, cause_code, vocabulary_version, county_code)
                          SELECT id, 'transport', 1, county_code FROM household WHERE county_code = '990506'`);
    });
    if (!dataSource.isInitialized) {
      dataSource.setOptions({ url });
      await dataSource.initialize();
    }
  });
  const township = (scope: string) =>
    createContext(new Db(dataSource), { principal: { subject: 'loader-scope', role: Role.COORDINATOR, department: null, scope } });

  it.each([
    ['incomesByHouseholdId', incomesByHouseholdId],
    ['statusEventsByHouseholdId', statusEventsByHouseholdId],
    ['secondaryCausesByHouseholdId', secondaryCausesByHouseholdId],
  ] as const)('%s answers nothing for a household outside the caller\'s scope', async (_name, loader) => {
    // Township scope (9 digits): the predicate checks the household's village.
    const own = township('990506001');
    const [inScope, foreign] = await Promise.all([own.loaders.load(loader as never, '9560001'), own.loaders.load(loader as never, '9560003')]);
    expect(inScope).toHaveLength(1);
    expect(foreign).toEqual([]);
    // County scope (6 digits): the county column decides.
    const other = township('990599');
    expect(await other.loaders.load(loader as never, '9560001')).toEqual([]);
    expect(await township('990506').loaders.load(loader as never, '9560003')).toHaveLength(1);
  });
});

// Every loader a read-ahead edge primes (registry and every department facet), asked directly
// for a record outside the caller's scope, answers nothing, where the same loader without a
// scope finds rows: the scope is in the loader's own SQL. The access world (access-world.ts,
// city 9906) gives every household a record of each facet.
describe('every read-ahead loader carries the scope predicate', () => {
  const world = worldOf({ city: '9906', foreignCity: '9908', idBase: 9_700_000 });
  const variant = world.variants[0];

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await seedWorld(url, world);
    if (!dataSource.isInitialized) {
      dataSource.setOptions({ url });
      await dataSource.initialize();
    }
  });
  afterAll(() => (dataSource.isInitialized ? dataSource.destroy() : undefined));

  const contextFor = (scope: Scope) =>
    createContext(new Db(dataSource), { principal: { subject: 'loader-scope', role: Role.COORDINATOR, department: null, scope: variant.scope }, scope });
  const empty = (value: unknown) => value == null || (Array.isArray(value) && value.length === 0);

  it('answers nothing for households and persons outside the scope, for every edge', async () => {
    const edges = registeredEdges();
    expect(edges.length).toBeGreaterThan(20);
    const foreign = variant.household.foreign;
    let meaningful = 0;
    for (const edge of edges) {
      const keys = edge.type === 'Person' ? [1, 2, 3].map((m) => memberOf(foreign, m as 1 | 2 | 3))
        : edge.keyOf ? [edge.keyOf({ id: foreign, villageCode: variant.village.foreign })] : [foreign];
      for (const key of keys) {
        const everything = await contextFor(UNRESTRICTED).loaders.load(edge.loader, key);
        const scoped = await contextFor({ regionPrefix: variant.scope }).loaders.load(edge.loader, key);
        expect({ edge: `${edge.type}.${edge.fields[0]}`, key, scoped: empty(scoped) }).toEqual({ edge: `${edge.type}.${edge.fields[0]}`, key, scoped: true });
        if (!empty(everything)) meaningful++;
      }
    }
    // Most edges have rows there to hide (the world gives every household each facet).
    expect(meaningful).toBeGreaterThan(15);
  });
});
