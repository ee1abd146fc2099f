import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { dataSource } from '../ormconfig';
import { issueToken, Role } from '../src/core/auth';
import { connectAndMigrate } from '../src/core/database';
import { ReportDimension, ReportMetric, reportStatement } from '../src/modules/reports';
import { startServerChild, type ServerChild } from './children';
import { prepareDatabase } from './database';

// `npm run bench:report` (issue 9 §1): a province-wide two-dimension report — township × main
// cause, households and persons — through the API (the app in a child process, as it is
// served), its median latency over sequential runs, next to the same statement run directly
// with pg (the limit: no HTTP, GraphQL or token). Target: under 500 ms through the API.
//
// Database: BENCH_DATABASE_URL (any database holding the bench scale; migrated here), or the
// bench's own (bench/database.ts: the database DATABASE_URL names, or the
// embedded one), seeded when empty. Options: --runs N (default 15), --province NN (default:
// the province with the most households).

const log = (msg: string) => process.stderr.write(`[bench:report] ${msg}\n`);

const DEFINITION = { dimensions: [ReportDimension.REGION_TOWNSHIP, ReportDimension.MAIN_CAUSE], metrics: [ReportMetric.HOUSEHOLDS, ReportMetric.PERSONS] };
const QUERY = `query ($dimensions: [ReportDimension!]!, $metrics: [ReportMetric!]!, $asOf: LocalDate) {
  report(dimensions: $dimensions, metrics: $metrics, asOf: $asOf) { rows { totalOver region { code name } mainCause values { metric value } } }
}`;
const AS_OF = '2024-12-31';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const runs = Number(option('runs') ?? 15);
  const cleanups: Array<() => Promise<void>> = [];
  try {
    let url = process.env.BENCH_DATABASE_URL;
    if (url) {
      await connectAndMigrate(dataSource, url);
      await dataSource.destroy();
    } else {
      const db = await prepareDatabase({ scale: 'bench', seed: true, log, onStarted: (h) => cleanups.push(() => h.stop()) });
      url = db.url;
    }
    const pg = new Client({ connectionString: url });
    await pg.connect();
    cleanups.push(() => pg.end());
    // Planner statistics and the visibility map as autovacuum leaves them after a bulk load.
    await pg.query('VACUUM (ANALYZE) household, person');
    const [largest] = (await pg.query<{ p: string; n: number }>(`SELECT left(village_code, 2) AS p, count(*)::int AS n FROM household GROUP BY 1 ORDER BY 2 DESC LIMIT 1`)).rows;
    const province = option('province') ?? largest?.p;
    if (!province) throw new Error('the database holds no households: seed the bench scale first');
    const [{ households, persons }] = (await pg.query<{ households: number; persons: number }>(
      `SELECT (SELECT count(*)::int FROM household WHERE village_code LIKE $1 || '%') AS households, (SELECT count(*)::int FROM person WHERE village_code LIKE $1 || '%') AS persons`,
      [province],
    )).rows;
    log(`province ${province}: ${households} households, ${persons} persons; ${runs} runs each`);

    // The limit: the report's own statement, prepared, over one pg connection.
    const statement = reportStatement(DEFINITION, { regionPrefix: province }, AS_OF);
    const direct: number[] = [];
    let directRows = 0;
    for (let i = 0; i < runs + 2; i++) {
      const t = process.hrtime.bigint();
      const res = await pg.query({ text: statement.text, values: statement.params });
      if (i >= 2) direct.push(Number(process.hrtime.bigint() - t) / 1e6);
      directRows = res.rowCount ?? 0;
    }

    const auth = { AUTH_JWT_SECRET: randomBytes(32).toString('hex'), AUTH_ISSUER: 'household-graph', AUTH_AUDIENCE: 'household-graph', DATA_DIR: path.resolve(__dirname, '../.data/bench') };
    const token = `Bearer ${await issueToken(auth, { sub: 'bench-analyst', role: Role.ANALYST, scope: province }, '1h')}`;
    const app: ServerChild = await startServerChild('app-server', { ...auth, DATABASE_URL: url, EXPOSE_SQL_COUNT: 'true', LOG_LEVEL: 'error', NODE_ENV: 'production' });
    cleanups.push(() => app.stop());
    const api: number[] = [];
    let apiRows = 0;
    let statements = 0;
    for (let i = 0; i < runs + 2; i++) {
      const t = process.hrtime.bigint();
      const res = await fetch(`${app.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: token },
        body: JSON.stringify({ query: QUERY, variables: { ...DEFINITION, asOf: AS_OF } }),
      });
      const body = (await res.json()) as { data?: { report: { rows: unknown[] } }; errors?: unknown[] };
      if (i >= 2) api.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (body.errors) throw new Error(`the API answered errors: ${JSON.stringify(body.errors)}`);
      apiRows = body.data?.report.rows.length ?? 0;
      statements = Number(res.headers.get('x-sql-statements'));
    }
    if (apiRows !== directRows) throw new Error(`the API answered ${apiRows} rows, the statement ${directRows}`);
    const result = {
      report: 'REGION_TOWNSHIP × MAIN_CAUSE; HOUSEHOLDS, PERSONS (with every subtotal and the grand total)',
      province, households, persons, rows: apiRows, sqlStatementsPerRequest: statements, runs,
      apiMedianMs: Math.round(median(api)), directMedianMs: Math.round(median(direct)),
      apiOverDirect: Number((median(api) / median(direct)).toFixed(2)),
      targetMs: 500, withinTarget: median(api) < 500,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    while (cleanups.length) await cleanups.pop()!().catch(() => {});
  }
}

main().catch((err) => {
  log(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exit(1);
});
