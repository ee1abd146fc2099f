import { Client } from 'pg';
import { buildImportCounty, healthOfficer, personsOf, startImportApp, type ImportApp } from '../support/import-world';

// One write pipeline, whatever the transport (issue 8 §2): a GraphQL mutation and an import row
// that make the same change leave the same change event (entity, kind, department, household,
// person, region, field names) and the same per-record accountability — the mutation's audit
// record, the import's row change under the batch's one audit record (entity id, kind of change,
// fields). County 996621 (households from 6_720_001); persons [0] and [1] get the same changes,
// one through each transport.

const C = '996621';
const YEAR = 2025;

const CREATE = `mutation ($p: ID!, $input: CreateInsuranceEnrolmentInput!) { createInsuranceEnrolment(personId: $p, input: $input) { id version } }`;
const UPDATE = `mutation ($id: ID!, $v: Int!, $input: UpdateInsuranceEnrolmentInput!) { updateInsuranceEnrolment(id: $id, version: $v, input: $input) { id version } }`;

interface EventRow { entity: string; entity_id: string; household_id: string; person_id: string | null; region_code: string; department: string; kind: string; fields: string[]; actor: string; batch_id: string | null }

describe('a GraphQL mutation and an import row that make the same change', () => {
  let app: ImportApp;
  let pg: Client;
  let persons: Array<{ id: string; idNumber: string; villageCode: string }>;
  let auth: string;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildImportCounty(url, C, 6_720_000);
    pg = new Client({ connectionString: url });
    await pg.connect();
    persons = await personsOf(pg, C);
    auth = await healthOfficer(C, 'parity-officer');
    app = await startImportApp();
  });
  afterAll(async () => {
    await app?.stop();
    await pg?.end();
  });

  const eventOf = async (entityId: string, kind: string): Promise<EventRow> => {
    const rows = (await pg.query<EventRow>(
      `SELECT entity, entity_id, household_id::text, person_id::text, region_code, department::text, kind, fields, actor, batch_id::text
         FROM change_event WHERE entity_id = $1 AND entity = 'InsuranceEnrolment' AND kind = $2`, [entityId, kind])).rows;
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  /** What an event says about the change, without who/which record/which transport. */
  const change = (e: EventRow, person: { id: string; villageCode: string }) => {
    expect(e.person_id).toBe(person.id);
    expect(e.region_code).toBe(person.villageCode);
    expect(e.household_id).toBe(person.id.slice(0, -1));
    return { entity: e.entity, kind: e.kind, department: e.department, fields: [...e.fields].sort(), actor: e.actor };
  };
  const importRows = async (rows: string[], batchKey: string) => {
    const res = await app.post(`idNumber,year,scheme,premium,subsidy\n${rows.join('\n')}\n`, { batchKey }, { auth });
    expect(res.status).toBe(200);
    return res.body.batch as { id: string; inserted: number; updated: number };
  };
  const rowChangesOf = async (batchId: string) =>
    (await pg.query(`SELECT entity_id::text, change, fields FROM import_row_change WHERE batch_id = $1 ORDER BY row_number`, [batchId])).rows;
  const auditOf = async (entityId: string, action: string) =>
    (await pg.query(`SELECT action, entity, entity_id, fields, outcome, subject FROM audit_record WHERE entity = 'InsuranceEnrolment' AND entity_id = $1 AND action = $2`, [entityId, action])).rows;

  it('records a create alike: one event each, the same fields; the audit record and the row change name the same record and fields', async () => {
    const [a, b] = persons;
    const created = await app.gql(CREATE, { p: a.id, input: { year: YEAR, scheme: 'RESIDENT', premium: 380, subsidy: 200 } }, auth);
    expect(created.errors).toBeUndefined();
    const viaGraphql = created.data.createInsuranceEnrolment.id as string;
    const batch = await importRows([`${b.idNumber},${YEAR},resident,380,200`], 'parity-create');
    expect(batch.inserted).toBe(1);
    const [rowChange] = await rowChangesOf(batch.id);
    const viaImport = rowChange.entity_id as string;

    const g = await eventOf(viaGraphql, 'create');
    const i = await eventOf(viaImport, 'create');
    expect(change(i, b)).toEqual(change(g, a));
    expect(g.batch_id).toBeNull();
    expect(i.batch_id).toBe(batch.id);

    const [audit] = await auditOf(viaGraphql, 'create');
    expect(audit).toMatchObject({ outcome: 'success', subject: 'parity-officer' });
    expect({ change: rowChange.change, fields: [...rowChange.fields].sort() }).toEqual({ change: 'insert', fields: [...audit.fields].sort() });
    // The import's accountability is its batch's one audit record, which names the batch.
    const batchAudit = (await pg.query(`SELECT outcome, subject FROM audit_record WHERE entity = 'ImportBatch' AND entity_id = $1`, [batch.id])).rows;
    expect(batchAudit).toEqual([{ outcome: 'success', subject: 'parity-officer' }]);
  });

  it('records an update alike: only the changed field is named, by both', async () => {
    const [a, b] = persons;
    const record = (await pg.query(`SELECT id::text, version FROM insurance_enrolment WHERE person_id = $1 AND year = $2`, [a.id, YEAR])).rows[0];
    const updated = await app.gql(UPDATE, { id: record.id, v: record.version, input: { premium: 400 } }, auth);
    expect(updated.errors).toBeUndefined();
    const batch = await importRows([`${b.idNumber},${YEAR},resident,400,200`], 'parity-update');
    expect(batch.updated).toBe(1);
    const [rowChange] = await rowChangesOf(batch.id);

    const g = await eventOf(record.id, 'update');
    const i = await eventOf(rowChange.entity_id, 'update');
    expect(change(i, b)).toEqual(change(g, a));
    expect(g.fields).toEqual(['premium']);

    const [audit] = await auditOf(record.id, 'update');
    expect({ change: rowChange.change, fields: rowChange.fields }).toEqual({ change: 'update', fields: audit.fields });
    // And the two records now hold the same values.
    const values = (await pg.query(`SELECT person_id::text, premium::text, subsidy::text, scheme::text, version FROM insurance_enrolment WHERE person_id = ANY($1::bigint[]) AND year = $2 ORDER BY person_id`, [[a.id, b.id], YEAR])).rows;
    expect(values.map(({ premium, subsidy, scheme, version }) => ({ premium, subsidy, scheme, version }))).toEqual([
      { premium: '400.00', subsidy: '200.00', scheme: 'resident', version: 2 },
      { premium: '400.00', subsidy: '200.00', scheme: 'resident', version: 2 },
    ]);
  });

  it('refuses the same bad change alike, and neither writes an event', async () => {
    const [, , c] = persons;
    const before = (await pg.query(`SELECT count(*)::int AS n FROM change_event WHERE person_id = $1`, [c.id])).rows[0].n;
    const refused = await app.gql(CREATE, { p: c.id, input: { year: YEAR, scheme: 'RESIDENT', premium: 100, subsidy: 150 } }, auth);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.subsidy' });
    const res = await app.post(`idNumber,year,scheme,premium,subsidy\n${c.idNumber},${YEAR},resident,100,150\n`, { batchKey: 'parity-refused' }, { auth });
    expect(res.status).toBe(422);
    expect(res.body.rejects).toEqual([expect.objectContaining({ column: 'subsidy', code: 'RULE' })]);
    expect((await pg.query(`SELECT count(*)::int AS n FROM change_event WHERE person_id = $1`, [c.id])).rows[0].n).toBe(before);
  });
});
