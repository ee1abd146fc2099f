import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { usePairingLoadLimit } from '../../src/modules/poverty-office';
import { bearer, startApp, type GqlResult } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Pairing (结对帮扶, issue 12 §1): cadres and their units, visits whose notes carry no personal
// details, coverage (registered households with no cadre, cadres over a load), and 不脱贫不脱钩.

const COUNTY = '993405';
const BASE = 9_938_000;
const H = (n: number) => String(BASE + n);
// buildCounty: in each village of four, household 1 exited, 2 monitored, 3 none, 4 registered.
const REGISTERED = [H(4), H(8)];

const CADRE = `mutation ($input: CreateCadreInput!) { createCadre(input: $input) { id name unit phone } }`;
const PAIR = `mutation ($h: ID!, $input: CreatePairingInput!) { createPairing(householdId: $h, input: $input) { id version startDate endDate cadre { id } } }`;
const END = `mutation ($id: ID!, $v: Int!, $end: LocalDate!) { endPairing(id: $id, version: $v, input: { endDate: $end }) { id version endDate } }`;
const VISIT = `mutation ($p: ID!, $input: LogVisitInput!) { logVisit(pairingId: $p, input: $input) { id householdId pairingId visitedOn kind notes } }`;
const UNCOVERED = `query ($r: String, $first: Int!, $after: String) { householdsWithoutCadre(regionCode: $r, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id: databaseId status villageCode } } } }`;
const OVERLOADED = `query ($r: String, $over: Int) { overloadedCadres(regionCode: $r, over: $over, first: 50) {
  totalCount edges { node { id currentHouseholds cadre { name unit pairings(current: true) { householdId } } } } } }`;

