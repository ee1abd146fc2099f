import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { dataSource } from '../../ormconfig';
import { Role, TokenVerifier } from '../../src/core/auth';
import { DEFAULT_WAIT_LIMITS } from '../../src/core/db-limits';
import { Metrics } from '../../src/core/observability';
import { createServer, type AppServer } from '../../src/core/server';
import { Department } from '../../src/core/vocab';
import { bearer, startApp, TEST_AUTH } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Live subscriptions across instances (issue 12 §5): two servers on one database, each with its
// own pool and its own LISTEN connection; writes go through A (HTTP), subscribers listen on B.
// Counties 993301 (households 9933101…) and 993302 (9933201…), one village each.

const C1 = '993301';
const C2 = '993302';
const H1 = '9933101';
const H2 = '9933201';
const YEAR = new Date().getFullYear();

const MEASURE = `mutation ($h: ID!, $d: String!) { createMeasure(householdId: $h, input: { kind: INDUSTRY, department: POVERTY_OFFICE, amount: 1000, year: ${YEAR}, description: $d }) { id } }`;
const MEASURES = `subscription ($after: String) { measureChanged(afterSeq: $after) { seq kind entityId fields measure { id householdId description } } }`;
const GAPS = `subscription ($after: String) { gapChanged(afterSeq: $after) { seq kind gap { id department regionCode status } } }`;
const IMPORTS = `subscription ($after: String) { importFinished(afterSeq: $after) { seq batch { id department scope status } } }`;

interface Received {
  items: any[];
  errors: any[];
  closed: number | null;
}

