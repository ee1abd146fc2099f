import { graphql } from 'graphql';
import { Client } from 'pg';
import { dataSource } from '../../ormconfig';
import { Role, type Principal } from '../../src/core/auth';
import { ensureAppLogin } from '../../src/core/app-role';
import { createContext } from '../../src/core/context';
import { connectAndMigrate } from '../../src/core/database';
import { Db } from '../../src/core/db';
import {
  approvedEntries, cellSystem, computeCells, suppressSystem, writeRelease, type Queryable,
} from '../../src/modules/aggregates/aggregate-release.service';
import { AGG_CITY, buildAggregateWorld } from '../support/aggregate-world';
import { attack, differences, type AttackEntry, type PublishedCell } from '../support/disclosure-attack';
import { startApp } from '../support/app';
import { recreateDatabase, TEST_APP_PASSWORD, TEST_DB_NAME } from '../support/test-database';

// The attack on the approved-aggregate catalog (issue 9 §4). On its own database (so that the
// catalog holds exactly these entries), three fixture counties with many small cells, and six
// overlapping entries (shared cells, margins, three region levels, two years). A third party
// collects everything the catalog publishes through the API; the attacker writes every equation
// an outsider can (totals = Σ categories, region = Σ sub-regions, one cell published by two
// entries is one unknown) and, for every suppressed cell, asks an LP solver (HiGHS) for its
// minimum and maximum under those equations and non-negativity. No interval may be narrower
// than the threshold. Differencing: no two published cells, one inside the other (a region and
// a sub-region, a total and a category, across entries), and no cell in two consecutive years,
// may differ by 1 … threshold − 1.
//
// The attack can succeed: on the same figures with primary suppression only, it recovers cells
// exactly, and differencing isolates small groups.

const MIN_CELL = 10;


const ENTRIES: Array<Omit<AttackEntry, 'region'> & { descriptionZh: string }> = [
  { code: 'atk-hh-status', metric: 'HOUSEHOLDS', dimensions: ['STATUS'], levels: ['city', 'county', 'township'], years: [2023, 2024], descriptionZh: '按状态户数' },
  { code: 'atk-hh-status-cause', metric: 'HOUSEHOLDS', dimensions: ['STATUS', 'MAIN_CAUSE'], levels: ['county', 'township'], years: [2024], descriptionZh: '按状态和致贫原因户数' },
  { code: 'atk-hh-cause', metric: 'HOUSEHOLDS', dimensions: ['MAIN_CAUSE'], levels: ['city', 'township'], years: [2024], descriptionZh: '按致贫原因户数' },
  { code: 'atk-hh-total', metric: 'HOUSEHOLDS', dimensions: [], levels: ['city', 'county', 'township'], years: [2024], descriptionZh: '户数' },
  { code: 'atk-dibao-status', metric: 'DIBAO_HOUSEHOLDS', dimensions: ['STATUS'], levels: ['county', 'township'], years: [2023, 2024], descriptionZh: '低保户数' },
  { code: 'atk-persons', metric: 'PERSONS', dimensions: ['LABOUR_ABILITY', 'GENDER'], levels: ['county', 'township'], years: [2024], descriptionZh: '人数' },
];

const CATALOG: AttackEntry[] = ENTRIES.map((e) => ({ ...e, region: AGG_CITY }));
const keyOf = (c: PublishedCell) => `${c.metric}|${c.year}|${c.region}|${JSON.stringify(Object.keys(c.categories).sort().map((k) => [k, c.categories[k]]))}`;

