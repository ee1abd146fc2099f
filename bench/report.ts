import type { Measurement } from './load';
import type { Question } from './questions';

export interface Row {
  question: Question;
  app: Measurement & { sqlStatements: number };
  baseline: Measurement & { sqlStatements: number };
}

const num = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');
const pad = (cells: string[], widths: number[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

/**
 * The result table: absolute figures for app and baseline, then every app figure as a ratio
 * to the baseline's (req/s: higher is better; latency: lower is better), and the goal.
 */
export function renderTable(rows: Row[], header: string): string {
  const head = ['query', 'server', 'req/s', 'p50 ms', 'p99 ms', 'SQL/req', 'req/s ×', 'p50 ×', 'p99 ×', 'goal'];
  const body: string[][] = [];
  for (const { question: q, app, baseline } of rows) {
    body.push([`${q.key} ${q.title}`, 'baseline', num(baseline.requestsPerSecond, 0), num(baseline.p50, 2), num(baseline.p99, 2), num(baseline.sqlStatements), '1.00×', '1.00×', '1.00×', '']);
    const met = app.requestsPerSecond / baseline.requestsPerSecond >= q.goal;
    body.push([
      '', 'app', num(app.requestsPerSecond, 0), num(app.p50, 2), num(app.p99, 2), num(app.sqlStatements),
      ratio(app.requestsPerSecond, baseline.requestsPerSecond), ratio(app.p50, baseline.p50), ratio(app.p99, baseline.p99),
      `≥ ${q.goal.toFixed(2)}× ${met ? 'met' : 'not met'}`,
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [header, '', pad(head, widths), rule, ...body.map((r) => pad(r, widths)), '',
    'req/s × = app ÷ baseline (higher is better); p50 × and p99 × = app latency ÷ baseline latency (lower is better).',
    'baseline = bare node:http + pg, one hand-written SQL statement per request, JSON built in PostgreSQL.'].join('\n');
}
