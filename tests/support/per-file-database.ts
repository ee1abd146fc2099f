import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { databaseUrl, TEST_DB_NAME } from './test-database';

// Test isolation (issue 10 §4): each test file runs on its own database, a copy of the migrated
// template that global-setup made (CREATE DATABASE … TEMPLATE), so no file sees another's rows,
// events, audit records or rate-limit counts. Runs before the test file is loaded, so the file
// reads the copy's URLs however early it reads them. global-teardown drops the copies.

const serverUrl = process.env.TEST_SERVER_URL!;
const testPath = expect.getState().testPath ?? '';
const name = `${TEST_DB_NAME}_f_${createHash('sha1').update(path.relative(path.resolve(__dirname, '../..'), testPath)).digest('hex').slice(0, 12)}`;

execFileSync(process.execPath, [path.join(__dirname, 'create-database.js'), serverUrl, TEST_DB_NAME, name], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });

/** The same login and server, another database. */
function onDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

process.env.TEST_DATABASE_URL = databaseUrl(serverUrl, name);
process.env.TEST_APP_DATABASE_URL = onDatabase(process.env.TEST_APP_DATABASE_URL!, name);
