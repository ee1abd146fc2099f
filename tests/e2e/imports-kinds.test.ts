import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { columnSpecOf, type FacetFieldType } from '../../src/core/facet-declaration';
import { FACETS } from '../../src/modules/facets';
import { bearer } from '../support/app';
import { buildImportCounty, personsOf, startImportApp, type ImportApp } from '../support/import-world';

// Every declared kind goes through the import engine (its staging table, casts, parent match,
// natural key and upsert are generated from the declaration): one row of plain sample values per
// kind, imported twice under two batch keys by an officer of the owner department. County 996608.

const C = '996608';

/** A value of each type that the type alone accepts (a facet's own rule may still refuse the row). */
function sample(type: FacetFieldType | { kind: 'idNumber' } | { kind: 'householdNumber' }): string {
  switch (type.kind) {
    case 'text': return '测试';
    case 'int': return String(Math.max(type.min, Math.min(1, type.max)));
    case 'year': return '2024';
    case 'money': return String(Math.max(type.min, Math.min(100, type.max)));
    case 'date': return '2024-01-01';
    case 'enum': return Object.values(type.values)[0];
    case 'boolean': return 'true';
    default: return '';
  }
}

describe('every declared kind imports (issue 8 §1, §3)', () => {
  let app: ImportApp;
  let pg: Client;
  let person: string;
  let household: string;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildImportCounty(url, C, 6_680_000);
    pg = new Client({ connectionString: url });
    await pg.connect();
    person = (await personsOf(pg, C))[0].idNumber;
    household = (await pg.query(`SELECT number FROM household WHERE county_code = $1 ORDER BY id LIMIT 1`, [C])).rows[0].number;
    app = await startImportApp();
  });
  afterAll(async () => {
    await app?.stop();
    await pg?.end();
  });

  it('runs each kind’s generated SQL: a row is inserted, or rejected by the facet’s own rule; a second batch finds it', async () => {
    expect(FACETS.length).toBeGreaterThan(0);
    const outcomes: Record<string, string> = {};
    for (const facet of FACETS) {
      const spec = columnSpecOf(facet);
      const row = spec.map((c, i) => (i === 0 ? (facet.parent === 'person' ? person : household) : sample(c.type)));
      const body = `${spec.map((c) => c.header).join(',')}\n${row.join(',')}\n`;
      const auth = await bearer({ role: Role.OFFICER, department: facet.department, scope: C, sub: `kinds-${facet.department}` });
      const first = await app.post(body, { batchKey: `kinds-${facet.kind}-1`, mode: 'apply-valid' }, { auth, path: `/imports/${facet.department}/${facet.kind}` });
      expect({ kind: facet.kind, status: first.status }).toEqual({ kind: facet.kind, status: 200 });
      const b = first.body.batch;
      expect({ kind: facet.kind, sum: b.inserted + b.updated + b.unchanged + b.rejected }).toEqual({ kind: facet.kind, sum: 1 });
      if (b.rejected) {
        // Only the facet's own rules may refuse sample values that each type accepts.
        expect({ kind: facet.kind, codes: first.body.rejects.map((r: { code: string }) => r.code) }).toEqual({ kind: facet.kind, codes: first.body.rejects.map(() => 'RULE') });
        outcomes[facet.kind] = 'rule';
        continue;
      }
      const second = await app.post(body, { batchKey: `kinds-${facet.kind}-2`, mode: 'apply-valid' }, { auth, path: `/imports/${facet.department}/${facet.kind}` });
      expect({ kind: facet.kind, status: second.status }).toEqual({ kind: facet.kind, status: 200 });
      const again = second.body.batch;
      expect({ kind: facet.kind, again: facet.naturalKey.length ? again.unchanged : again.inserted }).toEqual({ kind: facet.kind, again: 1 });
      outcomes[facet.kind] = facet.naturalKey.length ? 'inserted, then unchanged' : 'inserted twice';
    }
    // Most kinds take plain values; print which ones a rule refused, for the reader.
    expect(Object.values(outcomes).filter((o) => o !== 'rule').length).toBeGreaterThan(FACETS.length / 2);
  });
});
