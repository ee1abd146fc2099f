import 'reflect-metadata';
import pino from 'pino';
import { Client } from 'pg';
import request from 'supertest';
import { dataSource } from '../../ormconfig';
import { Role, TokenVerifier } from '../../src/core/auth';
import { makeIdNumber } from '../../src/core/id-number';
import { createServer, type AppServer } from '../../src/core/server';
import { Department } from '../../src/core/vocab';
import { bearer, TEST_AUTH } from './app';
import { buildCounty, seedOnce } from './fixtures';

// Fixtures of the import tests: counties whose persons carry valid (checksummed) ID numbers,
// a server with small import limits, and a way to post CSV bodies.

/** Builds `county` (2 townships × `villages` villages × `households`) and gives its persons valid ID numbers. */
export async function buildImportCounty(url: string, county: string, idBase: number, size = { villages: 1, households: 4 }): Promise<void> {
  await buildCounty(url, { county, townships: 2, villagesPerTownship: size.villages, householdsPerVillage: size.households, idBase });
  await giveValidIdNumbers(url, county);
}

/**
 * The fixture's ID numbers are padded ids without a checksum: each person of `county` gets a
 * valid one instead (county code, birth date, a sequence per birth date, check character).
 */
export async function giveValidIdNumbers(url: string, county: string): Promise<void> {
  await seedOnce(url, `import-ids-${county}`, { sql: `SELECT 1 FROM person WHERE county_code = $1 AND id_number LIKE $1 || '%'`, params: [county] }, async (client) => {
    const persons = await client.query<{ id: string; birth: string; seq: number }>(
      `SELECT id::text, to_char(birth_date, 'YYYY-MM-DD') AS birth, (row_number() OVER (PARTITION BY birth_date ORDER BY id))::int AS seq FROM person WHERE county_code = $1`, [county]);
    await client.query('UPDATE person p SET id_number = u.n FROM unnest($1::bigint[], $2::text[]) u(id, n) WHERE p.id = u.id', [
      persons.rows.map((p) => p.id), persons.rows.map((p) => makeIdNumber(county, p.birth, p.seq))]);
  });
}

/** Persons of a county with their ID numbers, in id order. */
export async function personsOf(pg: Client, county: string): Promise<Array<{ id: string; idNumber: string; villageCode: string }>> {
  const r = await pg.query(`SELECT id::text, id_number AS "idNumber", village_code AS "villageCode" FROM person WHERE county_code = $1 ORDER BY id`, [county]);
  return r.rows;
}

export const healthOfficer = (scope: string, sub = `imp-health-${scope}`) => bearer({ role: Role.OFFICER, department: Department.HEALTH, scope, sub });

export interface ImportApp {
  server: AppServer;
  /** POSTs a CSV body to /imports/health/insurance-enrolment (or `path`). */
  post: (body: string | Buffer, query: Record<string, string>, opts?: { auth?: string; path?: string; contentType?: string }) => Promise<request.Response>;
  /** A GraphQL request as `auth`. */
  gql: (query: string, variables: Record<string, unknown>, auth: string) => Promise<{ data: any; errors?: Array<{ message: string; extensions: Record<string, any> }> }>;
  stop: () => Promise<void>;
}

/** The real server with small import limits (tests of the limits use them). */
export async function startImportApp(config: { IMPORT_MAX_BYTES?: number; IMPORT_MAX_ROWS?: number; IMPORT_MAX_JSON_ROWS?: number } = {}): Promise<ImportApp> {
  const url = process.env.TEST_APP_DATABASE_URL;
  if (!url) throw new Error('TEST_APP_DATABASE_URL is not set: run the tests through jest (global setup)');
  dataSource.setOptions({ url });
  if (!dataSource.isInitialized) await dataSource.initialize();
  const verifier = await TokenVerifier.create(TEST_AUTH);
  const server = await createServer({ dataSource, verifier, config: { EXPOSE_SQL_COUNT: true, ...config }, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const post: ImportApp['post'] = async (body, query, opts = {}) => {
    const qs = new URLSearchParams(query).toString();
    const req = request(server.app).post(`${opts.path ?? '/imports/health/insurance-enrolment'}?${qs}`).set('content-type', opts.contentType ?? 'text/csv');
    if (opts.auth !== '') req.set('authorization', opts.auth ?? (await healthOfficer('996601')));
    return req.send(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
  };
  const gql: ImportApp['gql'] = async (query, variables, auth) => {
    const res = await request(server.app).post('/graphql').set('content-type', 'application/json').set('authorization', auth).send({ query, variables });
    return res.body;
  };
  return { server, post, gql, stop: async () => { await server.close(); await dataSource.destroy(); } };
}
