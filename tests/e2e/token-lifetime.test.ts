import type { AddressInfo } from 'node:net';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import { SignJWT } from 'jose';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { dataSource } from '../../ormconfig';
import { issueToken, Role, TokenVerifier } from '../../src/core/auth';
import { createServer, type AppServer } from '../../src/core/server';
import { Department } from '../../src/core/vocab';
import { bearer, TEST_AUTH } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Issue 7 §3, "Tokens keep meaning what they said": a bounded lifetime, no tokens from the
// future, a WebSocket that closes when its token ends, and request ids that are the server's.

const COUNTY = '990471';
const secret = new TextEncoder().encode(TEST_AUTH.AUTH_JWT_SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** A token with exactly the claims given (no defaults), signed with the test secret. */
function rawToken(claims: { iat?: number; exp?: number }): Promise<string> {
  const jwt = new SignJWT({ role: Role.COORDINATOR, scope: COUNTY, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('token-test')
    .setIssuer(TEST_AUTH.AUTH_ISSUER)
    .setAudience(TEST_AUTH.AUTH_AUDIENCE);
  return jwt.sign(secret);
}

describe('tokens keep meaning what they said', () => {
  let server: AppServer;
  let endpoint: string;
  let pg: PgClient;
  const logged: Array<Record<string, any>> = [];

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_471_000 });
    dataSource.setOptions({ url });
    if (!dataSource.isInitialized) await dataSource.initialize();
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    server = await createServer({ dataSource, verifier: await TokenVerifier.create(TEST_AUTH), config: { EXPOSE_SQL_COUNT: false }, logger });
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    endpoint = `127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
    pg = new PgClient({ connectionString: url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await server?.close();
    await dataSource.destroy();
  });

  const post = async (query: string, headers: Record<string, string>, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`http://${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, requestId: res.headers.get('x-request-id'), body: (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions: { code: string } }> } };
  };
  const asToken = (token: string) => post(`{ region(code: "${COUNTY}") { name } }`, { authorization: `Bearer ${token}` });

  it('refuses a token valid for longer than the maximum (12 h by default), and accepts one of 12 h', async () => {
    const long = await asToken(await issueToken(TEST_AUTH, { sub: 'long', role: Role.COORDINATOR, scope: COUNTY }, '13h'));
    expect(long.body.errors?.map((e) => [e.extensions.code, e.message])).toEqual([['UNAUTHENTICATED', 'Not authenticated: token lifetime exceeds the maximum of 43200 s']]);
    const twelve = await asToken(await issueToken(TEST_AUTH, { sub: 'twelve', role: Role.COORDINATOR, scope: COUNTY }, '12h'));
    expect(twelve.body.errors).toBeUndefined();
    expect(twelve.body.data.region.name).toBeTruthy();
  });

  it('refuses a token issued in the future beyond the clock skew (60 s), and tolerates a little', async () => {
    const future = await asToken(await rawToken({ iat: now() + 600, exp: now() + 3600 }));
    expect(future.body.errors?.map((e) => [e.extensions.code, e.message])).toEqual([['UNAUTHENTICATED', 'Not authenticated: token issued in the future']]);
    const skewed = await asToken(await rawToken({ iat: now() + 20, exp: now() + 3600 }));
    expect(skewed.body.errors).toBeUndefined();
  });

  it('refuses tokens without exp or without iat', async () => {
    for (const claims of [{ iat: now() }, { exp: now() + 3600 }]) {
      const r = await asToken(await rawToken(claims));
      expect({ claims: Object.keys(claims), codes: r.body.errors?.map((e) => e.extensions.code) }).toEqual({ claims: Object.keys(claims), codes: ['UNAUTHENTICATED'] });
      expect(r.status).toBe(401);
    }
  });

  it('closes a WebSocket with 4401 when its token expires', async () => {
    const token = await issueToken(TEST_AUTH, { sub: 'short', role: Role.COORDINATOR, scope: COUNTY }, '2s');
    const client = createClient({ url: `ws://${endpoint}`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined, connectionParams: { authorization: `Bearer ${token}` } });
    const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
    try {
      const first = await new Promise<any>((resolve, reject) => {
        let value: any;
        client.subscribe({ query: `{ region(code: "${COUNTY}") { name } }` }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
      });
      expect(first.errors).toBeUndefined();
      expect(first.data.region.name).toBeTruthy();
      const started = Date.now();
      expect(await closed).toBe(4401);
      // Closed at the token's exp (whole seconds: at most 2 s after it was issued), not later.
      expect(Date.now() - started).toBeLessThan(3500);
    } finally {
      await client.dispose();
    }
  });

  it('writes the server\'s request id into the audit record, never the client\'s, and logs the client\'s beside it', async () => {
    const officer = await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: COUNTY, sub: 'request-id-test' });
    const r = await post(
      `mutation ($h: ID!) { createMeasure(householdId: $h, input: { kind: INDUSTRY, department: POVERTY_OFFICE, amount: 1, year: 2024, description: "request id" }) { id } }`,
      { authorization: officer, 'x-request-id': 'client-chosen-id' },
      { h: '9471001' },
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const rows = (await pg.query(`SELECT request_id FROM audit_record WHERE subject = 'request-id-test'`)).rows;
    expect(rows).toEqual([{ request_id: r.requestId }]);
    expect((await pg.query(`SELECT count(*)::int AS n FROM audit_record WHERE request_id = 'client-chosen-id'`)).rows[0].n).toBe(0);
    expect(logged).toContainEqual(expect.objectContaining({ requestId: r.requestId, clientRequestId: 'client-chosen-id' }));
  });
});
