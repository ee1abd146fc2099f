import path from 'node:path';
import { Worker } from 'node:worker_threads';
import highsLoader, { type Highs } from 'highs';
import { AppError } from '../../core/errors';
import { suppress, type Equation, type SuppressionOptions, type SuppressionResult } from './disclosure';

// The audit of a suppression pattern (审核): the rules of disclosure.ts look at one equation at a
// time, and in a table with two dimensions and a region hierarchy that is not always enough (a
// cell can be pinned by several equations together). So a release is audited the way an
// attacker would attack it: for every hidden cell, an LP (HiGHS, WebAssembly) finds its minimum
// and maximum under every equation and non-negativity. A cell whose interval is narrower than
// the threshold gets one more partner (the smallest non-zero published cell of an equation it
// is in), the rules run again, and the audit repeats on the parts of the system that changed,
// until no interval is narrow. tests/e2e/aggregate-attack.test.ts runs its own attack on what
// the API then serves.

let solver: Promise<Highs> | null = null;
const loadSolver = (): Promise<Highs> => (solver ??= highsLoader());

const OPTIMAL = 7;
const UNBOUNDED = new Set([9, 10]);

/**
 * [min, max] of every hidden cell in the components of the system that hold a cell of `only`
 * (all of them when absent): one persistent LP per connected component, its objective switched
 * from cell to cell (warm-started). With `wideEnough`, a cell is solved only while the values it
 * has taken in the true figures and in the other cells' optimal solutions span less than that:
 * its interval is then what those solutions showed (inside the true one, and wide enough); a
 * narrower one is always solved exactly.
 */
async function hiddenIntervals(
  values: readonly number[], equations: readonly Equation[], hidden: readonly boolean[], only?: ReadonlySet<number>, wideEnough = Infinity,
): Promise<Map<number, [number, number]>> {
  const highs = await loadSolver();
  // Rows: Σ hidden parts − hidden total = published total − Σ published parts.
  const rows = equations
    .map((eq) => {
      const terms: Array<[number, number]> = [];
      let rhs = 0;
      for (const p of eq.parts) {
        if (hidden[p]) terms.push([p, 1]);
        else rhs -= values[p];
      }
      if (hidden[eq.total]) terms.push([eq.total, -1]);
      else rhs += values[eq.total];
      return { terms, rhs };
    })
    .filter((r) => r.terms.length > 0);
  const parent = new Map<number, number>();
  const find = (i: number): number => {
    let root = i;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as number;
    parent.set(i, root);
    return root;
  };
  hidden.forEach((h, i) => {
    if (h) parent.set(i, i);
  });
  for (const r of rows) for (const [v] of r.terms.slice(1)) parent.set(find(v), find(r.terms[0][0]));
  const components = new Map<number, { cells: number[]; rows: typeof rows }>();
  for (const i of parent.keys()) {
    const root = find(i);
    if (!components.has(root)) components.set(root, { cells: [], rows: [] });
    (components.get(root) as { cells: number[] }).cells.push(i);
  }
  for (const r of rows) components.get(find(r.terms[0][0]))?.rows.push(r);

  const intervals = new Map<number, [number, number]>();
  for (const { cells, rows: own } of components.values()) {
    if (only && !cells.some((c) => only.has(c))) continue;
    if (!own.length) {
      for (const c of cells) intervals.set(c, [0, Infinity]);
      continue;
    }
    const lp = `Minimize\n obj: ${cells.map((c) => `0 x${c}`).join(' + ')}\nSubject To\n${own
      .map((r, n) => ` c${n}: ${r.terms.map(([v, k]) => `${k < 0 ? '-' : '+'} x${v}`).join(' ')} = ${r.rhs}`)
      .join('\n')}\nEnd`;
    const model = highs.createModel({ format: 'lp', data: lp });
    try {
      model.options.set('output_flag', false);
      const colOf = new Map(cells.map((c) => [c, model.getColByName(`x${c}`)]));
      const cellOf = new Map([...colOf].map(([c, col]) => [col, c]));
      // The range each cell has been seen to take: the true figures are one solution.
      const seen = new Map(cells.map((c) => [c, [values[c], values[c]] as [number, number]]));
      const observe = () => {
        const x = model.getSolution().colValue;
        x.forEach((v, col) => {
          const range = seen.get(cellOf.get(col) as number) as [number, number];
          if (v < range[0]) range[0] = v;
          if (v > range[1]) range[1] = v;
        });
      };
      let previous = -1;
      for (const c of cells) {
        const range = seen.get(c) as [number, number];
        if (range[1] - range[0] >= wideEnough) {
          intervals.set(c, [range[0], range[1]]);
          continue;
        }
        const col = colOf.get(c) as number;
        if (previous >= 0) model.changeColCost(previous, 0);
        model.changeColCost(col, 1);
        previous = col;
        const bound = (sense: 'minimize' | 'maximize'): number => {
          model.changeObjectiveSense(highs.constants.objectiveSense[sense]);
          model.run();
          const status = model.getModelStatus();
          if (UNBOUNDED.has(status)) return sense === 'maximize' ? Infinity : 0;
          if (status !== OPTIMAL) throw new Error(`disclosure audit: LP status ${status}`);
          observe();
          return model.getObjectiveValue();
        };
        const lo = bound('minimize');
        const hi = range[1] - lo >= wideEnough ? range[1] : bound('maximize');
        intervals.set(c, [lo, hi]);
      }
    } finally {
      model.dispose();
    }
  }
  return intervals;
}

