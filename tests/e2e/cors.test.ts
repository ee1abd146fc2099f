import pino from 'pino';
import request from 'supertest';
import { dataSource } from '../../ormconfig';
import { TokenVerifier } from '../../src/core/auth';
import { loadConfig } from '../../src/core/config';
import { createServer, type AppServer } from '../../src/core/server';
import { bearer, TEST_AUTH } from '../support/app';

// A departmental frontend on its own origin (issue 10 §2): its preflight and its POST pass when
// the origin is listed in CORS_ORIGINS; any other origin gets no CORS headers (the browser keeps
// the answer from the page), and Apollo's CSRF prevention still refuses simple cross-site
// requests. No fixture data: the queries read only __typename.

const ALLOWED = 'https://dibao.example.gov.cn';
const REFUSED = 'https://evil.example.com';

describe('CORS for departmental frontends', () => {
  let server: AppServer;

  beforeAll(async () => {
    dataSource.setOptions({ url: process.env.TEST_APP_DATABASE_URL as string });
    if (!dataSource.isInitialized) await dataSource.initialize();
    const config = loadConfig({ ...TEST_AUTH, DATABASE_URL: 'postgres://x@127.0.0.1/x', CORS_ORIGINS: `${ALLOWED}, https://jiaoyu.example.gov.cn:8443` });
    server = await createServer({ dataSource, verifier: await TokenVerifier.create(TEST_AUTH), config: { EXPOSE_SQL_COUNT: false, CORS_ORIGINS: config.CORS_ORIGINS }, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await server?.close();
    await dataSource.destroy();
  });

  const preflight = (origin: string) =>
    request(server.app)
      .options('/graphql')
      .set('origin', origin)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization, content-type');

  it('answers a preflight from a listed origin, echoing that origin only', async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers']).toMatch(/authorization/);
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('refuses a preflight from any other origin, with no CORS headers', async () => {
    const res = await preflight(REFUSED);
    expect(res.status).toBe(403);
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets a credentialed POST from a listed origin read its answer', async () => {
    const res = await request(server.app)
      .post('/graphql')
      .set('origin', ALLOWED)
      .set('authorization', await bearer())
      .set('content-type', 'application/json')
      .send({ query: '{ __typename }' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ __typename: 'Query' });
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toMatch(/x-request-id/);
  });

  it('gives a POST from another origin no CORS headers, so the browser keeps the answer from the page', async () => {
    const res = await request(server.app)
      .post('/graphql')
      .set('origin', REFUSED)
      .set('authorization', await bearer())
      .set('content-type', 'application/json')
      .send({ query: '{ __typename }' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps CSRF prevention for simple cross-site requests, from listed origins too', async () => {
    for (const origin of [ALLOWED, REFUSED]) {
      const res = await request(server.app).get('/graphql').query({ query: 'mutation { __typename }' }).set('origin', origin);
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/CSRF|preflight/i);
    }
  });

  it('is off unless configured, and refuses wildcards and paths', () => {
    expect(loadConfig({ ...TEST_AUTH }).CORS_ORIGINS).toEqual([]);
    for (const bad of ['*', 'https://a.example/path', 'dibao.example.gov.cn', 'ftp://a.example']) {
      expect(() => loadConfig({ ...TEST_AUTH, CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
    }
  });
});
