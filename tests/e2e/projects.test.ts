import { Client } from 'pg';
import { grants, Role, type Principal } from '../../src/core/auth';
import { permissionMap } from '../../src/core/auth/permission-map';
import { buildAppSchema } from '../../src/core/schema';
import { Department } from '../../src/core/vocab';
import { bearer, startApp, type GqlResult } from '../support/app';
import { buildCounty } from '../support/fixtures';
import { isObjectType } from 'graphql';

// Projects and funds in the open (项目资金公告公示, issue 12 §1): the project machine, budgets
// held under concurrency, and the public notices each approval, allocation and acceptance
// publishes, which name no person and are readable by staff in scope and third parties.

const COUNTY = '993403';
const OTHER = '993404';
const TOWNSHIP = `${COUNTY}001000`;
const VILLAGE = `${COUNTY}001002`;

const STATUSES = ['PLANNED', 'APPROVED', 'UNDERWAY', 'COMPLETED', 'ACCEPTED', 'CANCELLED'] as const;
type Status = (typeof STATUSES)[number];
const LEGAL: Record<Status, Status[]> = {
  PLANNED: ['APPROVED', 'CANCELLED'],
  APPROVED: ['UNDERWAY', 'CANCELLED'],
  UNDERWAY: ['COMPLETED'],
  COMPLETED: ['ACCEPTED'],
  ACCEPTED: [],
  CANCELLED: [],
};
const NOTICE_OF: Partial<Record<Status, string>> = { APPROVED: 'APPROVAL', ACCEPTED: 'ACCEPTANCE' };