describe('disclosure control under attack', () => {
  let url: string;
  let client: Client;
  let app: Awaited<ReturnType<typeof startApp>>;
  const tx: Queryable = { query: async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T };
  const ngo: Principal = {
    subject: 'key:attacker', role: Role.THIRD_PARTY, department: null, scope: '', organisation: '测试攻击者', catalogEntries: ENTRIES.map((e) => e.code),
  };
  const published: PublishedCell[] = [];
  let primaryOnly: PublishedCell[] = [];
  let release: Awaited<ReturnType<typeof writeRelease>>;

  beforeAll(async () => {
    url = await recreateDatabase(process.env.TEST_SERVER_URL as string, `${TEST_DB_NAME}_aggattack`);
    await connectAndMigrate(dataSource, url);
    await dataSource.destroy();
    const appUrl = await ensureAppLogin(url, TEST_APP_PASSWORD);
    await buildAggregateWorld(url);
    client = new Client({ connectionString: url });
    await client.connect();
    for (const e of ENTRIES) {
      await client.query(
        `INSERT INTO aggregate_entry (code, status, region_code, metric, dimensions, levels, years, description_zh, description_en, proposed_by, approved_by, approved_at)
         VALUES ($1, 'approved', $2, $3, $4, $5, $6, $7, $8, 'attack-test', 'attack-test', now())`,
        [e.code, AGG_CITY, e.metric, e.dimensions, e.levels, e.years, e.descriptionZh, e.code],
      );
    }
    await client.query('BEGIN');
    release = await writeRelease(tx, 'refresh', MIN_CELL);
    await client.query('COMMIT');

    // Everything the catalog publishes, as the third party reads it.
    app = await startApp({ url: appUrl });
    const run = async (source: string, variableValues: Record<string, unknown> = {}) => {
      const res = await graphql({ schema: app.server.schema, source, variableValues, contextValue: createContext(new Db(dataSource), { principal: ngo }) });
      expect(res.errors).toBeUndefined();
      return res.data as Record<string, any>;
    };
    const list = await run(`{ approvedAggregates { code metric dimensions levels years } }`);
    expect(list.approvedAggregates.map((e: AttackEntry) => e.code).sort()).toEqual(ENTRIES.map((e) => e.code).sort());
    for (const e of list.approvedAggregates as AttackEntry[]) {
      for (const year of e.years) {
        for (const level of e.levels) {
          const got = await run(`query ($code: String!, $year: Int, $level: RegionLevel) { approvedAggregate(code: $code, year: $year, level: $level) {
              cells { region { code } categories { dimension value } value suppressed } } }`, { code: e.code, year, level });
          for (const c of got.approvedAggregate.cells) {
            published.push({
              entry: e.code, metric: e.metric, year, level: level.toLowerCase(), region: c.region.code,
              categories: Object.fromEntries(c.categories.map((k: { dimension: string; value: string | null }) => [k.dimension, k.value])),
              value: c.suppressed ? null : c.value,
            });
          }
        }
      }
    }

    // The same figures with primary suppression only (what the engine would publish without its second step).
    const entries = await approvedEntries(tx);
    const computed = await computeCells(tx, entries);
    const system = cellSystem(computed, entries);
    const primary = suppressSystem(system, MIN_CELL, new Set(), false);
    const codeOf = new Map((await tx.query<Array<{ id: string; code: string }>>(`SELECT id::text AS id, code FROM aggregate_entry`)).map((r) => [r.id, r.code]));
    primaryOnly = computed.map((c, n) => ({
      entry: codeOf.get(c.entryId) as string, metric: c.metric, year: c.year, level: c.level, region: c.regionCode, categories: c.categories,
      value: primary.suppressed[system.indexOf[n]] ? null : c.value,
    }));
  }, 180_000);
  afterAll(async () => {
    await client?.end();
    await app?.stop();
  });

  it('publishes enough to attack: many cells, many small ones suppressed, complementary suppression on top', () => {
    const distinct = new Map(published.map((c) => [keyOf(c), c]));
    expect(release.cells).toBe(distinct.size);
    expect(release.suppressedPrimary).toBeGreaterThan(20);
    expect(release.suppressedComplementary).toBeGreaterThan(5);
    expect([...distinct.values()].filter((c) => c.value === null).length).toBe(release.suppressedPrimary + release.suppressedComplementary);
    expect(published.every((c) => c.region.slice(9) === '000')).toBe(true);
    // Cells two entries publish are one figure: published by both or suppressed by both.
    const status = new Map<string, boolean>();
    for (const c of published) {
      const k = keyOf(c);
      if (status.has(k)) expect(status.get(k)).toBe(c.value === null);
      status.set(k, c.value === null);
    }
    process.stdout.write(`aggregate attack: ${release.cells} cells, ${release.suppressedPrimary} primary, ${release.suppressedComplementary} complementary suppressed, ${release.millis} ms\n`);
  });

  it('leaves no suppressed cell an interval narrower than the threshold under every published equation (LP min/max)', async () => {
    const intervals = await attack(published, CATALOG);
    expect(intervals.length).toBe(release.suppressedPrimary + release.suppressedComplementary);
    const narrow = intervals.filter((i) => i.max - i.min < MIN_CELL - 1e-6);
    if (process.env.AGG_DEBUG) process.stdout.write(`narrow ${narrow.length} of ${intervals.length}\n${narrow.slice(0, 5).map((n) => JSON.stringify(n)).join('\n')}\n`);
    expect(narrow).toEqual([]);
  }, 120_000);

  it('lets no difference of two published figures (regions, categories, entries, consecutive years) isolate fewer than the threshold', () => {
    const found = differences(published, CATALOG, MIN_CELL);
    if (process.env.AGG_DEBUG) process.stdout.write(`differences ${found.length}\n${found.slice(0, 10).join('\n')}\n`);
    expect(found).toEqual([]);
  });

  it('is an attack that works: with primary suppression alone, the LP pins cells and differencing isolates small groups', async () => {
    const intervals = await attack(primaryOnly, CATALOG);
    const exact = intervals.filter((i) => i.max - i.min < 1e-6);
    expect(exact.length).toBeGreaterThan(5);
    expect(differences(primaryOnly, CATALOG, MIN_CELL).length).toBeGreaterThan(0);
  }, 120_000);
});
