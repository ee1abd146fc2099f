// Disclosure control of the approved-aggregate catalog (统计数据披露控制, issue 9 §4), as a pure
// function over numbers: no database, so that the attack test and the benchmark run exactly what
// a release runs.
//
// What an outsider can combine is a set of linear equations between published cells: a total
// equals the sum of its categories (row and column totals), a region equals the sum of its
// sub-regions at the next published level, and a cell published by two catalog entries is one
// cell. Primary suppression hides every count 1 … minCell−1. Complementary suppression then
// walks the equations to a fixpoint, with two rules per equation `total = Σ parts`:
//   1. a lone suppressed cell is the difference of the others: suppress one more;
//   2. when the total is published, the suppressed parts add up to a published difference R, and
//      each lies in [0, R]: suppress more until R ≥ minCell (a group of fewer than minCell is
//      itself a small cell, and differencing two published figures would isolate it).
// The cell added is the smallest non-zero published part that makes R reach minCell (else the
// largest, and the loop continues), or the total when no part is left. Cells are visited in a
// fixed order, so the same figures give the same pattern.
//
// Years: an entry's years are reference dates (snapshots as of 31 December), not a partition,
// so no equation links them. What links them is differencing: the same cell published for two
// consecutive years, changing by 1 … minCell−1, would tell what those few households did. Such a
// later-year cell is hidden with the small ones (then protected like them).
//
// Zeros: a true zero is published and never suppressed, primary or complementary. Suppressing a
// zero protects nothing (its interval is [0, x] anyway) and would hide that a category is empty.
// The risk, documented in the README: a published 0 beside a small published total can tell
// that every household of a region shares an attribute (group disclosure). Counts are of
// households, persons or measures; the same threshold applies to each.

/** One equation: cells[total] = Σ cells[parts] (indices into the cell list). */
export interface Equation {
  total: number;
  parts: number[];
}

export interface SuppressionResult {
  /** Per cell: hidden in the release. */
  suppressed: boolean[];
  /** Cells hidden because they are small (1 … minCell−1), changed by that little since the year before, or were hidden by an earlier release. */
  primary: number;
  /** Cells hidden so that the small ones cannot be recovered. */
  complementary: number;
  /** Equations no published cell was left to protect (a suppressed cell stays recoverable; 0 in practice). */
  unprotected: number;
}

export interface SuppressionOptions {
  /** The threshold: counts from 1 to minCell − 1 are small (DISCLOSURE_MIN_CELL). */
  minCell: number;
  /** false: primary suppression alone (only the attack test asks for it, to show it is not enough). */
  complementary?: boolean;
  /** Cells hidden by an earlier release, kept hidden (a cell once hidden stays hidden). */
  alreadySuppressed?: ReadonlySet<number>;
  /** [earlier, later]: the same cell in consecutive years; a small change hides the later one. */
  yearPairs?: ReadonlyArray<readonly [number, number]>;
}

/** Primary and complementary suppression of `values` (non-negative counts) under `equations`. */
export function suppress(values: readonly number[], equations: readonly Equation[], options: SuppressionOptions): SuppressionResult {
  const { minCell } = options;
  const suppressed = values.map((v, i) => (v > 0 && v < minCell) || (options.alreadySuppressed?.has(i) ?? false));
  for (const [earlier, later] of options.yearPairs ?? []) {
    const change = Math.abs(values[later] - values[earlier]);
    if (!suppressed[earlier] && !suppressed[later] && change > 0 && change < minCell) suppressed[later] = true;
  }
  const primary = suppressed.filter(Boolean).length;
  let complementary = 0;
  let unprotected = 0;
  if (options.complementary === false) return { suppressed, primary, complementary, unprotected };

  const equationsOf: number[][] = values.map(() => []);
  equations.forEach((eq, e) => {
    equationsOf[eq.total].push(e);
    for (const p of eq.parts) equationsOf[p].push(e);
  });
  // A work list of equations to (re)check; an equation is queued at most once at a time.
  const queued = new Uint8Array(equations.length);
  const queue: number[] = [];
  const push = (e: number) => {
    if (!queued[e]) {
      queued[e] = 1;
      queue.push(e);
    }
  };
  for (let e = 0; e < equations.length; e++) push(e);
  const stuck = new Set<number>();

  while (queue.length) {
    const e = queue.shift() as number;
    queued[e] = 0;
    const { total, parts } = equations[e];
    const hiddenParts = parts.filter((p) => suppressed[p]);
    const hiddenCount = hiddenParts.length + (suppressed[total] ? 1 : 0);
    if (hiddenCount === 0) continue;
    const hiddenSum = hiddenParts.reduce((s, p) => s + values[p], 0);
    const needsMore = hiddenCount === 1 || (!suppressed[total] && hiddenSum < minCell);
    if (!needsMore) continue;

    const candidates = parts.filter((p) => !suppressed[p] && values[p] > 0).sort((a, b) => values[a] - values[b] || a - b);
    let pick: number | undefined;
    if (candidates.length) {
      pick = suppressed[total] ? candidates[0] : (candidates.find((p) => hiddenSum + values[p] >= minCell) ?? candidates[candidates.length - 1]);
    } else if (!suppressed[total] && values[total] > 0) {
      pick = total;
    }
    if (pick === undefined) {
      if (!stuck.has(e)) unprotected++;
      stuck.add(e);
      continue;
    }
    suppressed[pick] = true;
    complementary++;
    for (const other of equationsOf[pick]) push(other);
    push(e);
  }
  return { suppressed, primary, complementary, unprotected };
}