const PROJECT_FIELDS = 'id version regionCode name kind year budget status implementingUnit startDate endDate beneficiaryHouseholds fundSources allocatedTotal';
const CREATE = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { ${PROJECT_FIELDS} } }`;
const MOVE = `mutation ($id: ID!, $v: Int!, $to: ProjectStatus!) { transitionProject(id: $id, version: $v, input: { to: $to }) {
  __typename ... on Project { ${PROJECT_FIELDS} } ... on IllegalProjectTransition { from to allowed message } } }`;
const ALLOCATE = `mutation ($p: ID!, $input: AllocateFundsInput!) { allocateFunds(projectId: $p, input: $input) {
  __typename ... on FundAllocation { id projectId source amount allocatedOn announcedOn } ... on BudgetExceeded { budget allocated requested remaining message } } }`;
const NOTICE_FIELDS = 'id kind publishedOn projectId projectName projectKind regionCode regionName budget amount allocatedTotal fundSources implementingUnit periodStart periodEnd beneficiaryHouseholds';
const NOTICES = `query ($r: String, $first: Int!, $after: String) { publicNotices(regionCode: $r, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { ${NOTICE_FIELDS} } } } }`;

const projectInput = {
  regionCode: VILLAGE, name: '测试村饮水工程', kind: 'INFRASTRUCTURE', year: 2025, budget: 100000, fundSources: ['CENTRAL', 'COUNTY'],
  implementingUnit: '县水利局', startDate: '2025-03-01', endDate: '2025-10-31', beneficiaryHouseholds: 42,
};

describe('projects, fund allocations and public notices', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;
  const poverty = (scope = COUNTY) => bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope, sub: `po-${scope}` });
  const sql = async (text: string, params: unknown[] = []) => (await pg.query(text, params)).rows;
  const run = async (doc: string, variables: Record<string, unknown>, auth: Promise<string>) => app.gql(doc, variables, { authorization: await auth });
  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return Object.values(r.data)[0];
  };
  const code = (r: GqlResult) => r.errors?.[0].extensions?.code;
  const noticesOf = (projectId: string) => sql('SELECT kind::text, amount::float8 AS amount, allocated_total::float8 AS total FROM public_notice WHERE project_id = $1 ORDER BY id', [projectId]);

  /** A project of the village stored at `status`, with an optional first allocation. */
  async function projectAt(status: Status, budget = 1000): Promise<{ id: string; version: number }> {
    const [row] = await sql(
      `INSERT INTO project (county_code, region_code, name, kind, year, budget, status, fund_sources, implementing_unit)
       VALUES ($1, $2, '夹具项目', 'infrastructure', 2025, $3, $4, '{central,county}', '县交通局') RETURNING id::text AS id, version`,
      [COUNTY, VILLAGE, budget, status.toLowerCase()],
    );
    return row;
  }

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 1, villagesPerTownship: 2, householdsPerVillage: 2, idBase: 9_936_000 });
    await buildCounty(url, { county: OTHER, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_937_000 });
    pg = new Client({ connectionString: url });
    await pg.connect();
    app = await startApp();
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  it('every project move: legal ones succeed (approval and acceptance publish a notice), every other answers IllegalProjectTransition', async () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        const p = await projectAt(from);
        const r = await run(MOVE, { id: p.id, v: p.version, to }, poverty());
        const result = ok(r);
        const notices = await noticesOf(p.id);
        if (LEGAL[from].includes(to)) {
          expect({ from, to, type: result.__typename, status: result.status }).toEqual({ from, to, type: 'Project', status: to });
          expect({ from, to, notices: notices.map((n) => n.kind) }).toEqual({ from, to, notices: NOTICE_OF[to] ? [NOTICE_OF[to].toLowerCase()] : [] });
        } else {
          expect({ from, to, result }).toEqual({ from, to, result: { __typename: 'IllegalProjectTransition', from, to, allowed: LEGAL[from], message: expect.any(String) } });
          expect(await sql('SELECT status::text, version FROM project WHERE id = $1', [p.id])).toEqual([{ status: from.toLowerCase(), version: 1 }]);
          expect(notices).toEqual([]);
          expect(await sql('SELECT outcome FROM audit_record WHERE request_id = $1', [r.requestId])).toEqual([{ outcome: 'conflict' }]);
        }
      }
    }
  });

  it('the poverty office creates, approves, funds and accepts a project; each step is announced with project facts only', async () => {
    // Coordinators coordinate measures; projects and funds are the poverty office's.
    expect(code(await run(CREATE, { input: projectInput }, bearer({ scope: COUNTY })))).toBe('FORBIDDEN');
    expect(code(await run(CREATE, { input: { ...projectInput, regionCode: `${OTHER}001001` } }, poverty()))).toBe('NOT_FOUND');
    // A project sits in a village or a township, not a county.
    expect(code(await run(CREATE, { input: { ...projectInput, regionCode: `${COUNTY}000000` } }, poverty()))).toBe('BAD_USER_INPUT');
    expect(ok(await run(CREATE, { input: { ...projectInput, regionCode: TOWNSHIP, name: '乡镇产业园' } }, poverty()))).toMatchObject({ regionCode: TOWNSHIP, status: 'PLANNED' });
    const p = ok(await run(CREATE, { input: projectInput }, poverty()));
    expect(p).toMatchObject({ status: 'PLANNED', budget: 100000, allocatedTotal: 0, fundSources: ['CENTRAL', 'COUNTY'], beneficiaryHouseholds: 42 });
    // Funds follow approval.
    expect(code(await run(ALLOCATE, { p: p.id, input: { source: 'CENTRAL', amount: 100, allocatedOn: '2025-03-01' } }, poverty()))).toBe('CONFLICT');
    expect(ok(await run(MOVE, { id: p.id, v: 1, to: 'APPROVED' }, poverty()))).toMatchObject({ status: 'APPROVED', version: 2 });

    const first = ok(await run(ALLOCATE, { p: p.id, input: { source: 'CENTRAL', amount: 60000, allocatedOn: '2025-03-10' } }, poverty()));
    expect(first).toMatchObject({ __typename: 'FundAllocation', source: 'CENTRAL', amount: 60000, allocatedOn: '2025-03-10', announcedOn: expect.any(String) });
    expect(code(await run(ALLOCATE, { p: p.id, input: { source: 'SOCIAL', amount: 1, allocatedOn: '2025-03-10' } }, poverty()))).toBe('BAD_USER_INPUT');
    const over = await run(ALLOCATE, { p: p.id, input: { source: 'COUNTY', amount: 40000.01, allocatedOn: '2025-03-11' } }, poverty());
    expect(ok(over)).toEqual({ __typename: 'BudgetExceeded', budget: 100000, allocated: 60000, requested: 40000.01, remaining: 40000, message: expect.any(String) });
    expect(await sql('SELECT count(*)::int AS n FROM fund_allocation WHERE project_id = $1', [p.id])).toEqual([{ n: 1 }]);
    ok(await run(ALLOCATE, { p: p.id, input: { source: 'COUNTY', amount: 40000, allocatedOn: '2025-03-11' } }, poverty()));

    for (const to of ['UNDERWAY', 'COMPLETED', 'ACCEPTED']) {
      const [{ version }] = await sql('SELECT version FROM project WHERE id = $1', [p.id]);
      expect(ok(await run(MOVE, { id: p.id, v: version, to }, poverty()))).toMatchObject({ status: to });
    }
    expect(await noticesOf(p.id)).toEqual([
      { kind: 'approval', amount: null, total: 0 }, { kind: 'allocation', amount: 60000, total: 60000 },
      { kind: 'allocation', amount: 40000, total: 100000 }, { kind: 'acceptance', amount: null, total: 100000 },
    ]);

    const read = ok(await run(NOTICES, { r: VILLAGE, first: 10 }, bearer({ role: Role.ANALYST, scope: COUNTY })));
    const mine = read.edges.map((e: any) => e.node).filter((n: any) => n.projectId === p.id);
    expect(mine.map((n: any) => n.kind)).toEqual(['ACCEPTANCE', 'ALLOCATION', 'ALLOCATION', 'APPROVAL']);
    expect(mine[1]).toEqual({
      id: expect.any(String), kind: 'ALLOCATION', publishedOn: expect.any(String), projectId: p.id, projectName: '测试村饮水工程', projectKind: 'INFRASTRUCTURE',
      regionCode: VILLAGE, regionName: '测试村1-2', budget: 100000, amount: 40000, allocatedTotal: 100000, fundSources: ['COUNTY'],
      implementingUnit: '县水利局', periodStart: '2025-03-01', periodEnd: '2025-10-31', beneficiaryHouseholds: 42,
    });
    // Out of scope: another county's officer sees none of them.
    const foreign = ok(await run(NOTICES, { r: null, first: 100 }, poverty(OTHER)));
    expect(foreign.edges.filter((e: any) => e.node.regionCode.startsWith(COUNTY))).toEqual([]);
  });

  it('concurrent allocations never jointly exceed the budget', async () => {
    const p = await projectAt('APPROVED', 1000);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      run(ALLOCATE, { p: p.id, input: { source: i % 2 ? 'CENTRAL' : 'COUNTY', amount: 300, allocatedOn: '2025-04-01' } }, poverty())));
    const kinds = results.map((r) => ok(r).__typename).sort();
    expect(kinds).toEqual(['BudgetExceeded', 'BudgetExceeded', 'BudgetExceeded', 'FundAllocation', 'FundAllocation', 'FundAllocation']);
    expect(await sql('SELECT sum(amount)::float8 AS total, count(*)::int AS n FROM fund_allocation WHERE project_id = $1', [p.id])).toEqual([{ total: 900, n: 3 }]);
    expect((await noticesOf(p.id)).map((n) => n.total).sort()).toEqual([300, 600, 900]);
  });

  it('a notice names no person: its type and its table have no personal field, and third parties may read it', async () => {
    const schema = await buildAppSchema();
    const type = schema.getType('PublicNotice');
    if (!isObjectType(type)) throw new Error('PublicNotice is not an object type');
    expect(Object.keys(type.getFields()).sort()).toEqual(NOTICE_FIELDS.split(' ').sort());
    const personal = /person|household(?!s$)|name$|idNumber|phone|cadre|member|head/i;
    expect(Object.keys(type.getFields()).filter((f) => personal.test(f) && !['projectName', 'regionName'].includes(f))).toEqual([]);
    const columns = await sql(`SELECT column_name FROM information_schema.columns WHERE table_name = 'public_notice' ORDER BY column_name`);
    expect(columns.map((c) => c.column_name).filter((c) => /person|household_id|cadre|id_number|phone/.test(c))).toEqual([]);

    const roles = (await permissionMap())['Query.publicNotices'] as string[];
    const thirdParty: Principal = { subject: 'ngo-1', role: Role.THIRD_PARTY, department: null, scope: '', organisation: 'ngo' };
    expect(grants(thirdParty, roles)).toBe(true);
    for (const role of [Role.OFFICER, Role.COORDINATOR, Role.ANALYST, Role.AUDITOR]) {
      expect({ role, granted: grants({ subject: 's', role, department: Department.HEALTH, scope: COUNTY }, roles) }).toEqual({ role, granted: true });
    }
  });

  it('pages of notices cost the same statements however many notices there are', async () => {
    const township = `${OTHER}001000`;
    for (let i = 0; i < 12; i++) {
      const [p] = await sql(`INSERT INTO project (county_code, region_code, name, kind, year, budget, status, fund_sources) VALUES ($1, $2, $3, 'industry', 2025, 500, 'planned', '{county}') RETURNING id::text AS id`, [OTHER, township, `乡镇项目${i}`]);
      ok(await run(MOVE, { id: p.id, v: 1, to: 'APPROVED' }, poverty(OTHER)));
    }
    const page = (first: number) => run(NOTICES, { r: OTHER, first }, poverty(OTHER));
    const small = await page(2);
    const large = await page(12);
    expect(ok(small).edges).toHaveLength(2);
    expect(ok(large).edges).toHaveLength(12);
    expect(ok(large).totalCount).toBe(12);
    expect(large.sqlStatements).toBe(small.sqlStatements);
    const next = ok(await run(NOTICES, { r: OTHER, first: 10, after: ok(small).pageInfo.endCursor }, poverty(OTHER)));
    expect(next.edges).toHaveLength(10);
    expect(next.edges.map((e: any) => e.node.id)).toEqual(ok(large).edges.slice(2).map((e: any) => e.node.id));
  });
  it('measures charged to an allocation spend at most its amount, and name its source', async () => {
    const p = await projectAt('APPROVED', 5000);
    const allocation = ok(await run(ALLOCATE, { p: p.id, input: { source: 'CENTRAL', amount: 1000, allocatedOn: '2025-04-01' } }, poverty()));
    const MEASURE = `mutation ($h: ID!, $input: CreateMeasureInput!) { createMeasure(householdId: $h, input: $input) { id version amount fundAllocationId fundSource } }`;
    const measure = (amount: number) => ({ kind: 'INDUSTRY', department: 'POVERTY_OFFICE', amount, year: 2025, description: '产业奖补', fundAllocationId: allocation.id });
    const household = '9936004'; // in VILLAGE
    const first = ok(await run(MEASURE, { h: household, input: measure(600) }, poverty()));
    expect(first).toMatchObject({ fundAllocationId: allocation.id, fundSource: 'CENTRAL' });
    const over = await run(MEASURE, { h: household, input: measure(500) }, poverty());
    expect([code(over), over.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'input.amount']);
    ok(await run(MEASURE, { h: household, input: measure(400) }, poverty()));
    const raise = await run(`mutation ($id: ID!) { updateMeasure(id: $id, version: 1, input: { amount: 601 }) { id } }`, { id: first.id }, poverty());
    expect(code(raise)).toBe('BAD_USER_INPUT');
    // A household outside the project's village and township cannot be paid from it.
    expect(code(await run(MEASURE, { h: '9937001', input: measure(1) }, poverty(OTHER)))).toBe('BAD_USER_INPUT');
  });
});
