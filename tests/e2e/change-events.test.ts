import { Client } from 'pg';
import pino from 'pino';
import { dataSource } from '../../ormconfig';
import { Role } from '../../src/core/auth';
import type { RequestContext } from '../../src/core/context';
import { makeIdNumber } from '../../src/core/id-number';
import { Department } from '../../src/core/vocab';
import {
  ChangeEventRetention, EVENTS_CHANNEL, eventsSince, listenerConnection, listenForEvents, MAX_EVENTS_PER_READ, pruneChangeEvents, recordChangeEvent,
  type ChangeEventRow,
} from '../../src/modules/events';
import { bearer, startApp, type GqlResult } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Change events (变更事件, issue 8 §2): every committed mutation writes exactly one event in its
// own transaction — names, never values — and NOTIFYs its seq on commit; refused writes write
// none; seq order is commit order; old events are pruned. County 990811: townships 001 and 002,
// one village each (990811001001, 990811002001), four households per village (9860001–9860004,
// 9860005–9860008), members h*10+1…3. County 990812 (9870001–9870008) is outside the officers'
// scope. Events are found by the request id the server gives each mutation (x-request-id).

const A = '990811';
const B = '990812';
const VILLAGE_1 = '990811001001';
const VILLAGE_2 = '990811002001';

const officer = (department: Department, scope = A) => bearer({ role: Role.OFFICER, department, scope, sub: `ce-${department}-${scope}` });

const M = {
  createDibao: `mutation ($h: ID!, $input: CreateDibaoEnrolmentInput!) { createDibaoEnrolment(householdId: $h, input: $input) { id version } }`,
  updateDibao: `mutation ($id: ID!, $v: Int!, $input: UpdateDibaoEnrolmentInput!) { updateDibaoEnrolment(id: $id, version: $v, input: $input) { id version } }`,
  endDibao: `mutation ($id: ID!, $v: Int!, $input: EndDibaoEnrolmentInput!) { endDibaoEnrolment(id: $id, version: $v, input: $input) { id version } }`,
  createTemp: `mutation ($h: ID!, $input: CreateTemporaryAssistanceInput!) { createTemporaryAssistance(householdId: $h, input: $input) { id } }`,
  createInsurance: `mutation ($p: ID!, $input: CreateInsuranceEnrolmentInput!) { createInsuranceEnrolment(personId: $p, input: $input) { id version } }`,
  updateInsurance: `mutation ($id: ID!, $v: Int!, $input: UpdateInsuranceEnrolmentInput!) { updateInsuranceEnrolment(id: $id, version: $v, input: $input) { id version } }`,
  createPerson: `mutation ($h: ID!, $input: CreatePersonInput!) { createPerson(householdId: $h, input: $input) { id: databaseId version } }`,
  updateHousehold: `mutation ($id: ID!, $v: Int!, $input: UpdateHouseholdInput!) { updateHousehold(id: $id, version: $v, input: $input) { id version } }`,
};

/** The event columns a test compares (seq, time and actor checked separately). */
type EventShape = Pick<ChangeEventRow, 'entity' | 'entityId' | 'householdId' | 'personId' | 'regionCode' | 'department' | 'kind' | 'fields'>;

