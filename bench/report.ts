import type { Measurement } from './load';
import type { Question } from './questions';

/** One server's figures for one question: load, SQL statements and CPU per request. */
export type Figures = Measurement & {
  sqlStatements: number;
  /** The server process's own CPU (user + system) per request, ms. */
  nodeCpuMs: number;
  /** CPU of the database's backends per request, ms; NaN when PostgreSQL is not on this machine. */
  pgCpuMs: number;
};

export interface Row {
  question: Question;
  app: Figures;
  /** Absent for a question without a baseline (Q0). */
  baseline?: Figures;
}

const num = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '–');
const pad = (cells: string[], widths: number[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

/** Whether the app meets the question's goal, as the goal column says it. */
function goalCell(row: Row): string {
  const { goal } = row.question;
  if ('nodeCpuMs' in goal) {
    const met = row.app.nodeCpuMs <= goal.nodeCpuMs;
    return `Node CPU ≤ ${goal.nodeCpuMs.toFixed(2)} ms ${met ? 'met' : 'not met'}`;
  }
  const met = !!row.baseline && row.app.requestsPerSecond / row.baseline.requestsPerSecond >= goal.ratio;
  return `≥ ${goal.ratio.toFixed(2)}× ${met ? 'met' : 'not met'}`;
}

/**
 * The result table: absolute figures for app and baseline (with the Node and PostgreSQL CPU
 * each spent per request), then every app figure as a ratio to the baseline's (req/s: higher
 * is better; latency: lower is better), and the goal.
 */
export function renderTable(rows: Row[], header: string): string {
  const head = ['query', 'server', 'req/s', 'p50 ms', 'p99 ms', 'SQL/req', 'Node CPU ms/req', 'PG CPU ms/req', 'req/s ×', 'p50 ×', 'p99 ×', 'goal'];
  const body: string[][] = [];
  for (const row of rows) {
    const { question: q, app, baseline } = row;
    const figures = (f: Figures) => [num(f.requestsPerSecond, 0), num(f.p50, 2), num(f.p99, 2), num(f.sqlStatements), num(f.nodeCpuMs, 3), num(f.pgCpuMs, 3)];
    if (baseline) body.push([`${q.key} ${q.title}`, 'baseline', ...figures(baseline), '1.00×', '1.00×', '1.00×', '']);
    body.push([
      baseline ? '' : `${q.key} ${q.title}`, 'app', ...figures(app),
      baseline ? ratio(app.requestsPerSecond, baseline.requestsPerSecond) : '–',
      baseline ? ratio(app.p50, baseline.p50) : '–',
      baseline ? ratio(app.p99, baseline.p99) : '–',
      goalCell(row),
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [header, '', pad(head, widths), rule, ...body.map((r) => pad(r, widths)), '',
    'req/s × = app ÷ baseline (higher is better); p50 × and p99 × = app latency ÷ baseline latency (lower is better).',
    'Node CPU = the server process\'s process.cpuUsage() over the timed run ÷ its requests; PG CPU = utime + stime of the',
    'bench database\'s backends (/proc/<pid>/stat, PostgreSQL on this machine only, else –) ÷ the same requests.',
    'baseline = bare node:http + pg, one hand-written SQL statement per request, JSON built in PostgreSQL. Q0 has none.'].join('\n');
}
