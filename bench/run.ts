import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { issueToken, Role } from '../src/core/auth';
import { parseBenchArgs } from './args';
import { startServerChild, ServerChild } from './children';
import { cpuMsBetween, PostgresCpu, serverVersion } from './cpu';
import { databaseNameOf, prepareDatabase } from './database';
import { drive, Measurement } from './load';
import { QUESTIONS } from './questions';
import { renderTable, type Figures, type Row } from './report';
import { sampleTargets, Target } from './targets';
import { verifyQuestion } from './verify';

/**
 * `npm run bench`: the bench database (seeded once), the app and the baseline each in a child
 * process, a correctness check of both, then autocannon against one server at a time, and a
 * table of every app figure as a ratio to the baseline's. See bench/README.md.
 */
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const cleanups: Array<() => Promise<void>> = [];
const children: ServerChild[] = [];

async function cleanup(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
}

async function main(): Promise<void> {
  const args = parseBenchArgs();
  const database = await prepareDatabase({ scale: args.scale, seed: args.seed, log, onStarted: (db) => cleanups.push(() => db.stop()) });
  const targets = await sampleTargets(database.url);
  const pgVersion = await serverVersion(database.url);
  log(`PostgreSQL ${pgVersion}, database ${databaseNameOf(database.url)}`);
  // PostgreSQL's CPU is read from /proc: only when the server runs on this machine.
  const pgCpu = await PostgresCpu.connect(database.url);
  if (pgCpu) cleanups.push(() => pgCpu.end());
  else log('PostgreSQL is not on this machine (its backends are not in /proc): PG CPU per request is left out');
  if (targets.maxVillageHouseholds > 100) {
    log(`note: the largest sampled village has ${targets.maxVillageHouseholds} households; Q2 reads the first 100 (the API's page limit)`);
  }

  // A secret of this run only: the bench never reads or writes the demo's signing key.
  const auth = {
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    AUTH_ISSUER: 'household-graph',
    AUTH_AUDIENCE: 'household-graph',
    DATA_DIR: path.resolve(__dirname, '../.data/bench'),
  };
  // Every request is made by the coordinator of the target's county (scope = that county).
  const counties = [...new Set([...targets.households, ...targets.villages, ...targets.counties].map((t) => t.county))];
  const tokens = new Map<string, string>();
  for (const county of counties) {
    tokens.set(county, `Bearer ${await issueToken(auth, { sub: `bench-${county}`, role: Role.COORDINATOR, scope: county }, '6h')}`);
  }
  const authorization = (county: string) => tokens.get(county) as string;
  const common = { PG_POOL_SIZE: String(args.poolSize), NODE_ENV: 'production' };
  const start = async (name: 'app-server' | 'baseline-server', env: NodeJS.ProcessEnv): Promise<ServerChild> => {
    const child = await startServerChild(name, { ...common, ...env });
    children.push(child);
    cleanups.push(() => child.stop());
    return child;
  };
  log('starting the baseline and the app (child processes)');
  const baseline = await start('baseline-server', { BENCH_DATABASE_URL: database.url });
  const app = await start('app-server', { ...auth, DATABASE_URL: database.url, EXPOSE_SQL_COUNT: 'true', LOG_LEVEL: 'error' });

  const rows: Row[] = [];
  for (const [i, q] of QUESTIONS.entries()) {
    const qTargets = q.targets(targets);
    const verified = await verifyQuestion({ question: q, targets: qTargets, appUrl: app.baseUrl, baselineUrl: baseline.baseUrl, authorization });
    if (verified.valueDifferences.length) {
      log(`${q.key}: ${verified.valueDifferences.length} leaf values differ between app and baseline (counts agree), e.g.\n  ${verified.valueDifferences.slice(0, 3).join('\n  ')}`);
    }
    const run = async (server: 'app' | 'baseline'): Promise<Figures> => {
      const options = {
        title: `${q.key} ${server}`,
        url: server === 'app' ? app.baseUrl : baseline.baseUrl,
        connections: args.connections,
        targets: qTargets,
        seed: i + 1,
        request: (target: Target) =>
          server === 'app'
            ? { method: 'POST' as const, path: '/graphql', headers: { 'content-type': 'application/json', authorization: authorization(target.county) }, body: q.appBody(target.key) }
            : { method: 'GET' as const, path: (q.baselinePath as (t: Target) => string)(target) },
      };
      if (args.warmup) await drive({ ...options, duration: args.warmup });
      log(`${q.key} ${q.title}: ${server}, ${args.duration} s`);
      // CPU over the timed run only: the serving child's own, and the database's backends'.
      const child = server === 'app' ? app : baseline;
      const nodeBefore = await child.cpuUsage();
      const pgBefore = await pgCpu?.sample();
      const m: Measurement = await drive({ ...options, duration: args.duration });
      const nodeAfter = await child.cpuUsage();
      const pgAfter = await pgCpu?.sample();
      return {
        ...m,
        sqlStatements: server === 'app' ? verified.appSqlStatements : verified.baselineSqlStatements,
        nodeCpuMs: cpuMsBetween(nodeBefore, nodeAfter) / m.requests,
        pgCpuMs: pgBefore && pgAfter ? PostgresCpu.spent(pgBefore, pgAfter) / m.requests : NaN,
      };
    };
    // One server at a time, baseline first, so the two runs of a question are close in time.
    const b = q.baselinePath ? await run('baseline') : undefined;
    const a = await run('app');
    rows.push({ question: q, baseline: b, app: a });
  }

  const header = [
    `Household Graph bench: ${args.seed ? `${args.scale} scale` : 'the data as found (--no-seed)'}, ${targets.householdCount.toLocaleString('en')} households, ` +
      `${targets.personCount.toLocaleString('en')} persons in ${counties.length} counties (each request by a coordinator of the target's county)`,
    `${args.duration} s per run after ${args.warmup} s warm-up, ${args.connections} connections, pool ${args.poolSize}, ` +
      `${os.cpus().length} CPUs, node ${process.version}, PostgreSQL ${pgVersion}${pgCpu ? ' on this machine' : ' (remote: no PG CPU)'}`,
  ].join('\n');
  process.stdout.write(`\n${renderTable(rows, header)}\n`);
}

const interrupted = (signal: string) => {
  log(`${signal}: stopping`);
  for (const child of children) child.kill();
  void cleanup().then(() => process.exit(130));
};
process.on('SIGINT', () => interrupted('SIGINT'));
process.on('SIGTERM', () => interrupted('SIGTERM'));

main()
  .then(cleanup)
  .catch(async (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await cleanup();
    process.exit(1);
  });
