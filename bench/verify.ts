import { askApp, askBaseline, assertClean, differences } from './check';
import type { Question } from './questions';
import type { Target } from './targets';

export interface Verified {
  appSqlStatements: number;
  /** NaN for a question without a baseline (Q0). */
  baselineSqlStatements: number;
  /** Leaf values that differ between app and baseline (counts and shapes never may). */
  valueDifferences: string[];
}

/**
 * Before any timing: asks both servers about the first `n` targets and fails loudly when an
 * answer carries errors or when the two answers differ in shape or in any count (a list's
 * length, a missing object). Returns the SQL statements per request each server reported.
 */
export async function verifyQuestion(opts: {
  question: Question;
  targets: Target[];
  appUrl: string;
  baselineUrl: string;
  /** The bearer header of the coordinator of a county. */
  authorization(county: string): string;
  n?: number;
}): Promise<Verified> {
  const { question: q } = opts;
  const appCounts: number[] = [];
  const baselineCounts: number[] = [];
  const valueDifferences: string[] = [];
  for (const target of opts.targets.slice(0, opts.n ?? 20)) {
    const app = await askApp(opts.appUrl, opts.authorization(target.county), q, target);
    assertClean('app', q, target, app);
    appCounts.push(app.sqlStatements);
    if (!q.baselinePath) {
      // Q0: nothing to compare; the answer is the root type's name, read with no SQL.
      if (JSON.stringify(app.body.data) !== '{"__typename":"Query"}') throw new Error(`${q.key}: the app answered ${JSON.stringify(app.body.data)}`);
      continue;
    }
    const baseline = await askBaseline(opts.baselineUrl, q, target);
    assertClean('baseline', q, target, baseline);
    const diffs = differences(app.body.data, baseline.body.data);
    const shape = diffs.filter((d) => d.kind === 'shape');
    if (shape.length) {
      const list = shape.slice(0, 5).map((d) => `  ${d.path}: app ${JSON.stringify(d.app)}, baseline ${JSON.stringify(d.baseline)}`).join('\n');
      throw new Error(`${q.key} ${q.title}: app and baseline disagree for target ${target.key}; they are not answering the same question:\n${list}`);
    }
    for (const d of diffs) valueDifferences.push(`${target.key} ${d.path}: app ${JSON.stringify(d.app)}, baseline ${JSON.stringify(d.baseline)}`);
    baselineCounts.push(baseline.sqlStatements);
  }
  return { appSqlStatements: mean(appCounts), baselineSqlStatements: mean(baselineCounts), valueDifferences };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
