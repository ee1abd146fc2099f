import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import type { FacetDeclaration, FacetField } from '../../src/core/facet-declaration';
import { Department } from '../../src/core/vocab';
import { FACETS } from '../../src/modules/facets';
import { bearer, startApp, type GqlResult } from '../support/app';
import { badValues, sampleInput, samplePatch, sampleValue } from '../support/facet-samples';
import { buildCounty } from '../support/fixtures';

// Every declared facet with derived mutations (modules/facets.ts), driven from its declaration:
// a facet declared tomorrow is covered here with no new line. County 991701: two townships, one
// village each, two households per village (9170001–9170004); household h has members h*10+1,
// h*10+2 and h*10+3 (child). County 991702 (households 9930001–…) is outside the callers' scope.

const A = '991701';
const B = '991702';
const HOUSEHOLD = '9170002';
const PERSON = '91700023';
const FOREIGN_HOUSEHOLD = '9930002';
const FOREIGN_PERSON = '99300023';

const DECLARED = FACETS.filter((f) => f.mutations !== 'custom');
const officer = (department: Department, scope = A) => bearer({ role: Role.OFFICER, department, scope, sub: `df-${department}-${scope}` });
const otherDepartment = (d: Department) => (d === Department.HOUSING ? Department.EDUCATION : Department.HOUSING);

/** The selection of a facet's record: ids and every declared field. */
const selection = (facet: FacetDeclaration) => ['id', 'version', 'householdId', ...(facet.parent === 'person' ? ['personId'] : []), ...facet.fields.map((f) => f.name)].join(' ');

function mutations(facet: FacetDeclaration) {
  if (facet.mutations === 'custom') throw new Error('custom');
  const { create, update, end } = facet.mutations;
  const parentArg = facet.parent === 'person' ? 'personId' : 'householdId';
  const sel = selection(facet);
  return {
    create: `mutation ($p: ID!, $input: ${create.inputName}!) { ${create.name}(${parentArg}: $p, input: $input) { ${sel} } }`,
    update: update && `mutation ($id: ID!, $v: Int!, $input: ${update.inputName}!) { ${update.name}(id: $id, version: $v, input: $input) { ${sel} } }`,
    end: end && `mutation ($id: ID!, $v: Int!, $input: ${end.inputName}!) { ${end.name}(id: $id, version: $v, input: $input) { ${sel} } }`,
    endField: end && (facet.fields.find((f) => f.name === end.dateField) as FacetField),
    parent: (foreign = false) => (facet.parent === 'person' ? (foreign ? FOREIGN_PERSON : PERSON) : foreign ? FOREIGN_HOUSEHOLD : HOUSEHOLD),
  };
}

