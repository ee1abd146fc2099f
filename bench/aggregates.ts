import 'reflect-metadata';
import { Client } from 'pg';
import { dataSource } from '../ormconfig';
import { connectAndMigrate } from '../src/core/database';
import {
  approvedEntries, cellSystem, computeCells, protectSystem, suppressSystem, writeRelease, type Queryable,
} from '../src/modules/aggregates';
import { attack, differences, type AttackEntry, type PublishedCell } from '../tests/support/disclosure-attack';
import { prepareDatabase } from './database';

// `npm run bench:aggregates` (issue 9 §4): how long a release of the whole catalog takes — the
// report statements, building the equations, primary and complementary suppression, writing the
// cells — on the bench scale (or `--scale demo`), with a catalog of eight entries per province
// (households, persons, 低保 households and measures by status, cause, labour ability, gender,
// housing grade, at province, city, county and township level, for 2023 and 2024).
// Everything runs in one transaction that is rolled back: the database keeps no entry.
//
// Database: BENCH_DATABASE_URL, or the bench's own (bench/database.ts), seeded when empty.
// Options: --scale bench|demo (default bench), --min-cell N (default 10), --runs N (default 3),
// --attack (also run the LP attack of tests/e2e/aggregate-attack.test.ts on the release: slow).

const log = (msg: string) => process.stderr.write(`[bench:aggregates] ${msg}\n`);
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const ALL_LEVELS = ['province', 'city', 'county', 'township'];
const TEMPLATES: Array<{ code: string; metric: string; dimensions: string[] }> = [
  { code: 'households', metric: 'HOUSEHOLDS', dimensions: [] },
  { code: 'households-status', metric: 'HOUSEHOLDS', dimensions: ['STATUS'] },
  { code: 'households-status-cause', metric: 'HOUSEHOLDS', dimensions: ['STATUS', 'MAIN_CAUSE'] },
  { code: 'households-cause', metric: 'HOUSEHOLDS', dimensions: ['MAIN_CAUSE'] },
  { code: 'households-housing', metric: 'HOUSEHOLDS', dimensions: ['HOUSING_GRADE'] },
  { code: 'dibao-status', metric: 'DIBAO_HOUSEHOLDS', dimensions: ['STATUS'] },
  { code: 'persons-labour-gender', metric: 'PERSONS', dimensions: ['LABOUR_ABILITY', 'GENDER'] },
  { code: 'measures-kind', metric: 'MEASURES', dimensions: ['MEASURE_KIND', 'DEPARTMENT'] },
];
const YEARS = [2023, 2024];

