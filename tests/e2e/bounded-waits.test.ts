import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Pool, PoolClient } from 'pg';
import { Client } from 'pg';
import WebSocket from 'ws';
import { dataSource } from '../../ormconfig';
import { TokenVerifier } from '../../src/core/auth';
import { connectAndMigrate } from '../../src/core/database';
import { classifyDbError } from '../../src/core/db-errors';
import { applyWaitLimits, type WaitLimits } from '../../src/core/db-limits';
import { createServer, type AppServer } from '../../src/core/server';
import { bearer, TEST_AUTH } from '../support/app';
import { buildCounty } from '../support/fixtures';
import { recreateDatabase, TEST_DB_NAME } from '../support/test-database';

// Bounded waits and sizes (issue 7 §4). With one table locked, requests used to hang for as
// long as the lock was held while /healthz answered 200. Now every wait has a bound: a request
// that gets no pooled connection answers SERVICE_UNAVAILABLE, one that waits on a lock or a
// statement too long answers TIMEOUT; /readyz says 503 while the database cannot answer.
// WebSocket messages over the body limit close the socket unread (1009); connections per
// address and operations per connection are bounded.
//
// This file locks `household`, so it runs on a database of its own (<TEST_DB_NAME>_waits),
// dropped at the end. County 991501: households 9810001–9810002.

const COUNTY = '991501';
const HOUSEHOLD = '9810001';
const WAITS: WaitLimits = {
  acquireTimeoutMs: 1000,
  statementTimeoutMs: 2000,
  lockTimeoutMs: 1000,
  idleInTransactionTimeoutMs: 5000,
  readyTimeoutMs: 500,
  wsMaxConnectionsPerIp: 3,
  wsMaxOperationsPerConnection: 2,
};
/** Generous: a loaded 2-core machine must not make this flake; the figure itself is logged. */
const BOUND_MS = 4 * (WAITS.acquireTimeoutMs + WAITS.statementTimeoutMs);

