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

// Client mistakes are client errors (issue 7 §4): a NUL byte that reaches SQL, a year beyond
// smallint, an APQ hash that does not match its query, a variable of the wrong type over
// WebSocket and an over-long id were answered INTERNAL_SERVER_ERROR and logged at error level
// with a stack. Each is a typed 4xx-class answer with no stack, is not logged as an error, and a
// refused mutation is audited. County 991401: households 9800001–9800002 (persons ×10 + 1…3).

const COUNTY = '991401';
const HOUSEHOLD = '9800001';
const PERSON = '98000011';

describe('client mistakes are typed client errors, not internal ones', () => {
  let server: AppServer;
  let endpoint: string;
  let pg: Client;
  /** Every log line the server writes at warn level or above. */
  const logged: Array<Record<string, any>> = [];

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_800_000 });
    pg = new Client({ connectionString: url });
    await pg.connect();
    dataSource.setOptions({ url });
    if (!dataSource.isInitialized) await dataSource.initialize();
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    server = await createServer({ dataSource, verifier: await TokenVerifier.create(TEST_AUTH), config: { EXPOSE_SQL_COUNT: false }, logger });
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await pg?.end();
    await server?.close();
    await dataSource.destroy();
  });

  const post = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, requestId: res.headers.get('x-request-id') as string, body: JSON.parse(text) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> } };
  };
  const auditOf = async (requestId: string) =>
    (await pg.query('SELECT action, entity, entity_id AS "entityId", outcome, fields FROM audit_record WHERE request_id = $1 ORDER BY seq', [requestId])).rows;
  /** No answer carries a stack, SQL or a driver message; nothing was logged as an error. */
  const expectClean = (text: string) => {
    expect(text).not.toMatch(/stacktrace|\bat \S+:\d+|node_modules|SELECT |INSERT |invalid byte sequence|smallint|QueryFailedError/i);
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
  };

  it('refuses a NUL byte in a string that reaches SQL as BAD_USER_INPUT, and audits the refused mutation', async () => {
    const poverty = await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: COUNTY });
    const write = await post(
      {
        query: `mutation ($h: ID!, $d: String!) { createMeasure(householdId: $h, input: { kind: INDUSTRY, department: POVERTY_OFFICE, amount: 10, year: 2024, description: $d }) { id } }`,
        variables: { h: HOUSEHOLD, d: 'pigs\u0000and goats' },
      },
      { authorization: poverty, 'x-request-id': 'mistake-nul-write' },
    );
    expect(write.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expectClean(write.text);
    expect(await auditOf(write.requestId)).toEqual([{ action: 'create', entity: 'Measure', entityId: null, outcome: 'invalid', fields: expect.arrayContaining(['description']) }]);

    const read = await post({ query: 'query ($n: String!) { householdByNumber(number: $n) { id } }', variables: { n: '43\u00001' } }, { authorization: poverty });
    expect(read.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expectClean(read.text);
  });

  it('refuses a year beyond smallint as BAD_USER_INPUT, on reads and writes', async () => {
    const health = await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: COUNTY });
    // The insurance year goes to SQL as a parameter compared with a smallint column.
    const read = await post({ query: `{ region(code: "${COUNTY}") { summary { insuredShare(year: 40000) } } }` }, { authorization: await bearer({ scope: COUNTY }) });
    expect(read.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expectClean(read.text);

    const write = await post(
      { query: `mutation { createInsuranceEnrolment(personId: "${PERSON}", input: { year: 40000, scheme: RESIDENT, premium: 380, subsidy: 200 }) { id } }` },
      { authorization: health, 'x-request-id': 'mistake-year-write' },
    );
    expect(write.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expectClean(write.text);
  });

  it('answers an APQ hash that does not match its query with BAD_REQUEST', async () => {
    const res = await post(
      { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
      { authorization: await bearer({ scope: COUNTY }) },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
    expectClean(res.text);
  });

  it('answers every variable-coercion error over WebSocket with BAD_USER_INPUT, as over HTTP', async () => {
    const authorization = await bearer({ scope: COUNTY });
    const client = createClient({ url: endpoint.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: { authorization } });
    const run = (query: string, variables: Record<string, unknown>) =>
      new Promise<{ data?: any; errors?: any[] }>((resolve) => {
        let result = {};
        client.subscribe({ query, variables }, {
          next: (value) => { result = value; },
          error: (errors) => resolve({ errors: errors as any[] }),
          complete: () => resolve(result),
        });
      });
    try {
      const cases: Array<[string, string, Record<string, unknown>]> = [
        ['object for an ID', 'query ($id: ID!) { household(id: $id) { id } }', { id: { $gt: '' } }],
        ['missing required', 'query ($id: ID!) { household(id: $id) { id } }', {}],
        ['string for an Int', `query ($y: Int) { household(id: "${HOUSEHOLD}") { measures(year: $y) { id } } }`, { y: 'twenty' }],
        ['unknown enum value', 'query ($s: HouseholdStatus) { households(filter: { status: $s }) { totalCount } }', { s: 'NOPE' }],
        ['list for a String', 'query ($n: String!) { householdByNumber(number: $n) { id } }', { n: ['a', 'b'] }],
      ];
      for (const [label, query, variables] of cases) {
        const r = await run(query, variables);
        expect({ label, codes: r.errors?.map((e) => e.extensions?.code) }).toEqual({ label, codes: ['BAD_USER_INPUT'] });
        expectClean(JSON.stringify(r));
      }
    } finally {
      await client.dispose();
    }
  });

  it('refuses an id longer than 64 characters with BAD_USER_INPUT, and still audits the refusal', async () => {
    const poverty = await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: COUNTY });
    const longId = '1'.repeat(100);
    const res = await post(
      { query: 'mutation ($id: ID!) { updateMeasure(id: $id, version: 1, input: { amount: 5 }) { id } }', variables: { id: longId } },
      { authorization: poverty, 'x-request-id': 'mistake-long-id' },
    );
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expectClean(res.text);
    // The audit record carries the server's request id (the one answered), not the client's.
    const audit = await auditOf(res.requestId);
    expect(audit).toEqual([{ action: 'update', entity: 'Measure', entityId: expect.stringMatching(/^1{40}…sha256:[0-9a-f]{16}$/), outcome: 'invalid', fields: ['amount'] }]);
    expect(audit[0].entityId.length).toBeLessThanOrEqual(64);
  });
});
