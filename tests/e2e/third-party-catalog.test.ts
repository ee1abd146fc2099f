import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer, startApp, type GqlResult } from '../support/app';
import { buildCounty } from '../support/fixtures';

// The third-party path end to end (issue 9 §2, §3): an administrator issues a key for one catalog
// entry; analysts propose and the poverty office approves entries through the real mutations
// (approval computes a release); then the organisation, over HTTP, through the gate, with only
// its key and the hashes of the published manifest (schema/third-party-operations.json), reads
// the catalog, the cells of its entry, and public notices. It sees its one entry only, cells
// at township level or coarser with the small ones hidden, no identifier, no person; every call
// is audited; a revoked key is refused (401), audited, never 5xx.
// County 993801: three townships, the third with a few monitored households (small cells).

const COUNTY = '993801';
const MINE = 'tp-hh-status';
const OTHER = 'tp-hh-cause';

interface ManifestOperation { sha256Hash: string; operationName: string; document: string }
const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schema/third-party-operations.json'), 'utf8')) as { operations: ManifestOperation[] };
const hashOf = (name: string): string => {
  const op = manifest.operations.find((o) => o.operationName === name);
  if (!op) throw new Error(`schema/third-party-operations.json lacks ${name}`);
  return op.sha256Hash;
};

const PROPOSE = `mutation ($code: String!, $input: AggregateEntryInput!) { proposeAggregateEntry(code: $code, input: $input) { code status version } }`;
const APPROVE = `mutation ($code: String!, $version: Int!) { approveAggregateEntry(code: $code, version: $version) { entry { code status version } release { id cells suppressedPrimary } } }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id catalogEntries status } } }`;
const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { id version } }`;
const MOVE = `mutation ($id: ID!, $v: Int!, $to: ProjectStatus!) { transitionProject(id: $id, version: $v, input: { to: $to }) { __typename ... on Project { status } } }`;
const ALLOCATE = `mutation ($p: ID!, $input: AllocateFundsInput!) { allocateFunds(projectId: $p, input: $input) { __typename } }`;

const NOTICE_FIELDS = ['id', 'kind', 'publishedOn', 'projectId', 'projectName', 'projectKind', 'regionCode', 'regionName', 'budget', 'amount',
  'allocatedTotal', 'fundSources', 'implementingUnit', 'periodStart', 'periodEnd', 'beneficiaryHouseholds'];
/** What would betray a person or a household: ID numbers (18 digits), household numbers (16), fixture person names, person fields. */
const IDENTIFIER = /\d{16,}|测试\d+-\d|idNumber|"name"\s*:\s*"测试\d|householdId|personId|"number"/;

interface Cell { region: { code: string; name: string | null; level: string }; categories: Array<{ dimension: string; value: string | null }>; value: number | null; suppressed: boolean }

describe('a third party reads the approved catalog end to end, through its key and the published hashes', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;
  let admin: string;
  let key: string;
  let keyId: string;
  const sql = async <T = any>(text: string, params: unknown[] = []) => (await pg.query(text, params)).rows as T[];
  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return Object.values(r.data)[0];
  };

  /** A call as the organisation would make it: POST /graphql, its key, a registered hash, variables. */
  const thirdParty = async (operationName: string, variables: Record<string, unknown> = {}, withKey = key) => {
    const res = await request(app.server.app).post('/graphql').set('content-type', 'application/json').set('authorization', `ApiKey ${withKey}`)
      .send({ extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(operationName) } }, variables });
    return { status: res.status, text: res.text, body: res.body as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions: Record<string, any> }> }, requestId: String(res.headers['x-request-id']) };
  };
  const callsAudited = async () =>
    (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_record WHERE entity = 'ThirdPartyCall' AND subject = $1`, [`apikey:${keyId}`]))[0].n;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 3, villagesPerTownship: 3, householdsPerVillage: 8, idBase: 9_938_000 });
    pg = new Client({ connectionString: url });
    await pg.connect();
    // 24 households a township, half registered, half exited; in township 003 three of them
    // monitored (a small cell the release must hide, and with it complementary ones).
    await sql(`UPDATE household SET status = CASE WHEN id % 2 = 0 THEN 'exited' ELSE 'registered' END::household_status WHERE county_code = $1`, [COUNTY]);
    await sql(`UPDATE household SET status = 'monitored' WHERE id IN (SELECT id FROM household WHERE village_code LIKE $1 ORDER BY id LIMIT 3)`, [`${COUNTY}003%`]);
    app = await startApp();
    admin = await bearer({ role: Role.ADMIN, scope: '99', sub: 'tp-admin' });
    const analyst = await bearer({ role: Role.ANALYST, scope: '99', sub: 'tp-analyst' });
    const office = await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '99', sub: 'tp-office' });
    const common = { metric: 'HOUSEHOLDS', years: [2024], region: COUNTY };
    ok(await app.gql(PROPOSE, { code: MINE, input: { ...common, dimensions: ['STATUS'], levels: ['COUNTY', 'TOWNSHIP'], descriptionZh: '按识别状态统计户数', descriptionEn: 'Households by status' } }, { authorization: analyst }));
    ok(await app.gql(PROPOSE, { code: OTHER, input: { ...common, dimensions: ['MAIN_CAUSE'], levels: ['COUNTY'], descriptionZh: '按致贫原因统计户数', descriptionEn: 'Households by cause' } }, { authorization: analyst }));

    // The key is issued while its entry is still a proposal: it reads nothing of it until approval.
    const issued = ok(await app.gql(CREATE_KEY, { input: { organisation: '某乡村公益基金会', catalogEntries: [MINE] } }, { authorization: admin }));
    expect(issued.apiKey).toMatchObject({ catalogEntries: [MINE], status: 'ACTIVE' });
    key = issued.key;
    keyId = issued.apiKey.id;

    for (const code of [MINE, OTHER]) {
      const approved = ok(await app.gql(APPROVE, { code, version: 1 }, { authorization: office }));
      expect(approved.entry).toEqual({ code, status: 'APPROVED', version: 2 });
      expect(approved.release.cells).toBeGreaterThan(0);
    }

    // Notices: a village project approved and funded, as the county's poverty office does it.
    const poverty = await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: COUNTY, sub: 'tp-po' });
    const project = ok(await app.gql(CREATE_PROJECT, {
      input: { regionCode: `${COUNTY}001001`, name: '村道硬化工程', kind: 'INFRASTRUCTURE', year: 2025, budget: 50000, fundSources: ['CENTRAL'],
        implementingUnit: '县交通局', startDate: '2025-03-01', endDate: '2025-09-30', beneficiaryHouseholds: 8 },
    }, { authorization: poverty }));
    expect(ok(await app.gql(MOVE, { id: project.id, v: project.version, to: 'APPROVED' }, { authorization: poverty }))).toEqual({ __typename: 'Project', status: 'APPROVED' });
    expect(ok(await app.gql(ALLOCATE, { p: project.id, input: { source: 'CENTRAL', amount: 20000, allocatedOn: '2025-03-10' } }, { authorization: poverty }))).toEqual({ __typename: 'FundAllocation' });
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  it('lists exactly the one entry its key names (not the other approved one), and reads its cells: township or coarser, small ones null, no identifier', async () => {
    expect(await callsAudited()).toBe(0);
    const list = await thirdParty('ApprovedAggregates');
    expect(list.status).toBe(200);
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data?.approvedAggregates).toEqual([expect.objectContaining({ code: MINE, metric: 'HOUSEHOLDS', dimensions: ['STATUS'], levels: ['COUNTY', 'TOWNSHIP'], years: [2024] })]);

    const cells: Cell[] = [];
    for (const level of ['COUNTY', 'TOWNSHIP']) {
      const res = await thirdParty('ApprovedAggregate', { code: MINE, level });
      expect({ level, status: res.status, errors: res.body.errors }).toEqual({ level, status: 200, errors: undefined });
      const agg = res.body.data?.approvedAggregate;
      expect(agg).toMatchObject({ entry: { code: MINE }, region: `${COUNTY}000000`, year: 2024, level, minCell: 10 });
      for (const c of agg.cells as Cell[]) expect({ code: c.region.code, level: c.region.level }).toEqual({ code: expect.stringMatching(/^\d{9}000$/), level });
      cells.push(...agg.cells);
      expect(res.text).not.toMatch(IDENTIFIER);
    }
    // Every published figure is the fixture's (direct SQL); the three monitored households are
    // hidden, with complementary cells, and a hidden cell has no value.
    const truth = await sql<{ region: string; status: string | null; n: number }>(
      `SELECT coalesce(t.township, $1 || '000000') AS region, t.status, t.n FROM (
         SELECT rpad(left(village_code, 9), 12, '0') AS township, status::text AS status, count(*)::int AS n FROM household
          WHERE county_code = $1 GROUP BY GROUPING SETS ((1, 2), (1), (2), ())) t`, [COUNTY],
    );
    const expected = new Map(truth.map((t) => [`${t.region}/${t.status ?? '*'}`, t.n]));
    const published = cells.filter((c) => !c.suppressed);
    expect(published.length).toBeGreaterThan(4);
    for (const c of published) expect({ c, value: c.value }).toEqual({ c, value: expected.get(`${c.region.code}/${c.categories[0]?.value ?? '*'}`) });
    expect(published.filter((c) => (c.value as number) > 0 && (c.value as number) < 10)).toEqual([]);
    expect(cells.find((c) => c.region.code === `${COUNTY}003000` && c.categories[0]?.value === 'monitored')).toEqual(expect.objectContaining({ value: null, suppressed: true }));
    expect(cells.filter((c) => c.suppressed).length).toBeGreaterThan(1);
    for (const c of cells.filter((c) => c.suppressed)) expect(c.value).toBeNull();
    expect(await callsAudited()).toBe(3);
  });

  it('another approved entry answers NOT_FOUND, exactly as a code that does not exist', async () => {
    const other = await thirdParty('ApprovedAggregate', { code: OTHER });
    const missing = await thirdParty('ApprovedAggregate', { code: 'tp-no-such-entry' });
    expect(other.status).toBeLessThan(500);
    expect(other.body.data?.approvedAggregate ?? null).toBeNull();
    expect(other.body.errors?.map((e) => e.extensions.code)).toEqual(['NOT_FOUND']);
    expect({ status: missing.status, errors: missing.body.errors?.map((e) => ({ message: e.message, code: e.extensions.code })) })
      .toEqual({ status: other.status, errors: other.body.errors?.map((e) => ({ message: e.message, code: e.extensions.code })) });
    // Nor can it reach the other entry's cells by asking at a level or region of its own entry.
    const finer = await thirdParty('ApprovedAggregate', { code: MINE, region: `${COUNTY}001001` });
    expect(finer.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(await callsAudited()).toBe(6);
  });

  it('reads public notices: project facts only, no person field, no identifier', async () => {
    const res = await thirdParty('PublicNotices', { regionCode: COUNTY, first: 10 });
    expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 200, errors: undefined });
    const notices = (res.body.data?.publicNotices.edges as Array<{ node: Record<string, unknown> }>).map((e) => e.node);
    expect(notices.map((n) => n.kind)).toEqual(['ALLOCATION', 'APPROVAL']);
    for (const n of notices) expect(Object.keys(n).sort()).toEqual([...NOTICE_FIELDS].sort());
    expect(notices[0]).toMatchObject({ projectName: '村道硬化工程', regionCode: `${COUNTY}001001`, amount: 20000, allocatedTotal: 20000, beneficiaryHouseholds: 8 });
    expect(res.text).not.toMatch(IDENTIFIER);
    expect(await callsAudited()).toBe(7);
  });

  it('every call is audited once under the key; after revokeApiKey the same key is refused (401), audited, never 5xx', async () => {
    const records = await sql<{ fields: string[]; outcome: string; role: string }>(
      `SELECT fields, outcome, role FROM audit_record WHERE entity = 'ThirdPartyCall' AND subject = $1 ORDER BY seq`, [`apikey:${keyId}`],
    );
    expect(records.map((r) => r.fields[0])).toEqual([
      'ApprovedAggregates', 'ApprovedAggregate', 'ApprovedAggregate', 'ApprovedAggregate', 'ApprovedAggregate', 'ApprovedAggregate', 'PublicNotices',
    ]);
    expect(new Set(records.map((r) => r.role))).toEqual(new Set(['third_party']));

    const revoked = ok(await app.gql(`mutation ($id: ID!) { revokeApiKey(id: $id) { id status } }`, { id: keyId }, { authorization: admin }));
    expect(revoked).toEqual({ id: keyId, status: 'REVOKED' });
    for (const op of ['ApprovedAggregates', 'ApprovedAggregate', 'PublicNotices'] as const) {
      const res = await thirdParty(op, op === 'ApprovedAggregate' ? { code: MINE } : {});
      expect({ op, status: res.status, data: res.body.data ?? null, codes: res.body.errors?.map((e) => e.extensions.code) })
        .toEqual({ op, status: 401, data: null, codes: ['UNAUTHENTICATED'] });
      const audit = await sql(`SELECT subject, entity, outcome, purpose FROM audit_record WHERE request_id = $1`, [res.requestId]);
      expect(audit).toEqual([expect.objectContaining({ subject: `apikey:${keyId}`, entity: 'ThirdPartyCall', outcome: 'forbidden', purpose: expect.stringContaining('revoked key') })]);
    }
    expect(await callsAudited()).toBe(10);
  });
});