describe('pairing cadres, visits, coverage and 不脱贫不脱钩', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;
  const coordinator = () => bearer({ scope: COUNTY, sub: 'coord-pairing' });
  const poverty = (scope = COUNTY) => bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope, sub: 'po-pairing' });
  const sql = async (text: string, params: unknown[] = []) => (await pg.query(text, params)).rows;
  const run = async (doc: string, variables: Record<string, unknown>, auth: Promise<string>) => app.gql(doc, variables, { authorization: await auth });
  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return Object.values(r.data)[0];
  };
  const code = (r: GqlResult) => r.errors?.[0].extensions?.code;
  const uncovered = async (first = 50, after?: string) => {
    const r = await run(UNCOVERED, { r: COUNTY, first, after }, poverty());
    return { page: ok(r), statements: r.sqlStatements };
  };

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 1, villagesPerTownship: 2, householdsPerVillage: 4, idBase: BASE });
    pg = new Client({ connectionString: url });
    await pg.connect();
    app = await startApp();
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  it('covers registered households: those with no cadre are listed until paired, page by page, at a fixed statement count', async () => {
    expect(code(await run(CADRE, { input: { regionCode: '993499000000', name: '干部', unit: '县扶贫办' } }, coordinator()))).toBe('NOT_FOUND');
    expect(code(await run(CADRE, { input: { regionCode: `${COUNTY}000000`, name: '干部', unit: '县扶贫办' } }, bearer({ role: Role.ANALYST, scope: COUNTY })))).toBe('FORBIDDEN');
    // A township officer sends one to a village of its township, not above it.
    expect(ok(await run(CADRE, { input: { regionCode: `${COUNTY}001001`, name: '周干部', unit: '镇政府' } }, poverty(`${COUNTY}001`)))).toMatchObject({ unit: '镇政府' });
    expect(code(await run(CADRE, { input: { regionCode: `${COUNTY}000000`, name: '周干部', unit: '镇政府' } }, poverty(`${COUNTY}001`)))).toBe('NOT_FOUND');
    const cadre = ok(await run(CADRE, { input: { regionCode: `${COUNTY}000000`, name: '李干部', unit: '县财政局', phone: '0744-8221234' } }, coordinator()));
    expect(cadre).toMatchObject({ name: '李干部', unit: '县财政局' });

    const before = await uncovered();
    expect(before.page.totalCount).toBe(2);
    expect(before.page.edges.map((e: any) => e.node)).toEqual(REGISTERED.map((id) => ({ id, status: 'REGISTERED', villageCode: expect.any(String) })));
    const one = await uncovered(1);
    expect(one.page.pageInfo.hasNextPage).toBe(true);
    expect(one.statements).toBe(before.statements);
    const second = await uncovered(1, one.page.pageInfo.endCursor);
    expect(second.page.edges.map((e: any) => e.node.id)).toEqual([REGISTERED[1]]);

    ok(await run(PAIR, { h: REGISTERED[0], input: { cadreId: cadre.id, startDate: '2025-01-01' } }, poverty()));
    expect((await uncovered()).page.edges.map((e: any) => e.node.id)).toEqual([REGISTERED[1]]);
    // A township caller sees only its own township's (the same one here) and another township none.
    expect(ok(await run(UNCOVERED, { r: `${COUNTY}001001`, first: 10 }, poverty(`${COUNTY}001`))).totalCount).toBe(0);
    expect(ok(await run(UNCOVERED, { r: `${COUNTY}001002`, first: 10 }, poverty(`${COUNTY}001`))).totalCount).toBe(1);
    expect(ok(await run(UNCOVERED, { r: null, first: 10 }, poverty(`${COUNTY}002`))).totalCount).toBe(0);
  });

  it('lists cadres over the load limit, configurable per query (default 10)', async () => {
    const cadre = ok(await run(CADRE, { input: { regionCode: `${COUNTY}000000`, name: '王干部', unit: '县教育局' } }, coordinator()));
    for (const h of [H(1), H(2), H(5)]) ok(await run(PAIR, { h, input: { cadreId: cadre.id, startDate: '2025-02-01' } }, poverty()));
    const over2 = ok(await run(OVERLOADED, { r: COUNTY, over: 2 }, poverty()));
    const mine = over2.edges.filter((e: any) => e.node.id === cadre.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].node).toMatchObject({ currentHouseholds: 3, cadre: { name: '王干部', unit: '县教育局' } });
    expect(mine[0].node.cadre.pairings.map((p: any) => p.householdId).sort()).toEqual([H(1), H(2), H(5)]);
    expect(ok(await run(OVERLOADED, { r: COUNTY, over: 3 }, poverty())).edges.filter((e: any) => e.node.id === cadre.id)).toEqual([]);
    expect(ok(await run(OVERLOADED, { r: COUNTY, over: null }, poverty())).totalCount).toBe(0);
    // The default comes from the config (PAIRING_MAX_HOUSEHOLDS), which the server hands over.
    usePairingLoadLimit(2);
    try {
      expect(ok(await run(OVERLOADED, { r: COUNTY, over: null }, poverty())).edges.map((e: any) => e.node.id)).toContain(cadre.id);
    } finally {
      usePairingLoadLimit(10);
    }
    // Another county's caller never sees this county's cadres.
    expect(ok(await run(OVERLOADED, { r: null, over: 0 }, poverty('993406'))).totalCount).toBe(0);
  });

  it('logs visits within the pairing, refusing notes with personal details', async () => {
    const cadre = ok(await run(CADRE, { input: { regionCode: `${COUNTY}000000`, name: '赵干部', unit: '县卫健委' } }, coordinator()));
    const pairing = ok(await run(PAIR, { h: H(3), input: { cadreId: cadre.id, startDate: '2025-03-01' } }, poverty()));
    const visit = ok(await run(VISIT, { p: pairing.id, input: { visitedOn: '2025-03-15', kind: 'HOME_VISIT', notes: '了解产业发展意愿，宣讲小额信贷政策' } }, poverty()));
    expect(visit).toEqual({ id: expect.any(String), householdId: H(3), pairingId: pairing.id, visitedOn: '2025-03-15', kind: 'HOME_VISIT', notes: '了解产业发展意愿，宣讲小额信贷政策' });
    for (const notes of ['户主电话13812345678', '身份证号码430102199001011234', '户主患白血病，住院治疗']) {
      const r = await run(VISIT, { p: pairing.id, input: { visitedOn: '2025-03-16', kind: 'PHONE_CALL', notes } }, poverty());
      expect({ notes, code: code(r), field: r.errors?.[0].extensions?.field }).toEqual({ notes, code: 'BAD_USER_INPUT', field: 'input.notes' });
    }
    expect(code(await run(VISIT, { p: pairing.id, input: { visitedOn: '2025-02-28', kind: 'MEETING' } }, poverty()))).toBe('BAD_USER_INPUT');
    expect(code(await run(VISIT, { p: pairing.id, input: { visitedOn: '2025-03-20', kind: 'MEETING' } }, poverty('993406')))).toBe('NOT_FOUND');
    const read = await app.gql(`query ($h: ID!) { household(id: $h) { pairings { id visits { visitedOn kind } } } }`, { h: H(3) }, { authorization: await coordinator() });
    expect(read.data.household.pairings).toEqual([{ id: pairing.id, visits: [{ visitedOn: '2025-03-15', kind: 'HOME_VISIT' }] }]);
    expect(await sql('SELECT entity, kind, household_id::text AS h FROM change_event WHERE entity = $1 AND entity_id = $2', ['CadreVisit', visit.id]))
      .toEqual([{ entity: 'CadreVisit', kind: 'create', h: H(3) }]);
  });

  it('不脱贫不脱钩: the last current pairing of a registered household cannot end; a handover can, and an exited household lets go', async () => {
    const a = ok(await run(CADRE, { input: { regionCode: `${COUNTY}000000`, name: '钱干部', unit: '县水利局' } }, coordinator()));
    const b = ok(await run(CADRE, { input: { regionCode: `${COUNTY}000000`, name: '孙干部', unit: '县水利局' } }, coordinator()));
    const only = ok(await run(PAIR, { h: REGISTERED[1], input: { cadreId: a.id, startDate: '2025-01-01' } }, poverty()));
    const refused = await run(END, { id: only.id, v: 1, end: '2025-06-30' }, poverty());
    expect(code(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].message).toContain('不脱贫不脱钩');
    expect(await sql('SELECT end_date, version FROM pairing WHERE id = $1', [only.id])).toEqual([{ end_date: null, version: 1 }]);
    ok(await run(PAIR, { h: REGISTERED[1], input: { cadreId: b.id, startDate: '2025-06-01' } }, poverty()));
    expect(ok(await run(END, { id: only.id, v: 1, end: '2025-06-30' }, poverty()))).toMatchObject({ version: 2, endDate: '2025-06-30' });

    const exited = ok(await run(PAIR, { h: H(1), input: { cadreId: b.id, startDate: '2025-01-01' } }, poverty()));
    expect(ok(await run(END, { id: exited.id, v: 1, end: '2025-06-30' }, poverty()))).toMatchObject({ endDate: '2025-06-30' });
  });
  it('pairings with their visits and their cadres\' other pairings cost the same statements on a page of any size', async () => {
    const cadre = ok(await run(CADRE, { input: { regionCode: `${COUNTY}000000`, name: '吴干部', unit: '县民政局' } }, coordinator()));
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const p = ok(await run(PAIR, { h: H(n), input: { cadreId: cadre.id, startDate: '2025-04-01' } }, poverty()));
      ok(await run(VISIT, { p: p.id, input: { visitedOn: '2025-04-10', kind: 'HOME_VISIT', notes: '走访' } }, poverty()));
    }
    const doc = `query ($first: Int!) { households(first: $first, filter: { regionCode: "${COUNTY}" }) { edges { node { id
      pairings { id visits { id kind } cadre { name pairings(current: true) { householdId } } } } } } }`;
    const small = await app.gql(doc, { first: 2 }, { authorization: await coordinator() });
    const large = await app.gql(doc, { first: 8 }, { authorization: await coordinator() });
    expect(large.errors).toBeUndefined();
    const visits = (r: GqlResult) => r.data.households.edges.flatMap((e: any) => e.node.pairings.flatMap((p: any) => p.visits));
    expect(visits(large).length).toBeGreaterThanOrEqual(8);
    expect(visits(large).length).toBeGreaterThan(visits(small).length);
    expect(large.sqlStatements).toBe(small.sqlStatements);
  });
});