describe('bounded waits, clear failures', () => {
  const name = `${TEST_DB_NAME}_waits`;
  let url: string;
  let server: AppServer;
  let base: string;
  let locker: Client;
  const logged: Array<Record<string, any>> = [];

  beforeAll(async () => {
    url = await recreateDatabase(process.env.TEST_SERVER_URL as string, name);
    await connectAndMigrate(dataSource, url);
    // Migrations ran on connections without the limits (index builds must not be cut).
    expect((await dataSource.query('SHOW statement_timeout'))[0].statement_timeout).toBe('0');
    await buildCounty(url, { county: COUNTY, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_810_000 });
    await applyWaitLimits(dataSource, WAITS);
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    server = await createServer({ dataSource, verifier: await TokenVerifier.create(TEST_AUTH), config: { EXPOSE_SQL_COUNT: false }, logger, waits: WAITS });
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
    locker = new Client({ connectionString: url });
    // The last test drops the database under it.
    locker.on('error', () => undefined);
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end().catch(() => undefined);
    await server?.close();
    if (dataSource.isInitialized) await dataSource.destroy();
    const admin = new Client({ connectionString: process.env.TEST_SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  const pool = () => (dataSource.driver as unknown as { master: Pool }).master;
  let authorization: string;
  const post = async (query: string) => {
    authorization ??= await bearer({ scope: COUNTY });
    const started = Date.now();
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    return { status: res.status, body, ms: Date.now() - started };
  };
  const ready = async () => (await fetch(`${base}/readyz`)).status;
  const householdQuery = `{ household(id: "${HOUSEHOLD}") { id: databaseId number } }`;

  it('runs the app\'s connections with the configured statement, lock and idle-in-transaction timeouts', async () => {
    const rows = await dataSource.query(
      "SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l, current_setting('idle_in_transaction_session_timeout') AS i",
    );
    expect(rows[0]).toEqual({ s: '2s', l: '1s', i: '5s' });
    // A statement past statement_timeout is cancelled by PostgreSQL and classified TIMEOUT.
    const err = await pool().query('SELECT pg_sleep(10)').catch((e: unknown) => e);
    expect(classifyDbError(err)?.code).toBe('TIMEOUT');
  });

  it('answers every request with TIMEOUT or SERVICE_UNAVAILABLE within the bound while a table is locked, while /healthz stays live', async () => {
    expect((await post(householdQuery)).body.errors).toBeUndefined();
    expect(await ready()).toBe(200);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE household IN ACCESS EXCLUSIVE MODE');
    try {
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 40 }, () => post(householdQuery)));
      const wall = Date.now() - started;
      const codes = answers.map((a) => a.body.errors?.[0]?.extensions?.code);
      const maxMs = Math.max(...answers.map((a) => a.ms));
      const counts = codes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [String(c)]: (acc[String(c)] ?? 0) + 1 }), {});
      // The measurement the issue asks for: the longest any request waited with a lock held.
      console.log(`bounded waits: 40 requests against a locked table answered in ${wall} ms; max wait ${maxMs} ms; codes ${JSON.stringify(counts)}; ` +
        `configured acquire ${WAITS.acquireTimeoutMs} ms + lock ${WAITS.lockTimeoutMs} ms`);
      expect(answers).toHaveLength(40);
      for (const code of codes) expect(['TIMEOUT', 'SERVICE_UNAVAILABLE']).toContain(code);
      expect(codes).toContain('TIMEOUT');
      for (const a of answers) expect(JSON.stringify(a.body)).not.toMatch(/canceling|statement|pg_|stack|LOCK TABLE/i);
      expect(maxMs).toBeLessThan(BOUND_MS);
      // A write behind the lock is refused the same way, and writes nothing.
      const write = await post(`mutation { createMeasure(householdId: "${HOUSEHOLD}", input: { kind: INDUSTRY, department: POVERTY_OFFICE, amount: 10, year: 2024, description: "behind a lock" }) { id } }`);
      expect(write.body.errors?.map((e) => e.extensions?.code)).toEqual(['TIMEOUT']);
      expect(write.ms).toBeLessThan(BOUND_MS);
      // Liveness is not readiness: the process is alive while its database cannot answer.
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await locker.query('ROLLBACK');
    }
    expect((await post(householdQuery)).body.errors).toBeUndefined();
    expect((await locker.query("SELECT count(*)::int AS n FROM measure WHERE description = 'behind a lock'")).rows[0].n).toBe(0);
    // The operator sees each as a warning with its cause, not as an unexpected error.
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, code: 'TIMEOUT', sqlState: '55P03' }));
  });

  it('answers SERVICE_UNAVAILABLE when no pooled connection frees up, and /readyz says 503 meanwhile', async () => {
    const held: PoolClient[] = [];
    const max = (pool() as unknown as { options: { max: number } }).options.max;
    try {
      for (let i = 0; i < max; i += 1) held.push(await pool().connect());
      const started = Date.now();
      expect(await ready()).toBe(503);
      const refused = await post(householdQuery);
      expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(refused.ms).toBeGreaterThanOrEqual(WAITS.acquireTimeoutMs - 50);
      expect(Date.now() - started).toBeLessThan(BOUND_MS);
    } finally {
      for (const c of held) c.release();
    }
    expect(await ready()).toBe(200);
    expect((await post(householdQuery)).body.errors).toBeUndefined();
  });

  describe('WebSocket sizes', () => {
    const wsUrl = () => `${base.replace('http', 'ws')}/graphql`;
    const open = (protocol = 'graphql-transport-ws') =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(wsUrl(), protocol);
        ws.once('open', () => resolve(ws));
        ws.once('unexpected-response', (req, res) => {
          // With this listener, ws leaves the refused request open: close it here.
          req.destroy();
          reject(Object.assign(new Error('refused'), { status: res.statusCode }));
        });
        ws.once('error', reject);
      });
    const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

    it('closes a socket whose message is over the body limit (1009) before parsing it', async () => {
      const ws = await open();
      const done = closed(ws);
      ws.send(`{"type":"connection_init","payload":{"x":"${'x'.repeat(300 * 1024)}"}}`);
      expect(await done).toBe(1009);
      // Under the limit, the same (anonymous) message is parsed: the protocol answers it.
      const small = await open();
      const answered = closed(small);
      small.send(`{"type":"nonsense","payload":"${'x'.repeat(200 * 1024)}"}`);
      expect(await answered).toBe(4400);
    });

    it('refuses the next connection from an address holding the maximum (429), and accepts again when one closes', async () => {
      const sockets = [];
      for (let i = 0; i < WAITS.wsMaxConnectionsPerIp; i += 1) sockets.push(await open());
      await expect(open()).rejects.toMatchObject({ status: 429 });
      const gone = closed(sockets[0]);
      sockets[0].close();
      await gone;
      // The server counts the close on its side a moment later.
      let again: WebSocket | undefined;
      for (let i = 0; i < 20 && !again; i += 1) again = await open().catch(() => new Promise<undefined>((r) => setTimeout(() => r(undefined), 50)));
      expect(again).toBeDefined();
      await Promise.all([...sockets.slice(1), again!].map((ws) => {
        const done = closed(ws);
        ws.close();
        return done;
      }));
    });

    it('refuses an operation past the per-connection maximum with TOO_MANY_OPERATIONS while the others run', async () => {
      const ws = await open();
      const messages: Array<{ type: string; id?: string; payload?: any }> = [];
      ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: await bearer({ scope: COUNTY }) } }));
      for (let i = 0; i < 50 && !messages.some((m) => m.type === 'connection_ack'); i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(messages.map((m) => m.type)).toEqual(['connection_ack']);
      // The table is locked, so the first operations stay running until lock_timeout.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE household IN ACCESS EXCLUSIVE MODE');
      try {
        for (const id of ['1', '2', '3']) ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: householdQuery } }));
        const deadline = Date.now() + BOUND_MS;
        while (Date.now() < deadline && messages.filter((m) => m.type === 'complete' || m.type === 'error').length < 3) await new Promise((r) => setTimeout(r, 20));
      } finally {
        await locker.query('ROLLBACK');
      }
      const third = messages.find((m) => m.id === '3');
      expect(third).toEqual({ id: '3', type: 'error', payload: [expect.objectContaining({ extensions: { code: 'TOO_MANY_OPERATIONS' } })] });
      for (const id of ['1', '2']) {
        const next = messages.find((m) => m.id === id && m.type === 'next');
        expect(next?.payload.errors?.[0]?.extensions?.code).toBe('TIMEOUT');
      }
      // The connection stays usable.
      ws.send(JSON.stringify({ id: '4', type: 'subscribe', payload: { query: householdQuery } }));
      for (let i = 0; i < 100 && !messages.some((m) => m.id === '4' && m.type === 'complete'); i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(messages.find((m) => m.id === '4' && m.type === 'next')?.payload).toEqual({ data: { household: { id: HOUSEHOLD, number: expect.any(String) } } });
      ws.close();
    });
  });

  it('says not ready (503) when the database is gone, while /healthz stays live', async () => {
    const admin = new Client({ connectionString: process.env.TEST_SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    expect(await ready()).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const refused = await post(householdQuery);
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
  });
});
