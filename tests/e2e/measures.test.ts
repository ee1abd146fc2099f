import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer, startApp, type GqlResult } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Measures (帮扶措施, issue 12 §1): the stage machine planned → in progress → completed →
// verified (cancelled before completion), refusals as union results, the verifier who is not
// the completer, village measures, and the statements a list of them costs.

const COUNTY = '993401';
const LARGER = '993402';
const BASE = 9_934_000;
const H = (n: number) => String(BASE + n);
const VILLAGE = `${COUNTY}001001`;
const OTHER_TOWNSHIP_VILLAGE = `${COUNTY}002001`;

const STAGES = ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'VERIFIED', 'CANCELLED'] as const;
type Stage = (typeof STAGES)[number];
/** The machine as the README states it: every pair not listed here is refused. */
const LEGAL: Record<Stage, Stage[]> = {
  PLANNED: ['IN_PROGRESS', 'CANCELLED'],
  IN_PROGRESS: ['COMPLETED', 'CANCELLED'],
  COMPLETED: ['VERIFIED'],
  VERIFIED: [],
  CANCELLED: [],
};
/** Stored columns of a measure at each stage (inserted directly, completed by someone else). */
const STORED: Record<Stage, { status: string; completed: boolean; verified: boolean }> = {
  PLANNED: { status: 'planned', completed: false, verified: false },
  IN_PROGRESS: { status: 'underway', completed: false, verified: false },
  COMPLETED: { status: 'completed', completed: true, verified: false },
  VERIFIED: { status: 'completed', completed: true, verified: true },
  CANCELLED: { status: 'cancelled', completed: false, verified: false },
};

const MEASURE_FIELDS = 'id version householdId villageCode kind status stage amount year responsibleUnit evidence fundAllocationId fundSource utilities beneficiaryHouseholdIds completedAt verifiedAt';
const TRANSITION = `mutation ($id: ID!, $v: Int!, $input: MeasureTransitionInput!) {
  transitionMeasure(id: $id, version: $v, input: $input) {
    __typename
    ... on Measure { ${MEASURE_FIELDS} }
    ... on IllegalTransition { from to allowed message }
    ... on SameActorVerification { message }
  }
}`;
const CREATE = `mutation ($h: ID!, $input: CreateMeasureInput!) { createMeasure(householdId: $h, input: $input) { ${MEASURE_FIELDS} } }`;
const CREATE_VILLAGE = `mutation ($v: String!, $input: CreateMeasureInput!) { createVillageMeasure(villageCode: $v, input: $input) { ${MEASURE_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $v: Int!, $input: UpdateMeasureInput!) { updateMeasure(id: $id, version: $v, input: $input) { ${MEASURE_FIELDS} } }`;
const input = { kind: 'INDUSTRY', department: 'POVERTY_OFFICE', amount: 3000, year: 2025, description: '养殖', responsibleUnit: '县农业农村局' };

