import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { dataSource } from '../ormconfig';
import { issueToken, Role } from '../src/core/auth';
import { connectAndMigrate, startDatabase, type DatabaseHandle } from '../src/core/database';
import { Department } from '../src/core/vocab';
import { startServerChild, type ServerChild } from './children';

/**
 * `npm run bench:subscriptions` (issue 12 §5): N concurrent graphql-ws subscribers (default
 * 5,000) of `measureChanged` on one app instance (a child process, wired as src/main.ts wires
 * it), then E measures written over HTTP at R per second; reports event-to-delivery latency
 * (from sending the write to a subscriber receiving the event) p50/p99/max over every delivery,
 * and the server's RSS idle with its subscribers and at peak.
 *
 * Subscribers: a realistic mix under bench county 993390 (5 townships): coordinators and 扶贫办
 * officers, county- or township-scoped, and one in ten in another county (993391), which must
 * receive nothing. Every subscriber's deliveries are checked against what its scope should see.
 *
 * The app limits WebSocket connections per client address (WS_MAX_CONNECTIONS_PER_IP, default
 * 20); all subscribers come from 127.0.0.1, so the bench raises it for its own child only. Each
 * subscriber is a socket on both ends: raise `ulimit -n` above 2 × N + a few hundred.
 *
 * Database: with DATABASE_URL, database `household_graph_bench_subs` on that server (created
 * and migrated when missing); without, an embedded PostgreSQL of its own in .data/bench-subs
 * (port BENCH_PG_PORT or 54333). Options: --subscribers N, --events E, --rate R.
 */
const log = (msg: string) => process.stderr.write(`bench:subscriptions: ${msg}\n`);
const DB_NAME = 'household_graph_bench_subs';
const COUNTY = '993390';
const OUTSIDE = '993391';
const TOWNSHIPS = 5;
const HOUSEHOLDS_PER_VILLAGE = 4;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function prepare(): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (process.env.DATABASE_URL) {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE "${DB_NAME}"`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${DB_NAME}`;
    handle = { url: url.toString(), stop: async () => {} };
  } else {
    const port = Number(process.env.BENCH_PG_PORT ?? 54333);
    log(`starting an embedded PostgreSQL (.data/bench-subs, port ${port})`);
    handle = await startDatabase({ dataDir: path.resolve(__dirname, '../.data/bench-subs'), port, databaseName: DB_NAME, log });
  }
  await connectAndMigrate(dataSource, handle.url);
  await dataSource.destroy();
  return handle;
}

/** Two synthetic counties under the fictitious province 99 (one village per township), once. */
async function buildCounties(url: string): Promise<void> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await pg.query('BEGIN');
    await pg.query(`INSERT INTO region (code, name, level, parent_code) VALUES ('990000000000', '测试省', 'province', NULL), ('993300000000', '测试市', 'city', '990000000000') ON CONFLICT DO NOTHING`);
    for (const [n, county] of [COUNTY, OUTSIDE].entries()) {
      if ((await pg.query(`SELECT 1 FROM region WHERE code = $1`, [`${county}000000`])).rowCount) continue;
      await pg.query(`INSERT INTO region VALUES ($1 || '000000', '压测县' || $1, 'county', '993300000000')`, [county]);
      await pg.query(`INSERT INTO region SELECT $1 || lpad(t::text, 3, '0') || '000', '压测镇' || t, 'township', $1 || '000000' FROM generate_series(1, $2::int) t`, [county, TOWNSHIPS]);
      await pg.query(`INSERT INTO region SELECT $1 || lpad(t::text, 3, '0') || '001', '压测村' || t, 'village', $1 || lpad(t::text, 3, '0') || '000' FROM generate_series(1, $2::int) t`, [county, TOWNSHIPS]);
      await pg.query(
        `INSERT INTO village (code, county_code, is_poverty_village, indicator_year, poverty_incidence, per_capita_income, collective_income,
            broadband_mbps, has_water, has_electricity, has_road, has_safe_housing, has_network, has_sanitation)
         SELECT code, $1::varchar, true, 2015, 18.5, 2100, 0, 4, true, true, true, true, true, true FROM region WHERE level = 'village' AND code LIKE $1::varchar || '%'`,
        [county],
      );
      await pg.query(
        `INSERT INTO household (id, number, village_code, county_code, status, identification_year, identification_standard, main_cause,
            has_water, has_electricity, has_road, has_safe_housing, has_network, has_sanitation)
         SELECT $2::bigint + row_number() OVER (ORDER BY r.code, h), r.code || lpad(h::text, 4, '0'), r.code, $1::varchar, 'registered', 2015, 'national', 'illness',
                true, true, true, true, true, true
           FROM region r, generate_series(1, $3::int) h WHERE r.level = 'village' AND r.code LIKE $1::varchar || '%'`,
        [county, 99_339_000 + n * 100, HOUSEHOLDS_PER_VILLAGE],
      );
    }
    await pg.query('COMMIT');
  } catch (err) {
    await pg.query('ROLLBACK');
    throw err;
  } finally {
    await pg.end();
  }
}

