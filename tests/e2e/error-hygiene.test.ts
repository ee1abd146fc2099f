import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import { Client } from 'pg';
import WebSocket from 'ws';
import { dataSource } from '../../ormconfig';
import { Role, TokenVerifier } from '../../src/core/auth';
import { createServer, type AppServer } from '../../src/core/server';
import { Department } from '../../src/core/vocab';
import { bearer, TEST_AUTH } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Error hygiene and introspection (issue 3 §5): answers never carry a stack trace, SQL or an
// internal message; unexpected errors are logged with the request id and answered as
// INTERNAL_SERVER_ERROR with that id; a request that is the client's fault is never a 5xx; every
// answer names its request id. Introspection is for authenticated staff only.
// County 991201 (city 9912): households 9780001–9780002. The server here logs into `logged`.

const COUNTY = '991201';
const HOUSEHOLD = '9780001';
/** A description that makes the test's trigger fail the INSERT, as a broken database would. */
const POISON = 'error-hygiene: refuse this row';
const INTERNALS = /stack|\bat \S+:\d+|node_modules|\.ts\b|SELECT |INSERT |UPDATE |relation "|hg_refuse|refused the row|QueryFailedError|typeorm|postgres/i;

describe('error hygiene and introspection', () => {
  let server: AppServer;
  let endpoint: string;
  let pg: Client;
  const logged: Array<Record<string, any>> = [];

  const send = async (init: { body?: string; headers?: Record<string, string>; method?: string; search?: string }) => {
    const res = await fetch(`${endpoint}${init.search ?? ''}`, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
    const text = await res.text();
    return { status: res.status, requestId: res.headers.get('x-request-id'), text, body: JSON.parse(text) };
  };
  const json = { 'content-type': 'application/json' };
  const post = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    send({ body: JSON.stringify({ query, variables }), headers: { ...json, ...headers } });

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_780_000 });
    pg = new Client({ connectionString: url });
    await pg.connect();
    // The database refuses one marked row with an error no code path expects (XX000).
    await pg.query(`CREATE OR REPLACE FUNCTION hg_refuse_marked_measure() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'internal: relation "measure" refused the row (hg_refuse_marked_measure)' USING ERRCODE = 'XX000'; END $$`);
    await pg.query(`CREATE OR REPLACE TRIGGER hg_refuse_marked_measure BEFORE INSERT ON measure FOR EACH ROW
      WHEN (NEW.description = '${POISON}') EXECUTE FUNCTION hg_refuse_marked_measure()`);
    dataSource.setOptions({ url });
    if (!dataSource.isInitialized) await dataSource.initialize();
    const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    server = await createServer({ dataSource, verifier: await TokenVerifier.create(TEST_AUTH), config: { EXPOSE_SQL_COUNT: false }, logger });
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await pg?.query('DROP TRIGGER IF EXISTS hg_refuse_marked_measure ON measure');
    await pg?.query('DROP FUNCTION IF EXISTS hg_refuse_marked_measure()');
    await pg?.end();
    await server?.close();
    await dataSource.destroy();
  });

  it('opens introspection to staff and to nobody else, over HTTP and WebSocket', async () => {
    const schemaQuery = '{ __schema { types { name } } }';
    for (const role of [Role.OFFICER, Role.COORDINATOR, Role.ANALYST, Role.AUDITOR, Role.ADMIN]) {
      const staff = await post(schemaQuery, {}, { authorization: await bearer({ role, department: role === Role.OFFICER ? Department.HEALTH : null, scope: COUNTY }) });
      expect({ role, status: staff.status, errors: staff.body.errors }).toEqual({ role, status: 200, errors: undefined });
      expect(staff.body.data.__schema.types.map((t: { name: string }) => t.name)).toContain('Household');
    }
    for (const query of [schemaQuery, '{ __type(name: "Household") { name fields { name } } }', '{ __typename a: __schema { queryType { name } } }']) {
      const anonymous = await post(query);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
      expect(anonymous.body.data ?? null).toBeNull();
      expect(anonymous.text).not.toMatch(/Household|__schema"\s*:/);
    }
    expect((await post('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });

    const ws = (authorization?: string) =>
      new Promise<{ data?: any; errors?: any[] }>((resolve) => {
        const client = createClient({ url: endpoint.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: authorization ? { authorization } : {} });
        let result = {};
        client.subscribe({ query: schemaQuery }, {
          next: (value) => { result = value; },
          error: (errors) => { void client.dispose(); resolve({ errors: errors as any[] }); },
          complete: () => { void client.dispose(); resolve(result); },
        });
      });
    const refused = await ws();
    expect(refused.errors?.map((e) => e.extensions)).toEqual([{ code: 'UNAUTHENTICATED' }]);
    const allowed = await ws(await bearer({ scope: COUNTY }));
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data.__schema.types.length).toBeGreaterThan(50);
  });

  it('answers a request that is the client\'s fault with a 4xx and its request id, nothing internal', async () => {
    const staff = await bearer({ scope: COUNTY });
    const cases: Array<[string, Parameters<typeof send>[0], number, string]> = [
      ['malformed JSON', { body: '{"query": "{ __typename }"', headers: json }, 400, 'BAD_REQUEST'],
      ['oversized body', { body: JSON.stringify({ query: '{ __typename }', variables: { x: 'x'.repeat(300_000) } }), headers: json }, 413, 'BAD_REQUEST'],
      ['text/plain (CSRF)', { body: JSON.stringify({ query: '{ __typename }' }), headers: { 'content-type': 'text/plain' } }, 400, 'BAD_REQUEST'],
      ['no content type', { body: JSON.stringify({ query: '{ __typename }' }) }, 400, 'BAD_REQUEST'],
      ['batched', { body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), headers: json }, 400, 'BAD_REQUEST'],
      ['no query', { body: '{}', headers: json }, 400, 'BAD_REQUEST'],
      ['mutation over GET', { method: 'GET', search: `?query=${encodeURIComponent('mutation { __typename }')}`, headers: { 'apollo-require-preflight': '1' } }, 405, 'BAD_REQUEST'],
      ['syntax error', { body: JSON.stringify({ query: '{ household(id: "1") { id ' }), headers: { ...json, authorization: staff } }, 400, 'GRAPHQL_PARSE_FAILED'],
      ['unknown field', { body: JSON.stringify({ query: '{ househod(id: "1") { id } }' }), headers: { ...json, authorization: staff } }, 400, 'GRAPHQL_VALIDATION_FAILED'],
      ['bad variable', { body: JSON.stringify({ query: 'query ($id: ID!) { household(id: $id) { id } }', variables: { id: { $gt: '' } } }), headers: { ...json, authorization: staff } }, 400, 'BAD_USER_INPUT'],
      ['bad token', { body: JSON.stringify({ query: '{ __typename }' }), headers: { ...json, authorization: 'Bearer not.a.token-at-all' } }, 401, 'UNAUTHENTICATED'],
      ['anonymous introspection', { body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }), headers: json }, 401, 'UNAUTHENTICATED'],
    ];
    const answers = [];
    for (const [label, init, status, code] of cases) {
      const res = await send(init);
      answers.push({ label, status: res.status, code: res.body.errors?.[0]?.extensions?.code, requestId: res.requestId });
      expect({ label, internals: res.text.match(INTERNALS)?.[0] ?? null, stacktrace: res.body.errors?.some((e: any) => e.extensions?.stacktrace) }).toEqual({ label, internals: null, stacktrace: false });
      expect({ label, status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({ label, status, code });
    }
    for (const a of answers) expect({ label: a.label, requestId: a.requestId }).toEqual({ label: a.label, requestId: expect.stringMatching(/^[\w-]{8,64}$/) });
    // A caller's own id is logged beside the server's, never adopted: audit records carry the server's.
    const own = await send({ body: '{"query":', headers: { ...json, 'x-request-id': 'hygiene-client-id' } });
    expect(own.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(logged).toEqual([]);
  });

  it('masks an unexpected database error as INTERNAL_SERVER_ERROR with the request id it is logged under, and writes nothing', async () => {
    const poverty = await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: COUNTY });
    const count = async () => Number((await pg.query('SELECT count(*) FROM measure WHERE household_id = $1', [HOUSEHOLD])).rows[0].count);
    const before = await count();
    const res = await post(
      `mutation ($h: ID!, $d: String!) { createMeasure(householdId: $h, input: { kind: INDUSTRY, department: POVERTY_OFFICE, amount: 10, year: 2024, description: $d }) { id } }`,
      { h: HOUSEHOLD, d: POISON },
      { authorization: poverty },
    );
    expect(res.status).toBeLessThan(600);
    const requestId = res.requestId as string;
    expect(res.body).toEqual({
      data: null,
      errors: [{ message: `Internal server error (request ${requestId})`, path: ['createMeasure'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
    });
    expect(res.text).not.toMatch(INTERNALS);
    expect(await count()).toBe(before);
    // The operator finds the real cause in the log, under the id the caller was given.
    const line = logged.find((l) => l.requestId === requestId);
    expect(line?.msg).toBe('unexpected error');
    expect(JSON.stringify(line?.err)).toMatch(/refused the row/);
    // An ordinary, permitted write on the same household still works.
    const fine = await post(`mutation ($h: ID!) { createMeasure(householdId: $h, input: { kind: INDUSTRY, department: POVERTY_OFFICE, amount: 10, year: 2024, description: "fine" }) { id } }`,
      { h: HOUSEHOLD }, { authorization: poverty });
    expect(fine.body.errors).toBeUndefined();
  });
});