describe('change events (issue 8 §2)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let owner: Client;
  let appRole: Client;
  let seq = 0;

  const run = async (doc: string, variables: Record<string, unknown>, authorization: Promise<string> | string) =>
    app.gql(doc, variables, { authorization: await authorization, 'x-request-id': `ce-${++seq}` });
  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return Object.values(r.data)[0] as { id: string; version: number };
  };
  const code = (r: GqlResult) => r.errors?.[0].extensions?.code;
  const sql = async (text: string, params: unknown[] = []) => (await owner.query(text, params)).rows;
  /** The app role's connection as eventsSince and the pruner take it. */
  const appDb = { query: async (text: string, params?: unknown[]) => (await appRole.query(text, params)).rows };
  const eventsOf = async (requestId: string): Promise<Array<EventShape & { actor: string; actorRole: string; occurredAt: Date }>> =>
    sql(
      `SELECT entity, entity_id AS "entityId", household_id::text AS "householdId", person_id::text AS "personId", region_code AS "regionCode",
              department::text AS department, kind, fields, actor, actor_role AS "actorRole", occurred_at AS "occurredAt"
         FROM change_event WHERE request_id = $1 ORDER BY seq`,
      [requestId],
    );
  const maxSeq = async () => String((await sql('SELECT coalesce(max(seq), 0)::text AS s FROM change_event'))[0].s);
  /** A committed change event written by hand (another writer, e.g. an import), through `client`. */
  const manualEvent = (client: Client, entityId: string) =>
    recordChangeEvent(
      { principal: null, requestId: `ce-manual-${entityId}` } as RequestContext,
      { query: async (text: string, params?: unknown[]) => (await client.query(text, params)).rows },
      { kind: 'update', entity: 'Household', entityId, householdId: null, personId: null, regionCode: VILLAGE_1, department: null, fields: ['status'] },
    );

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: A, townships: 2, villagesPerTownship: 1, householdsPerVillage: 4, idBase: 9_860_000 });
    await buildCounty(url, { county: B, townships: 1, villagesPerTownship: 1, householdsPerVillage: 4, idBase: 9_870_000 });
    app = await startApp();
    owner = new Client({ connectionString: url });
    await owner.connect();
    appRole = new Client({ connectionString: process.env.TEST_APP_DATABASE_URL });
    await appRole.connect();
  });
  afterAll(async () => {
    await owner?.end();
    await appRole?.end();
    await app?.stop();
  });

  it('create, update and end each write exactly one event: entity, ids, village, owner department, kind and field names', async () => {
    const civil = officer(Department.CIVIL_AFFAIRS);
    const created = await run(M.createDibao, { h: '9860001', input: { category: 'CLASS_A', monthlyAmount: 455.5, coveredPersons: 2, startDate: '2025-01-01' } }, civil);
    const e = ok(created);
    const base: EventShape = {
      entity: 'DibaoEnrolment', entityId: e.id, householdId: '9860001', personId: null, regionCode: VILLAGE_1,
      department: Department.CIVIL_AFFAIRS, kind: 'create', fields: [],
    };
    const [createdEvent] = await eventsOf(created.requestId);
    expect(await eventsOf(created.requestId)).toEqual([
      // status: sent as its default (ACTIVE), so written.
      expect.objectContaining({ ...base, fields: ['category', 'monthlyAmount', 'coveredPersons', 'startDate', 'status'], actor: 'ce-civil_affairs-990811', actorRole: 'officer' }),
    ]);
    expect(Math.abs(createdEvent.occurredAt.getTime() - Date.now())).toBeLessThan(60_000);

    const updated = await run(M.updateDibao, { id: e.id, v: 1, input: { monthlyAmount: 520, category: 'CLASS_B' } }, civil);
    ok(updated);
    expect(await eventsOf(updated.requestId)).toEqual([expect.objectContaining({ ...base, kind: 'update', fields: ['category', 'monthlyAmount'] })]);

    const ended = await run(M.endDibao, { id: e.id, v: 2, input: { endDate: '2025-12-31' } }, civil);
    ok(ended);
    expect(await eventsOf(ended.requestId)).toEqual([expect.objectContaining({ ...base, kind: 'end', fields: ['endDate', 'status'] })]);
  });

  it('a person facet carries the person and household; registry records carry no owner department', async () => {
    const health = officer(Department.HEALTH);
    const created = await run(M.createInsurance, { p: '98600052', input: { year: 2025, scheme: 'RESIDENT', premium: 380, subsidy: 200 } }, health);
    const e = ok(created);
    const insurance = { entity: 'InsuranceEnrolment', entityId: e.id, householdId: '9860005', personId: '98600052', regionCode: VILLAGE_2, department: 'health' };
    expect(await eventsOf(created.requestId)).toEqual([expect.objectContaining({ ...insurance, kind: 'create' })]);
    // An update finds the person through the updated row itself.
    const updated = await run(M.updateInsurance, { id: e.id, v: 1, input: { subsidy: 150 } }, health);
    ok(updated);
    expect(await eventsOf(updated.requestId)).toEqual([expect.objectContaining({ ...insurance, kind: 'update', fields: ['subsidy'] })]);

    const poverty = officer(Department.POVERTY_OFFICE);
    const [{ version }] = await sql('SELECT version FROM household WHERE id = 9860006');
    const household = await run(M.updateHousehold, { id: '9860006', v: version, input: { utilities: { water: true, electricity: true, road: true, housing: true, network: true, environment: true } } }, poverty);
    ok(household);
    expect(await eventsOf(household.requestId)).toEqual([expect.objectContaining({
      entity: 'Household', entityId: '9860006', householdId: '9860006', personId: null, regionCode: VILLAGE_2, department: null, kind: 'update', fields: ['utilities'],
    })]);
  });

  it('names the fields and never their values: no ID number, name or amount sent appears anywhere in the event', async () => {
    const idNumber = makeIdNumber(A, '1981-02-03', 7);
    const name = '事件测试人甲';
    const created = await run(M.createPerson, {
      h: '9860002',
      input: { name, idNumber, gender: 'MALE', birthDate: '1981-02-03', relation: 'OTHER', labourAbility: 'ORDINARY', healthCategory: 'HEALTHY', schoolingStage: 'NONE' },
    }, officer(Department.POVERTY_OFFICE));
    const person = ok(created);
    const paid = await run(M.createTemp, { h: '9860002', input: { paidOn: '2025-06-01', amount: 8137.25, reason: '冰雹灾害 hailstorm' } }, officer(Department.CIVIL_AFFAIRS));
    ok(paid);

    const rows = await sql('SELECT to_jsonb(e)::text AS row, fields FROM change_event e WHERE request_id IN ($1, $2) ORDER BY seq', [created.requestId, paid.requestId]);
    expect(rows).toHaveLength(2);
    expect(rows[0].fields).toEqual(expect.arrayContaining(['name', 'idNumber', 'birthDate', 'gender']));
    expect(rows[1].fields).toEqual(['paidOn', 'amount', 'reason']);
    for (const value of [idNumber, idNumber.slice(0, 14), name, '1981-02-03', '8137', '冰雹', 'hailstorm', '2025-06-01']) {
      expect(rows.map((r) => r.row).join('\n')).not.toContain(value);
    }
    expect(await eventsOf(created.requestId)).toEqual([expect.objectContaining({
      entity: 'Person', entityId: person.id, householdId: '9860002', personId: person.id, regionCode: VILLAGE_1, department: null, kind: 'create',
    })]);

    // A value handed to the writer as a "field" is refused before anything is written.
    await expect(recordChangeEvent({ principal: null, requestId: 'ce-bad' } as RequestContext, appDb, {
      kind: 'update', entity: 'Person', entityId: person.id, householdId: null, personId: null, regionCode: VILLAGE_1, department: null, fields: [idNumber],
    })).rejects.toThrow(/field names only/);
  });

  it('a refused write (stale version, out of scope, bad input, invalid after the write) writes no event, only its refusal audit', async () => {
    const civil = officer(Department.CIVIL_AFFAIRS);
    const e = ok(await run(M.createDibao, { h: '9860003', input: { category: 'CLASS_A', monthlyAmount: 300, coveredPersons: 1, startDate: '2025-01-01' } }, civil));
    const refusals: Array<[GqlResult, string, string]> = [
      [await run(M.updateDibao, { id: e.id, v: 7, input: { monthlyAmount: 310 } }, civil), 'CONFLICT', 'conflict'],
      [await run(M.createDibao, { h: '9870001', input: { category: 'CLASS_A', monthlyAmount: 300, coveredPersons: 1, startDate: '2025-01-01' } }, civil), 'NOT_FOUND', 'not_found'],
      [await run(M.updateDibao, { id: e.id, v: 1, input: { coveredPersons: 9 } }, civil), 'BAD_USER_INPUT', 'invalid'],
      // The version-checked UPDATE has run before the rule refuses it: the rollback takes the event too.
      [await run(M.endDibao, { id: e.id, v: 1, input: { endDate: '2024-12-31' } }, civil), 'BAD_USER_INPUT', 'invalid'],
    ];
    for (const [r, expected, outcome] of refusals) {
      expect(code(r)).toBe(expected);
      expect(await eventsOf(r.requestId)).toEqual([]);
      expect(await sql('SELECT outcome FROM audit_record WHERE request_id = $1', [r.requestId])).toEqual([{ outcome }]);
    }
    expect(await sql('SELECT count(*)::int AS n FROM change_event WHERE request_id = ANY($1)', [refusals.map(([r]) => r.requestId)])).toEqual([{ n: 0 }]);
  });

  it('NOTIFY carries the seq and arrives only once the transaction commits; a rollback sends none', async () => {
    const seen: string[] = [];
    let wake: (() => void) | null = null;
    const listener = await listenForEvents({ connectionString: process.env.TEST_APP_DATABASE_URL }, (s) => {
      seen.push(s);
      wake?.();
    });
    const arrival = (s: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no notification for seq ${s}; got ${seen.join(',')}`)), 5000);
        wake = () => {
          if (seen.includes(s)) {
            clearTimeout(timer);
            resolve();
          }
        };
        wake();
      });
    const writer = new Client({ connectionString: process.env.TEST_APP_DATABASE_URL });
    await writer.connect();
    try {
      // Inside an open transaction: inserted, NOTIFY queued, nothing delivered.
      await writer.query('BEGIN');
      const pending = await manualEvent(writer, '9860004');
      await new Promise((r) => setTimeout(r, 300));
      expect(seen).not.toContain(pending);
      await writer.query('COMMIT');
      await arrival(pending);
      // Delivered after the commit: the event is visible to everyone by then.
      expect(await sql('SELECT count(*)::int AS n FROM change_event WHERE seq = $1', [pending])).toEqual([{ n: 1 }]);

      // Rolled back: never delivered. Notifications arrive in commit order, so once a later
      // commit's seq has arrived, the rolled-back one would have arrived before it.
      await writer.query('BEGIN');
      const undone = await manualEvent(writer, '9860004');
      await writer.query('ROLLBACK');
      const after = await manualEvent(writer, '9860004');
      await arrival(after);
      expect(seen).not.toContain(undone);
      expect(await sql('SELECT count(*)::int AS n FROM change_event WHERE seq = $1', [undone])).toEqual([{ n: 0 }]);

      // Through GraphQL: a committed mutation's seq arrives; a refused one's never existed.
      const civil = officer(Department.CIVIL_AFFAIRS);
      const refused = await run(M.createTemp, { h: '9870002', input: { paidOn: '2025-06-01', amount: 100, reason: 'x' } }, civil);
      expect(code(refused)).toBe('NOT_FOUND');
      const paid = await run(M.createTemp, { h: '9860004', input: { paidOn: '2025-06-01', amount: 100, reason: '火灾' } }, civil);
      ok(paid);
      const [{ seq: paidSeq }] = await sql('SELECT seq::text AS seq FROM change_event WHERE request_id = $1', [paid.requestId]);
      await arrival(paidSeq);
      expect(seen.map(BigInt)).toEqual([...seen.map(BigInt)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    } finally {
      await writer.end();
      await listener.close();
    }
    // Closed: nothing more is delivered.
    const count = seen.length;
    const late = await manualEvent(owner, '9860004');
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toHaveLength(count);
    expect(seen).not.toContain(late);
  });

  it('eventsSince pages in seq order from any seq, bounded by a validated limit', async () => {
    const start = await maxSeq();
    const mine: string[] = [];
    for (let i = 0; i < 12; i++) mine.push(await manualEvent(owner, `98600${10 + i}`));
    const pages: ChangeEventRow[][] = [];
    let cursor = start;
    for (;;) {
      const page = await eventsSince(appDb, cursor, 5);
      if (!page.length) break;
      expect(page.length).toBeLessThanOrEqual(5);
      pages.push(page);
      cursor = page[page.length - 1].seq;
    }
    const seqs = pages.flat().map((e) => BigInt(e.seq));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
    expect(seqs[0]).toBeGreaterThan(BigInt(start));
    // Every event of ours, once (other test files may add theirs in between).
    expect(pages.flat().map((e) => e.seq)).toEqual(expect.arrayContaining(mine));
    expect(new Set(seqs).size).toBe(seqs.length);
    const one = pages.flat().find((e) => e.seq === mine[0])!;
    expect(one).toMatchObject({ entity: 'Household', entityId: '9860010', kind: 'update', fields: ['status'], regionCode: VILLAGE_1, department: null, batchId: null });
    expect(one.occurredAt).toBeInstanceOf(Date);

    const single = await eventsSince(appDb, mine[0], 1);
    expect(single).toHaveLength(1);
    expect(BigInt(single[0].seq)).toBeGreaterThan(BigInt(mine[0]));
    expect(BigInt(single[0].seq)).toBeLessThanOrEqual(BigInt(mine[1]));
    for (const bad of [0, -1, 1.5, MAX_EVENTS_PER_READ + 1, Number.NaN]) await expect(eventsSince(appDb, start, bad)).rejects.toThrow(RangeError);
    for (const bad of ['-1', 'abc', '1; DROP TABLE change_event', '99999999999999999999']) await expect(eventsSince(appDb, bad, 10)).rejects.toThrow(RangeError);
    expect(await eventsSince(appDb, '9223372036854775807', MAX_EVENTS_PER_READ)).toEqual([]);
  });

  it('the app role inserts and reads events but cannot change or delete them; retention prunes the old and keeps the recent', async () => {
    for (const statement of ["UPDATE change_event SET kind = 'delete' WHERE seq = 1", 'DELETE FROM change_event WHERE seq = 1', 'TRUNCATE change_event']) {
      await expect(appRole.query(statement)).rejects.toMatchObject({ code: '42501' });
    }
    await expect(appRole.query(`SELECT prune_change_events(interval '1 hour', 10)`)).rejects.toMatchObject({ code: '22023' });

    // Old events (written by hand as the owner, back-dated) and a recent one.
    const old = await sql(
      `INSERT INTO change_event (occurred_at, entity, entity_id, region_code, kind, fields)
       SELECT now() - make_interval(days => d), 'Household', 'retention-' || d, $1, 'update', '{status}' FROM generate_series(91, 120) d
       RETURNING seq::text AS seq`,
      [VILLAGE_1],
    );
    const [edge] = await sql(
      `INSERT INTO change_event (occurred_at, entity, entity_id, region_code, kind, fields) VALUES (now() - interval '89 days', 'Household', 'retention-89', $1, 'update', '{status}') RETURNING seq::text AS seq`,
      [VILLAGE_1],
    );
    const recent = await manualEvent(owner, 'retention-now');
    const left = async () =>
      (await sql(`SELECT entity_id AS id FROM change_event WHERE entity_id LIKE 'retention-%' ORDER BY seq`)).map((r) => r.id);

    // Bounded: 7 a statement, 2 statements a run: 14 of the 30 old ones go in the first run.
    expect(await pruneChangeEvents(appDb, 90, { batchRows: 7, maxBatches: 2 })).toBe(14);
    expect((await left()).filter((id) => id !== 'retention-89' && id !== 'retention-now')).toHaveLength(16);
    const retention = new ChangeEventRetention(appDb, 90, pino({ level: 'silent' }));
    await retention.run();
    await retention.stop();
    expect(await left()).toEqual(['retention-89', 'retention-now']);
    expect(await sql('SELECT count(*)::int AS n FROM change_event WHERE seq = ANY($1)', [old.map((r) => r.seq)])).toEqual([{ n: 0 }]);
    expect(await sql('SELECT count(*)::int AS n FROM change_event WHERE seq = ANY($1)', [[edge.seq, recent]])).toEqual([{ n: 2 }]);
    await expect(pruneChangeEvents(appDb, 0)).rejects.toThrow(RangeError);
  });

  it('a transaction holding an event keeps every later event waiting until it commits: seq order is commit order', async () => {
    const first = new Client({ connectionString: process.env.TEST_APP_DATABASE_URL });
    const second = new Client({ connectionString: process.env.TEST_APP_DATABASE_URL });
    await Promise.all([first.connect(), second.connect()]);
    try {
      await first.query('BEGIN');
      const firstSeq = await manualEvent(first, 'order-1');
      await second.query('BEGIN');
      let secondSeq: string | null = null;
      const waiting = manualEvent(second, 'order-2').then((s) => (secondSeq = s));
      await new Promise((r) => setTimeout(r, 400));
      // Not even a seq yet: the statement trigger waits for the chain-head lock before any seq is taken.
      expect(secondSeq).toBeNull();
      await first.query('COMMIT');
      await waiting;
      await second.query('COMMIT');
      expect(BigInt(secondSeq!)).toBeGreaterThan(BigInt(firstSeq));
    } finally {
      await first.end();
      await second.end();
    }
  });

  it('concurrent writers: a reader paging by the last seq seen misses nothing, notifications come in seq order, and audit order agrees', async () => {
    const start = await maxSeq();
    const notified: string[] = [];
    const listener = await listenForEvents({ connectionString: process.env.TEST_APP_DATABASE_URL }, (s) => notified.push(s));
    const read: string[] = [];
    let cursor = start;
    let writing = true;
    const reader = (async () => {
      // Reads while the writers commit; each page starts after the last seq seen.
      while (writing) {
        const page = await eventsSince(appDb, cursor, 3);
        for (const e of page) read.push(e.seq);
        if (page.length) cursor = page[page.length - 1].seq;
        else await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const civil = officer(Department.CIVIL_AFFAIRS);
    const health = officer(Department.HEALTH);
    const households = ['9860001', '9860002', '9860003', '9860004', '9860005', '9860006', '9860007', '9860008'];
    const results = await Promise.all([
      ...households.flatMap((h, i) => [0, 1].map((k) => run(M.createTemp, { h, input: { paidOn: '2025-07-01', amount: 10 + i + k, reason: '并发 concurrent' } }, civil))),
      ...households.map((h) => run(M.createInsurance, { p: `${h}3`, input: { year: 2026, scheme: 'RESIDENT', premium: 380, subsidy: 200 } }, health)),
    ]);
    for (const r of results) ok(r);
    writing = false;
    await reader;
    // Whatever committed after the reader stopped.
    for (;;) {
      const page = await eventsSince(appDb, cursor, 100);
      if (!page.length) break;
      read.push(...page.map((e) => e.seq));
      cursor = page[page.length - 1].seq;
    }

    const committed: Array<{ seq: string; auditSeq: string }> = await sql(
      `SELECT e.seq::text AS seq, a.seq::text AS "auditSeq" FROM change_event e
         JOIN audit_record a ON a.request_id = e.request_id AND a.outcome = 'success'
        WHERE e.request_id = ANY($1) ORDER BY e.seq`,
      [results.map((r) => r.requestId)],
    );
    expect(committed).toHaveLength(results.length);
    // The audit seq is taken under the same lock: the two orders agree.
    const auditOrder = committed.map((c) => BigInt(c.auditSeq));
    for (let i = 1; i < auditOrder.length; i++) expect(auditOrder[i]).toBeGreaterThan(auditOrder[i - 1]);
    // The paging reader saw every event from `start` up to the last it read, each once,
    // ascending: none committed behind it. (Other test files may commit later events meanwhile.)
    // Ordered by the column, not by its text alias ('100' sorts before '83').
    const all = (await sql('SELECT e.seq::text AS seq FROM change_event e WHERE e.seq > $1 AND e.seq <= $2 ORDER BY e.seq', [start, cursor])).map((r) => r.seq);
    expect(read).toEqual(all);
    expect(all).toEqual(expect.arrayContaining(committed.map((c) => c.seq)));

    const last = committed[committed.length - 1].seq;
    const deadline = Date.now() + 5000;
    while (!notified.includes(last) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await listener.close();
    expect(notified).toEqual(expect.arrayContaining(committed.map((c) => c.seq)));
    const n = notified.map(BigInt);
    for (let i = 1; i < n.length; i++) expect(n[i]).toBeGreaterThan(n[i - 1]);
  });

  it('the listener comes back after its connection is killed and says so, so the consumer can catch up', async () => {
    const seen: string[] = [];
    let reconnected = 0;
    const errors: Error[] = [];
    // The server's own pool settings (the app's role), as the subscriptions will take them.
    const listener = await listenForEvents({ ...listenerConnection(dataSource), application_name: 'ce-listener' }, (s) => seen.push(s), {
      reconnectDelayMs: 50,
      onReconnect: () => reconnected++,
      onError: (err) => errors.push(err),
    });
    try {
      expect(await sql(`SELECT usename FROM pg_stat_activity WHERE application_name = 'ce-listener' AND datname = current_database()`)).toEqual([{ usename: 'household_graph_runtime' }]);
      await sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ce-listener' AND datname = current_database()`);
      const deadline = Date.now() + 5000;
      while (!reconnected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(reconnected).toBe(1);
      expect(errors.length).toBeGreaterThan(0);
      const s = await manualEvent(owner, 'reconnected');
      while (!seen.includes(s) && Date.now() < deadline + 5000) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toContain(s);
    } finally {
      await listener.close();
    }
  });

  it('a mutation costs one statement more than before: the event and its NOTIFY are one statement', async () => {
    // createTemporaryAssistance: household anchor, INSERT, audit head lock, audit append, change
    // event (with its NOTIFY), read-back (BEGIN and COMMIT are not counted). Before change
    // events it cost 5, measured on the same request.
    const r = await run(M.createTemp, { h: '9860001', input: { paidOn: '2025-06-02', amount: 10, reason: '计数 count' } }, officer(Department.CIVIL_AFFAIRS));
    ok(r);
    expect(r.sqlStatements).toBe(6);
    expect(EVENTS_CHANNEL).toBe('household_graph_events');
  });
});
