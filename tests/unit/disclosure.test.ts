import { RegionLevel } from '../../src/core/vocab';
import { cellSystem, protectSystem, suppressSystem, type ComputedCell, type ReleaseEntry } from '../../src/modules/aggregates/aggregate-release.service';
import { suppress } from '../../src/modules/aggregates/disclosure';
import { ReportDimension, ReportMetric } from '../../src/modules/reports';
import { Random } from '../../seeds/random';
import { attack, differences, type AttackEntry, type PublishedCell } from '../support/disclosure-attack';

// Disclosure control on synthetic catalogs (no database): random cities of skewed counts by
// status × cause at township level, published by three overlapping entries at city, county and
// township level. On every one, after the rules and the LP audit (what a release runs), the
// attacker's LP finds no suppressed cell narrower than the threshold and no small difference,
// and the suppression is deterministic. The rules alone are not enough on these tables: the
// audit adds cells on some of them.

const MIN_CELL = 10;
const STATUSES = ['registered', 'exited', 'monitored', 'none'];
const CAUSES = ['illness', 'disability', 'labour', 'schooling', null];

const ENTRIES: ReleaseEntry[] = [
  { id: '1', version: 1, metric: ReportMetric.HOUSEHOLDS, dimensions: [ReportDimension.STATUS, ReportDimension.MAIN_CAUSE], levels: [RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP], years: [2024], regionCode: '9931' },
  { id: '2', version: 1, metric: ReportMetric.HOUSEHOLDS, dimensions: [ReportDimension.MAIN_CAUSE], levels: [RegionLevel.COUNTY, RegionLevel.TOWNSHIP], years: [2024], regionCode: '9931' },
  { id: '3', version: 1, metric: ReportMetric.HOUSEHOLDS, dimensions: [ReportDimension.STATUS], levels: [RegionLevel.CITY, RegionLevel.TOWNSHIP], years: [2024], regionCode: '9931' },
];
const LENGTHS: Record<string, number> = { city: 4, county: 6, township: 9 };

/** The cells the report engine would give for these township counts: every margin, rolled up to every level of each entry. */
function catalogCells(counts: Map<string, number>): ComputedCell[] {
  const cells: ComputedCell[] = [];
  for (const entry of ENTRIES) {
    for (const level of entry.levels) {
      const sums = new Map<string, ComputedCell>();
      for (const [key, n] of counts) {
        const [township, status, cause] = JSON.parse(key) as [string, string, string | null];
        const values: Record<string, string | null> = { STATUS: status, MAIN_CAUSE: cause };
        // Every subset of the entry's dimensions (GROUPING SETS).
        for (let mask = 0; mask < 1 << entry.dimensions.length; mask++) {
          const categories: Record<string, string | null> = {};
          entry.dimensions.forEach((d, i) => {
            if (mask & (1 << i)) categories[d] = values[d];
          });
          const regionCode = township.slice(0, LENGTHS[level]).padEnd(12, '0');
          const k = `${regionCode}|${JSON.stringify(categories)}`;
          const cell = sums.get(k);
          if (cell) cell.value += n;
          else sums.set(k, { entryId: entry.id, entryVersion: 1, metric: entry.metric, year: 2024, level, regionCode, categories, value: n });
        }
      }
      cells.push(...sums.values());
    }
  }
  return cells;
}

function randomCity(seed: string): Map<string, number> {
  const rnd = new Random(seed);
  const counts = new Map<string, number>();
  const counties = 2 + Math.floor(rnd.next() * 3);
  for (let c = 1; c <= counties; c++) {
    const townships = 1 + Math.floor(rnd.next() * 4);
    for (let t = 1; t <= townships; t++) {
      const township = `9931${String(c).padStart(2, '0')}${String(t).padStart(3, '0')}`;
      const size = 20 + Math.floor(rnd.next() * 120);
      for (let h = 0; h < size; h++) {
        // Skewed shares: most households registered or exited, most causes illness.
        const s = rnd.next();
        const status = STATUSES[s < 0.5 ? 0 : s < 0.8 ? 1 : s < 0.95 ? 2 : 3];
        const k = rnd.next();
        const cause = CAUSES[k < 0.45 ? 0 : k < 0.65 ? 1 : k < 0.85 ? 2 : k < 0.95 ? 3 : 4];
        const key = JSON.stringify([township, status, cause]);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return counts;
}

const attackEntries: AttackEntry[] = ENTRIES.map((e) => ({ code: e.id, metric: e.metric, dimensions: e.dimensions, levels: e.levels, years: e.years, region: e.regionCode }));

describe('disclosure control', () => {
  it('hides small counts, keeps zeros and large counts, and adds a partner to a lone hidden cell', () => {
    // 30 = 4 + 26: the 4 is small; alone in its row it would be 30 − 26, so 26 goes too.
    const result = suppress([30, 4, 26, 0], [{ total: 0, parts: [1, 2, 3] }], { minCell: MIN_CELL });
    expect(result.suppressed).toEqual([false, true, true, false]);
    expect(result).toMatchObject({ primary: 1, complementary: 1, unprotected: 0 });
    const primaryOnly = suppress([30, 4, 26, 0], [{ total: 0, parts: [1, 2, 3] }], { minCell: MIN_CELL, complementary: false });
    expect(primaryOnly.suppressed).toEqual([false, true, false, false]);
  });

  // Whether the rules alone hid fewer cells than the audit needed (the audit is not idle).
  const rulesAlone: boolean[] = [];
  afterAll(() => expect(rulesAlone.some(Boolean)).toBe(true));

  it.each(Array.from({ length: 8 }, (_, i) => [`city ${i}`]))('leaves no narrow interval and no small difference on random %s', async (name) => {
    const cells = catalogCells(randomCity(`disclosure-${name}`));
    const system = cellSystem(cells, ENTRIES);
    const result = await protectSystem(system, MIN_CELL, new Set());
    expect((await protectSystem(system, MIN_CELL, new Set())).suppressed).toEqual(result.suppressed);
    expect(result.unprotected).toBe(0);
    rulesAlone.push(suppressSystem(system, MIN_CELL, new Set()).suppressed.filter(Boolean).length < result.suppressed.filter(Boolean).length);
    const published: PublishedCell[] = cells.map((c, n) => ({
      entry: c.entryId, metric: c.metric, year: c.year, level: c.level, region: c.regionCode, categories: c.categories,
      value: result.suppressed[system.indexOf[n]] ? null : c.value,
    }));
    const narrow = (await attack(published, attackEntries)).filter((i) => i.max - i.min < MIN_CELL - 1e-6);
    expect(narrow).toEqual([]);
    expect(differences(published, attackEntries, MIN_CELL)).toEqual([]);
  });
});
