import { UNRESTRICTED } from '../../core/scope';
import type { RegionLevel } from '../../core/vocab';
import { ReportDimension, ReportMetric, reportStatement } from '../reports';
import { PUBLISHABLE_LEVELS } from './aggregate-catalog';
import { suppress, type Equation, type SuppressionResult } from './disclosure';
import { auditedSuppressionOffThread, type AuditedSuppression } from './disclosure-audit';

// Releases (发布批次, issue 9 §2): every approved entry's cells, for every level and year it
// covers, computed once by the report engine (modules/reports: one statement per entry and
// year, over the entry's region, as of 31 December), suppressed together (disclosure.ts)
// and written as one frozen release. Reads only ever read the latest release; nothing is
// recomputed for a caller, so asking twice gives the same figures.
//
// Every entry of the catalog is suppressed in one system: a cell that two entries publish (the
// same metric, year, region and categories) is one cell, so an entry cannot undo the protection
// of another. A cell an earlier release hid stays hidden, so that a new release, read beside an
// older one, does not publish what the older one hid.
//
// Only the latest RELEASES_KEPT releases keep their cells: each release writes every cell of the
// catalog, so keeping all of them would grow the table by a catalog per refresh. Older releases
// keep their row (when, why, how many cells and hidden ones) and lose their cells. Reads answer
// from the latest release, and what an earlier release hid is carried forward through the
// latest's hidden cells, so nothing depends on the deleted ones.

/** The threshold until main.ts sets it from DISCLOSURE_MIN_CELL (core/config.ts). */
let minCellSetting = 10;

/** Sets the disclosure threshold (config DISCLOSURE_MIN_CELL). */
export function setDisclosureMinCell(minCell: number): void {
  minCellSetting = minCell;
}

/**
 * Serialises releases and catalog changes. A change takes it before it locks its entry row, so
 * that it never waits for it while holding a row a release's foreign-key checks need.
 */
export const RELEASE_LOCK = `SELECT pg_advisory_xact_lock(hashtext('household-graph-aggregate-release'))`;

/** Releases whose cells are kept (the latest ones); older releases' cells are deleted by writeRelease. */
export const RELEASES_KEPT = 3;

/** Anything that runs SQL: a transaction's EntityManager, the DataSource, a test's client wrapper. */
export interface Queryable {
  /** Rows of the type the caller annotates (TypeORM's EntityManager.query answers so). */
  query<T = unknown>(text: string, params?: unknown[]): Promise<T>;
}

/** An approved entry as a release computes it. */
export interface ReleaseEntry {
  id: string;
  version: number;
  metric: ReportMetric;
  dimensions: ReportDimension[];
  levels: RegionLevel[];
  years: number[];
  regionCode: string;
}

/** A cell before suppression: one entry's count at one region, year and category combination. */
export interface ComputedCell {
  entryId: string;
  entryVersion: number;
  metric: ReportMetric;
  year: number;
  level: RegionLevel;
  /** 12-digit code. */
  regionCode: string;
  /** Dimension → value (null: the category "none"); a dimension absent is a total over it. */
  categories: Record<string, string | null>;
  value: number;
}

/** What the equations and the suppression run over: distinct cells (shared by entries) and the equations between them. */
export interface CellSystem {
  cells: ComputedCell[];
  /** Index into `values` of each cell. */
  indexOf: number[];
  /** Distinct cells' keys and values. */
  keys: string[];
  values: number[];
  equations: Equation[];
  /** [earlier, later]: the same cell of one entry in consecutive years. */
  yearPairs: Array<[number, number]>;
}

/** The identity of a figure across entries: metric, year, region, categories (keys sorted). */
export function cellKey(c: Pick<ComputedCell, 'metric' | 'year' | 'regionCode' | 'categories'>): string {
  const cats = Object.keys(c.categories).sort().map((k) => [k, c.categories[k]]);
  return `${c.metric}|${c.year}|${c.regionCode}|${JSON.stringify(cats)}`;
}

const LEVEL = new Map(PUBLISHABLE_LEVELS.map((l) => [l.level, l]));

/**
 * The cells of `entries`: per entry and year, one report statement at the entry's finest level
 * over the entry's region (every category combination and margin, GROUPING SETS), summed up to
 * its coarser levels here. Every publishable metric is a count, so a region's figure is the sum
 * of its sub-regions' (the report engine would give the same, at one statement per level).
 */