function rss(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** User + system CPU time of a process so far, ms (Linux). */
function cpuMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Subscriber {
  scope: string;
  client: WsClient;
  /** description → receive time (ms, performance.now()). */
  received: Map<string, number>;
  wrong: number;
}

const SUBSCRIPTION = 'subscription { measureChanged { seq measure { id description } } }';

async function main(): Promise<void> {
  const subscribers = arg('subscribers', 5_000);
  const events = arg('events', 100);
  const rate = arg('rate', 2);
  const cleanup: Array<() => Promise<void>> = [];
  let database: DatabaseHandle | null = null;
  try {
    database = await prepare();
    cleanup.push(() => database!.stop());
    await buildCounties(database.url);
    const { rows: households } = await (async () => {
      const pg = new Client({ connectionString: database.url });
      await pg.connect();
      try {
        return await pg.query<{ id: string; village: string }>(`SELECT id::text, village_code AS village FROM household WHERE county_code = $1 ORDER BY id`, [COUNTY]);
      } finally {
        await pg.end();
      }
    })();

    const auth = { AUTH_JWT_SECRET: randomBytes(32).toString('hex'), AUTH_ISSUER: 'household-graph', AUTH_AUDIENCE: 'household-graph', DATA_DIR: path.resolve(__dirname, '../.data/bench') };
    const app: ServerChild = await startServerChild('app-server', {
      ...auth, DATABASE_URL: database.url, LOG_LEVEL: 'error', NODE_ENV: 'production',
      // Every subscriber connects from 127.0.0.1: the per-address cap (default 20) is raised for this child only.
      WS_MAX_CONNECTIONS_PER_IP: String(Math.min(10_000, subscribers + 100)),
    });
    cleanup.unshift(() => app.stop());
    const pid = app.pid;
    const startRss = rss(pid, 'VmRSS');

    // The subscriber mix; tokens are shared by subscribers with the same claims (as users' tabs would be distinct tokens, the server cannot tell).
    const townships = Array.from({ length: TOWNSHIPS }, (_, t) => `${COUNTY}${String(t + 1).padStart(3, '0')}`);
    const tokenCache = new Map<string, string>();
    const tokenFor = async (role: Role, scope: string) => {
      const key = `${role}|${scope}`;
      if (!tokenCache.has(key)) {
        tokenCache.set(key, await issueToken(auth, { sub: `bench-${role}-${scope}`, role, department: role === Role.OFFICER ? Department.POVERTY_OFFICE : undefined, scope }, '6h'));
      }
      return tokenCache.get(key)!;
    };
    const url = `ws://127.0.0.1:${app.port}/graphql`;
    const subs: Subscriber[] = [];
    log(`connecting ${subscribers} subscribers to ${url}`);
    const connectStarted = Date.now();
    const BATCH = 250;
    for (let i = 0; i < subscribers; i += BATCH) {
      await Promise.all(Array.from({ length: Math.min(BATCH, subscribers - i) }, async (_, k) => {
        const n = i + k;
        const scope = n % 10 === 9 ? OUTSIDE : n % 3 === 0 ? COUNTY : townships[n % TOWNSHIPS];
        const role = n % 2 === 0 ? Role.COORDINATOR : Role.OFFICER;
        const token = await tokenFor(role, scope);
        const sub: Subscriber = { scope, client: null as unknown as WsClient, received: new Map(), wrong: 0 };
        await new Promise<void>((resolve, reject) => {
          sub.client = createClient({
            url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, connectionParams: { authorization: `Bearer ${token}` },
            on: { connected: () => resolve(), closed: (e) => reject(new Error(`subscriber ${n} closed: ${(e as { code?: number }).code}`)) },
          });
        });
        sub.client.subscribe({ query: SUBSCRIPTION }, {
          next: (v) => {
            const at = performance.now();
            const m = (v.data as { measureChanged?: { measure: { description: string } } } | undefined)?.measureChanged?.measure;
            if (m) sub.received.set(m.description, at);
            else sub.wrong++;
          },
          error: () => sub.wrong++,
          complete: () => undefined,
        });
        subs.push(sub);
      }));
    }
    cleanup.unshift(async () => {
      await Promise.all(subs.map(async (s) => s.client.dispose()));
    });
    log(`connected in ${((Date.now() - connectStarted) / 1000).toFixed(1)} s`);

    const writer = await tokenFor(Role.COORDINATOR, COUNTY);
    const write = async (householdId: string, description: string) => {
      const res = await fetch(`${app.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${writer}` },
        body: JSON.stringify({
          query: `mutation ($h: ID!, $d: String!) { createMeasure(householdId: $h, input: { kind: INDUSTRY, department: POVERTY_OFFICE, amount: 1000, year: 2024, description: $d }) { id } }`,
          variables: { h: householdId, d: description },
        }),
      });
      const body = (await res.json()) as { errors?: unknown[] };
      if (body.errors) throw new Error(`write failed: ${JSON.stringify(body.errors)}`);
    };
    const villageOf = new Map<string, string>();
    const expectedBy = (s: Subscriber) => [...villageOf].filter(([, village]) => village.startsWith(s.scope)).map(([d]) => d);
    const waitDelivered = async (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (subs.every((s) => expectedBy(s).every((d) => s.received.has(d)))) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };

    // Warm-up (untimed): one measure per township, until every subscriber has what it should;
    // this also shows every subscription is registered before the timed writes.
    const run = randomBytes(4).toString('hex');
    for (let t = 0; t < TOWNSHIPS; t++) {
      const h = households[t * HOUSEHOLDS_PER_VILLAGE];
      const d = `warm-${run}-${t}`;
      villageOf.set(d, h.village);
      await write(h.id, d);
    }
    if (!(await waitDelivered(120_000))) throw new Error('warm-up events did not reach every subscriber within 120 s');
    const idleRss = rss(pid, 'VmRSS');
    log(`subscribed and warm; server RSS ${mb(idleRss)} (started at ${mb(startRss)})`);

    // Timed: `events` writes at `rate` per second, round-robin over the households.
    const sentAt = new Map<string, number>();
    const writeLatency: number[] = [];
    const failedWrites: string[] = [];
    let sampledPeak = idleRss ?? 0;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, rss(pid, 'VmRSS') ?? 0);
    }, 100);
    const serverCpuBefore = cpuMs(pid);
    const benchCpuBefore = process.cpuUsage();
    const started = performance.now();
    const pending: Promise<void>[] = [];
    for (let k = 0; k < events; k++) {
      const due = started + (k * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const h = households[k % households.length];
      const d = `ev-${run}-${k}`;
      villageOf.set(d, h.village);
      const t0 = performance.now();
      sentAt.set(d, t0);
      pending.push(write(h.id, d).then(
        () => void writeLatency.push(performance.now() - t0),
        (err: Error) => {
          // A refused write (the server overloaded: SERVICE_UNAVAILABLE) is counted, and not expected.
          failedWrites.push(err.message.slice(0, 200));
          villageOf.delete(d);
          sentAt.delete(d);
        },
      ));
    }
    await Promise.all(pending);
    const complete = await waitDelivered(120_000);
    const elapsedMs = performance.now() - started;
    const serverCpu = (cpuMs(pid) ?? NaN) - (serverCpuBefore ?? NaN);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    clearInterval(sampler);
    const peakRss = rss(pid, 'VmHWM');

    const latencies: number[] = [];
    let expected = 0;
    let delivered = 0;
    let leaked = 0;
    for (const s of subs) {
      const mine = new Set(expectedBy(s));
      for (const [d, at] of s.received) {
        if (!mine.has(d)) leaked++;
        const t0 = sentAt.get(d);
        if (t0 !== undefined && mine.has(d)) latencies.push(at - t0);
      }
      for (const d of mine) if (sentAt.has(d)) expected++;
      delivered += [...s.received.keys()].filter((d) => sentAt.has(d)).length;
    }
    latencies.sort((x, y) => x - y);
    writeLatency.sort((x, y) => x - y);
    const result = {
      subscribers,
      events,
      ratePerSecond: rate,
      deliveriesExpected: expected,
      deliveriesReceived: delivered,
      leakedOutOfScope: leaked,
      errors: subs.reduce((n, s) => n + s.wrong, 0),
      complete,
      latencyMs: { p50: +percentile(latencies, 50).toFixed(1), p99: +percentile(latencies, 99).toFixed(1), max: +(latencies[latencies.length - 1] ?? NaN).toFixed(1) },
      failedWrites: failedWrites.length,
      firstFailure: failedWrites[0],
      writeLatencyMs: { p50: +percentile(writeLatency, 50).toFixed(1), p99: +percentile(writeLatency, 99).toFixed(1) },
      // CPU over the timed phase (writes until the last delivery), and the server's per delivery.
      cpu: {
        elapsedMs: Math.round(elapsedMs),
        serverMs: Math.round(serverCpu),
        benchClientsMs: Math.round((benchCpu.user + benchCpu.system) / 1000),
        serverUsPerDelivery: +((serverCpu * 1000) / Math.max(1, delivered)).toFixed(1),
      },
      serverRss: { started: mb(startRss), idleWithSubscribers: mb(idleRss), sampledPeakDuringWrites: mb(sampledPeak), peakHwm: mb(peakRss) },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (!complete || leaked || result.errors || failedWrites.length) process.exitCode = 1;
  } finally {
    for (const step of cleanup) await step().catch((err) => log(`cleanup: ${err instanceof Error ? err.message : String(err)}`));
  }
}

main().catch((err) => {
  process.stderr.write(`bench:subscriptions failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
