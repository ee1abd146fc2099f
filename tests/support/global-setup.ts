import 'reflect-metadata';
import { dataSource } from '../../ormconfig';
import { connectAndMigrate } from '../../src/core/database';
import { recreateDatabase, startTestServer, TEST_DB_NAME } from './test-database';

/** Once per run: a server (embedded unless DATABASE_URL), a fresh migrated test database. */
export default async function globalSetup(): Promise<void> {
  const server = await startTestServer();
  (globalThis as { __testServer?: unknown }).__testServer = server;
  process.env.TEST_SERVER_URL = server.url;
  const url = await recreateDatabase(server.url, TEST_DB_NAME);
  process.env.TEST_DATABASE_URL = url;
  await connectAndMigrate(dataSource, url);
  await dataSource.destroy();
}