export async function computeCells(db: Queryable, entries: readonly ReleaseEntry[]): Promise<ComputedCell[]> {
  const cells: ComputedCell[] = [];
  for (const entry of entries) {
    const levels = entry.levels.map((level) => {
      const spec = LEVEL.get(level);
      if (!spec) throw new Error(`aggregate entry ${entry.id}: level ${level} is not publishable`);
      return spec;
    });
    const finest = levels.reduce((a, b) => (b.length > a.length ? b : a));
    for (const year of entry.years) {
      const def = { dimensions: [finest.dimension, ...entry.dimensions], metrics: [entry.metric], filter: { regionCode: entry.regionCode } };
      const statement = reportStatement(def, UNRESTRICTED, `${year}-12-31`, null);
      const rows: Array<Record<string, string | number | null>> = await db.query(statement.text, statement.params);
      const finestCells: ComputedCell[] = [];
      for (const row of rows) {
        if (Number(row.g0) === 1) continue; // totals over regions: summed below where a coarser level is published
        const categories: Record<string, string | null> = {};
        entry.dimensions.forEach((d, i) => {
          if (Number(row[`g${i + 1}`]) === 0) categories[d] = row[`d${i + 1}`] === null ? null : String(row[`d${i + 1}`]);
        });
        finestCells.push({
          entryId: entry.id, entryVersion: entry.version, metric: entry.metric, year, level: finest.level, regionCode: String(row.d0), categories, value: Number(row.m0),
        });
      }
      for (const level of levels) {
        if (level === finest) {
          cells.push(...finestCells);
          continue;
        }
        const sums = new Map<string, ComputedCell>();
        for (const c of finestCells) {
          const regionCode = c.regionCode.slice(0, level.length).padEnd(12, '0');
          const key = `${regionCode}|${JSON.stringify(c.categories)}`;
          const sum = sums.get(key);
          if (sum) sum.value += c.value;
          else sums.set(key, { ...c, level: level.level, regionCode, categories: c.categories });
        }
        cells.push(...[...sums.values()].sort((a, b) => (a.regionCode < b.regionCode ? -1 : a.regionCode > b.regionCode ? 1 : 0)));
      }
    }
  }
  return cells;
}

/**
 * The distinct cells of `cells` and the equations an outsider can write between them: a total
 * over a dimension = Σ its categories; a region = Σ its sub-regions at each finer level an entry
 * covering it publishes; and the pairs of one cell in consecutive years.
 */
export function cellSystem(cells: readonly ComputedCell[], entries: readonly ReleaseEntry[]): CellSystem {
  const index = new Map<string, number>();
  const keys: string[] = [];
  const values: number[] = [];
  const indexOf = cells.map((c) => {
    const key = cellKey(c);
    let i = index.get(key);
    if (i === undefined) {
      i = keys.length;
      index.set(key, i);
      keys.push(key);
      values.push(c.value);
    }
    return i;
  });
  const groups = new Map<string, { total: number; parts: Set<number> }>();
  const addPart = (group: string, total: number | undefined, part: number) => {
    if (total === undefined) return; // a zero parent (absent) cannot have a non-zero part
    let g = groups.get(group);
    if (!g) groups.set(group, (g = { total, parts: new Set() }));
    g.parts.add(part);
  };
  const byEntry = new Map(entries.map((e) => [e.id, e]));
  const yearPairs = new Map<string, [number, number]>();
  cells.forEach((c, n) => {
    const entry = byEntry.get(c.entryId);
    if (!entry) return;
    const me = indexOf[n];
    for (const d of Object.keys(c.categories)) {
      const { [d]: _dropped, ...rest } = c.categories;
      const total = index.get(cellKey({ ...c, categories: rest }));
      addPart(`${total}|dim|${d}`, total, me);
    }
    const yearAt = entry.years.indexOf(c.year);
    if (yearAt > 0) {
      const earlier = index.get(cellKey({ ...c, year: entry.years[yearAt - 1] }));
      if (earlier !== undefined) yearPairs.set(`${earlier}>${me}`, [earlier, me]);
    }
    // The cell's region against every coarser region any entry publishes the same figure for,
    // not only the entry's own next level: a city from one entry, minus the counties of another,
    // is a county. The entry covers the whole coarser region when its own region lies inside it.
    const length = (LEVEL.get(c.level) as { length: number }).length;
    for (const coarser of PUBLISHABLE_LEVELS) {
      if (coarser.length >= length || coarser.length < entry.regionCode.length) continue;
      const total = index.get(cellKey({ ...c, regionCode: c.regionCode.slice(0, coarser.length).padEnd(12, '0') }));
      addPart(`${total}|region|${c.level}`, total, me);
    }
  });
  const seen = new Set<string>();
  const equations: Equation[] = [];
  for (const g of groups.values()) {
    const parts = [...g.parts].sort((a, b) => a - b);
    const signature = `${g.total}=${parts.join('+')}`;
    if (seen.has(signature)) continue;
    seen.add(signature);
    equations.push({ total: g.total, parts });
  }
  return { cells: [...cells], indexOf, keys, values, equations, yearPairs: [...yearPairs.values()] };
}