export interface AuditedSuppression extends SuppressionResult {
  /** Audit rounds that found a narrow interval (0: the rules alone were enough). */
  auditRounds: number;
  /** Cells the audit hid on top of the rules. */
  auditAdded: number;
}

/** Suppression by the rules of disclosure.ts, then audited and strengthened until no hidden cell's interval is narrower than minCell. */
export async function auditedSuppression(values: readonly number[], equations: readonly Equation[], options: SuppressionOptions): Promise<AuditedSuppression> {
  const { minCell } = options;
  const first = suppress(values, equations, options);
  const primary = first.primary;
  let result = first;
  const added = new Set<number>();
  const equationsOf: number[][] = values.map(() => []);
  equations.forEach((eq, e) => {
    equationsOf[eq.total].push(e);
    for (const p of eq.parts) equationsOf[p].push(e);
  });
  let rounds = 0;
  let changed: Set<number> | undefined;
  let unprotected = result.unprotected;
  for (;;) {
    const intervals = await hiddenIntervals(values, equations, result.suppressed, changed, minCell);
    const narrow = [...intervals].filter(([, [lo, hi]]) => hi - lo < minCell - 1e-6).map(([c]) => c).sort((a, b) => a - b);
    if (!narrow.length) break;
    rounds++;
    let grew = false;
    for (const c of narrow) {
      const pick = nearestPartner(c, values, equations, equationsOf, result.suppressed, added);
      if (pick !== undefined) {
        added.add(pick);
        grew = true;
      }
    }
    if (!grew) {
      unprotected += narrow.length;
      break;
    }
    const before = result.suppressed;
    result = suppress(values, equations, { ...options, alreadySuppressed: new Set([...(options.alreadySuppressed ?? []), ...added]) });
    changed = new Set(result.suppressed.flatMap((h, i) => (h && !before[i] ? [i] : [])));
  }
  const hiddenCount = result.suppressed.filter(Boolean).length;
  return { suppressed: result.suppressed, primary, complementary: hiddenCount - primary, unprotected, auditRounds: rounds, auditAdded: added.size };
}

/**
 * The partner the audit hides for a narrow cell: the smallest non-zero published cell of an
 * equation the cell is in; when every cell of those is hidden already, of the equations of
 * those hidden cells, and so on outwards (breadth first).
 */
function nearestPartner(
  start: number, values: readonly number[], equations: readonly Equation[], equationsOf: readonly number[][], hidden: readonly boolean[], added: ReadonlySet<number>,
): number | undefined {
  const seenCells = new Set([start]);
  const seenEquations = new Set<number>();
  let frontier = [start];
  while (frontier.length) {
    let pick: number | undefined;
    const next: number[] = [];
    for (const c of frontier) {
      for (const e of equationsOf[c]) {
        if (seenEquations.has(e)) continue;
        seenEquations.add(e);
        for (const cell of [equations[e].total, ...equations[e].parts]) {
          if (!hidden[cell] && !added.has(cell)) {
            if (values[cell] > 0 && (pick === undefined || values[cell] < values[pick] || (values[cell] === values[pick] && cell < pick))) pick = cell;
          } else if (!seenCells.has(cell)) {
            seenCells.add(cell);
            next.push(cell);
          }
        }
      }
    }
    if (pick !== undefined) return pick;
    frontier = next;
  }
  return undefined;
}

/** How long the off-thread audit of one release may take. */
const AUDIT_TIMEOUT_MS = 9 * 60_000;

/**
 * auditedSuppression on a worker thread (disclosure-worker.ts), so that the server keeps
 * answering while a release is audited. Under ts-node (tests, benches) the worker loads the
 * TypeScript source through ts-node; the built server runs the compiled file.
 */
export function auditedSuppressionOffThread(values: readonly number[], equations: readonly Equation[], options: SuppressionOptions): Promise<AuditedSuppression> {
  const typescript = __filename.endsWith('.ts');
  const file = path.join(__dirname, `disclosure-worker.${typescript ? 'ts' : 'js'}`);
  const worker = new Worker(file, {
    workerData: { values, equations, minCell: options.minCell, alreadySuppressed: [...(options.alreadySuppressed ?? [])], yearPairs: options.yearPairs ?? [] },
    execArgv: typescript ? ['--require', 'ts-node/register/transpile-only'] : [],
  });
  return new Promise<AuditedSuppression>((resolve, reject) => {
    // Bounded: the release's transaction may stay idle for ten minutes (writeRelease), so the
    // audit stops a minute before and the release fails as a whole (nothing is published).
    const timer = setTimeout(() => {
      reject(new AppError('TIMEOUT', `the disclosure audit of the release took longer than ${AUDIT_TIMEOUT_MS / 60_000} minutes; nothing was published`));
      void worker.terminate();
    }, AUDIT_TIMEOUT_MS);
    const settle = () => clearTimeout(timer);
    worker.once('message', (message: { result?: AuditedSuppression; error?: string }) => {
      settle();
      if (message.result) resolve(message.result);
      else reject(new Error(`disclosure audit failed: ${message.error}`));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settle();
      reject(err);
    });
    worker.once('exit', (code) => {
      settle();
      if (code !== 0) reject(new Error(`disclosure audit worker exited with ${code}`));
    });
  });
}
