import path from 'node:path';
import { Client } from 'pg';
import { startDatabase } from '../../src/core/database';

// Tests never touch the database named in DATABASE_URL itself: they create a fresh database
// `household_graph_test` on the same server (or on an embedded server when there is no URL).

// TEST_DB_NAME lets several runs share one server (each names its own database).
export const TEST_DB_NAME = process.env.TEST_DB_NAME ?? 'household_graph_test';

/** Password of the app's login role in test runs: fixed, so that runs sharing a server agree. */
/**
 * A fixed port of a test file (`base`), moved by a per-run offset so that two runs on one machine
 * with different TEST_DB_NAMEs (parallel checkouts) do not collide; the default run keeps `base`.
 */
export function testPort(base: number): number {
  if (TEST_DB_NAME === 'household_graph_test') return base;
  let hash = 0;
  for (const ch of TEST_DB_NAME) hash = (hash * 31 + ch.charCodeAt(0)) % 1_000_003;
  return base + 10 * (1 + (hash % 90));
}

export const TEST_APP_PASSWORD = 'household-graph-runtime-test';

/** Where the tests' embedded PostgreSQL keeps its data. */
export const TEST_DATA_DIR = path.resolve(__dirname, '../../.data/test');

/** Admin URL of the server tests run against, and how to stop it. */
export async function startTestServer() {
  return startDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: TEST_DATA_DIR,
    port: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54330),
    databaseName: 'postgres',
  });
}

/** The URL of database `name` on the server at `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops and re-creates database `name`. */
export async function recreateDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return databaseUrl(serverUrl, name);
}
