import path from 'node:path';
import { Client } from 'pg';
import { dataSource } from '../ormconfig';
import { connectAndMigrate, DatabaseHandle, startDatabase } from '../src/core/database';

/** The bench's own database name (embedded PostgreSQL only): never the demo's or the tests'. */
export const benchDatabaseName = (scale: 'bench' | 'demo') => (scale === 'bench' ? 'household_graph_bench' : 'household_graph_bench_demo');

/** Databases that hold no application data and are never a bench database. */
const MAINTENANCE_DATABASES = new Set(['postgres', 'template0', 'template1']);

/**
 * The bench database: with DATABASE_URL, exactly the database it names (created on that server
 * when missing); without, an embedded PostgreSQL of its own (data in .data/bench, port
 * BENCH_PG_PORT or 54331) with database `household_graph_bench` (or `…_demo` for
 * `--scale demo`). Migrated, and seeded once at the chosen scale unless already seeded.
 */
export async function prepareDatabase(opts: {
  scale: 'bench' | 'demo';
  seed: boolean;
  log: (msg: string) => void;
  /** Called as soon as the server runs, so that an interrupted seed still stops it. */
  onStarted: (handle: DatabaseHandle) => void;
}): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (process.env.DATABASE_URL) {
    handle = { url: await ensureDatabase(process.env.DATABASE_URL), stop: async () => {} };
  } else {
    const port = Number(process.env.BENCH_PG_PORT ?? 54331);
    opts.log(`starting the bench's embedded PostgreSQL (.data/bench, port ${port})`);
    handle = await startDatabase({ dataDir: path.resolve(__dirname, '../.data/bench'), port, databaseName: benchDatabaseName(opts.scale), log: opts.log });
  }
  opts.onStarted(handle);
  await connectAndMigrate(dataSource, handle.url);
  await dataSource.destroy();
  if (opts.seed) await seedOnce(handle.url, opts.scale, opts.log);
  return handle;
}

/** The database name in a connection URL. */
export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

async function seedOnce(url: string, scale: 'bench' | 'demo', log: (msg: string) => void): Promise<void> {
  // Loaded only when seeding is wanted: the generator is large and --no-seed runs without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when seeding is wanted (a large generator)
  const { isSeeded, seedDatabase } = require('../seeds') as typeof import('../seeds');
  if (await isSeeded(url)) return;
  log(`loading the ${scale} scale into ${databaseNameOf(url)} (first run only; this takes a while)`);
  const started = Date.now();
  const summary = await seedDatabase(url, scale, { log: (m) => log(`seed: ${m}`) });
  log(`seeded ${summary.households} households, ${summary.persons} persons in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Creates the database DATABASE_URL names when it is missing (through the server's `postgres`
 * database); returns the URL unchanged. A URL without a database, or naming a maintenance
 * database, is refused: the bench migrates and seeds what it is given.
 */
async function ensureDatabase(url: string): Promise<string> {
  const name = databaseNameOf(url);
  if (!name) throw new Error('DATABASE_URL names no database: give the bench database in its path (…/household_graph_bench)');
  if (MAINTENANCE_DATABASES.has(name)) {
    throw new Error(`DATABASE_URL names the maintenance database "${name}"; the bench migrates and seeds its database: name another one (…/household_graph_bench)`);
  }
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new Client({ connectionString: maintenance.toString() });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  return url;
}