describe('live subscriptions across two server instances', () => {
  let a: Awaited<ReturnType<typeof startApp>>;
  let b: AppServer;
  let second: DataSource;
  let url: string;
  let owner: PgClient;
  const clients: Client[] = [];

  beforeAll(async () => {
    const dbUrl = process.env.TEST_DATABASE_URL as string;
    await buildCounty(dbUrl, { county: C1, townships: 1, villagesPerTownship: 1, householdsPerVillage: 4, idBase: 9_933_100 });
    await buildCounty(dbUrl, { county: C2, townships: 1, villagesPerTownship: 1, householdsPerVillage: 4, idBase: 9_933_200 });
    owner = new PgClient({ connectionString: dbUrl });
    await owner.connect();
    a = await startApp();
    // Instance B: its own DataSource (pool) on the same database, as the app's role.
    second = new DataSource({ ...(dataSource.options as object), url: process.env.TEST_APP_DATABASE_URL } as ConstructorParameters<typeof DataSource>[0]);
    await second.initialize();
    b = await createServer({ dataSource: second, verifier: await TokenVerifier.create(TEST_AUTH), config: { EXPOSE_SQL_COUNT: true }, logger: pino({ level: 'silent' }), metrics: new Metrics(second),
      // 50 connections from this one address in the fan-out test (the default allows 20).
      waits: { ...DEFAULT_WAIT_LIMITS, wsMaxConnectionsPerIp: 100 } });
    await new Promise<void>((resolve) => b.httpServer.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(b.httpServer.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    await b?.close();
    await second?.destroy();
    await a?.stop();
    await owner?.end();
  });

  const lastSeq = async () => (await owner.query<{ s: string }>('SELECT coalesce(max(seq), 0)::text AS s FROM change_event')).rows[0].s;

  /** Subscribes on instance B; collects what arrives. */
  const subscribe = (authorization: string, query: string, after: string | null) => {
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: { authorization } });
    clients.push(client);
    const got: Received = { items: [], errors: [], closed: null };
    const dispose = client.subscribe(
      { query, variables: { after } },
      {
        next: (v) => {
          if (v.errors) got.errors.push(...v.errors);
          if (v.data) got.items.push(Object.values(v.data)[0]);
        },
        error: (err) => {
          if (Array.isArray(err)) got.errors.push(...err);
          else got.closed = (err as { code: number }).code;
        },
        complete: () => undefined,
      },
    );
    return { got, dispose, client };
  };

  const until = async (what: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!what()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const writeMeasure = async (household: string, description: string) => {
    const res = await a.gql(MEASURE, { h: household, d: description }, { authorization: await bearer({ role: Role.COORDINATOR, scope: household === H1 ? C1 : C2 }) });
    expect(res.errors).toBeUndefined();
    return res.data.createMeasure.id as string;
  };

  it('delivers a measure written through instance A to subscribers on B who may read it, and to nobody else', async () => {
    const start = await lastSeq();
    const coordinator = subscribe(await bearer({ role: Role.COORDINATOR, scope: C1, sub: 'sub-coord-1' }), MEASURES, start);
    const poverty = subscribe(await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: C1, sub: 'sub-po-1' }), MEASURES, start);
    const elsewhere = subscribe(await bearer({ role: Role.COORDINATOR, scope: C2, sub: 'sub-coord-2' }), MEASURES, start);
    const health = subscribe(await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: C1, sub: 'sub-health-1' }), MEASURES, start);

    const m1 = await writeMeasure(H1, 'live-1');
    await until(() => coordinator.got.items.length === 1 && poverty.got.items.length === 1);
    expect(coordinator.got.items[0]).toMatchObject({ kind: 'create', entityId: m1, measure: { id: m1, householdId: H1, description: 'live-1' } });
    expect(poverty.got.items[0].seq).toBe(coordinator.got.items[0].seq);
    // A health officer may not read measures at all: refused when subscribing.
    await until(() => health.got.errors.length > 0);
    expect(health.got.errors[0].extensions.code).toBe('FORBIDDEN');

    // The other county's coordinator got nothing of C1; its own county's measure is the first it hears of.
    const m2 = await writeMeasure(H2, 'live-2');
    await until(() => elsewhere.got.items.length === 1);
    expect(elsewhere.got.items.map((i) => i.entityId)).toEqual([m2]);
    expect(coordinator.got.items.map((i) => i.entityId)).toEqual([m1]);
    expect(BigInt(elsewhere.got.items[0].seq)).toBeGreaterThan(BigInt(coordinator.got.items[0].seq));
  });

  it('tells each department of the gaps it owns, a coordinator of all in scope, nobody outside it', async () => {
    const start = await lastSeq();
    const subs = {
      coordinator: subscribe(await bearer({ role: Role.COORDINATOR, scope: C1, sub: 'gap-coord' }), GAPS, start),
      health: subscribe(await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: C1, sub: 'gap-health' }), GAPS, start),
      education: subscribe(await bearer({ role: Role.OFFICER, department: Department.EDUCATION, scope: C1, sub: 'gap-edu' }), GAPS, start),
      outside: subscribe(await bearer({ role: Role.COORDINATOR, scope: C2, sub: 'gap-coord-2' }), GAPS, start),
    };
    // A full recompute of C1 through A opens gaps of several departments (uninsured this year, a
    // child not enrolled); acknowledging one is an event too (written in the acknowledging transaction).
    const recompute = await a.gql(`mutation { recomputeCoordinationGaps(regionCode: "${C1}") { opened } }`, {}, { authorization: await bearer({ role: Role.COORDINATOR, scope: C1 }) });
    expect(recompute.errors).toBeUndefined();
    expect(recompute.data.recomputeCoordinationGaps.opened).toBeGreaterThan(0);
    const [healthGap] = (await owner.query<{ gid: string }>(
      `SELECT id::text AS gid FROM coordination_gap WHERE county_code = $1 AND status = 'open' AND department = 'health' ORDER BY id LIMIT 1`, [C1])).rows;
    const ack = await a.gql(`mutation { acknowledgeCoordinationGap(id: "${healthGap.gid}", version: 1) { status } }`, {},
      { authorization: await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: C1, sub: 'ack' }) });
    expect(ack.errors).toBeUndefined();
    // What happened, from the outbox (another test's coordination worker may add gaps here too).
    const truth = (await owner.query<{ seq: string; gid: string; department: string }>(
      `SELECT e.seq::text AS seq, e.entity_id AS gid, e.department::text FROM change_event e
        WHERE e.entity = 'CoordinationGap' AND e.region_code LIKE $1 AND e.seq > $2::bigint ORDER BY e.seq`, [`${C1}%`, start])).rows;
    expect(new Set(truth.map((t) => t.department)).size).toBeGreaterThan(1);
    const last = BigInt(truth[truth.length - 1].seq);
    const seen = (s: { got: Received }) => s.got.items.filter((i) => BigInt(i.seq) <= last).map((i) => [i.seq, i.gap.id]);
    const expected = (department?: string) => truth.filter((t) => !department || t.department === department).map((t) => [t.seq, t.gid]);
    await until(() => seen(subs.coordinator).length === truth.length).catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify({ truth, got: seen(subs.coordinator) })}`);
    });
    await until(() => seen(subs.health).length === expected('health').length);
    await until(() => seen(subs.education).length === expected('education').length);
    expect(seen(subs.coordinator)).toEqual(expected());
    expect(seen(subs.health)).toEqual(expected('health'));
    expect(seen(subs.education)).toEqual(expected('education'));
    expect(subs.health.got.items.some((i) => i.gap.id === healthGap.gid && i.gap.status === 'ACKNOWLEDGED')).toBe(true);
    // Wait for one more event on the outside subscriber's county, then check it heard nothing of C1.
    await a.gql(`mutation { recomputeCoordinationGaps(regionCode: "${C2}") { opened } }`, {}, { authorization: await bearer({ role: Role.COORDINATOR, scope: C2 }) });
    await until(() => subs.outside.got.items.length > 0);
    expect(subs.outside.got.items.every((i) => i.gap.regionCode.startsWith(C2))).toBe(true);
    expect(seen(subs.education)).toEqual(expected('education'));
  });

  it('announces a finished import to its department and auditors in scope only', async () => {
    const start = await lastSeq();
    const health = subscribe(await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: C1, sub: 'imp-health' }), IMPORTS, start);
    const auditor = subscribe(await bearer({ role: Role.AUDITOR, scope: C1, sub: 'imp-audit' }), IMPORTS, start);
    const housing = subscribe(await bearer({ role: Role.OFFICER, department: Department.HOUSING, scope: C1, sub: 'imp-housing' }), IMPORTS, start);
    const outside = subscribe(await bearer({ role: Role.AUDITOR, scope: C2, sub: 'imp-audit-2' }), IMPORTS, start);
    const importer = await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: C1, sub: 'imp-importer' });
    const res = await a.gql(
      `mutation ($rows: [JSONObject!]!) { importBatch(kind: "insurance-enrolment", rows: $rows, batchKey: "live-imp-1") { batch { id status } } }`,
      { rows: [{ idNumber: '110101199003070000', year: YEAR, scheme: 'resident', premium: 400, subsidy: 250 }] },
      { authorization: importer },
    );
    expect(res.errors).toBeUndefined();
    const batch = res.data.importBatch.batch;
    await until(() => health.got.items.length === 1 && auditor.got.items.length === 1);
    expect(health.got.items[0].batch).toMatchObject({ id: batch.id, department: 'HEALTH', scope: C1, status: batch.status });
    expect(auditor.got.items[0].batch.id).toBe(batch.id);
    // The housing officer and the other county's auditor: nothing, even after a batch of their own.
    const housingImport = await a.gql(
      `mutation ($rows: [JSONObject!]!) { importBatch(kind: "housing-appraisal", rows: $rows, batchKey: "live-imp-2") { batch { id } } }`,
      { rows: [{ householdNumber: 'none', grade: 'D', appraisedOn: '2024-05-01', appraiser: '县住建局' }] },
      { authorization: await bearer({ role: Role.OFFICER, department: Department.HOUSING, scope: C1, sub: 'imp-housing-2' }) },
    );
    expect(housingImport.errors).toBeUndefined();
    await until(() => housing.got.items.length === 1);
    expect(housing.got.items[0].batch.id).toBe(housingImport.data.importBatch.batch.id);
    expect(health.got.items.length).toBe(1);
    await until(() => auditor.got.items.length === 2);
    expect(outside.got.items).toEqual([]);
  });

  it('tells coordinators and the poverty office in scope that a procedure advanced (procedureAdvanced), nobody else', async () => {
    const start = await lastSeq();
    const PROCEDURES = `subscription ($after: String) { procedureAdvanced(afterSeq: $after) { seq kind fields procedure { id kind step status householdId } } }`;
    const coordinator = subscribe(await bearer({ role: Role.COORDINATOR, scope: C1, sub: 'proc-coord' }), PROCEDURES, start);
    const outside = subscribe(await bearer({ role: Role.COORDINATOR, scope: C2, sub: 'proc-coord-2' }), PROCEDURES, start);
    const health = subscribe(await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: C1, sub: 'proc-health' }), PROCEDURES, start);
    // Household 9933103 (status none, no recorded cause) applies for identification, through A.
    const applied = await a.gql(
      `mutation ($h: ID!) { applyForProcedure(householdId: $h, input: { kind: IDENTIFICATION, mainCause: ILLNESS, comment: "农户自愿申请" }) { __typename ... on Procedure { id } } }`,
      { h: '9933103' }, { authorization: await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: `${C1}001001`, sub: 'proc-village' }) },
    );
    expect(applied.errors).toBeUndefined();
    expect(applied.data.applyForProcedure.__typename).toBe('Procedure');
    await until(() => coordinator.got.items.length === 1);
    expect(coordinator.got.items[0]).toMatchObject({ kind: 'create', procedure: { id: applied.data.applyForProcedure.id, kind: 'IDENTIFICATION', status: 'OPEN', householdId: '9933103' } });
    await until(() => health.got.errors.length > 0);
    expect(health.got.errors[0].extensions.code).toBe('FORBIDDEN');
    await new Promise((r) => setTimeout(r, 200));
    expect(outside.got.items).toEqual([]);
  });

  it('closes a subscriber whose token expires (4401) and stops delivering to it', async () => {
    const sub = subscribe(await bearer({ role: Role.COORDINATOR, scope: C1, sub: 'short', expiresIn: '2s' }), MEASURES, null);
    await until(() => sub.got.closed !== null, 5_000);
    expect(sub.got.closed).toBe(4401);
    await writeMeasure(H1, 'after-expiry');
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.got.items).toEqual([]);
  });

  it('resumes from afterSeq after a reconnect: nothing missed, nothing twice, while writes keep coming', async () => {
    const token = await bearer({ role: Role.COORDINATOR, scope: C1, sub: 'resume' });
    const start = await lastSeq();
    const first = subscribe(token, MEASURES, start);
    await writeMeasure(H1, 'r-1');
    await writeMeasure(H1, 'r-2');
    await until(() => first.got.items.length === 2);
    const resumeFrom = first.got.items[1].seq as string;
    first.dispose();
    await first.client.dispose();
    // Missed while away (written through A, the other instance).
    for (let i = 3; i <= 6; i++) await writeMeasure(H1, `r-${i}`);
    // Reconnect with afterSeq while writes continue: catch-up and live events meet at the switch-over.
    const second = subscribe(token, MEASURES, resumeFrom);
    const during = Promise.all([7, 8, 9, 10].map((i) => writeMeasure(H1, `r-${i}`)));
    await during;
    await until(() => second.got.items.length >= 8);
    await new Promise((r) => setTimeout(r, 300));
    const seqs = second.got.items.map((i) => BigInt(i.seq));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((x, y) => (x < y ? -1 : 1))).toEqual(seqs);
    const { rows } = await owner.query<{ seq: string }>(
      `SELECT e.seq::text AS seq FROM change_event e WHERE e.entity = 'Measure' AND e.region_code LIKE $1 AND e.seq > $2::bigint ORDER BY e.seq`, [`${C1}%`, resumeFrom],
    );
    expect(second.got.items.map((i) => i.seq)).toEqual(rows.map((r) => r.seq));
    expect(second.got.items.map((i) => i.measure.description)).toEqual(expect.arrayContaining(['r-3', 'r-6', 'r-7', 'r-10']));
    expect(second.got.items.some((i) => ['r-1', 'r-2'].includes(i.measure.description))).toBe(false);
  });

  it('serves many resumes at once (they take turns reading the outbox), each with everything it missed, once', async () => {
    const token = await bearer({ role: Role.COORDINATOR, scope: C1, sub: 'mass-resume' });
    const from = await lastSeq();
    for (let i = 0; i < 3; i++) await writeMeasure(H1, `mass-${i}`);
    const { rows } = await owner.query<{ seq: string }>(
      `SELECT e.seq::text AS seq FROM change_event e WHERE e.entity = 'Measure' AND e.region_code LIKE $1 AND e.seq > $2::bigint ORDER BY e.seq`, [`${C1}%`, from],
    );
    const subs = Array.from({ length: 10 }, () => subscribe(token, MEASURES, from));
    const live = writeMeasure(H1, 'mass-live');
    await live;
    await until(() => subs.every((s) => s.got.items.length === rows.length + 1));
    await new Promise((r) => setTimeout(r, 200));
    for (const s of subs) {
      expect(s.got.items.slice(0, rows.length).map((i) => i.seq)).toEqual(rows.map((r) => r.seq));
      expect(s.got.items.map((i) => i.measure.description)).toEqual(['mass-0', 'mass-1', 'mass-2', 'mass-live']);
    }
  });

  it('loads each event once per group of subscribers who see alike, not once per subscriber', async () => {
    await Promise.all(clients.splice(0).map(async (c) => c.dispose()));
    await until(() => b.liveFeed.size === 0);
    const coordinators = await bearer({ role: Role.COORDINATOR, scope: C1, sub: 'many-coord' });
    const officers = await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: C1, sub: 'many-po' });
    const outside = await bearer({ role: Role.COORDINATOR, scope: C2, sub: 'many-outside' });
    const subs = [
      ...Array.from({ length: 20 }, (_, i) => subscribe(coordinators, i % 2 ? MEASURES : 'subscription { measureChanged { seq entityId } }', null)),
      ...Array.from({ length: 20 }, () => subscribe(officers, MEASURES, null)),
      ...Array.from({ length: 10 }, () => subscribe(outside, MEASURES, null)),
    ];
    await until(() => b.liveFeed.size === 50);
    const before = { ...b.liveFeed.statements };
    const id = await writeMeasure(H1, 'many');
    await until(() => subs.slice(0, 40).every((s) => s.got.items.length === 1));
    expect(subs.slice(0, 40).every((s) => s.got.items[0].entityId === id)).toBe(true);
    // One group, two documents: each subscriber gets its own selection (results are shared per document only).
    expect(subs.slice(0, 20).map((s) => Object.keys(s.got.items[0]).sort().join())).toEqual(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? 'entityId,fields,kind,measure,seq' : 'entityId,seq')),
    );
    // Two visibility groups could see it (coordinators, 扶贫办 officers of C1): two loads, one
    // read of the outbox; the other county's group cost nothing.
    expect(b.liveFeed.statements.loads - before.loads).toBe(2);
    expect(b.liveFeed.statements.reads - before.reads).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(subs.slice(40).every((s) => s.got.items.length === 0)).toBe(true);
    // What an operator sees at /metrics (from this machine).
    const metrics = await request(b.app).get('/metrics');
    expect(metrics.text).toMatch(/^household_graph_live_subscribers 50$/m);
    expect(metrics.text).toMatch(new RegExp(`^household_graph_live_statements\\{kind="load"\\} ${b.liveFeed.statements.loads}$`, 'm'));
  });

  it('answers a subscription sent over HTTP with an error, not a stream', async () => {
    const res = await a.gql('subscription { measureChanged { seq } }', {}, { authorization: await bearer({ role: Role.COORDINATOR, scope: C1 }) });
    expect(res.status).toBe(400);
    expect(res.data?.measureChanged ?? null).toBeNull();
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
  });

  it('refuses an afterSeq the outbox never reached', async () => {
    const ahead = String(BigInt(await lastSeq()) + 1000n);
    const sub = subscribe(await bearer({ role: Role.COORDINATOR, scope: C1, sub: 'ahead' }), MEASURES, ahead);
    await until(() => sub.got.errors.length > 0);
    expect(sub.got.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
