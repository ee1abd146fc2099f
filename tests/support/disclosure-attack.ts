import highsLoader from 'highs';
import { stripPadding } from '../../src/core/scope';

// The attacker of the approved-aggregate catalog (issue 9 §4), written from what an outsider
// sees: the entries (metric, dimensions, levels, years, region) and their published cells.
// Used by tests/e2e/aggregate-attack.test.ts and by `npm run bench:aggregates -- --attack`.
//
// Equations: a total = Σ its categories (per dimension), a region = Σ its sub-regions at every
// finer published level of an entry covering it, and one cell published by two entries is one
// unknown. For each suppressed cell, HiGHS finds its minimum and maximum under the equations and
// non-negativity (LP relaxation of the integers). Differencing: nested published cells (a
// region and a sub-region, a total and a category, across entries), and one cell in two
// consecutive years, whose difference is 1 … minCell − 1.

export interface AttackEntry { code: string; metric: string; dimensions: string[]; levels: string[]; years: number[]; region: string }
export interface PublishedCell { entry: string; metric: string; year: number; level: string; region: string; categories: Record<string, string | null>; value: number | null }

const LENGTH: Record<string, number> = { province: 2, city: 4, county: 6, township: 9 };
const keyOf = (c: Pick<PublishedCell, 'metric' | 'year' | 'region' | 'categories'>) =>
  `${c.metric}|${c.year}|${c.region}|${JSON.stringify(Object.keys(c.categories).sort().map((k) => [k, c.categories[k]]))}`;

/** The attacker's system: one unknown per suppressed cell, one row per equation that has one. */
function attackerEquations(published: PublishedCell[], entries: AttackEntry[]) {
  const value = new Map<string, number | null>();
  for (const c of published) {
    const k = keyOf(c);
    // PublishedCell by one entry, suppressed by another: known (never happens; the engine shares cells).
    if (!value.has(k) || value.get(k) === null) value.set(k, c.value);
  }
  const byCode = new Map(entries.map((e) => [e.code, e]));
  const groups = new Map<string, { total: string; parts: Set<string> }>();
  const add = (group: string, total: string, part: string) => {
    if (!value.has(total)) return;
    let g = groups.get(group);
    if (!g) groups.set(group, (g = { total, parts: new Set() }));
    g.parts.add(part);
  };
  for (const c of published) {
    const me = keyOf(c);
    for (const d of Object.keys(c.categories)) {
      const rest = { ...c.categories };
      delete rest[d];
      const total = keyOf({ ...c, categories: rest });
      add(`${total}#${d}`, total, me);
    }
    // Against every coarser region published for the same figure, by any entry; the cell's own
    // entry covers the coarser region's every part when its region lies inside it.
    const entry = byCode.get(c.entry);
    if (!entry) throw new Error(`unknown entry ${c.entry}`);
    for (const coarser of Object.values(LENGTH)) {
      if (coarser >= LENGTH[c.level] || coarser < entry.region.length) continue;
      const total = keyOf({ ...c, region: c.region.slice(0, coarser).padEnd(12, '0') });
      add(`${total}#region#${c.level}`, total, me);
    }
  }
  return { value, equations: [...groups.values()].map((g) => ({ total: g.total, parts: [...g.parts] })) };
}

/** For every suppressed cell: its feasible interval under all equations and non-negativity (LP relaxation, HiGHS). */
export async function attack(published: PublishedCell[], entries: AttackEntry[]): Promise<Array<{ cell: string; min: number; max: number }>> {
  const highs = await highsLoader();
  const { value, equations } = attackerEquations(published, entries);
  const unknowns = [...value].filter(([, v]) => v === null).map(([k]) => k);
  const id = new Map(unknowns.map((k, i) => [k, `x${i}`]));
  const rows = equations
    .map((eq) => {
      const terms: string[] = [];
      let rhs = 0;
      for (const p of eq.parts) {
        if (value.get(p) === null) terms.push(`+ ${id.get(p)}`);
        else rhs -= value.get(p) as number;
      }
      if (value.get(eq.total) === null) terms.push(`- ${id.get(eq.total)}`);
      else rhs += value.get(eq.total) as number;
      return { terms, rhs };
    })
    .filter((r) => r.terms.length > 0);
  // Connected components: each unknown is solved with the equations that can reach it.
  const parent = unknowns.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const varIndex = (t: string) => Number(t.split(' x')[1]);
  for (const r of rows) for (const t of r.terms.slice(1)) parent[find(varIndex(t))] = find(varIndex(r.terms[0]));
  const rowsOf = new Map<number, typeof rows>();
  for (const r of rows) {
    const root = find(varIndex(r.terms[0]));
    rowsOf.set(root, [...(rowsOf.get(root) ?? []), r]);
  }
  const intervals: Array<{ cell: string; min: number; max: number }> = [];
  unknowns.forEach((cell, i) => {
    const constraints = rowsOf.get(find(i)) ?? [];
    const solve = (sense: 'Minimize' | 'Maximize') => {
      const lp = `${sense}\n obj: x${i}\nSubject To\n${constraints.map((r, n) => ` c${n}: ${r.terms.join(' ')} = ${r.rhs}`).join('\n')}\nBounds\n x${i} >= 0\nEnd`;
      const res = highs.solve(lp);
      if (res.Status === 'Unbounded') return Infinity;
      if (res.Status !== 'Optimal') throw new Error(`LP ${sense} of ${cell}: ${res.Status}`);
      return (res.Columns[`x${i}`] as { Primal: number }).Primal;
    };
    intervals.push({ cell, min: constraints.length ? solve('Minimize') : 0, max: constraints.length ? solve('Maximize') : Infinity });
  });
  return intervals;
}

/** Published pairs, one inside the other, whose difference isolates 1 … minCell − 1; and consecutive years so close. */
export function differences(published: PublishedCell[], entries: AttackEntry[], minCell: number): string[] {
  const cells = new Map<string, PublishedCell>();
  for (const c of published) if (c.value !== null) cells.set(keyOf(c), c);
  const groups = new Map<string, PublishedCell[]>();
  for (const c of cells.values()) groups.set(`${c.metric}|${c.year}`, [...(groups.get(`${c.metric}|${c.year}`) ?? []), c]);
  const found: string[] = [];
  const inside = (b: PublishedCell, a: PublishedCell) =>
    b.region.startsWith(stripPadding(a.region)) && Object.entries(a.categories).every(([d, v]) => d in b.categories && b.categories[d] === v);
  for (const group of groups.values()) {
    for (const a of group) {
      for (const b of group) {
        if (a === b || !inside(b, a)) continue;
        const diff = (a.value as number) - (b.value as number);
        if (diff > 0 && diff < minCell) found.push(`${keyOf(a)} − ${keyOf(b)} = ${diff}`);
      }
    }
  }
  const byCode = new Map(entries.map((e) => [e.code, e]));
  for (const c of published) {
    const years = (byCode.get(c.entry) as AttackEntry).years;
    const at = years.indexOf(c.year);
    if (at < 1 || c.value === null) continue;
    const before = cells.get(keyOf({ ...c, year: years[at - 1] }));
    const change = before ? Math.abs(c.value - (before.value as number)) : 0;
    if (before && change > 0 && change < minCell) found.push(`${keyOf(c)} changed by ${change} since ${years[at - 1]}`);
  }
  return found;
}
