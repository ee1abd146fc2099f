import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { getNamedType, isObjectType, parse, print, visit, type FieldNode, type GraphQLSchema } from 'graphql';
import { Role, rolesGuarding } from '../../src/core/auth';
import { Db } from '../../src/core/db';
import { buildAppSchema } from '../../src/core/schema';
import { Department } from '../../src/core/vocab';
import { bearer, startApp } from '../support/app';
import { buildCounty } from '../support/fixtures';

// One forbidden field must not erase the answer (issue 10 §2). Relations into another
// department's data are nullable: an officer sending the README's household card gets the
// registry's fields and their own department's filled, null at each other department's field,
// one FORBIDDEN error per refused path, all in one answer, and no SQL spent on a refused edge.
// County 992501: households 9230001–9230002 (one village), members h*10+1 (head), +2 (spouse),
// +3 (child, born 2014): everyone insured 2023 and 2024, the child enrolled in 2024
// (tests/support/fixtures.ts). The facet rows below are ours, on household 9230001.

const COUNTY = '992501';
const H1 = '9230001';
const H1_NUMBER = '9925010010010001';

const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
/** The household card as the README shows it (Example queries). */
const CARD = (/A household card \(户卡\):\n\n```graphql\n([\s\S]*?)```/.exec(readme) ?? [])[1];
/** The README's table: which of the card's department fields each caller may include. */
const MAY_INCLUDE: Record<string, string[] | 'all'> = Object.fromEntries(
  [...(/### The card per department[\s\S]*?\n\n(\|[\s\S]*?)\n\n/.exec(readme)?.[1] ?? '').matchAll(/^\| ([^|]+) \| ([^|]+) \|$/gm)]
    .filter(([, caller]) => caller.trim() !== 'caller')
    .map(([, caller, fields]) => [
      /\(`(\w+)`\)/.exec(caller)?.[1] ?? caller.trim(),
      fields.trim() === 'all of them' ? 'all' : [...fields.matchAll(/`([\w.]+)`/g)].map((m) => m[1]),
    ]),
);

/** The tables each department field of the card reads (a refused one must not appear in any statement). */
const TABLES: Record<string, string[]> = {
  'members.insuranceEnrolments': ['insurance_enrolment'],
  'members.schoolEnrolments': ['school_enrolment'],
  dibaoEnrolments: ['dibao_enrolment'],
  latestHousingAppraisal: ['housing_appraisal'],
  pairings: ['pairing', 'cadre'],
  measures: ['measure'],
};

/**
 * The card's department fields (dotted path from the household → department), found by walking
 * the document against the schema: a field whose guard asks for `facet:<department>:read`.
 */
function departmentFields(schema: GraphQLSchema, document: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (typeName: string, set: readonly FieldNode[], prefix: string) => {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) return;
    for (const node of set) {
      const field = type.getFields()[node.name.value];
      if (!field) continue;
      const key = prefix + node.name.value;
      const dept = rolesGuarding(field)?.map((r) => /^facet:(\w+):read$/.exec(r)?.[1]).find(Boolean);
      if (dept) out[key] = dept;
      else if (node.selectionSet) walk(getNamedType(field.type).name, node.selectionSet.selections as FieldNode[], `${key}.`);
    }
  };
  const root = (parse(document).definitions[0] as unknown as { selectionSet: { selections: FieldNode[] } }).selectionSet.selections[0];
  walk('Household', root.selectionSet?.selections as FieldNode[], '');
  return out;
}

/** The document less the fields at `paths` (dotted, below the root field). */
function without(document: string, paths: string[]): string {
  const trail: string[] = [];
  return print(visit(parse(document), {
    Field: {
      enter(node: FieldNode) {
        const here = [...trail.slice(1), node.name.value].join('.');
        if (paths.includes(here)) return null;
        trail.push(node.name.value);
        return undefined;
      },
      leave() {
        trail.pop();
      },
    },
  }));
}

/** Inserts one record of each department field of the card for household H1; idempotent. */
async function insertFacets(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
  try {
    await q('BEGIN');
    for (const table of ['pairing', 'cadre', 'measure', 'housing_appraisal', 'dibao_enrolment']) await q(`DELETE FROM ${table} WHERE county_code = $1`, [COUNTY]);
    await q(`INSERT INTO dibao_enrolment (county_code, household_id, category, monthly_amount, covered_persons, start_date, end_date, status)
             VALUES ($1, ${H1}, 'class_a', 455.50, 3, '2023-01-01', NULL, 'active')`, [COUNTY]);
    await q(`INSERT INTO housing_appraisal (county_code, household_id, grade, appraised_on, appraiser) VALUES ($1, ${H1}, 'C', '2023-05-01', '县住建局')`, [COUNTY]);
    const cadre = await q(`INSERT INTO cadre (county_code, name, unit, phone) VALUES ($1, '张干部', '县扶贫办', '0745-1234567') RETURNING id`, [COUNTY]);
    await q(`INSERT INTO pairing (county_code, household_id, cadre_id, start_date) VALUES ($1, ${H1}, $2, '2016-01-01')`, [COUNTY, cadre.rows[0].id]);
    await q(`INSERT INTO measure (county_code, household_id, kind, department, status, amount, year, description)
             VALUES ($1, ${H1}, 'industry', 'poverty_office', 'underway', 2000.00, 2024, '油茶种植 camellia planting')`, [COUNTY]);
    await q('COMMIT');
  } catch (err) {
    await q('ROLLBACK');
    throw err;
  } finally {
    await client.end();
  }
}

/** The value at a dotted path below the household, one per member below `members`. */
function valuesAt(household: Record<string, any>, dotted: string): unknown[] {
  const [first, rest] = dotted.split('.');
  return rest === undefined ? [household[first]] : (household[first] as Array<Record<string, unknown>>).map((m) => m[rest]);
}

/** The error paths a refusal of `dotted` gives, for a household of `members` members. */
function refusedPaths(dotted: string, members: number): string[] {
  const [first, rest] = dotted.split('.');
  return rest === undefined ? [`householdByNumber.${first}`] : Array.from({ length: members }, (_, i) => `householdByNumber.${first}.${i}.${rest}`);
}

const DEPARTMENTS = [Department.CIVIL_AFFAIRS, Department.HEALTH, Department.EDUCATION, Department.HOUSING, Department.POVERTY_OFFICE];

describe('partial answers: one forbidden field does not erase the answer', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let schema: GraphQLSchema;
  let fields: Record<string, string>;
  /** Statement texts sent while `capture` is set (a spy that calls through: the statements run). */
  let capture: string[] | null = null;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_230_000 });
    await insertFacets(url);
    schema = await buildAppSchema();
    fields = departmentFields(schema, CARD);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this) below
    const query = Db.prototype.query;
    jest.spyOn(Db.prototype, 'query').mockImplementation(function (this: Db, text: string, ...rest: unknown[]) {
      capture?.push(text);
      return (query as (...args: unknown[]) => Promise<unknown[]>).call(this, text, ...rest) as ReturnType<Db['query']>;
    });
    app = await startApp();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.stop();
  });

  /** Sends `document` as an officer of `department` (county scope) and keeps the statements it cost. */
  async function send(document: string, department: Department | null) {
    const authorization = await bearer(department ? { role: Role.OFFICER, department, scope: COUNTY } : { role: Role.COORDINATOR, scope: COUNTY });
    capture = [];
    const r = await app.gql(document, { number: H1_NUMBER }, { authorization });
    const statements = capture;
    capture = null;
    return { ...r, statements };
  }

  it('finds the README card and its table, and the table names exactly the card\'s department fields', () => {
    expect(CARD).toContain('householdByNumber');
    expect(fields).toEqual({
      'members.insuranceEnrolments': 'health',
      'members.schoolEnrolments': 'education',
      dibaoEnrolments: 'civil_affairs',
      latestHousingAppraisal: 'housing',
      pairings: 'poverty_office',
      measures: 'poverty_office',
    });
    const byDepartment: Record<string, string[]> = {};
    for (const [field, dept] of Object.entries(fields)) (byDepartment[dept] ??= []).push(field);
    expect(MAY_INCLUDE).toEqual({ ...byDepartment, coordinator: 'all' });
  });

  it.each(DEPARTMENTS)('answers the whole card to a %s officer: own fields filled, the others null, one FORBIDDEN per refused path, no SQL for them', async (department) => {
    const own = Object.keys(fields).filter((f) => fields[f] === String(department));
    const refused = Object.keys(fields).filter((f) => fields[f] !== String(department));
    expect(own.length).toBeGreaterThan(0);

    const r = await send(CARD, department);
    const household = r.data.householdByNumber;
    // The registry's part of the card is all there.
    expect(household).toMatchObject({ number: H1_NUMBER, status: 'EXITED', village: { code: '992501001001' } });
    expect(household.members.map((m: { relation: string }) => m.relation)).toEqual(['HEAD', 'SPOUSE', 'CHILD']);
    expect(household.members[0].idNumber).toMatch(/^\d{6}\*+$/);
    // Every refusal, in the one answer, each at its own path.
    const expected = refused.flatMap((f) => refusedPaths(f, 3)).sort();
    expect(r.errors?.map((e) => e.path?.join('.')).sort()).toEqual(expected);
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(expected.map(() => 'FORBIDDEN'));
    for (const e of r.errors ?? []) expect(e.message).toMatch(/^Forbidden: your role does not grant facet:\w+:read$/);
    for (const f of refused) expect({ f, values: valuesAt(household, f) }).toEqual({ f, values: valuesAt(household, f).map(() => null) });
    // The department's own fields are filled (every member is insured, the child enrolled).
    for (const f of own) {
      const values = valuesAt(household, f);
      expect({ f, anyNull: values.some((v) => v === null) }).toEqual({ f, anyNull: false });
      expect({ f, filled: values.some((v) => (Array.isArray(v) ? v.length > 0 : v !== null)) }).toEqual({ f, filled: true });
    }

    // No SQL for a refused edge: the card costs what the card without the refused fields costs,
    // and none of its statements reads a refused field's table (not even as a read-ahead column).
    const trimmed = await send(without(CARD, refused), department);
    expect(trimmed.errors).toBeUndefined();
    expect(trimmed.data.householdByNumber).toEqual(Object.fromEntries(Object.entries(household).filter(([k]) => !refused.includes(k))
      .map(([k, v]) => [k, k === 'members' ? (v as Array<Record<string, unknown>>).map((m) => Object.fromEntries(Object.entries(m).filter(([mk]) => !refused.includes(`members.${mk}`)))) : v])));
    expect(r.sqlStatements).toBe(trimmed.sqlStatements);
    expect(r.statements).toHaveLength(r.sqlStatements);
    const tablesRead = (texts: string[], tables: string[]) => tables.filter((t) => texts.some((s) => new RegExp(`\\b(FROM|JOIN)\\s+"?${t}"?\\b`, 'i').test(s)));
    expect(tablesRead(r.statements, refused.flatMap((f) => TABLES[f]))).toEqual([]);
    expect(tablesRead(r.statements, own.flatMap((f) => TABLES[f]).filter((t) => t !== 'cadre'))).toEqual(own.flatMap((f) => TABLES[f]).filter((t) => t !== 'cadre'));
  });

  it('answers the whole card to a coordinator with no error', async () => {
    const r = await send(CARD, null);
    expect(r.errors).toBeUndefined();
    for (const f of Object.keys(fields)) expect({ f, anyNull: valuesAt(r.data.householdByNumber, f).some((v) => v === null) }).toEqual({ f, anyNull: false });
  });

  it('reports every refusal of a document together, across root fields and depths', async () => {
    const document = `query ($number: String!) {
      card: householdByNumber(number: $number) { number pairings { startDate } members { name healthConditions { kind } } }
      again: householdByNumber(number: $number) { measures { year } latestHousingAppraisal { grade } }
      region(code: "${COUNTY}") { name projects { name } children { children { village { projects { name } } } } }
    }`;
    const r = await send(document, Department.HOUSING);
    expect(r.errors?.map((e) => [e.extensions?.code, e.path?.join('.')]).sort()).toEqual([
      ['FORBIDDEN', 'again.measures'],
      ['FORBIDDEN', 'card.members.0.healthConditions'],
      ['FORBIDDEN', 'card.members.1.healthConditions'],
      ['FORBIDDEN', 'card.members.2.healthConditions'],
      ['FORBIDDEN', 'card.pairings'],
      ['FORBIDDEN', 'region.children.0.children.0.village.projects'],
      ['FORBIDDEN', 'region.projects'],
    ]);
    expect(r.data).toEqual({
      // A minor's name is hidden from housing (schema/privacy-matrix.json), as it always was.
      card: { number: H1_NUMBER, pairings: null, members: [`测试${H1}-1`, `测试${H1}-2`, null].map((name) => ({ name, healthConditions: null })) },
      again: { measures: null, latestHousingAppraisal: { grade: 'C' } },
      region: { name: `测试县${COUNTY}`, projects: null, children: [{ children: [{ village: { projects: null } }] }] },
    });
  });

  it('keeps a refusal of the whole operation as it was: the root field is refused, not its edges', async () => {
    const analyst = await bearer({ role: Role.ANALYST, scope: COUNTY });
    const r = await app.gql(CARD, { number: H1_NUMBER }, { authorization: analyst });
    expect(r.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'householdByNumber']]);
    expect(r.data).toBeNull();
  });

  it.each(DEPARTMENTS)('masks and hides personal fields for a %s officer exactly as without the refused fields', async (department) => {
    // ID numbers (masked; a minor's per the privacy policy) and birth dates beside every
    // department's edges: a refused neighbour changes nothing about what is shown.
    const personal = 'members { name idNumber birthDate age }';
    const all = `query ($number: String!) { householdByNumber(number: $number) { ${personal} dibaoEnrolments { status } members { insuranceEnrolments { year } schoolEnrolments { stage } } pairings { startDate } latestHousingAppraisal { grade } } }`;
    const alone = `query ($number: String!) { householdByNumber(number: $number) { ${personal} } }`;
    const [mixed, plain] = [await send(all, department), await send(alone, department)];
    expect(plain.errors).toBeUndefined();
    expect(mixed.errors?.length).toBeGreaterThan(0);
    const shown = (r: { data: any }) => r.data.householdByNumber.members.map((m: Record<string, unknown>) => [m.name, m.idNumber, m.birthDate, m.age]);
    expect(shown(mixed)).toEqual(shown(plain));
    expect(shown(plain)[0][1]).toMatch(/^\d{6}\*+$/);
  });
});
