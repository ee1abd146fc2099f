import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { dataSource } from '../ormconfig';
import { issueToken, Role } from '../src/core/auth';
import { connectAndMigrate, startDatabase, type DatabaseHandle } from '../src/core/database';
import { Department } from '../src/core/vocab';
import { startServerChild, type ServerChild } from './children';

/**
 * `npm run bench:import` (issue 8 §6): a 1,000,000-row insurance-enrolment CSV on real seeded
 * persons, posted to POST /imports/health/insurance-enrolment of the app (a child process, wired
 * as src/main.ts wires it), against PostgreSQL's own COPY of the same file into an unindexed
 * table: the physical limit of this machine. Reports rows/s of both and the server's peak RSS.
 *
 * Database: with DATABASE_URL, database `household_graph_bench_import` on that server (created
 * and seeded with the `bench` scale once); without, an embedded PostgreSQL of its own in
 * .data/bench-import (port BENCH_PG_PORT or 54332). Options: --rows N (default 1,000,000),
 * --keep (leave the imported rows; by default each run deletes them first and afterwards).
 */
const log = (msg: string) => process.stderr.write(`bench:import: ${msg}\n`);
const DB_NAME = 'household_graph_bench_import';
// Years the seed does not write (it writes 2023–2025): every row of the file is an insert.
const YEARS = [2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function prepare(): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (process.env.DATABASE_URL) {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE "${DB_NAME}"`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${DB_NAME}`;
    handle = { url: url.toString(), stop: async () => {} };
  } else {
    const port = Number(process.env.BENCH_PG_PORT ?? 54332);
    log(`starting an embedded PostgreSQL (.data/bench-import, port ${port})`);
    handle = await startDatabase({ dataDir: path.resolve(__dirname, '../.data/bench-import'), port, databaseName: DB_NAME, log });
  }
  await connectAndMigrate(dataSource, handle.url);
  await dataSource.destroy();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when seeding is wanted (a large generator)
  const { isSeeded, seedDatabase } = require('../seeds') as typeof import('../seeds');
  if (!(await isSeeded(handle.url))) {
    log('seeding the bench scale (first run only; this takes a few minutes)');
    const started = Date.now();
    const summary = await seedDatabase(handle.url, 'bench', { log: (m) => log(`seed: ${m}`) });
    log(`seeded ${summary.persons} persons in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return handle;
}

/** Peak resident set (VmHWM) of a process, bytes; null off Linux. */
function peakRss(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function currentRss(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

async function main(): Promise<void> {
  const rows = arg('rows', 1_000_000);
  const keep = process.argv.includes('--keep');
  const database = await prepare();
  const owner = new Client({ connectionString: database.url });
  await owner.connect();
  const cleanup: Array<() => Promise<void>> = [async () => owner.end(), () => database.stop()];
  let app: ServerChild | undefined;
  try {
    // The province with the most persons: one officer's scope covers the whole file.
    const [{ province, persons }] = (await owner.query<{ province: string; persons: number }>(
      `SELECT left(county_code, 2) AS province, count(*)::int AS persons FROM person GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    )).rows;
    const years = YEARS.slice(0, Math.ceil(rows / persons));
    if (years.length > YEARS.length || persons * YEARS.length < rows) throw new Error(`province ${province} has ${persons} persons: too few for ${rows} rows`);
    const clean = async () => {
      await owner.query(`DELETE FROM insurance_enrolment WHERE year = ANY($1::int[]) AND left(county_code, 2) = $2`, [years, province]);
      await owner.query(`DELETE FROM import_batch WHERE batch_key LIKE 'bench-import-%'`);
    };
    await clean();
    await owner.query('VACUUM ANALYZE insurance_enrolment');

    // The file: every person of the province for each year in turn, until `rows`.
    const file = path.join(os.tmpdir(), `household-graph-bench-import-${process.pid}.csv`);
    cleanup.push(async () => fs.rmSync(file, { force: true }));
    log(`writing ${rows.toLocaleString('en')} rows on persons of province ${province} (${persons.toLocaleString('en')} persons, years ${years.join(', ')}) to ${file}`);
    const ids = (await owner.query<{ id: string }>(`SELECT id_number AS id FROM person WHERE left(county_code, 2) = $1 ORDER BY id`, [province])).rows.map((r) => r.id);
    const out = fs.createWriteStream(file);
    out.write('idNumber,year,scheme,premium,subsidy\n');
    let written = 0;
    for (const year of years) {
      const lines: string[] = [];
      for (let i = 0; i < ids.length && written < rows; i++, written++) lines.push(`${ids[i]},${year},resident,${(180 + (i % 200)).toFixed(2)},${(i % 3) * 60}`);
      if (!out.write(`${lines.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const size = fs.statSync(file).size;
    log(`file: ${mb(size)}`);

    // The physical limit: PostgreSQL's COPY of the same file into an unindexed table.
    await owner.query('DROP TABLE IF EXISTS bench_import_copy');
    await owner.query('CREATE UNLOGGED TABLE bench_import_copy (id_number text, year smallint, scheme text, premium numeric(12,2), subsidy numeric(12,2))');
    const copyStarted = process.hrtime.bigint();
    await pipeline(fs.createReadStream(file), owner.query(copyFrom(`COPY bench_import_copy FROM STDIN (FORMAT csv, HEADER true)`)));
    const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
    await owner.query('DROP TABLE bench_import_copy');

    const auth = { AUTH_JWT_SECRET: randomBytes(32).toString('hex'), AUTH_ISSUER: 'household-graph', AUTH_AUDIENCE: 'household-graph', DATA_DIR: path.resolve(__dirname, '../.data/bench') };
    const token = await issueToken(auth, { sub: 'bench-import', role: Role.OFFICER, department: Department.HEALTH, scope: province }, '6h');
    app = await startServerChild('app-server', {
      ...auth, DATABASE_URL: database.url, LOG_LEVEL: 'error', NODE_ENV: 'production',
      IMPORT_MAX_BYTES: String(Math.max(size * 2, 256 * 1024 * 1024)), IMPORT_MAX_ROWS: String(rows * 2),
    });
    const child = app;
    cleanup.push(() => child.stop());
    const pid = child.pid;
    const idleRss = currentRss(pid);

    log(`posting the file to ${child.baseUrl}/imports/health/insurance-enrolment`);
    let sampledPeak = 0;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, currentRss(pid) ?? 0);
    }, 100);
    const started = process.hrtime.bigint();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${child.baseUrl}/imports/health/insurance-enrolment?batchKey=bench-import-${Date.now()}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8', 'content-length': size },
      }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      fs.createReadStream(file).pipe(req);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    const peak = peakRss(pid);
    if (answer.status !== 200) throw new Error(`the import answered ${answer.status}: ${answer.body.slice(0, 500)}`);
    const result = JSON.parse(answer.body) as { batch: { id: string; inserted: number; updated: number; unchanged: number; rejected: number }; timingsMs: unknown };
    const batch = result.batch;
    const [{ events }] = (await owner.query<{ events: number | null }>(
      `SELECT (SELECT count(*)::int FROM information_schema.tables WHERE table_name = 'change_event') AS events`,
    )).rows;

    const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en')} rows/s`;
    process.stdout.write([
      '',
      `| ${rows.toLocaleString('en')} insurance-enrolment rows (${mb(size)}) | seconds | rows/s |`,
      '|---|---|---|',
      `| PostgreSQL COPY into an unindexed table (the physical limit) | ${copySeconds.toFixed(1)} | ${rate(rows, copySeconds)} |`,
      `| POST /imports/health/insurance-enrolment (parse, validate, stage, classify, upsert, batch record, audit${events ? ', events' : ''}) | ${seconds.toFixed(1)} | ${rate(rows, seconds)} |`,
      '',
      `import / COPY: ${(copySeconds / seconds).toFixed(2)}× of the physical limit; target ≥ 50,000 rows/s: ${rows / seconds >= 50_000 ? 'met' : 'NOT met'}`,
      `batch ${batch.id}: ${batch.inserted} inserted, ${batch.updated} updated, ${batch.unchanged} unchanged, ${batch.rejected} rejected`,
      `phases (ms): ${JSON.stringify(result.timingsMs)}`,
      `server RSS: ${mb(idleRss)} before, peak ${mb(peak ?? sampledPeak)} (VmHWM; sampled every 100 ms: ${mb(sampledPeak)})`,
      '',
    ].join('\n'));
    if (!keep) await clean();
  } finally {
    while (cleanup.length) await cleanup.pop()!().catch(() => {});
  }
}

main().catch((err) => {
  process.stderr.write(`bench:import failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
