import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { Pool } from 'pg';
import WebSocket from 'ws';
import { permissionMap } from '../../src/core/auth/permission-map';
import { Department } from '../../src/core/vocab';
import { buildAppSchema } from '../../src/core/schema';
import { padCode } from '../../src/core/scope';
import { ACTORS, authorizationOf, holds, inside, memberOf, seedWorld, worldOf, type Actor, type Variant } from '../support/access-world';
import { startApp } from '../support/app';

// What the operation matrix (access-matrix.test.ts) cannot see from a root field's answer:
// region summaries, connection totals and nested lists under a record in scope count and list
// only rows in scope (issue 3 §2), and every edge into a department's data carries its own
// check, so that reaching a household is not enough (STYLE §2). World: tests/support/
// access-world.ts over city 9910 (foreign city 9911), households from 9_740_001.

const LAYOUT = { city: '9910', foreignCity: '9911', idBase: 9_740_000 };
const world = worldOf(LAYOUT);
const [TOWNSHIP, COUNTY] = world.variants;

const REGION = `fragment R on Region {
  code
  children { code }
  households(first: 100) { totalCount edges { node { villageCode members { villageCode } } } }
  summary { householdsByStatus { status households } registeredByMainCause { cause households } dibaoHouseholds insuredShare(year: 2024) dilapidatedHousingShare }
  projects { regionCode fundAllocations { projectId } }
}`;

