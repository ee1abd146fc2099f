import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { dataSource } from '../../ormconfig';
import { Role, TokenVerifier } from '../../src/core/auth';
import { Metrics } from '../../src/core/observability';
import { createServer, type AppServer } from '../../src/core/server';
import { Department } from '../../src/core/vocab';
import { bearer, TEST_AUTH } from '../support/app';
import { buildCounty } from '../support/fixtures';

// What an operator sees (issue 10 §1): one JSON log line per request — who, what operation,
// status, duration, SQL statements, error codes — and never a token, a variable value or a
// personal field; and Prometheus metrics at /metrics. County 992101: households 9910001–9910002.

const COUNTY = '992101';
const ID_NUMBER_FRAGMENT = /\d{17}[\dX]/;

describe('request logs and metrics', () => {
  let server: AppServer;
  let base: string;
  const lines: Array<Record<string, any>> = [];
  const raw: string[] = [];
  const requestLines = () => lines.filter((l) => l.msg === 'request');

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_910_000 });
    dataSource.setOptions({ url: process.env.TEST_APP_DATABASE_URL as string });
    if (!dataSource.isInitialized) await dataSource.initialize();
    const logger = pino({ level: 'info' }, { write: (line: string) => { raw.push(line); lines.push(JSON.parse(line)); } });
    server = await createServer({ dataSource, verifier: await TokenVerifier.create(TEST_AUTH), config: { EXPOSE_SQL_COUNT: false }, logger, metrics: new Metrics(dataSource) });
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server?.close();
    await dataSource.destroy();
  });

  const post = async (body: Record<string, unknown>, authorization?: string) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
    await res.text();
    // The line is written on 'finish', just after the answer.
    await new Promise((r) => setTimeout(r, 20));
    return res.headers.get('x-request-id') as string;
  };
  const lineOf = (requestId: string) => requestLines().find((l) => l.requestId === requestId);

  it('logs a successful query with who, what, how long and how many statements, and no values', async () => {
    const token = await bearer({ role: Role.OFFICER, department: Department.CIVIL_AFFAIRS, scope: COUNTY, sub: 'officer-wang' });
    const requestId = await post({
      query: 'query HouseholdCard($id: ID!) { household(id: $id) { id members { name idNumber } } }',
      operationName: 'HouseholdCard',
      variables: { id: '9910001' },
    }, token);
    const line = lineOf(requestId);
    expect(line).toMatchObject({
      method: 'POST', path: '/graphql', status: 200, operationName: 'HouseholdCard', operationType: 'query',
      sub: 'officer-wang', role: 'officer', department: 'civil_affairs', scope: COUNTY,
    });
    expect(line!.sqlStatements).toBeGreaterThan(0);
    expect(line!.durationMs).toBeGreaterThanOrEqual(0);
    expect(line!.errorCodes).toBeUndefined();
    const text = raw.find((l) => l.includes(requestId))!;
    expect(text).not.toContain('9910001');
    expect(text).not.toContain(token.slice(7));
    expect(text).not.toMatch(ID_NUMBER_FRAGMENT);
  });

  it('logs refusals too: a bad token (401) and a forbidden operation, with their codes', async () => {
    const bad = await post({ query: '{ __typename }' }, 'Bearer not-a-token');
    expect(lineOf(bad)).toMatchObject({ status: 401, errorCodes: ['UNAUTHENTICATED'] });
    expect(raw.find((l) => l.includes(bad))).not.toContain('not-a-token');
    const analyst = await bearer({ role: Role.ANALYST, scope: COUNTY });
    const forbidden = await post({ query: 'query Card { household(id: "9910001") { id } }', operationName: 'Card' }, analyst);
    expect(lineOf(forbidden)).toMatchObject({ operationName: 'Card', operationType: 'query', errorCodes: ['FORBIDDEN'], role: 'analyst' });
    const invalid = await post({ query: 'query Broken { noSuchField }', operationName: 'Broken' }, analyst);
    expect(lineOf(invalid)).toMatchObject({ operationName: 'Broken', errorCodes: ['GRAPHQL_VALIDATION_FAILED'], status: 400 });
  });

  it('logs a malformed body as BAD_REQUEST, and never a query string', async () => {
    const res = await fetch(`${base}/graphql?secret=value`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    await res.text();
    await new Promise((r) => setTimeout(r, 20));
    const line = lineOf(res.headers.get('x-request-id') as string);
    expect(line).toMatchObject({ status: 400, errorCodes: ['BAD_REQUEST'], path: '/graphql' });
    expect(JSON.stringify(line)).not.toContain('secret');
  });

  it('serves Prometheus metrics to this machine: requests by operation and outcome, latency, statements, pool, event loop, memory', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/household_graph_requests_total\{route="graphql",operation="HouseholdCard",outcome="ok"\} 1/);
    expect(text).toMatch(/household_graph_requests_total\{route="graphql",operation="Card",outcome="FORBIDDEN"\} 1/);
    expect(text).toMatch(/household_graph_request_duration_seconds_bucket\{le="[\d.]+",route="graphql",operation="HouseholdCard",outcome="ok"\}/);
    expect(text).toMatch(/household_graph_sql_statements_per_request_count\{operation="HouseholdCard"\} 1/);
    expect(text).toMatch(/household_graph_pg_pool_clients \d+/);
    expect(text).toMatch(/household_graph_pg_pool_waiting_requests \d+/);
    expect(text).toMatch(/household_graph_nodejs_eventloop_lag_seconds/);
    expect(text).toMatch(/household_graph_process_resident_memory_bytes/);
  });

  it('with METRICS_TOKEN, serves metrics only to a scraper that sends it', async () => {
    const guarded = await createServer({
      dataSource, verifier: await TokenVerifier.create(TEST_AUTH), config: { EXPOSE_SQL_COUNT: false, METRICS_TOKEN: 'scrape-0123456789abcdef' },
      logger: pino({ level: 'silent' }), metrics: new Metrics(dataSource),
    });
    try {
      await new Promise<void>((resolve) => guarded.httpServer.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(guarded.httpServer.address() as AddressInfo).port}/metrics`;
      expect((await fetch(url)).status).toBe(403);
      expect((await fetch(url, { headers: { authorization: 'Bearer scrape-0123456789abcdeX' } })).status).toBe(403);
      const ok = await fetch(url, { headers: { authorization: 'Bearer scrape-0123456789abcdef' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/household_graph_pg_pool_clients/);
    } finally {
      await guarded.close();
    }
  });

  it('logs every WebSocket operation too: one line when it ends, with who, what, results and codes, and refusals', async () => {
    const token = await bearer({ role: Role.OFFICER, department: Department.CIVIL_AFFAIRS, scope: COUNTY, sub: 'officer-ws' });
    const client = createClient({ url: `${base.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: { authorization: token } });
    const run = (query: string, operationName: string, variables: Record<string, unknown> = {}) =>
      new Promise<{ errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }>((resolve) => {
        let last: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> } = {};
        client.subscribe({ query, operationName, variables }, {
          next: (r) => { last = r; },
          error: (errors) => resolve({ errors: errors as typeof last.errors }),
          complete: () => resolve(last),
        });
      });
    try {
      const ok = await run('query WsCard($id: ID!) { household(id: $id) { id members { name idNumber } } }', 'WsCard', { id: '9910001' });
      expect(ok.errors).toBeUndefined();
      const refused = await run('query WsBroken { household(id: "9910001") { nope } }', 'WsBroken');
      expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      await new Promise((r) => setTimeout(r, 50));
      const wsLines = lines.filter((l) => l.msg === 'ws operation');
      expect(wsLines.find((l) => l.operationName === 'WsCard')).toMatchObject({
        transport: 'ws', operationType: 'query', results: 1, sub: 'officer-ws', role: 'officer', department: 'civil_affairs', scope: COUNTY,
      });
      const card = wsLines.find((l) => l.operationName === 'WsCard')!;
      expect(card.sqlStatements).toBeGreaterThan(0);
      expect(card.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(wsLines.find((l) => l.operationName === 'WsBroken')).toMatchObject({ transport: 'ws', results: 0, sub: 'officer-ws', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
      const text = raw.filter((l) => l.includes('"ws operation"')).join('\n');
      expect(text).not.toContain('9910001');
      expect(text).not.toContain(token.slice(7));
      expect(text).not.toMatch(ID_NUMBER_FRAGMENT);
    } finally {
      await client.dispose();
    }
  });

  it('bounds operation-name labels: a client cannot grow the metrics without limit', () => {
    const metrics = new Metrics(dataSource);
    for (let i = 0; i < 500; i++) metrics.operationLabel(`Op${i}`);
    expect(metrics.operationLabel('Op1')).toBe('Op1');
    expect(metrics.operationLabel('Op499')).toBe('other');
    expect(metrics.operationLabel('drop table; --')).toBe('invalid');
    expect(metrics.operationLabel(null)).toBe('anonymous');
  });
});
