import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import type { FacetDeclaration } from '../../src/core/facet-declaration';
import { FACETS } from '../../src/modules/facets';
import { bearer } from '../support/app';
import { sampleInput } from '../support/facet-samples';
import { buildImportCounty, personsOf, startImportApp, type ImportApp } from '../support/import-world';

// Every kind round-trips (issue 8, "Tests that prove it"): export a county's records of a kind,
// empty the county of them, import the export — the records come back identical (every stored
// field, on the same parents). Driven from FACETS, so a new facet is covered by its declaration;
// every other kind goes through GBK with Chinese headers. Records are made by each kind's own
// create mutation. County 996631 (households from
// 6_730_001).

const C = '996631';
/** Create mutations of importable kinds whose writes are hand-written (same argument shape). */
const CUSTOM_CREATE: Record<string, { name: string; inputName: string }> = {
  'dibao-enrolment': { name: 'createDibaoEnrolment', inputName: 'CreateDibaoEnrolmentInput' },
};
const importable = (f: FacetDeclaration) => f.importable ?? f.mutations !== 'custom';

describe('export, then import into an emptied county, gives the same records', () => {
  let app: ImportApp;
  let pg: Client;
  let persons: Array<{ id: string }>;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildImportCounty(url, C, 6_730_000);
    pg = new Client({ connectionString: url });
    await pg.connect();
    // Heads of household (ids h*10+1, adults: departments that serve no minors export no
    // minor's ID number), one per household.
    persons = (await personsOf(pg, C)).filter((p) => p.id.endsWith('1'));
    app = await startImportApp();
  });
  afterAll(async () => {
    await app?.stop();
    await pg?.end();
  });

  /** The county's records of `facet`: parent and every stored field, in a stable order. */
  const recordsOf = async (facet: FacetDeclaration) => {
    const columns = facet.fields.filter((f) => !f.computed).map((f) => `f.${f.column}::text AS "${f.name}"`);
    const rows = await pg.query(
      `SELECT f.household_id::text AS "householdId", ${facet.parent === 'person' ? 'f.person_id::text' : 'NULL'} AS "personId", ${columns.join(', ')}
         FROM ${facet.table} f WHERE f.county_code = $1`, [C]);
    return rows.rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  };

  const kinds = FACETS.filter(importable);

  it('covers every importable kind', () => {
    expect(kinds.length).toBeGreaterThanOrEqual(12);
  });

  it.each(kinds.map((f, i) => [f.kind, f, i % 2 === 1] as const))('%s', async (_kind, facet, gbk) => {
    // Two records on two parents (two heads of household, or their two households), written through the kind's own create mutation.
    await pg.query(`DELETE FROM ${facet.table} WHERE county_code = $1`, [C]);
    const officer = await bearer({ role: Role.OFFICER, department: facet.department, scope: C, sub: `round-trip-${facet.department}` });
    const create = facet.mutations === 'custom' ? CUSTOM_CREATE[facet.kind] : facet.mutations.create;
    if (!create) throw new Error(`${facet.kind}: importable, with hand-written mutations this test does not know; add it to CUSTOM_CREATE`);
    const parentArg = facet.parent === 'person' ? 'personId' : 'householdId';
    for (const person of persons.slice(0, 2)) {
      const created = await app.gql(
        `mutation ($p: ID!, $input: ${create.inputName}!) { ${create.name}(${parentArg}: $p, input: $input) { id } }`,
        { p: facet.parent === 'person' ? person.id : person.id.slice(0, -1), input: sampleInput(facet) }, officer);
      expect({ kind: facet.kind, errors: created.errors }).toEqual({ kind: facet.kind, errors: undefined });
    }
    const before = await recordsOf(facet);
    expect(before).toHaveLength(2);

    const query = new URLSearchParams({ purpose: '往返核对 round-trip check', ...(gbk ? { encoding: 'gbk', header: 'zh' } : {}) });
    const exported = await app.get(`/exports/${facet.department}/${facet.kind}?${query.toString()}`, officer);
    expect({ kind: facet.kind, status: exported.status, rows: exported.headers['x-row-count'] }).toEqual({ kind: facet.kind, status: 200, rows: '2' });

    await pg.query(`DELETE FROM ${facet.table} WHERE county_code = $1`, [C]);
    const imported = await app.post(exported.body as Buffer, { batchKey: `round-trip-${facet.kind}` }, {
      auth: officer, path: `/imports/${facet.department}/${facet.kind}`, contentType: gbk ? 'text/csv; charset=gbk' : 'text/csv',
    });
    expect({ kind: facet.kind, status: imported.status, rejects: imported.body.rejects ?? [] }).toEqual({ kind: facet.kind, status: 200, rejects: [] });
    expect(imported.body.batch.inserted).toBe(2);
    expect(await recordsOf(facet)).toEqual(before);
  });
});
