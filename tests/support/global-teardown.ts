import { Client } from 'pg';
import { removePlacedCluster } from '../../src/core/embedded-postgres';
import { TEST_DATA_DIR, TEST_DB_NAME } from './test-database';

/**
 * Drops the test files' database copies (per-file-database.ts), then stops the embedded server
 * the run started (no-op with DATABASE_URL). A cluster placed outside the checkout (as root under
 * a mode-0700 directory) is removed too: it would outlive the clone.
 */
export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.TEST_SERVER_URL;
  if (serverUrl) {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      const copies = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${TEST_DB_NAME.replace(/_/g, '\\_')}\\_f\\_%`]);
      for (const { datname } of copies.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  const server = (globalThis as { __testServer?: { stop(): Promise<void> } }).__testServer;
  await server?.stop();
  if (server && !process.env.DATABASE_URL) removePlacedCluster(TEST_DATA_DIR);
}
