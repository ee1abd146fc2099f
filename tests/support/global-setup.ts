import 'reflect-metadata';
import { dataSource } from '../../ormconfig';
import { connectAndMigrate } from '../../src/core/database';
import { ensureAppLogin } from '../../src/core/app-role';
import { recreateDatabase, startTestServer, TEST_APP_PASSWORD, TEST_DB_NAME } from './test-database';

/**
 * Once per run: a server (embedded unless DATABASE_URL), a fresh migrated test database, and
 * the app's login role on it (TEST_APP_DATABASE_URL: what the tests' server connects as).
 */
export default async function globalSetup(): Promise<void> {
  const server = await startTestServer();
  (globalThis as { __testServer?: unknown }).__testServer = server;
  process.env.TEST_SERVER_URL = server.url;
  const url = await recreateDatabase(server.url, TEST_DB_NAME);
  process.env.TEST_DATABASE_URL = url;
  await connectAndMigrate(dataSource, url);
  await dataSource.destroy();
  process.env.TEST_APP_DATABASE_URL = await ensureAppLogin(url, TEST_APP_PASSWORD);
}