describe('measures: stages, union refusals, verifier rule, village measures', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;
  const officer = (sub: string, scope = COUNTY) => bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope, sub });
  const sql = async (text: string, params: unknown[] = []) => (await pg.query(text, params)).rows;
  const run = async (doc: string, variables: Record<string, unknown>, auth: Promise<string>) => app.gql(doc, variables, { authorization: await auth });
  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return Object.values(r.data)[0];
  };
  const code = (r: GqlResult) => r.errors?.[0].extensions?.code;

  /** A measure of household 4 (registered) stored at `stage`, completed (if so) by 'someone-else'. */
  async function measureAt(stage: Stage): Promise<{ id: string; version: number }> {
    const s = STORED[stage];
    const [row] = await sql(
      `INSERT INTO measure (household_id, county_code, kind, department, status, amount, year, description, completed_by, completed_at, verified_by, verified_at)
       VALUES ($1, $2, 'industry', 'poverty_office', $3, 100, 2025, 'fixture', $4, $5, $6, $7) RETURNING id::text AS id, version`,
      [H(4), COUNTY, s.status, s.completed ? 'someone-else' : null, s.completed ? new Date() : null, s.verified ? 'third-person' : null, s.verified ? new Date() : null],
    );
    return row;
  }

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 2, villagesPerTownship: 2, householdsPerVillage: 4, idBase: BASE });
    await buildCounty(url, { county: LARGER, townships: 3, villagesPerTownship: 4, householdsPerVillage: 4, idBase: BASE + 1_000 });
    pg = new Client({ connectionString: url });
    await pg.connect();
    app = await startApp();
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  it('every move of the stage machine: legal ones succeed, every other is refused with IllegalTransition and changes nothing', async () => {
    const verifier = officer('verifier');
    for (const from of STAGES) {
      for (const to of STAGES) {
        const m = await measureAt(from);
        const before = (await sql('SELECT * FROM measure WHERE id = $1', [m.id]))[0];
        const r = await run(TRANSITION, { id: m.id, v: m.version, input: { to } }, verifier);
        const result = ok(r);
        if (LEGAL[from].includes(to)) {
          expect({ from, to, result: result.__typename, stage: result.stage, version: result.version }).toEqual({ from, to, result: 'Measure', stage: to, version: 2 });
        } else {
          expect({ from, to, result }).toEqual({
            from, to, result: { __typename: 'IllegalTransition', from, to, allowed: LEGAL[from], message: expect.stringContaining(to.toLowerCase()) },
          });
          expect((await sql('SELECT * FROM measure WHERE id = $1', [m.id]))[0]).toEqual(before);
          // The refusal is audited, and no change event is written.
          expect(await sql('SELECT action, outcome FROM audit_record WHERE request_id = $1', [r.requestId])).toEqual([{ action: 'update', outcome: 'conflict' }]);
          expect(await sql('SELECT count(*)::int AS n FROM change_event WHERE request_id = $1', [r.requestId])).toEqual([{ n: 0 }]);
        }
      }
    }
  });

  it('walks a measure through its stages; the one who completed it may not verify it, a colleague may', async () => {
    const a = officer('po-a');
    const b = officer('po-b');
    const created = ok(await run(CREATE, { h: H(4), input: { ...input, evidence: '养殖场已建成' } }, a));
    expect(created).toMatchObject({ householdId: H(4), villageCode: null, stage: 'PLANNED', status: 'PLANNED', responsibleUnit: '县农业农村局', completedAt: null });
    const started = ok(await run(TRANSITION, { id: created.id, v: 1, input: { to: 'IN_PROGRESS' } }, a));
    expect(started).toMatchObject({ __typename: 'Measure', stage: 'IN_PROGRESS', status: 'UNDERWAY', version: 2 });
    const done = ok(await run(TRANSITION, { id: created.id, v: 2, input: { to: 'COMPLETED', evidence: '验收照片存村委会档案' } }, a));
    expect(done).toMatchObject({ stage: 'COMPLETED', status: 'COMPLETED', evidence: '验收照片存村委会档案', verifiedAt: null });
    expect(done.completedAt).toEqual(expect.any(String));

    const self = await run(TRANSITION, { id: created.id, v: 3, input: { to: 'VERIFIED' } }, a);
    expect(ok(self)).toEqual({ __typename: 'SameActorVerification', message: expect.stringContaining('may not also verify') });
    expect((await sql('SELECT version, verified_at FROM measure WHERE id = $1', [created.id]))[0]).toEqual({ version: 3, verified_at: null });
    expect(await sql('SELECT outcome FROM audit_record WHERE request_id = $1', [self.requestId])).toEqual([{ outcome: 'conflict' }]);

    // A stale version is an error, not a business refusal.
    expect(code(await run(TRANSITION, { id: created.id, v: 2, input: { to: 'VERIFIED' } }, b))).toBe('CONFLICT');

    const verified = await run(TRANSITION, { id: created.id, v: 3, input: { to: 'VERIFIED' } }, b);
    expect(ok(verified)).toMatchObject({ __typename: 'Measure', stage: 'VERIFIED', status: 'COMPLETED', version: 4 });
    expect((await sql('SELECT completed_by, verified_by FROM measure WHERE id = $1', [created.id]))[0]).toEqual({ completed_by: 'po-a', verified_by: 'po-b' });
    expect(await sql('SELECT entity, kind, household_id::text AS h, region_code, fields FROM change_event WHERE request_id = $1', [verified.requestId]))
      .toEqual([{ entity: 'Measure', kind: 'update', h: H(4), region_code: VILLAGE, fields: ['stage'] }]);

    // A verified measure is closed to changes.
    expect(code(await run(UPDATE, { id: created.id, v: 4, input: { amount: 1 } }, b))).toBe('CONFLICT');
  });

  it('updateMeasure changes status only by a legal move', async () => {
    const a = officer('po-a');
    const m = ok(await run(CREATE, { h: H(4), input }, a));
    const skip = await run(UPDATE, { id: m.id, v: 1, input: { status: 'COMPLETED' } }, a);
    expect(code(skip)).toBe('BAD_USER_INPUT');
    expect(skip.errors?.[0].message).toContain('can move to in_progress or cancelled');
    const moved = ok(await run(UPDATE, { id: m.id, v: 1, input: { status: 'UNDERWAY', amount: 3100 } }, a));
    expect(moved).toMatchObject({ stage: 'IN_PROGRESS', amount: 3100, version: 2 });
    // A new measure starts planned or under way: completion is a move, witnessed by someone else.
    expect(code(await run(CREATE, { h: H(4), input: { ...input, status: 'COMPLETED' } }, a))).toBe('BAD_USER_INPUT');
  });

  it('evidence notes carrying personal details are refused', async () => {
    const a = officer('po-a');
    for (const evidence of ['户主身份证 43122619700501001X', '联系电话 138 0000 1234', '户主确诊尿毒症']) {
      const r = await run(CREATE, { h: H(4), input: { ...input, evidence } }, a);
      expect({ evidence, code: code(r), field: r.errors?.[0].extensions?.field }).toEqual({ evidence, code: 'BAD_USER_INPUT', field: 'input.evidence' });
    }
  });

  it('a village measure belongs to the village, is read on it, and is out of reach of another township', async () => {
    const county = officer('po-county');
    const v = ok(await run(CREATE_VILLAGE, { v: VILLAGE, input: { ...input, kind: 'INFRASTRUCTURE', description: '村组道路硬化' } }, county));
    expect(v).toMatchObject({ householdId: null, villageCode: VILLAGE, kind: 'INFRASTRUCTURE', stage: 'PLANNED' });
    const otherTownship = officer('po-t2', `${COUNTY}002`);
    expect(code(await run(TRANSITION, { id: v.id, v: 1, input: { to: 'IN_PROGRESS' } }, otherTownship))).toBe('NOT_FOUND');
    expect(code(await run(CREATE_VILLAGE, { v: VILLAGE, input }, otherTownship))).toBe('NOT_FOUND');
    const ownTownship = officer('po-t1', `${COUNTY}001`);
    expect(ok(await run(TRANSITION, { id: v.id, v: 1, input: { to: 'IN_PROGRESS' } }, ownTownship))).toMatchObject({ stage: 'IN_PROGRESS' });
    const read = await app.gql(`query ($c: DivisionCode!) { region(code: $c) { village { measures { id villageCode stage } } } }`, { c: VILLAGE });
    expect(read.data.region.village.measures).toEqual([{ id: v.id, villageCode: VILLAGE, stage: 'IN_PROGRESS' }]);
    expect(code(await run(CREATE_VILLAGE, { v: OTHER_TOWNSHIP_VILLAGE.slice(0, 11), input }, county))).toBe('NOT_FOUND');
  });

  it('village measures of every village cost the same statements on a county three times the size', async () => {
    const county = officer('po-sql', '9934');
    for (const code of [VILLAGE, OTHER_TOWNSHIP_VILLAGE, `${LARGER}001001`, `${LARGER}002003`, `${LARGER}003004`]) {
      ok(await run(CREATE_VILLAGE, { v: code, input: { ...input, kind: 'INFRASTRUCTURE', description: '饮水工程' } }, county));
    }
    const doc = `query ($c: DivisionCode!) { region(code: $c) { children { children { village { code measures { id stage amount fundSource } } } } } }`;
    const small = await app.gql(doc, { c: COUNTY });
    const large = await app.gql(doc, { c: LARGER });
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    const villages = (r: GqlResult) => r.data.region.children.flatMap((t: any) => t.children.map((c: any) => c.village));
    expect(villages(small)).toHaveLength(4);
    expect(villages(large)).toHaveLength(12);
    expect(villages(large).filter((v: any) => v.measures.length).length).toBe(3);
    expect(large.sqlStatements).toBe(small.sqlStatements);
  });
  it('a support plan groups the household\'s measures of its year across departments', async () => {
    const a = officer('po-plan');
    const PLAN = `mutation ($h: ID!, $input: CreateSupportPlanInput!) { createSupportPlan(householdId: $h, input: $input) { id version householdId year goal } }`;
    const plan = ok(await run(PLAN, { h: H(8), input: { year: 2025, goal: '发展养殖，稳定增收' } }, a));
    expect(plan).toMatchObject({ householdId: H(8), year: 2025, version: 1 });
    expect(code(await run(PLAN, { h: H(8), input: { year: 2025, goal: '另一个' } }, a))).toBe('BAD_USER_INPUT');
    expect(code(await run(PLAN, { h: H(8), input: { year: 2024, goal: '户主患尿毒症需透析' } }, a))).toBe('BAD_USER_INPUT');
    ok(await run(CREATE, { h: H(8), input: { ...input, amount: 2000 } }, a));
    ok(await run(CREATE, { h: H(8), input: { ...input, kind: 'EDUCATION_TRAINING', department: 'EDUCATION', amount: 800.5, description: '雨露计划' } }, a));
    ok(await run(CREATE, { h: H(8), input: { ...input, year: 2024, amount: 99 } }, a));
    const cancelled = ok(await run(CREATE, { h: H(8), input: { ...input, amount: 5000, description: '取消的' } }, a));
    ok(await run(TRANSITION, { id: cancelled.id, v: 1, input: { to: 'CANCELLED' } }, a));
    const read = await app.gql(`query ($h: ID!) { household(id: $h) { supportPlan(year: 2025) { id goal totalAmount departments measures { year department stage } } none: supportPlan(year: 2023) { id } } }`,
      { h: H(8) }, { authorization: await a });
    expect(read.errors).toBeUndefined();
    const got = read.data.household;
    expect(got.none).toBeNull();
    expect(got.supportPlan).toMatchObject({ id: plan.id, goal: '发展养殖，稳定增收', totalAmount: 2800.5, departments: ['EDUCATION', 'POVERTY_OFFICE'] });
    expect(got.supportPlan.measures).toHaveLength(3);
    expect(got.supportPlan.measures.every((m: any) => m.year === 2025)).toBe(true);

    // A page of households with their plans costs the same statements whatever its size (both pages hold a plan).
    ok(await run(PLAN, { h: H(1), input: { year: 2025, goal: '巩固脱贫成果' } }, a));
    const page = async (first: number) => app.gql(`query ($first: Int!) { households(first: $first, filter: { regionCode: "${COUNTY}" }) { edges { node { id supportPlan(year: 2025) { totalAmount measures { id } } } } } }`,
      { first }, { authorization: await a });
    const [small, large] = [await page(2), await page(16)];
    expect(large.errors).toBeUndefined();
    expect(large.data.households.edges).toHaveLength(16);
    expect(large.sqlStatements).toBe(small.sqlStatements);
  });
  it('a verified village infrastructure measure sets the utilities it names on the village and the households it serves, in the same transaction', async () => {
    const a = officer('po-u-a');
    const b = officer('po-u-b');
    const roadAndToilets = { ...input, kind: 'INFRASTRUCTURE', description: '通组道路硬化及改厕', utilities: ['ROAD', 'ENVIRONMENT'] };
    expect(code(await run(CREATE_VILLAGE, { v: VILLAGE, input: { ...roadAndToilets, beneficiaryHouseholdIds: [H(1), H(5)] } }, a))).toBe('BAD_USER_INPUT');
    expect(code(await run(CREATE_VILLAGE, { v: VILLAGE, input: { ...roadAndToilets, kind: 'INDUSTRY' } }, a))).toBe('BAD_USER_INPUT');
    expect(code(await run(CREATE, { h: H(1), input: { ...roadAndToilets, beneficiaryHouseholdIds: [H(2)] } }, a))).toBe('BAD_USER_INPUT');
    const m = ok(await run(CREATE_VILLAGE, { v: VILLAGE, input: { ...roadAndToilets, beneficiaryHouseholdIds: [H(1), H(3), H(1)] } }, a));
    expect(m).toMatchObject({ utilities: ['ROAD', 'ENVIRONMENT'], beneficiaryHouseholdIds: [H(1), H(3)] });
    expect(code(await run(UPDATE, { id: m.id, v: 1, input: { kind: 'INDUSTRY' } }, a))).toBe('BAD_USER_INPUT');

    const utilities = async () => ({
      village: (await sql('SELECT has_road, has_sanitation FROM village WHERE code = $1', [VILLAGE]))[0],
      households: await sql('SELECT id::text AS id, version, has_road, has_sanitation FROM household WHERE id = ANY($1::bigint[]) ORDER BY id', [[H(1), H(2), H(3)]]),
    });
    await sql(`UPDATE village SET has_road = false, has_sanitation = false WHERE code = $1`, [VILLAGE]);
    await sql(`UPDATE household SET has_road = false, has_sanitation = false WHERE id = ANY($1::bigint[])`, [[H(1), H(2), H(3)]]);
    const before = await utilities();
    ok(await run(TRANSITION, { id: m.id, v: 1, input: { to: 'IN_PROGRESS' } }, a));
    ok(await run(TRANSITION, { id: m.id, v: 2, input: { to: 'COMPLETED' } }, a));
    // Completed is not yet verified: nothing changes, nor when the completer tries to verify.
    expect(ok(await run(TRANSITION, { id: m.id, v: 3, input: { to: 'VERIFIED' } }, a)).__typename).toBe('SameActorVerification');
    expect(await utilities()).toEqual(before);

    const verified = await run(TRANSITION, { id: m.id, v: 3, input: { to: 'VERIFIED' } }, b);
    expect(ok(verified)).toMatchObject({ stage: 'VERIFIED' });
    const after = await utilities();
    expect(after.village).toEqual({ has_road: true, has_sanitation: true });
    expect(after.households).toEqual([
      { id: H(1), version: before.households[0].version + 1, has_road: true, has_sanitation: true },
      { id: H(2), version: before.households[1].version, has_road: false, has_sanitation: false },
      { id: H(3), version: before.households[2].version + 1, has_road: true, has_sanitation: true },
    ]);
    // One transaction, one request: the measure's event, then the village's and each household's.
    expect(await sql('SELECT entity, entity_id, household_id::text AS h, fields FROM change_event WHERE request_id = $1 ORDER BY seq', [verified.requestId])).toEqual([
      { entity: 'Measure', entity_id: m.id, h: null, fields: ['stage'] },
      { entity: 'Village', entity_id: VILLAGE, h: null, fields: ['utilities.road', 'utilities.environment'] },
      { entity: 'Household', entity_id: H(1), h: H(1), fields: ['utilities.road', 'utilities.environment'] },
      { entity: 'Household', entity_id: H(3), h: H(3), fields: ['utilities.road', 'utilities.environment'] },
    ]);
    const read = await app.gql(`query ($c: DivisionCode!) { region(code: $c) { village { utilities { road environment } } } }`, { c: VILLAGE });
    expect(read.data.region.village.utilities).toEqual({ road: true, environment: true });
  });
  it('the 饮水安全 gap of a household without water closes once a water works serving it is verified', async () => {
    const a = officer('po-w-a');
    const b = officer('po-w-b');
    const V = `${COUNTY}002002`;
    const [h] = await sql(`SELECT id::text AS id FROM household WHERE village_code = $1 AND status = 'registered' ORDER BY id LIMIT 1`, [V]);
    await sql('UPDATE household SET has_water = false WHERE id = $1', [h.id]);
    const recompute = async () => ok(await run(`mutation ($r: String) { recomputeCoordinationGaps(regionCode: $r) { __typename } }`, { r: V }, bearer({ scope: COUNTY, sub: 'coord-water' })));
    const gap = async () => (await sql(`SELECT status::text FROM coordination_gap WHERE rule_code = 'SAFE_WATER' AND household_id = $1 ORDER BY id DESC LIMIT 1`, [h.id]))[0]?.status;
    await recompute();
    expect(await gap()).toBe('open');
    const m = ok(await run(CREATE_VILLAGE, { v: V, input: { ...input, kind: 'INFRASTRUCTURE', description: '安全饮水工程', utilities: ['WATER'], beneficiaryHouseholdIds: [h.id] } }, a));
    for (const [to, who] of [['IN_PROGRESS', a], ['COMPLETED', a], ['VERIFIED', b]] as const) {
      const [{ version }] = await sql('SELECT version FROM measure WHERE id = $1', [m.id]);
      expect(ok(await run(TRANSITION, { id: m.id, v: version, input: { to } }, who)).stage).toBe(to);
    }
    await recompute();
    expect(await gap()).toBe('resolved');
  });
});
