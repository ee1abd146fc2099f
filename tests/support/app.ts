import 'reflect-metadata';
import pino from 'pino';
import request from 'supertest';
import { dataSource } from '../../ormconfig';
import { issueToken, Role, TokenVerifier } from '../../src/core/auth';
import { createServer, AppServer } from '../../src/core/server';
import type { Department } from '../../src/core/vocab';

/** Token settings of the test run: a fixed secret, so tokens are reproducible. */
export const TEST_AUTH = {
  AUTH_JWT_SECRET: 'test-secret-household-graph-0123456789abcdef',
  AUTH_ISSUER: 'household-graph',
  AUTH_AUDIENCE: 'household-graph',
  DATA_DIR: '/nonexistent',
};

/** A bearer header for a principal. Default: a coordinator over the fixture province 99. */
export async function bearer(claims: { role?: Role; department?: Department | null; scope?: string; sub?: string; expiresIn?: string } = {}): Promise<string> {
  const token = await issueToken(
    TEST_AUTH,
    { sub: claims.sub ?? `test-${claims.role ?? 'coordinator'}`, role: claims.role ?? Role.COORDINATOR, department: claims.department, scope: claims.scope ?? '99' },
    claims.expiresIn ?? '1h',
  );
  return `Bearer ${token}`;
}

/** A GraphQL response as tests see it, with the number of SQL statements it cost. */
export interface GqlResult<T = Record<string, any>> {
  status: number;
  data: T;
  errors?: Array<{ message: string; extensions?: Record<string, any>; path?: Array<string | number> }>;
  sqlStatements: number;
  /** The server's id for the request (x-request-id): the one audit records and logs carry. */
  requestId: string;
}

/**
 * Starts the real server (HTTP) on the test database; one per test file. It connects as the
 * app's restricted role (household_graph_runtime, a member of household_graph_app), as the
 * server does: fixtures and admin checks use TEST_DATABASE_URL, the owner. `url`: another
 * database's app-role URL.
 */
export async function startApp(opts: { url?: string } = {}): Promise<{ server: AppServer; gql: <T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<GqlResult<T>>; stop: () => Promise<void> }> {
  const url = opts.url ?? process.env.TEST_APP_DATABASE_URL;
  if (!url) throw new Error('TEST_APP_DATABASE_URL is not set: run the tests through jest (global setup)');
  dataSource.setOptions({ url });
  if (!dataSource.isInitialized) await dataSource.initialize();
  const verifier = await TokenVerifier.create(TEST_AUTH);
  const server = await createServer({ dataSource, verifier, config: { EXPOSE_SQL_COUNT: true }, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const defaultAuth = await bearer();
  // `headers.authorization` overrides the default coordinator; '' sends no Authorization at all.
  const gql = async <T,>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const { authorization = defaultAuth, ...rest } = headers;
    const req = request(server.app).post('/graphql').set('content-type', 'application/json').set(rest);
    if (authorization) req.set('authorization', authorization);
    const res = await req.send({ query, variables });
    return {
      status: res.status,
      data: res.body.data as T,
      errors: res.body.errors,
      sqlStatements: Number(res.headers['x-sql-statements'] ?? NaN),
      requestId: String(res.headers['x-request-id']),
    };
  };
  return {
    server,
    gql,
    stop: async () => {
      await server.close();
      await dataSource.destroy();
    },
  };
}