describe('scope inside totals, summaries and nested lists; a check on every edge', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let endpoint: string;
  let pg: Pool;
  let schema: GraphQLSchema;
  let permissions: Record<string, string[] | null>;
  /** A member of the township variant's own household registered in the sibling township's village. */
  let strayMember: string;

  const sql = async <R = Record<string, any>>(text: string, params: unknown[] = []) => (await pg.query(text, params)).rows as R[];
  const coordinator = ACTORS.find((a) => a.label === 'coordinator') as Actor;

  async function post(query: string, variables: Record<string, unknown>, authorization: string): Promise<{ status: number; data?: any; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, ...((await res.json()) as object) };
  }

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await seedWorld(url, world);
    pg = new Pool({ connectionString: url, max: 4 });
    // A member of an in-scope household registered in a village outside the township scope
    // (a married-in spouse not yet moved, say), insured like everyone else.
    strayMember = `${TOWNSHIP.household.own}4`;
    await sql(
      `INSERT INTO person (id, household_id, village_code, county_code, relation, name, id_number, gender, birth_date, labour_ability, health_category, schooling_stage)
       VALUES ($1::bigint, $2, $3, $4, 'child_in_law', '外村成员', lpad($1::text, 18, '0'), 'female', '1995-01-01', 'ordinary', 'healthy', 'none')
       ON CONFLICT (id) DO NOTHING`,
      [strayMember, TOWNSHIP.household.own, TOWNSHIP.village.sibling, world.counties.A],
    );
    await sql(
      `INSERT INTO insurance_enrolment (household_id, person_id, county_code, year, scheme, premium, subsidy)
       VALUES ($2, $1::bigint, $3, 2024, 'resident', 380, 200) ON CONFLICT DO NOTHING`,
      [strayMember, TOWNSHIP.household.own, world.counties.A],
    );
    app = await startApp();
    await new Promise<void>((resolve) => app.server.httpServer.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}/graphql`;
    schema = await buildAppSchema();
    permissions = await permissionMap();
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  /** Figures computed straight in SQL over the households inside `scope`. */
  async function expectedIn(scope: string) {
    const [row] = await sql(
      `SELECT count(*)::int AS households,
              (SELECT count(*)::int FROM person p WHERE p.village_code LIKE $1 || '%') AS persons,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM dibao_enrolment d WHERE d.household_id = h.id AND d.status = 'active'
                                              AND d.start_date <= current_date AND (d.end_date IS NULL OR d.end_date >= current_date)))::int AS dibao,
              (SELECT count(*)::int FROM project j WHERE j.region_code LIKE $1 || '%') AS projects
         FROM household h WHERE h.village_code LIKE $1 || '%'`,
      [scope],
    );
    return row as { households: number; persons: number; dibao: number; projects: number };
  }

  for (const variant of [TOWNSHIP, COUNTY]) {
    const parent = variant.region.parent;
    it(`${variant.name} scope: the divisions above it show only the caller's own figures, children and projects`, async () => {
      const res = await post(`${REGION} query ($own: DivisionCode!, $parent: DivisionCode!) {
          own: region(code: $own) { ...R } parent: region(code: $parent) { ...R } province: region(code: "99") { ...R }
          households(first: 100) { totalCount edges { node { villageCode } } }
          persons(first: 100) { totalCount edges { node { villageCode } } }
        }`, { own: variant.scope, parent }, await authorizationOf(coordinator, variant.scope));
      expect(res.errors).toBeUndefined();
      const { own, parent: above, province } = res.data;
      const expected = await expectedIn(variant.scope);
      // The world has rows outside the scope in the parent division, so equal figures mean "cut".
      expect((await expectedIn(parent)).households).toBeGreaterThan(expected.households);

      expect(own.households.totalCount).toBe(expected.households);
      expect(res.data.households.totalCount).toBe(expected.households);
      expect(res.data.persons.totalCount).toBe(expected.persons);
      for (const region of [own, above, province]) {
        expect(region.households.totalCount).toBe(expected.households);
        const villages = region.households.edges.flatMap((e: any) => [e.node.villageCode, ...e.node.members.map((m: any) => m.villageCode)]);
        expect(villages.filter((code: string) => !inside(code, variant.scope))).toEqual([]);
        expect(region.summary).toEqual(own.summary);
        expect(region.projects.filter((p: any) => !inside(p.regionCode, variant.scope))).toEqual([]);
      }
      expect(own.summary.householdsByStatus.reduce((n: number, s: any) => n + s.households, 0)).toBe(expected.households);
      expect(own.summary.dibaoHouseholds).toBe(expected.dibao);
      expect(own.projects).toHaveLength(expected.projects);
      // Projects attached to the division above (its own project) are not the caller's.
      expect(above.projects.map((p: any) => p.regionCode)).not.toContain(padCode(parent));
      // Going down from above, only the branch that leads to the caller.
      expect(above.children.map((c: any) => c.code)).toEqual([padCode(variant.scope)]);
      expect(province.children.map((c: any) => c.code)).toEqual([padCode(world.city)]);
      for (const list of [res.data.households, res.data.persons]) {
        expect(list.edges.filter((e: any) => !inside(e.node.villageCode, variant.scope))).toEqual([]);
      }
    });
  }

  it('lists a household\'s members inside the scope only, on every read path', async () => {
    const authorization = await authorizationOf(coordinator, TOWNSHIP.scope);
    const card = `members { id: databaseId insuranceEnrolments { personId } }`;
    const paths = {
      // read ahead with the household (one statement)
      card: await post(`query ($h: ID!) { household(id: $h) { ${card} } }`, { h: TOWNSHIP.household.own }, authorization),
      // read ahead with a page of households
      page: await post(`query ($r: DivisionCode!) { households(first: 100, filter: { regionCode: $r }) { edges { node { id: databaseId ${card} } } } }`, { r: TOWNSHIP.village.own }, authorization),
      // the per-relation loaders
      loaders: await post(`query ($p: ID!) { person(id: $p) { household { ${card} } } }`, { p: memberOf(TOWNSHIP.household.own, 1) }, authorization),
    };
    const members = {
      card: paths.card.data?.household.members,
      page: paths.page.data?.households.edges.find((e: any) => e.node.id === TOWNSHIP.household.own).node.members,
      loaders: paths.loaders.data?.person.household.members,
    };
    expect(Object.values(paths).flatMap((r) => r.errors ?? [])).toEqual([]);
    const ids = [1, 2, 3].map((m) => memberOf(TOWNSHIP.household.own, m as 1 | 2 | 3));
    for (const list of Object.values(members)) {
      expect(list.map((m: any) => m.id)).toEqual(ids);
      expect(list.flatMap((m: any) => m.insuranceEnrolments).length).toBeGreaterThan(0);
      for (const m of list) expect(m.insuranceEnrolments.every((e: any) => e.personId === m.id)).toBe(true);
    }
    // The stray member is the caller's sibling township's: NOT_FOUND, exactly like a missing one.
    const stray = await post('query ($p: ID!) { person(id: $p) { id } }', { p: strayMember }, authorization);
    const missing = await post('query ($p: ID!) { person(id: $p) { id } }', { p: memberOf(TOWNSHIP.household.missing, 1) }, authorization);
    expect(stray.errors?.map((e) => [e.extensions?.code, e.message])).toEqual(missing.errors?.map((e) => [e.extensions?.code, e.message]));
    expect(stray.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // A county officer sees that member with the rest.
    const county = await post(`query ($h: ID!) { household(id: $h) { ${card} } }`, { h: TOWNSHIP.household.own }, await authorizationOf(coordinator, COUNTY.scope));
    expect(county.data.household.members.map((m: any) => m.id).sort()).toEqual([...ids, strayMember].sort());
    expect(county.data.household.members.find((m: any) => m.id === strayMember).insuranceEnrolments).toEqual([{ personId: strayMember }]);
  });

  it('names a relocation destination outside the scope by its code only', async () => {
    await sql(`INSERT INTO relocation (county_code, household_id, destination_code, settlement_mode, planned_year, subsidy_amount, status)
               SELECT $1, $2::bigint, $3::varchar, 'dispersed', 2025, 1, 'planned'
                WHERE NOT EXISTS (SELECT 1 FROM relocation WHERE household_id = $2::bigint AND destination_code = $3::varchar)`,
    [world.counties.A, TOWNSHIP.household.own, TOWNSHIP.village.sibling]);
    const res = await post('query ($h: ID!) { household(id: $h) { relocations { destinationCode destination { code } } } }', { h: TOWNSHIP.household.own },
      await authorizationOf(ACTORS.find((a) => a.label === 'officer:housing') as Actor, TOWNSHIP.scope));
    expect(res.errors).toBeUndefined();
    const byCode = Object.fromEntries(res.data.household.relocations.map((r: any) => [r.destinationCode, r.destination]));
    expect(byCode).toEqual({ [TOWNSHIP.village.own]: { code: TOWNSHIP.village.own }, [TOWNSHIP.village.sibling]: null });
  });

  /**
   * How to reach each guarded field of a non-root type from a root query on the caller's own
   * records, and the guarded fields on the way.
   */
  function reach(variant: Variant, key: string): { query: string; variables: Record<string, unknown>; path: string[] } {
    const [type, field] = key.split('.');
    const def = (schema.getType(type) as { getFields(): Record<string, any> }).getFields()[field];
    const ARGS: Record<string, string> = { 'Household.income': '(year: 2023)', 'RegionSummary.insuredShare': '(year: 2024)', 'Household.exitReadiness': '(year: 2024)', 'Household.supportPlan': '(year: 2024)' };
    const leaf = `${field}${ARGS[key] ?? ''}${isObjectType(getNamedType(def.type)) ? ' { __typename }' : ''}`;
    const household = { h: variant.household.own };
    switch (type) {
      case 'Household': return { query: `query ($h: ID!) { household(id: $h) { ${leaf} } }`, variables: household, path: ['Query.household', key] };
      case 'Person': return { query: `query ($p: ID!) { person(id: $p) { ${leaf} } }`, variables: { p: memberOf(variant.household.own, 1) }, path: ['Query.person', key] };
      case 'HealthCondition':
        return { query: `query ($p: ID!) { person(id: $p) { healthConditions { ${leaf} } } }`, variables: { p: memberOf(variant.household.own, 1) }, path: ['Query.person', 'Person.healthConditions', key] };
      case 'Relocation':
        return { query: `query ($h: ID!) { household(id: $h) { relocations { ${leaf} } } }`, variables: household, path: ['Query.household', 'Household.relocations', key] };
      case 'Pairing':
        return { query: `query ($h: ID!) { household(id: $h) { pairings { ${leaf} } } }`, variables: household, path: ['Query.household', 'Household.pairings', key] };
      case 'Cadre':
        return { query: `query ($h: ID!) { household(id: $h) { pairings { cadre { ${leaf} } } } }`, variables: household, path: ['Query.household', 'Household.pairings', key] };
      case 'SupportPlan':
        return { query: `query ($h: ID!) { household(id: $h) { supportPlan(year: 2024) { ${leaf} } } }`, variables: household, path: ['Query.household', 'Household.supportPlan', key] };
      case 'Region': return { query: `query ($r: DivisionCode!) { region(code: $r) { ${leaf} } }`, variables: { r: variant.scope }, path: ['Query.region', key] };
      case 'RegionSummary':
        return { query: `query ($r: DivisionCode!) { region(code: $r) { summary { ${leaf} } } }`, variables: { r: variant.scope }, path: ['Query.region', 'Region.summary', key] };
      case 'Project':
        return { query: `query ($r: DivisionCode!) { region(code: $r) { projects { ${leaf} } } }`, variables: { r: variant.scope }, path: ['Query.region', 'Region.projects', key] };
      case 'Village': return { query: `query ($v: DivisionCode!) { village(code: $v) { ${leaf} } }`, variables: { v: variant.village.own }, path: ['Query.village', key] };
      // The household's procedures (access-world.ts gives every household one).
      case 'Procedure':
        return { query: `query ($h: ID!) { household(id: $h) { procedures { ${leaf} } } }`, variables: household, path: ['Query.household', 'Household.procedures', key] };
      // The caller's own department's batches (none in this world: the field's own check still runs for the page).
      case 'ImportBatch': return { query: `{ importBatches(first: 1) { edges { node { ${leaf} } } } }`, variables: {}, path: ['Query.importBatches', key] };
      default: throw new Error(`no way to reach ${key}: add one here`);
    }
  }

  it('checks every edge itself: each role × each guarded field on its own records', async () => {
    const fields = Object.keys(permissions).filter((key) => !/^(Query|Mutation|Subscription)\./.test(key) && schema.getType(key.split('.')[0]));
    expect(fields.length).toBeGreaterThan(40);
    const problems: string[] = [];
    const cases = ACTORS.flatMap((actor) => fields.map((key) => ({ actor, key })));
    const authorizations = new Map(await Promise.all(ACTORS.map(async (a) => [a.label, await authorizationOf(a, TOWNSHIP.scope)] as const)));
    let next = 0;
    await Promise.all(Array.from({ length: 12 }, async () => {
      while (next < cases.length) {
        const { actor, key } = cases[next++];
        const { query, variables, path } = reach(TOWNSHIP, key);
        const res = await post(query, variables, authorizations.get(actor.label) as string);
        // The first guarded field on the way that the role does not hold is the one refused.
        const refusedAt = path.findIndex((step) => !holds(actor, permissions[step]));
        const expected = !actor.role ? 'UNAUTHENTICATED' : refusedAt === -1 ? 'ok' : 'FORBIDDEN';
        const got = res.errors?.length ? String(res.errors[0].extensions?.code) : 'ok';
        if (got !== expected) problems.push(`${actor.label} ${key}: ${got} (${res.errors?.[0]?.message ?? ''}), expected ${expected}`);
        if (expected === 'FORBIDDEN') {
          const refused = path[refusedAt].split('.')[1];
          const at = res.errors?.[0].path ?? [];
          if (at[at.length - 1] !== refused) problems.push(`${actor.label} ${key}: refused at ${at.join('.')}, expected at ${refused}`);
          const value = at.reduce((v: any, step) => (v == null ? v : v[step]), res.data);
          if (value != null) problems.push(`${actor.label} ${key}: data beside FORBIDDEN`);
        }
      }
    }));
    expect(problems).toEqual([]);
  });

  it('answers a write on a record outside the scope without waiting on it, exactly like a missing one', async () => {
    // Someone in the sibling township is changing their 低保 enrolment (a row lock held open).
    const [{ id, version }] = await sql<{ id: string; version: number }>(
      `SELECT id::text AS id, version FROM dibao_enrolment WHERE household_id = $1 ORDER BY id LIMIT 1`, [TOWNSHIP.household.sibling]);
    const holder = await pg.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM dibao_enrolment WHERE id = $1 FOR UPDATE', [id]);
      const civil = await authorizationOf(ACTORS.find((a) => a.department === Department.CIVIL_AFFAIRS) as Actor, TOWNSHIP.scope);
      const update = (target: string) => post(`mutation ($id: ID!, $v: Int!) { updateDibaoEnrolment(id: $id, version: $v, input: { monthlyAmount: 1 }) { id } }`,
        { id: target, v: version }, civil);
      const timeout = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 2000).unref());
      const foreign = await Promise.race([update(id), timeout]);
      const missing = await update('999999999999');
      expect(foreign).not.toBe('blocked');
      if (foreign === 'blocked') return;
      expect(foreign.errors?.map((e) => [e.extensions?.code, e.message])).toEqual(missing.errors?.map((e) => [e.extensions?.code, e.message]));
      expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('answers the same over WebSocket: outside the scope exactly as missing, totals cut to the scope', async () => {
    const authorization = await authorizationOf(coordinator, TOWNSHIP.scope);
    const client = createClient({ url: endpoint.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: { authorization } });
    const ws = (query: string, variables: Record<string, unknown>) =>
      new Promise<{ data?: any; errors?: any[] }>((resolve) => {
        let result = {};
        client.subscribe({ query, variables }, {
          next: (value) => { result = value; },
          error: (errors) => resolve({ errors: errors as any[] }),
          complete: () => resolve(result),
        });
      });
    try {
      const query = 'query ($h: ID!) { household(id: $h) { id members { id } } }';
      const answers: Record<string, unknown> = {};
      for (const kind of ['own', 'sibling', 'parent', 'foreign', 'missing'] as const) {
        const [overWs, overHttp] = [await ws(query, { h: TOWNSHIP.household[kind] }), await post(query, { h: TOWNSHIP.household[kind] }, authorization)];
        answers[kind] = overWs.errors?.map((e) => [e.extensions?.code, e.message]) ?? overWs.data;
        expect({ kind, answer: answers[kind] }).toEqual({ kind, answer: overHttp.errors?.map((e) => [e.extensions?.code, e.message]) ?? overHttp.data });
      }
      for (const kind of ['sibling', 'parent', 'foreign']) expect({ kind, answer: answers[kind] }).toEqual({ kind, answer: answers.missing });
      const totals = await ws('query ($r: DivisionCode!) { region(code: $r) { households(first: 1) { totalCount } } }', { r: TOWNSHIP.region.parent });
      expect(totals.data.region.households.totalCount).toBe((await expectedIn(TOWNSHIP.scope)).households);
    } finally {
      await client.dispose();
    }
  });

  it('refuses an education officer the household\'s 低保 enrolments although it reads the household', async () => {
    const education = await authorizationOf(ACTORS.find((a) => a.department === Department.EDUCATION) as Actor, TOWNSHIP.scope);
    const household = await post('query ($h: ID!) { household(id: $h) { id number } }', { h: TOWNSHIP.household.own }, education);
    expect(household.errors).toBeUndefined();
    const dibao = await post('query ($h: ID!) { household(id: $h) { id: databaseId dibaoEnrolments { id } } }', { h: TOWNSHIP.household.own }, education);
    expect(dibao.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'household.dibaoEnrolments']]);
    // The refusal nulls that field alone (issue 10 §2): the household is still answered.
    expect(dibao.data).toEqual({ household: { id: TOWNSHIP.household.own, dibaoEnrolments: null } });
  });
});
