import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import pino from 'pino';
import { dataSource } from '../../ormconfig';
import { TokenVerifier } from '../../src/core/auth';
import { createServer, type AppServer } from '../../src/core/server';
import { TEST_AUTH } from '../support/app';
import { cleanEnv, makeDataDir, removeDataDir, startMain, type MainProcess } from '../support/main-process';
import { databaseUrl, TEST_DB_NAME } from '../support/test-database';

// Issue 7 §1, "Nobody is handed a token", end to end: the explorer page carries a demo token only
// for a caller on this machine, and a server with a key of its own mints, prints and embeds none.

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;
const page = async (url: string, headers: Record<string, string> = {}) =>
  (await fetch(url, { headers: { accept: 'text/html', ...headers } })).text();

/** An IPv4 address of this machine that is not loopback, if it has one. */
const externalAddress = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('the explorer page and the demo token', () => {
  let server: AppServer;
  let port: number;
  const DEMO_HEADERS = JSON.stringify({ Authorization: 'Bearer eyJdemo.eyJdemo.signature' });

  beforeAll(async () => {
    dataSource.setOptions({ url: process.env.TEST_DATABASE_URL });
    if (!dataSource.isInitialized) await dataSource.initialize();
    server = await createServer({
      dataSource, verifier: await TokenVerifier.create(TEST_AUTH), config: { EXPOSE_SQL_COUNT: false }, logger: pino({ level: 'silent' }), explorerHeaders: DEMO_HEADERS,
    });
    await new Promise<void>((resolve) => server.httpServer.listen(0, '0.0.0.0', resolve));
    port = (server.httpServer.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await server?.close();
    await dataSource.destroy();
  });

  it('is pre-filled for a loopback caller', async () => {
    expect(await page(`http://127.0.0.1:${port}/graphql`)).toContain('Bearer eyJdemo.eyJdemo.signature');
  });

  (externalAddress ? it : it.skip)(`carries no token for a caller from another address (${externalAddress}), whatever X-Forwarded-For says`, async () => {
    const html = await page(`http://${externalAddress}:${port}/graphql`, { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' });
    expect(html).toContain('/explorer/assets/graphiql.js');
    expect(html).not.toMatch(/Bearer/);
  });
});

describe('a server with a key of its own (AUTH_JWT_SECRET, DATABASE_URL)', () => {
  const HTTP_PORT = 4111;
  const dbName = `${TEST_DB_NAME}_own_key`;
  let dataDir: string;
  let main: MainProcess | undefined;
  let url: string;

  beforeAll(async () => {
    const serverUrl = process.env.TEST_SERVER_URL as string;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    url = databaseUrl(serverUrl, dbName);
    dataDir = makeDataDir('own-key');
    main = await startMain(cleanEnv({ DATABASE_URL: url, AUTH_JWT_SECRET: TEST_AUTH.AUTH_JWT_SECRET, DATA_DIR: dataDir, PORT: String(HTTP_PORT), LOG_LEVEL: 'info' }));
  }, 120_000);
  afterAll(async () => {
    await main?.stop();
    if (dataDir) removeDataDir(dataDir);
    const admin = new Client({ connectionString: process.env.TEST_SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }, 60_000);

  it('prints no token and embeds none in the explorer, even for a loopback caller', async () => {
    expect(main?.stdout()).toContain('Household Graph is ready');
    expect(main?.stdout()).not.toMatch(JWT);
    expect(main?.stderr()).not.toMatch(JWT);
    const html = await page(`http://127.0.0.1:${HTTP_PORT}/graphql`);
    expect(html).toContain('/explorer/assets/graphiql.js');
    expect(html).not.toMatch(/Bearer|eyJ/);
  });

  it('writes no demo households into the database (SEED defaults to none)', async () => {
    const pg = new Client({ connectionString: url });
    await pg.connect();
    try {
      expect((await pg.query('SELECT count(*)::int AS n FROM household')).rows[0].n).toBe(0);
    } finally {
      await pg.end();
    }
  });
});