describe('declared facets: derived create, read, update, end (issue 8 §1)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;
  let seq = 0;
  let today = '';

  const run = async (doc: string, variables: Record<string, unknown>, authorization: Promise<string> | string) =>
    app.gql(doc, variables, { authorization: await authorization, 'x-request-id': `df-${++seq}` });
  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return Object.values(r.data)[0] as Record<string, any>;
  };
  const code = (r: GqlResult) => r.errors?.[0].extensions?.code;
  const sql = async (text: string, params: unknown[] = []) => (await pg.query(text, params)).rows;
  const row = async (table: string, id: string) => (await sql(`SELECT * FROM ${table} WHERE id = $1`, [id]))[0];
  const count = async (table: string) => Number((await sql(`SELECT count(*) FROM ${table} WHERE county_code IN ($1, $2)`, [A, B]))[0].count);
  const audit = (requestId: string) => sql('SELECT action, entity, entity_id, outcome FROM audit_record WHERE request_id = $1 ORDER BY seq', [requestId]);

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: A, townships: 2, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_170_000 });
    await buildCounty(url, { county: B, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_930_000 });
    app = await startApp();
    pg = new Client({ connectionString: url });
    await pg.connect();
    today = (await sql(`SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS d`))[0].d;
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  it('declares at least the seven facets that had no writes', () => {
    expect(DECLARED.map((f) => f.kind)).toEqual(expect.arrayContaining([
      'extreme-poverty-support', 'left-behind-record', 'disability-subsidy', 'health-condition', 'family-doctor-contract', 'student-aid', 'yulu-training',
    ]));
  });

  describe.each(DECLARED.map((f) => [f.kind, f] as const))('%s', (_kind, facet) => {
    const m = mutations(facet);
    const own = () => officer(facet.department);

    it('is created, read back on the household card, refused on a stale version, updated and ended', async () => {
      const input = sampleInput(facet);
      const created = await run(m.create, { p: m.parent(), input }, own());
      const record = ok(created);
      expect(record).toMatchObject({ version: 1, householdId: HOUSEHOLD, ...input });
      if (facet.parent === 'person') expect(record.personId).toBe(PERSON);
      const audited = await audit(created.requestId);
      expect(audited.filter((a) => a.action !== 'read')).toEqual([{ action: 'create', entity: facet.typeName, entity_id: record.id, outcome: 'success' }]);
      // Clinical detail handed back in the answer is a read of it, audited per field.
      const clinical = facet.fields.filter((f) => f.privacy === 'clinical').length;
      expect(audited.filter((a) => a.action === 'read')).toHaveLength(clinical);

      // On the household card, through the edge the declaration names.
      const card = facet.parent === 'person'
        ? `{ household(id: "${HOUSEHOLD}") { members { id: databaseId ${facet.edge.field} { id version } } } }`
        : `{ household(id: "${HOUSEHOLD}") { ${facet.edge.field} { id version } } }`;
      const read = await app.gql(card, {}, { authorization: await own() });
      expect(read.errors).toBeUndefined();
      const list = facet.parent === 'person'
        ? read.data.household.members.find((p: { id: string }) => p.id === PERSON)[facet.edge.field]
        : read.data.household[facet.edge.field];
      expect(list).toContainEqual({ id: record.id, version: 1 });

      if (!m.update) return;
      const patch = samplePatch(facet);
      const before = await row(facet.table, record.id);
      const stale = await run(m.update, { id: record.id, v: 7, input: patch }, own());
      expect(code(stale)).toBe('CONFLICT');
      expect(await row(facet.table, record.id)).toEqual(before);

      const updated = ok(await run(m.update, { id: record.id, v: 1, input: patch }, own()));
      expect(updated).toMatchObject({ id: record.id, version: 2, ...patch });

      const nothing = await run(m.update, { id: record.id, v: 2, input: {} }, own());
      expect([code(nothing), nothing.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'input']);

      if (!m.end || !m.endField) return;
      const endValue = sampleValue(m.endField);
      const ended = ok(await run(m.end, { id: record.id, v: 2, input: { [m.endField.name]: endValue } }, own()));
      expect(ended).toMatchObject({ id: record.id, version: 3, [m.endField.name]: endValue });
      const end = facet.mutations !== 'custom' ? facet.mutations.end : undefined;
      if (end?.statusField) expect(ended[end.statusField]).toBe(Object.entries((facet.fields.find((f) => f.name === end.statusField)?.type as { values: Record<string, string> }).values).find(([, v]) => v === end.statusValue)?.[0]);
      // Ending it again is a conflict with what it now is, and changes nothing.
      const endedRow = await row(facet.table, record.id);
      const again = await run(m.end, { id: record.id, v: 3, input: { [m.endField.name]: endValue } }, own());
      expect(code(again)).toBe('CONFLICT');
      expect(await row(facet.table, record.id)).toEqual(endedRow);
    });

    it('is FORBIDDEN to an officer of another department and NOT_FOUND outside the scope', async () => {
      const rows = await count(facet.table);
      const other = await run(m.create, { p: m.parent(), input: sampleInput(facet) }, officer(otherDepartment(facet.department)));
      expect([code(other), other.data]).toEqual(['FORBIDDEN', null]);
      const outside = await run(m.create, { p: m.parent(true), input: sampleInput(facet) }, own());
      expect([code(outside), outside.data]).toEqual(['NOT_FOUND', null]);
      expect(await count(facet.table)).toBe(rows);

      if (!m.update) return;
      // A record in the other county, written by its own officer: out of scope for ours.
      const foreign = ok(await run(m.create, { p: m.parent(true), input: sampleInput(facet) }, officer(facet.department, B)));
      const before = await row(facet.table, foreign.id);
      const refused = await run(m.update, { id: foreign.id, v: 1, input: samplePatch(facet) }, own());
      expect(code(refused)).toBe('NOT_FOUND');
      const stranger = await run(m.update, { id: foreign.id, v: 1, input: samplePatch(facet) }, officer(otherDepartment(facet.department), B));
      expect(code(stranger)).toBe('FORBIDDEN');
      expect(await row(facet.table, foreign.id)).toEqual(before);
    });

    it('refuses a bad value as BAD_USER_INPUT naming the field, and writes nothing', async () => {
      const rows = await count(facet.table);
      const cases: Array<[string, unknown]> = facet.fields
        .filter((f) => f.writable !== false)
        .flatMap((f) => badValues(f, today).map((v): [string, unknown] => [f.name, v]));
      expect(cases.length).toBeGreaterThan(0);
      for (const [name, value] of cases) {
        const r = await run(m.create, { p: m.parent(), input: sampleInput(facet, { [name]: value }) }, own());
        expect({ name, value, code: code(r), data: r.data }).toEqual({ name, value, code: 'BAD_USER_INPUT', data: null });
        // Shape checks name the bare field (class-validator), the declaration's checks `input.<field>`.
        expect([name, `input.${name}`]).toContain(r.errors?.[0].extensions?.field);
      }
      for (const f of facet.fields.filter((x) => x.writable !== false && x.type.kind === 'enum')) {
        const r = await run(m.create, { p: m.parent(), input: sampleInput(facet, { [f.name]: 'NO_SUCH_VALUE' }) }, own());
        expect(code(r)).toBe('BAD_USER_INPUT');
        expect(r.errors?.[0].message).toContain(f.name);
      }
      // A date before its start (notBefore), where the declaration has one.
      for (const f of facet.fields.filter((x) => x.notBefore)) {
        const start = facet.fields.find((x) => x.name === f.notBefore) as FacetField;
        const r = await run(m.create, { p: m.parent(), input: sampleInput(facet, { [start.name]: '2024-06-01', [f.name]: '2024-05-31' }) }, own());
        expect([code(r), r.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', `input.${f.name}`]);
        expect(await audit(r.requestId)).toEqual([expect.objectContaining({ action: 'create', outcome: 'invalid' })]);
      }
      expect(await count(facet.table)).toBe(rows);
    });
  });
});

