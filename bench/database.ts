import path from 'node:path';
import { Client } from 'pg';
import { dataSource } from '../ormconfig';
import { connectAndMigrate, DatabaseHandle, startDatabase } from '../src/core/database';

/** The bench's own database name: never the demo's or the tests'. */
export const benchDatabaseName = (scale: 'bench' | 'demo') => (scale === 'bench' ? 'household_graph_bench' : 'household_graph_bench_demo');

/**
 * The bench database: with DATABASE_URL, database `household_graph_bench` (or `…_demo` for
 * `--scale demo`) on that server, created when missing; without, an embedded PostgreSQL of its
 * own (data in .data/bench, port BENCH_PG_PORT or 54331). Migrated, and seeded once.
 */
export async function prepareDatabase(opts: {
  scale: 'bench' | 'demo';
  seed: boolean;
  log: (msg: string) => void;
  /** Called as soon as the server runs, so that an interrupted seed still stops it. */
  onStarted: (handle: DatabaseHandle) => void;
}): Promise<DatabaseHandle> {
  const name = benchDatabaseName(opts.scale);
  let handle: DatabaseHandle;
  if (process.env.DATABASE_URL) {
    handle = { url: await ensureDatabase(process.env.DATABASE_URL, name), stop: async () => {} };
  } else {
    const port = Number(process.env.BENCH_PG_PORT ?? 54331);
    opts.log(`starting the bench's embedded PostgreSQL (.data/bench, port ${port})`);
    handle = await startDatabase({ dataDir: path.resolve(__dirname, '../.data/bench'), port, databaseName: name, log: opts.log });
  }
  opts.onStarted(handle);
  await connectAndMigrate(dataSource, handle.url);
  await dataSource.destroy();
  if (opts.seed) await seedOnce(handle.url, opts.scale, opts.log);
  return handle;
}

async function seedOnce(url: string, scale: 'bench' | 'demo', log: (msg: string) => void): Promise<void> {
  // Loaded only when seeding is wanted: the generator is large and --no-seed runs without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when seeding is wanted (a large generator)
  const { isSeeded, seedDatabase } = require('../seeds') as typeof import('../seeds');
  if (await isSeeded(url)) return;
  log(`loading the ${scale} scale into ${benchDatabaseName(scale)} (first run only; this takes a while)`);
  const started = Date.now();
  const summary = await seedDatabase(url, scale, { log: (m) => log(`seed: ${m}`) });
  log(`seeded ${summary.households} households, ${summary.persons} persons in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Creates database `name` on the server of `serverUrl` when missing; returns its URL. */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
