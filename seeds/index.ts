// Deterministic seed data on real division codes (DESIGN.md §2 and §5): the same scale gives
// byte-identical rows, ids included, on every run and machine.
//   test   one township of 麻阳苗族自治县, 300 households (for tests)
//   demo   麻阳苗族自治县 (431226), 20,000 households
//   bench  twelve counties of 怀化, 赣州, 恩施 and 百色: 310,000 households, 1M+ people
// Every division and village of the four prefectures is loaded whatever the scale.
// Manual use: `npm run seed -- --scale demo|bench|test` (seeds/cli.ts).

import { Client } from 'pg';
import { dropSecondaryStructures, restoreSecondaryStructures } from './bulk-load';
import { GapTracker, type GapKind, type SeedContext } from './context';
import { RowSink, SEQUENCED_TABLES, TABLE_NAMES, type TableName } from './copy';
import { writeCivilAffairs } from './facets-civil-affairs';
import { writeEducation } from './facets-education';
import { writeHealth } from './facets-health';
import { planHousing, writeHousing } from './facets-housing';
import { writeCadres, writePovertyOffice, writeProjects } from './facets-poverty-office';
import { buildHousehold, writeHousehold } from './households';
import { IdNumberIssuer } from './people';
import { loadRegions, type VillageDivision } from './regions';
import { allocateHouseholds, SEED_SCALES, type SeedScale } from './scales';
import { writeVillages } from './villages';

export { SEED_SCALES, type SeedScale } from './scales';

export interface SeedSummary {
  scale: SeedScale;
  households: number;
  persons: number;
  /** Rows written per table. */
  rows: Record<TableName, number>;
  /** How many of each deliberate gap the data holds. */
  gaps: Record<GapKind, number>;
  seconds: number;
}

/** Households per COPY batch: large enough to amortise a statement per table, small enough to stream. */
const BATCH_HOUSEHOLDS = 2_000;

/** Whether the database already holds households (then `npm start` does not seed again). */
export async function isSeeded(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ seeded: boolean }>('SELECT EXISTS (SELECT 1 FROM household) AS seeded');
    return rows[0].seeded;
  } finally {
    await client.end();
  }
}

/**
 * Loads a scale into a migrated database that has no households yet, in one transaction: a
 * failed seed leaves nothing behind. Division and village rows already present are kept.
 */
export async function seedDatabase(url: string, scale: SeedScale, options: { log?: (message: string) => void } = {}): Promise<SeedSummary> {
  if (!SEED_SCALES.includes(scale)) throw new Error(`unknown seed scale "${scale}" (one of ${SEED_SCALES.join(', ')})`);
  const log = options.log ?? (() => {});
  const started = Date.now();
  const sink = new RowSink();
  const gaps = new GapTracker();
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Two instances booting on one empty database: the second waits, then finds households.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('household-graph-seed'))`);
    const { rows } = await client.query<{ seeded: boolean }>('SELECT EXISTS (SELECT 1 FROM household) AS seeded');
    if (rows[0].seeded) throw new Error('the database already has households: seed only an empty database');
    for (const table of SEQUENCED_TABLES) {
      const max = await client.query<{ max: string }>(`SELECT COALESCE(max(id), 0)::text AS max FROM "${table}"`);
      sink.startAfter(table, Number(max.rows[0].max));
    }

    const tree = loadRegions();
    await writeRegions(client, sink, tree);
    log(`${tree.divisions.length} divisions, ${tree.villages.length} villages`);

    const quotas = allocateHouseholds(tree, scale);
    const perCounty = new Map<string, number>();
    for (const q of quotas) perCounty.set(q.village.code.slice(0, 6), (perCounty.get(q.village.code.slice(0, 6)) ?? 0) + q.households);
    const ctx: SeedContext = { sink, ids: new IdNumberIssuer([...perCounty.keys()]), gaps, counties: new Map() };
    for (const [code, households] of perCounty) ctx.counties.set(code, writeCadres(sink, tree.counties.get(code)!, households));
    writeProjects(sink, quotas);

    const saved = await dropSecondaryStructures(client, TABLE_NAMES.filter((t) => t !== 'region' && t !== 'village'));
    await sink.flush(client);
    const total = quotas.reduce((n, q) => n + q.households, 0);
    let done = 0;
    // PostgreSQL copies one batch while the next is generated: the flush runs in the
    // background and generation yields to the event loop now and then to keep it fed.
    let copying: Promise<void> = Promise.resolve();
    for (const { village, households } of quotas) {
      for (let seq = 1; seq <= households; seq++) {
        generateHousehold(ctx, village, seq);
        if (++done % BATCH_HOUSEHOLDS === 0) {
          await copying;
          copying = sink.flush(client);
          copying.catch(() => {}); // awaited (and thrown) at the next batch
          if (done % (BATCH_HOUSEHOLDS * 10) === 0) log(`${done} of ${total} households (${((Date.now() - started) / 1000).toFixed(0)} s)`);
        } else if (done % 25 === 0) {
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    }
    await copying;
    await sink.flush(client);
    log(`rows copied (${((Date.now() - started) / 1000).toFixed(0)} s); rebuilding indexes and foreign keys`);
    await restoreSecondaryStructures(client, saved);

    // Later inserts through TypeORM take ids after the seeded ones.
    for (const table of SEQUENCED_TABLES) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE((SELECT max(id) FROM "${table}"), 1), (SELECT count(*) > 0 FROM "${table}"))`,
        [table],
      );
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
  // Fresh statistics: without them the first queries plan as if the tables were empty.
  await analyze(url);
  return {
    scale,
    households: sink.counts.household,
    persons: sink.counts.person,
    rows: { ...sink.counts },
    gaps: { ...gaps.counts },
    seconds: (Date.now() - started) / 1000,
  };
}

function generateHousehold(ctx: SeedContext, village: VillageDivision, seq: number): void {
  const county = ctx.counties.get(village.code.slice(0, 6))!;
  const h = buildHousehold(ctx, village, seq);
  const housing = planHousing(ctx, h);
  writeHousehold(ctx, h, housing.safe);
  const civil = writeCivilAffairs(ctx, h);
  writeHealth(ctx, h, civil);
  const education = writeEducation(ctx, h);
  writeHousing(ctx, h, housing, county.resettlementCode);
  writePovertyOffice(ctx, h, county, county.households++, housing, education);
}

/** Divisions and villages go through staging tables so that rows already present are kept. */
async function writeRegions(client: Client, sink: RowSink, tree: ReturnType<typeof loadRegions>): Promise<void> {
  for (const d of tree.divisions) sink.add('region', [d.code, d.name, d.level, d.parentCode]);
  writeVillages(sink, tree);
  await client.query('CREATE TEMP TABLE seed_region (LIKE region) ON COMMIT DROP');
  await client.query('CREATE TEMP TABLE seed_village (LIKE village INCLUDING DEFAULTS) ON COMMIT DROP');
  await sink.flush(client, { region: 'seed_region', village: 'seed_village' });
  await client.query('INSERT INTO region SELECT * FROM seed_region ON CONFLICT (code) DO NOTHING');
  await client.query('INSERT INTO village SELECT * FROM seed_village ON CONFLICT (code) DO NOTHING');
}

async function analyze(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
