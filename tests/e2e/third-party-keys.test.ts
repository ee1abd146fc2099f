import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import pino from 'pino';
import request from 'supertest';
import WebSocket from 'ws';
import { dataSource } from '../../ormconfig';
import { issueToken, Role, TokenVerifier } from '../../src/core/auth';
import { createServer, type AppServer } from '../../src/core/server';
import { operationsByHash } from '../../src/modules/api-keys';
import { bearer, TEST_AUTH } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Issue 9 §3, third-party access: API keys stored hashed and managed by administrators,
// persisted operations only (refused before parsing), a rate per key, one audit record per call.
// County 993201 holds households a third party must never reach.

const COUNTY = '993201';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const PING = [...operationsByHash().values()].find((op) => op.operationName === 'ThirdPartyPing');
if (!PING) throw new Error('schema/third-party-operations.json lacks ThirdPartyPing');
const PING_BODY = { extensions: { persistedQuery: { version: 1, sha256Hash: PING.sha256Hash } } };
/** Short, so that a revocation made by "another instance" is seen within the test. */
const KEY_CACHE_MS = 300;

interface AuditRow { subject: string | null; role: string | null; action: string; entity: string; entityId: string | null; fields: string[]; purpose: string | null; outcome: string; regionCode: string }

describe('third-party access: API keys, persisted operations, rate limits, audit', () => {
  let server: AppServer;
  let pg: Client;
  let admin: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 1, villagesPerTownship: 1, householdsPerVillage: 3, idBase: 9_932_000 });
    dataSource.setOptions({ url: process.env.TEST_APP_DATABASE_URL });
    if (!dataSource.isInitialized) await dataSource.initialize();
    // Everything the server logs, at the most talkative level, to look for secrets in.
    const sink = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
    server = await createServer({
      dataSource, verifier: await TokenVerifier.create(TEST_AUTH), logger: pino({ level: 'trace' }, sink),
      config: { EXPOSE_SQL_COUNT: true, API_KEY_RATE_PER_MINUTE: 1000, API_KEY_CACHE_MS: KEY_CACHE_MS },
    });
    pg = new Client({ connectionString: url });
    await pg.connect();
    admin = await bearer({ role: Role.ADMIN, scope: '99', sub: 'test-admin-keys' });
    // The catalog entries the keys below name: proposed, not approved (a key may be issued before its entry's approval).
    const analyst = await bearer({ role: Role.ANALYST, scope: '99', sub: 'test-analyst-keys' });
    for (const code of ['dibao-by-township', 'a-entry', 'b-entry']) {
      const proposed = await gql(PROPOSE, {
        code, input: { metric: 'HOUSEHOLDS', dimensions: ['STATUS'], levels: ['COUNTY', 'TOWNSHIP'], years: [2024], region: COUNTY, descriptionZh: '按状态统计户数', descriptionEn: 'Households by status' },
      }, analyst);
      expect(proposed.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await pg?.end();
    await server?.close();
    await dataSource.destroy();
  });

  const gql = async (query: string, variables: Record<string, unknown>, authorization: string) => {
    const res = await request(server.app).post('/graphql').set('content-type', 'application/json').set('authorization', authorization).send({ query, variables });
    return { status: res.status, data: res.body.data, errors: res.body.errors as Array<{ message: string; extensions: Record<string, any> }> | undefined };
  };
  const PROPOSE = `mutation ($code: String!, $input: AggregateEntryInput!) { proposeAggregateEntry(code: $code, input: $input) { code status } }`;
  const CREATE = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id organisation catalogEntries ratePerMinute status version } } }`;
  const createKey = async (input: Record<string, unknown> = {}) => {
    const res = await gql(CREATE, { input: { organisation: '某公益基金会 Some Foundation', catalogEntries: ['dibao-by-township'], ...input } }, admin);
    expect(res.errors).toBeUndefined();
    return res.data.createApiKey as { key: string; apiKey: { id: string; organisation: string; catalogEntries: string[]; ratePerMinute: number | null; status: string; version: number } };
  };
  /** A call as a third party: `Authorization: ApiKey <key>` (or X-Api-Key), a JSON body. */
  const call = async (key: string, body: unknown, how: 'authorization' | 'x-api-key' = 'authorization') => {
    const req = request(server.app).post('/graphql').set('content-type', 'application/json');
    if (how === 'authorization') req.set('authorization', `ApiKey ${key}`);
    else req.set('x-api-key', key);
    const res = await req.send(body as object);
    return { status: res.status, body: res.body, requestId: String(res.headers['x-request-id']), retryAfter: res.headers['retry-after'] };
  };
  const auditOf = async (requestId: string): Promise<AuditRow[]> =>
    (await pg.query<AuditRow>(
      `SELECT subject, role, action, entity, entity_id AS "entityId", fields, purpose, outcome, region_code AS "regionCode" FROM audit_record WHERE request_id = $1 ORDER BY seq`,
      [requestId],
    )).rows;

  it('an administrator creates a key: the whole key is shown once, only its SHA-256 is stored, and the creation is audited', async () => {
    const res = await request(server.app).post('/graphql').set('content-type', 'application/json').set('authorization', admin)
      .send({ query: CREATE, variables: { input: { organisation: ' 乡村振兴促进会 ', catalogEntries: ['b-entry', 'a-entry', 'b-entry'], ratePerMinute: 120 } } });
    expect(res.body.errors).toBeUndefined();
    const { key, apiKey } = res.body.data.createApiKey;
    expect(key).toMatch(/^hgk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toEqual({ id: key.slice(4, 16), organisation: '乡村振兴促进会', catalogEntries: ['a-entry', 'b-entry'], ratePerMinute: 120, status: 'ACTIVE', version: 1 });
    const secret = key.slice(17);
    const { rows } = await pg.query(`SELECT row_to_json(k)::text AS row, secret_sha256 AS digest FROM api_key k WHERE id = $1`, [apiKey.id]);
    expect(rows[0].digest).toBe(sha256(secret));
    expect(rows[0].row).not.toContain(secret);
    // Nowhere else in the database either: the audit record and the change event name fields only.
    const elsewhere = await pg.query(
      `SELECT (SELECT count(*) FROM audit_record a WHERE row_to_json(a)::text LIKE '%' || $1 || '%')::int
            + (SELECT count(*) FROM change_event e WHERE row_to_json(e)::text LIKE '%' || $1 || '%')::int AS n`,
      [secret],
    );
    expect(elsewhere.rows[0].n).toBe(0);
    expect(await auditOf(String(res.headers['x-request-id']))).toEqual([
      expect.objectContaining({ subject: 'test-admin-keys', role: 'admin', action: 'create', entity: 'ApiKey', entityId: apiKey.id, outcome: 'success', regionCode: '99' }),
    ]);
    // The list shows the key and has no field that could carry a secret.
    const list = await gql('{ apiKeys { id organisation status } }', {}, admin);
    expect(list.data.apiKeys).toContainEqual({ id: apiKey.id, organisation: '乡村振兴促进会', status: 'ACTIVE' });
    const secretField = await gql('{ apiKeys { id secret } }', {}, admin);
    expect(secretField.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('only administrators manage keys', async () => {
    for (const who of [await bearer(), await bearer({ role: Role.AUDITOR }), await bearer({ role: Role.ANALYST })]) {
      const created = await gql(CREATE, { input: { organisation: 'x', catalogEntries: [] } }, who);
      expect(created.errors?.[0].extensions.code).toBe('FORBIDDEN');
      const listed = await gql('{ apiKeys { id } }', {}, who);
      expect(listed.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    const invalid = await gql(CREATE, { input: { organisation: 'x', catalogEntries: ['no spaces allowed'] } }, admin);
    expect(invalid.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'catalogEntries' });
    const missing = await gql('mutation { revokeApiKey(id: "000000000000") { id } }', {}, admin);
    expect(missing.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('a key names existing catalog entries only (any status): an unknown code is refused, named, and no key is made', async () => {
    const keys = async () => (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM api_key')).rows[0].n;
    const before = await keys();
    const unknown = await gql(CREATE, { input: { organisation: 'x', catalogEntries: ['a-entry', 'no-such-entry', 'b-entry', 'dibao-by-villag'] } }, admin);
    expect(unknown.data).toBeNull();
    expect(unknown.errors?.map((e) => ({ code: e.extensions.code, field: e.extensions.field, message: e.message }))).toEqual([
      { code: 'BAD_USER_INPUT', field: 'catalogEntries', message: 'catalogEntries: no catalog entry has the codes dibao-by-villag, no-such-entry' },
    ]);
    const one = await gql(CREATE, { input: { organisation: 'x', catalogEntries: ['tp-nothing'] } }, admin);
    expect(one.errors?.[0].message).toBe('catalogEntries: no catalog entry has the code tp-nothing');
    expect(await keys()).toBe(before);
    // A proposed (not yet approved) entry may be named; so may none.
    const proposed = await createKey({ catalogEntries: ['b-entry'] });
    expect(proposed.apiKey.catalogEntries).toEqual(['b-entry']);
    expect((await createKey({ catalogEntries: [] })).apiKey.catalogEntries).toEqual([]);
    expect(await keys()).toBe(before + 2);
  });

  it('a registered operation by hash is answered, with Authorization: ApiKey or X-Api-Key, and each call is audited once', async () => {
    const { key, apiKey } = await createKey();
    for (const how of ['authorization', 'x-api-key'] as const) {
      const res = await call(key, PING_BODY, how);
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      expect(await auditOf(res.requestId)).toEqual([{
        subject: `apikey:${apiKey.id}`, role: 'third_party', action: 'read', entity: 'ThirdPartyCall', entityId: PING.sha256Hash, fields: ['ThirdPartyPing'],
        purpose: 'organisation: 某公益基金会 Some Foundation; answered', outcome: 'success', regionCode: '99',
      }]);
    }
    // The request log names the key (its id), never the key itself.
    expect(logLines.join('')).toContain(`"sub":"apikey:${apiKey.id}"`);
  });

  it('anything but a registered hash is refused before parsing, typed, audited, never 5xx: query text (even invalid), unknown hashes, batches, GET', async () => {
    const { key, apiKey } = await createKey();
    const texts = [
      `{ households(first: 5) { edges { node { id number members { name idNumber } } } } }`,
      `{ household(id: "9932001") { id number } }`,
      `{ persons(first: 5) { edges { node { name idNumber } } } }`,
      `{ node(id: "Household:9932001") { id } }`,
      `{ __schema { types { name fields { name } } } }`,
      `query { __type(name: "Person") { fields { name } } }`,
      `{ households(`, // does not parse: still the persisted-only refusal, not GRAPHQL_PARSE_FAILED
      PING.document, // the registered text itself, sent as text
    ];
    for (const query of texts) {
      const res = await call(key, { query });
      expect({ query, status: res.status, data: res.body.data, codes: res.body.errors?.map((e: { extensions: { code: string } }) => e.extensions.code) })
        .toEqual({ query, status: 403, data: undefined, codes: ['FORBIDDEN'] });
      expect(await auditOf(res.requestId)).toEqual([expect.objectContaining({
        subject: `apikey:${apiKey.id}`, entity: 'ThirdPartyCall', entityId: sha256(query), outcome: 'forbidden', purpose: expect.stringContaining('refused: query text sent'),
      })]);
    }
    // Text beside a registered hash is refused too.
    const both = await call(key, { ...PING_BODY, query: texts[0] });
    expect(both.status).toBe(403);

    const unknown = [
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(texts[0]) } } },
      { extensions: { persistedQuery: { version: 2, sha256Hash: PING.sha256Hash } } },
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'not-a-hash' } } },
      { documentId: PING.sha256Hash },
      {},
      [PING_BODY, PING_BODY],
    ];
    for (const body of unknown) {
      const res = await call(key, body);
      expect({ body, status: res.status, codes: res.body.errors?.map((e: { extensions: { code: string } }) => e.extensions.code) })
        .toEqual({ body, status: 400, codes: ['PERSISTED_QUERY_NOT_FOUND'] });
      expect(await auditOf(res.requestId)).toEqual([expect.objectContaining({ subject: `apikey:${apiKey.id}`, outcome: 'not_found' })]);
    }

    // A body that is not JSON: refused, audited (the key and rate were checked before it was read).
    const malformed = await request(server.app).post('/graphql').set('content-type', 'application/json').set('authorization', `ApiKey ${key}`).send('{"query": "{ households');
    expect({ status: malformed.status, code: malformed.body.errors?.[0].extensions.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(await auditOf(String(malformed.headers['x-request-id']))).toEqual([expect.objectContaining({ outcome: 'invalid', purpose: expect.stringContaining('malformed JSON body') })]);
    const plain = await request(server.app).post('/graphql').set('content-type', 'text/plain').set('authorization', `ApiKey ${key}`).send('{ households { totalCount } }');
    expect({ status: plain.status, code: plain.body.errors?.[0].extensions.code }).toEqual({ status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' });

    // GET, from a script or a browser: no query runs and no explorer page is served.
    for (const accept of ['application/json', 'text/html']) {
      const res = await request(server.app).get('/graphql').query({ extensions: JSON.stringify(PING_BODY.extensions) }).set('accept', accept).set('authorization', `ApiKey ${key}`);
      expect({ status: res.status, code: res.body.errors?.[0].extensions.code }).toEqual({ status: 405, code: 'BAD_REQUEST' });
      expect(res.text).not.toContain('graphiql');
      expect(await auditOf(String(res.headers['x-request-id']))).toEqual([expect.objectContaining({ outcome: 'forbidden' })]);
    }
    // The other HTTP routes take bearer tokens only.
    const csv = await request(server.app).get('/reports/export.csv').query({ dimensions: 'REGION_TOWNSHIP', metrics: 'HOUSEHOLDS' }).set('authorization', `ApiKey ${key}`);
    expect(csv.status).toBe(401);
  });

  it('rotation: the new key works, the old one is refused at once and audited; revocation: refused at once, audited, never 5xx', async () => {
    const { key: first, apiKey } = await createKey();
    expect((await call(first, PING_BODY)).status).toBe(200);
    const rotated = await gql('mutation ($id: ID!) { rotateApiKey(id: $id) { key apiKey { id version status } } }', { id: apiKey.id }, admin);
    expect(rotated.errors).toBeUndefined();
    const second: string = rotated.data.rotateApiKey.key;
    expect(second.slice(0, 17)).toBe(first.slice(0, 17));
    expect(second).not.toBe(first);
    expect(rotated.data.rotateApiKey.apiKey).toEqual({ id: apiKey.id, version: 2, status: 'ACTIVE' });

    const old = await call(first, PING_BODY);
    expect({ status: old.status, code: old.body.errors?.[0].extensions.code, data: old.body.data }).toEqual({ status: 401, code: 'UNAUTHENTICATED', data: undefined });
    expect(await auditOf(old.requestId)).toEqual([expect.objectContaining({ subject: `apikey:${apiKey.id}`, outcome: 'forbidden', purpose: expect.stringContaining('wrong secret') })]);
    expect((await call(second, PING_BODY)).status).toBe(200);

    const revoked = await gql('mutation ($id: ID!) { revokeApiKey(id: $id) { id status } }', { id: apiKey.id }, admin);
    expect(revoked.data.revokeApiKey).toEqual({ id: apiKey.id, status: 'REVOKED' });
    for (const body of [PING_BODY, { query: '{ households(first: 1) { totalCount } }' }]) {
      const res = await call(second, body);
      expect({ status: res.status, code: res.body.errors?.[0].extensions.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await auditOf(res.requestId)).toEqual([expect.objectContaining({ subject: `apikey:${apiKey.id}`, outcome: 'forbidden', purpose: expect.stringContaining('revoked key') })]);
    }
    const rotateRevoked = await gql('mutation ($id: ID!) { rotateApiKey(id: $id) { key } }', { id: apiKey.id }, admin);
    expect(rotateRevoked.errors?.[0].extensions.code).toBe('CONFLICT');
    // Listed only when asked for revoked keys; both changes audited.
    expect((await gql('{ apiKeys { id } }', {}, admin)).data.apiKeys).not.toContainEqual({ id: apiKey.id });
    expect((await gql('{ apiKeys(includeRevoked: true) { id status } }', {}, admin)).data.apiKeys).toContainEqual({ id: apiKey.id, status: 'REVOKED' });
    const changes = await pg.query(`SELECT fields, outcome FROM audit_record WHERE entity = 'ApiKey' AND entity_id = $1 ORDER BY seq`, [apiKey.id]);
    expect(changes.rows).toEqual([
      { fields: ['organisation', 'catalogEntries', 'ratePerMinute'], outcome: 'success' },
      { fields: ['secret'], outcome: 'success' },
      { fields: ['revokedAt'], outcome: 'success' },
      { fields: ['secret'], outcome: 'conflict' },
    ]);
  });

  it(`a revocation made elsewhere (another instance) takes effect within API_KEY_CACHE_MS (${KEY_CACHE_MS} ms here)`, async () => {
    const { key, apiKey } = await createKey();
    expect((await call(key, PING_BODY)).status).toBe(200);
    await pg.query('UPDATE api_key SET revoked_at = now() WHERE id = $1', [apiKey.id]);
    await new Promise((resolve) => setTimeout(resolve, KEY_CACHE_MS + 50));
    expect((await call(key, PING_BODY)).status).toBe(401);
  });

  it('over its rate a key gets 429 RATE_LIMITED with Retry-After, audited', async () => {
    const { key, apiKey } = await createKey({ ratePerMinute: 3 });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await call(key, PING_BODY);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = last as Awaited<ReturnType<typeof call>>;
    expect(refused.body.errors?.[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 20 });
    expect(refused.retryAfter).toBe('20');
    expect(await auditOf(refused.requestId)).toEqual([expect.objectContaining({ subject: `apikey:${apiKey.id}`, outcome: 'rate_limited' })]);
    // Another key has a bucket of its own.
    expect((await call((await createKey()).key, PING_BODY)).status).toBe(200);
  });

  it('unknown and malformed keys are refused (401); a bearer token claiming third_party is refused', async () => {
    const { key } = await createKey();
    for (const bad of [`hgk_ffffffffffff_${key.slice(17)}`, 'hgk_short', '', `${key} extra`]) {
      const res = await call(bad, PING_BODY);
      expect({ bad, status: res.status, code: res.body.errors?.[0].extensions.code }).toEqual({ bad, status: 401, code: 'UNAUTHENTICATED' });
    }
    const both = await request(server.app).post('/graphql').set('content-type', 'application/json').set('x-api-key', key).set('authorization', admin).send(PING_BODY);
    expect(both.status).toBe(401);
    const forged = await issueToken(TEST_AUTH, { sub: 'ngo', role: Role.THIRD_PARTY, scope: '99' });
    const res = await gql('{ __typename }', {}, `Bearer ${forged}`);
    expect({ status: res.status, code: res.errors?.[0].extensions.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('third parties are HTTP-only: a WebSocket presenting a key is closed', async () => {
    const { key } = await createKey();
    await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
    try {
      const attempts = [
        { connectionParams: { authorization: `ApiKey ${key}` } },
        { connectionParams: { 'X-Api-Key': key } },
        { connectionParams: {}, headers: { 'x-api-key': key } },
      ];
      for (const attempt of attempts) {
        const client = createClient({
          url, retryAttempts: 0, lazy: true, connectionParams: attempt.connectionParams,
          webSocketImpl: class extends WebSocket { constructor(address: string, protocols?: string | string[]) { super(address, protocols, { headers: attempt.headers ?? {} })} },
        });
        const outcome = await new Promise<{ code?: number; data?: unknown }>((resolve) => {
          client.subscribe({ query: '{ __typename }' }, { next: (v) => resolve({ data: v.data }), error: (err) => resolve({ code: (err as { code: number }).code }), complete: () => undefined });
        });
        await client.dispose();
        expect({ attempt, outcome }).toEqual({ attempt, outcome: { code: 4403 } });
      }
    } finally {
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  });

  it('a third party reaches no household, person, region or key even through a registered document: its one permission refuses them', async () => {
    // A server whose manifest (unlike the committed one, which its generator would refuse to
    // write) registers documents over staff data: the permission layer behind the gate holds.
    const snoops: Record<string, string> = {
      Snoop: 'query Snoop { households(first: 5) { totalCount edges { node { id number members { name idNumber } } } } }',
      SnoopPersons: 'query SnoopPersons { persons(first: 5) { edges { node { name idNumber } } } }',
      SnoopHousehold: 'query SnoopHousehold { household(id: "9932001") { id number } }',
      SnoopRegion: `query SnoopRegion { region(code: "${COUNTY}") { name summary { householdsByStatus { households } } } }`,
      SnoopKeys: 'query SnoopKeys { apiKeys { id organisation } }',
      SnoopSchema: 'query SnoopSchema { __schema { types { name } } }',
    };
    const operations = new Map(Object.entries(snoops).map(([name, document]) => [sha256(document), { sha256Hash: sha256(document), operationName: name, file: 'test', document }]));
    const wide = await createServer({
      dataSource, verifier: await TokenVerifier.create(TEST_AUTH), logger: pino({ level: 'silent' }), config: { EXPOSE_SQL_COUNT: false }, thirdPartyOperations: operations,
    });
    try {
      const { key, apiKey } = await createKey();
      for (const [name, document] of Object.entries(snoops)) {
        const res = await request(wide.app).post('/graphql').set('content-type', 'application/json').set('authorization', `ApiKey ${key}`)
          .send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(document) } } });
        expect({ name, status: res.status < 500, data: res.body.data ?? null, codes: res.body.errors?.map((e: { extensions: { code: string } }) => e.extensions.code) })
          .toEqual({ name, status: true, data: null, codes: ['FORBIDDEN'] });
        expect(await auditOf(String(res.headers['x-request-id']))).toEqual([expect.objectContaining({
          subject: `apikey:${apiKey.id}`, entityId: sha256(document), fields: [name], outcome: 'forbidden', purpose: expect.stringContaining('answered with FORBIDDEN'),
        })]);
      }
    } finally {
      await wide.close();
    }
  });

  it('variables that are not an object are refused and audited', async () => {
    const { key } = await createKey();
    const res = await call(key, { ...PING_BODY, variables: 'x' });
    expect({ status: res.status, code: res.body.errors?.[0].extensions.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(await auditOf(res.requestId)).toEqual([expect.objectContaining({ entityId: PING.sha256Hash, outcome: 'invalid' })]);
  });

  it('the key list is one SQL statement however many keys there are', async () => {
    await createKey();
    await createKey();
    const res = await request(server.app).post('/graphql').set('content-type', 'application/json').set('authorization', admin)
      .send({ query: '{ apiKeys(includeRevoked: true) { id organisation catalogEntries status } }' });
    expect(res.body.data.apiKeys.length).toBeGreaterThan(5);
    expect(res.headers['x-sql-statements']).toBe('1');
  });

  it('publishes the registered operations at GET /third-party/operations.json, as committed', async () => {
    const res = await request(server.app).get('/third-party/operations.json');
    expect(res.status).toBe(200);
    const committed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schema/third-party-operations.json'), 'utf8'));
    expect(res.body).toEqual(committed);
    for (const op of res.body.operations) expect(sha256(op.document)).toBe(op.sha256Hash);
  });

  it('no key secret reaches the log', () => {
    const text = logLines.join('');
    expect(text.length).toBeGreaterThan(0);
    const secrets = text.match(/hgk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/g);
    expect(secrets).toBeNull();
  });
});
