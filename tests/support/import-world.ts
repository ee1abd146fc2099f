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

/** Builds `county` and gives each of its persons a valid ID number: county code, birth date, a sequence from the id. */
export async function buildImportCounty(url: string, county: string, idBase: number): Promise<void> {
  await buildCounty(url, { county, townships: 2, villagesPerTownship: 1, householdsPerVillage: 4, idBase });
  await seedOnce(url, `import-ids-${county}`, { sql: `SELECT 1 FROM person WHERE county_code = $1 AND id_number LIKE $1 || '%'`, params: [county] }, async (client) => {
    const persons = await client.query<{ id: string; birth: string }>(`SELECT id::text, to_char(birth_date, 'YYYY-MM-DD') AS birth FROM person WHERE county_code = $1`, [county]);
    for (const p of persons.rows) {
      await client.query('UPDATE person SET id_number = $2 WHERE id = $1', [p.id, makeIdNumber(county, p.birth, Number(p.id) % 1000)]);
    }
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
  stop: () => Promise<void>;
}

/** The real server with small import limits (tests of the limits use them). */
export async function startImportApp(config: { IMPORT_MAX_BYTES?: number; IMPORT_MAX_ROWS?: number } = {}): Promise<ImportApp> {
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
  return { server, post, stop: async () => { await server.close(); await dataSource.destroy(); } };
}
