import path from 'node:path';
import { Client, type Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { guardConnections } from './db';
import { EmbeddedPostgres } from './embedded-postgres';

export interface DatabaseHandle {
  url: string;
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>;
}

/**
 * With DATABASE_URL, returns it. Without, starts an embedded PostgreSQL (real binaries from
 * the `embedded-postgres` package) whose data lives in `dataDir`, initialising it on first use.
 * It is supervised (core/embedded-postgres.ts): started again when it dies, stopped only by
 * `stop()`, never by a signal handler of its own.
 */
export async function startDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  databaseName?: string;
  /** See EmbeddedPostgresOptions.ownProcessGroup: for a process that handles its own signals. */
  ownProcessGroup?: boolean;
  log?: (msg: string) => void;
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) return { url: opts.databaseUrl, stop: async () => {} };
  const user = 'household_graph';
  const password = 'household_graph';
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(opts.dataDir, 'pg'),
    user,
    password,
    port: opts.port,
    ownProcessGroup: opts.ownProcessGroup,
    log: (_level, msg) => opts.log?.(msg),
  });
  await pg.initialise();
  await pg.start();
  const name = opts.databaseName ?? 'household_graph';
  const adminUrl = `postgres://${user}:${password}@127.0.0.1:${opts.port}/postgres`;
  try {
    const client = new Client({ connectionString: adminUrl });
    client.on('error', () => {});
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await pg.stop();
    throw err;
  }
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${opts.port}/${name}`,
    stop: () => pg.stop(),
  };
}

/** Points the one DataSource at `url`, connects and applies pending migrations. */
export async function connectAndMigrate(dataSource: DataSource, url: string): Promise<void> {
  dataSource.setOptions({ url });
  if (!dataSource.isInitialized) {
    await dataSource.initialize();
    guardConnections((dataSource.driver as unknown as { master: Pool }).master);
  }
  await dataSource.runMigrations({ transaction: 'all' });
}