async function main(): Promise<void> {
  const scale = (option('scale') ?? 'bench') as 'bench' | 'demo';
  const minCell = Number(option('min-cell') ?? 10);
  const runs = Number(option('runs') ?? 3);
  const cleanups: Array<() => Promise<void>> = [];
  try {
    let url = process.env.BENCH_DATABASE_URL;
    if (url) {
      await connectAndMigrate(dataSource, url);
      await dataSource.destroy();
    } else {
      url = (await prepareDatabase({ scale, seed: true, log, onStarted: (h) => cleanups.push(() => h.stop()) })).url;
    }
    const pg = new Client({ connectionString: url });
    await pg.connect();
    cleanups.push(() => pg.end());
    const db: Queryable = { query: async <T>(text: string, params?: unknown[]) => (await pg.query(text, params)).rows as T };
    const [{ households, persons }] = await db.query<Array<{ households: number; persons: number }>>(`SELECT (SELECT count(*) FROM household)::int AS households, (SELECT count(*) FROM person)::int AS persons`);
    const provinces = (await db.query<Array<{ p: string }>>(`SELECT DISTINCT left(village_code, 2) AS p FROM household ORDER BY 1`)).map((r) => r.p);
    log(`${households} households, ${persons} persons in province(s) ${provinces.join(', ')}; threshold ${minCell}`);

    await db.query('BEGIN');
    try {
      const catalog: AttackEntry[] = [];
      for (const province of provinces) {
        for (const t of TEMPLATES) {
          const entry = { ...t, code: `bench-${province}-${t.code}`, levels: ALL_LEVELS, years: YEARS, region: province };
          catalog.push(entry);
          await db.query(
            `INSERT INTO aggregate_entry (code, status, region_code, metric, dimensions, levels, years, description_zh, description_en, proposed_by, approved_by, approved_at)
             VALUES ($1, 'approved', $2, $3, $4, $5, $6, $8, $7, 'bench', 'bench', now())`,
            [entry.code, province, t.metric, t.dimensions, ALL_LEVELS, YEARS, `bench ${t.code}`, `基准 ${t.code}`],
          );
        }
      }
      const entries = await approvedEntries(db);
      const timings: Array<Record<string, number>> = [];
      let summary = '';
      for (let run = 0; run < runs; run++) {
        const t0 = performance.now();
        const cells = await computeCells(db, entries);
        const t1 = performance.now();
        const system = cellSystem(cells, entries);
        const t2 = performance.now();
        const primaryOnly = suppressSystem(system, minCell, new Set(), false);
        const t3 = performance.now();
        const result = suppressSystem(system, minCell, new Set());
        const t4 = performance.now();
        const audited = await protectSystem(system, minCell, new Set());
        const t5 = performance.now();
        timings.push({ sql: t1 - t0, equations: t2 - t1, primary: t3 - t2, suppression: t4 - t3, audit: t5 - t4 });
        summary = `${cells.length} entry cells, ${system.keys.length} distinct cells, ${system.equations.length} equations, ${system.yearPairs.length} year pairs; ` +
          `suppressed: ${primaryOnly.primary} primary, ${result.complementary} complementary by the rules, ${audited.complementary} complementary after the audit ` +
          `(${audited.auditRounds} rounds, ${audited.auditAdded} partners added), ${audited.unprotected} unprotected`;
      }
      const median = (k: string) => [...timings.map((t) => t[k])].sort((a, b) => a - b)[Math.floor(timings.length / 2)];
      log(summary);
      log(`median of ${runs}: report statements ${median('sql').toFixed(0)} ms, equations ${median('equations').toFixed(0)} ms, ` +
        `primary suppression ${median('primary').toFixed(1)} ms, primary + complementary (rules) ${median('suppression').toFixed(0)} ms, ` +
        `rules + LP audit ${median('audit').toFixed(0)} ms`);
      const t5 = performance.now();
      const release = await writeRelease(db, 'refresh', minCell);
      log(`whole release (compute, suppress, write ${release.cells} cells): ${(performance.now() - t5).toFixed(0)} ms`);

      if (process.argv.includes('--attack')) {
        const rows: Array<{ code: string; metric: string; year: number; level: string; region: string; categories: Record<string, string | null>; value: number | null }> = await db.query(
          `SELECT e.code, c.metric, c.year, c.level, c.region_code AS region, c.categories, c.value FROM aggregate_cell c JOIN aggregate_entry e ON e.id = c.entry_id WHERE c.release_id = $1`,
          [release.id],
        );
        const published: PublishedCell[] = rows.map((r) => ({ entry: r.code, metric: r.metric, year: r.year, level: r.level, region: r.region, categories: r.categories, value: r.value }));
        const t6 = performance.now();
        const intervals = await attack(published, catalog);
        const narrow = intervals.filter((i) => i.max - i.min < minCell - 1e-6);
        log(`LP attack: ${intervals.length} suppressed cells bounded in ${((performance.now() - t6) / 1000).toFixed(1)} s; ${narrow.length} narrower than ${minCell}`);
        for (const n of narrow.slice(0, 10)) log(`  ${n.cell}: [${n.min}, ${n.max}]`);
        const found = differences(published, catalog, minCell);
        log(`differencing: ${found.length} small differences`);
        for (const f of found.slice(0, 10)) log(`  ${f}`);
      }
    } finally {
      await db.query('ROLLBACK');
    }
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