/** The audited suppression of a release: the rules, then the LP audit until no hidden cell is narrower than minCell (disclosure-audit.ts), on a worker thread. */
export function protectSystem(system: CellSystem, minCell: number, hiddenBefore: ReadonlySet<string>): Promise<AuditedSuppression> {
  const alreadySuppressed = new Set<number>();
  system.keys.forEach((k, i) => {
    if (hiddenBefore.has(k)) alreadySuppressed.add(i);
  });
  return auditedSuppressionOffThread(system.values, system.equations, { minCell, alreadySuppressed, yearPairs: system.yearPairs });
}

/** Suppression by the rules alone: primary (small cells and those hidden before) and, unless asked not to, complementary. */
export function suppressSystem(system: CellSystem, minCell: number, hiddenBefore: ReadonlySet<string>, complementary = true): SuppressionResult {
  const alreadySuppressed = new Set<number>();
  system.keys.forEach((k, i) => {
    if (hiddenBefore.has(k)) alreadySuppressed.add(i);
  });
  return suppress(system.values, system.equations, { minCell, complementary, alreadySuppressed, yearPairs: system.yearPairs });
}

const ENTRY_COLUMNS = `id::text AS id, version, metric, dimensions, levels, years, region_code AS "regionCode"`;

/** The approved entries, by code. */
export async function approvedEntries(db: Queryable): Promise<ReleaseEntry[]> {
  return db.query(`SELECT ${ENTRY_COLUMNS} FROM aggregate_entry WHERE status = 'approved' ORDER BY code`);
}

/** What a release reports about itself (never which cell was hidden for which reason). */
export interface ReleaseSummary {
  id: string;
  computedAt: Date;
  minCell: number;
  cells: number;
  suppressedPrimary: number;
  suppressedComplementary: number;
  millis: number;
}

/**
 * Computes, suppresses and writes a release of every approved entry (the call on approval,
 * revision, retirement, the refresh mutation and the scheduled refresh). Run it inside the
 * transaction that changed the catalog: the release commits with the change or not at all.
 * Releases are serialised by an advisory lock.
 */
export async function writeRelease(db: Queryable, reason: string, minCell = minCellSetting): Promise<ReleaseSummary> {
  const started = Date.now();
  await db.query(RELEASE_LOCK);
  // The LP audit runs in Node while the transaction waits: on a large catalog longer than the
  // app's idle-in-transaction limit (DB_IDLE_IN_TRANSACTION_TIMEOUT_MS), so this transaction
  // gets ten minutes.
  await db.query(`SELECT set_config('idle_in_transaction_session_timeout', '600000', true)`);
  const entries = await approvedEntries(db);
  const cells = await computeCells(db, entries);
  const system = cellSystem(cells, entries);
  const hidden: Array<{ metric: string; year: number; regionCode: string; categories: Record<string, string | null> }> = await db.query(
    `SELECT metric, year, region_code AS "regionCode", categories FROM aggregate_cell
      WHERE suppressed AND release_id = (SELECT max(id) FROM aggregate_release)`,
  );
  const result = await protectSystem(system, minCell, new Set(hidden.map((h) => cellKey(h as never))));
  const millis = Date.now() - started;
  const [release]: Array<{ id: string; computedAt: Date }> = await db.query(
    `INSERT INTO aggregate_release (min_cell, cells, suppressed_primary, suppressed_complementary, millis, reason)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id, computed_at AS "computedAt"`,
    [minCell, system.keys.length, result.primary, result.complementary, millis, reason],
  );
  // One statement for all cells (arrays unnested), whatever the catalog's size.
  const published = cells.map((_, n) => !result.suppressed[system.indexOf[n]]);
  if (cells.length) {
    await db.query(
      `INSERT INTO aggregate_cell (release_id, entry_id, entry_version, metric, year, level, region_code, categories, value, suppressed)
       SELECT $1::bigint, e, v, m, y, l, r, c, val, s
         FROM unnest($2::bigint[], $3::int[], $4::text[], $5::int[], $6::text[], $7::text[], $8::jsonb[], $9::float8[], $10::bool[]) AS t(e, v, m, y, l, r, c, val, s)`,
      [
        release.id, cells.map((c) => c.entryId), cells.map((c) => c.entryVersion), cells.map((c) => c.metric), cells.map((c) => c.year),
        cells.map((c) => c.level), cells.map((c) => c.regionCode), cells.map((c) => JSON.stringify(c.categories)),
        cells.map((c, n) => (published[n] ? c.value : null)), cells.map((_, n) => !published[n]),
      ],
    );
  }
  // Under the release lock: older releases' cells go (one statement, by the release_id index).
  await db.query(
    `DELETE FROM aggregate_cell WHERE release_id < (SELECT min(id) FROM (SELECT id FROM aggregate_release ORDER BY id DESC LIMIT $1) kept)`,
    [RELEASES_KEPT],
  );
  return {
    id: release.id, computedAt: release.computedAt, minCell, cells: system.keys.length,
    suppressedPrimary: result.primary, suppressedComplementary: result.complementary, millis,
  };
}
