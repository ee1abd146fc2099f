import http from 'node:http';
import { Pool } from 'pg';
import { Q1_SQL, Q2_SQL, Q3_SQL } from './baseline-sql';
import { DEFAULT_CALENDAR } from '../src/core/calendar';
import { answerCpuUsage } from './cpu';

/**
 * The baseline: a bare node:http server and a pg Pool, answering each bench question with one
 * hand-written, prepared SQL statement whose result is the response body, built in PostgreSQL.
 * Run as a child process by bench/run.ts (env: BENCH_DATABASE_URL, PG_POOL_SIZE); it reports its
 * port over IPC. GET /q1?id=…, /q2?code=…, /q3?code=…, each with &scope=<division prefix>
 * standing in for the scope claim the app reads from its bearer token.
 */
const ROUTES: Record<string, { name: string; text: string; param: string }> = {
  '/q1': { name: 'bench_q1', text: Q1_SQL, param: 'id' },
  '/q2': { name: 'bench_q2', text: Q2_SQL, param: 'code' },
  '/q3': { name: 'bench_q3', text: Q3_SQL, param: 'code' },
};

function main(): void {
  const pool = new Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: Number(process.env.PG_POOL_SIZE ?? 10) });
  // An idle connection dropped by the server is not a crash; the next query opens another.
  pool.on('error', () => {});
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = ROUTES[url.pathname];
    const target = route && url.searchParams.get(route.param);
    const scope = url.searchParams.get('scope');
    if (!route || !target || !scope || !/^\d{2,12}$/.test(scope)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"message":"not found"}]}');
      return;
    }
    // The service calendar's day (Asia/Shanghai), as the app counts ages.
    const today = DEFAULT_CALENDAR.today();
    // Exactly one statement per request, by construction.
    pool
      .query<{ body: string }>({ name: route.name, text: route.text, values: [target, `${scope}%`, today] })
      .then((result) => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-sql-statements': '1' });
        res.end(`{"data":${result.rows[0].body}}`);
      })
      .catch((err: Error) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: err.message }] }));
      });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    answerCpuUsage();
    process.send?.({ ready: true, port: typeof address === 'object' && address ? address.port : 0 });
  });
  const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main();