describe('医疗救助年度封顶 medical-assistance cap: the facet added by its declaration and a migration alone', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  const CAP = 'id version year capAmount usedAmount remainingAmount';
  const create = `mutation ($p: ID!, $input: CreateMedicalAssistanceCapInput!) { createMedicalAssistanceCap(personId: $p, input: $input) { ${CAP} } }`;
  const update = `mutation ($id: ID!, $v: Int!, $input: UpdateMedicalAssistanceCapInput!) { updateMedicalAssistanceCap(id: $id, version: $v, input: $input) { ${CAP} } }`;
  const PERSON_2 = '91700031';

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('computes the remaining amount, keeps one record per person and year, and keeps the use within the cap', async () => {
    const health = await officer(Department.HEALTH);
    const created = await app.gql(create, { p: PERSON_2, input: { year: 2025, capAmount: 50000, usedAmount: 12345.67 } }, { authorization: health });
    expect(created.errors).toBeUndefined();
    const cap = created.data.createMedicalAssistanceCap;
    expect(cap).toMatchObject({ version: 1, year: 2025, capAmount: 50000, usedAmount: 12345.67, remainingAmount: 37654.33 });

    const dup = await app.gql(create, { p: PERSON_2, input: { year: 2025, capAmount: 1, usedAmount: 0 } }, { authorization: health });
    expect([dup.errors?.[0].extensions?.code, dup.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'input.year']);

    const over = await app.gql(update, { id: cap.id, v: 1, input: { usedAmount: 50000.01 } }, { authorization: health });
    expect([over.errors?.[0].extensions?.code, over.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'input.usedAmount']);

    const used = await app.gql(update, { id: cap.id, v: 1, input: { usedAmount: 50000 } }, { authorization: health });
    expect(used.data?.updateMedicalAssistanceCap).toMatchObject({ version: 2, remainingAmount: 0 });

    const read = await app.gql(`{ person(id: "${PERSON_2}") { medicalAssistanceCaps(year: 2025) { id remainingAmount } } }`, {}, { authorization: health });
    expect(read.data.person.medicalAssistanceCaps).toEqual([{ id: cap.id, remainingAmount: 0 }]);
    const civil = await app.gql(`{ person(id: "${PERSON_2}") { id medicalAssistanceCaps { id } } }`, {}, { authorization: await officer(Department.CIVIL_AFFAIRS) });
    expect(civil.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
