import { graphql } from 'graphql';
import { Client } from 'pg';
import { dataSource } from '../../ormconfig';
import { Role, type Principal } from '../../src/core/auth';
import { createContext } from '../../src/core/context';
import { Db } from '../../src/core/db';
import { Department } from '../../src/core/vocab';
import { refreshReleases } from '../../src/modules/aggregates';
import { AGG_CITY, buildAggregateWorld } from '../support/aggregate-world';
import { bearer, startApp } from '../support/app';

// The approved-aggregate catalog (公开统计目录, issue 9 §2, §3 read side): analysts propose, the
// poverty office approves, revises and retires, every version is kept and every change audited;
// a release is computed once and read as stored; published cells equal direct SQL on the
// fixture; a third party reads only the entries its key names, at township level or coarser,
// and nothing else; staff read cells inside their scope.

const ENTRY = `id code status version region metric dimensions levels years descriptionZh descriptionEn approvedAt`;
const CELLS = `query ($code: String!, $region: String, $year: Int, $level: RegionLevel) {
  approvedAggregate(code: $code, region: $region, year: $year, level: $level) {
    year level region releaseId releasedAt minCell entry { code version }
    cells { region { code name level } categories { dimension value } value suppressed }
  }
}`;
const PROPOSE = `mutation ($code: String!, $input: AggregateEntryInput!) { proposeAggregateEntry(code: $code, input: $input) { ${ENTRY} } }`;
const APPROVE = `mutation ($code: String!, $version: Int!) { approveAggregateEntry(code: $code, version: $version) {
  entry { ${ENTRY} } release { id cells suppressedPrimary suppressedComplementary minCell } } }`;
const RETIRE = `mutation ($code: String!, $version: Int!) { retireAggregateEntry(code: $code, version: $version) { entry { status version } release { id } } }`;
const REFRESH = `mutation { refreshApprovedAggregates { id cells suppressedPrimary suppressedComplementary } }`;

const byStatus = {
  metric: 'HOUSEHOLDS', dimensions: ['STATUS'], levels: ['CITY', 'COUNTY', 'TOWNSHIP'], years: [2024], region: AGG_CITY,
  descriptionZh: '按识别状态统计户数', descriptionEn: 'Households by registration status',
};
const byCause = {
  metric: 'HOUSEHOLDS', dimensions: ['MAIN_CAUSE'], levels: ['COUNTY', 'TOWNSHIP'], years: [2023, 2024], region: AGG_CITY,
  descriptionZh: '按主要致贫原因统计户数', descriptionEn: 'Households by main poverty cause',
};

interface Cell { region: { code: string; name: string | null; level: string }; categories: Array<{ dimension: string; value: string | null }>; value: number | null; suppressed: boolean }

describe('approved-aggregate catalog', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let db: Client;
  let analyst: string;
  let coordinator: string;
  let office: string;
  let health: string;
  const sql = async <T = any>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[];

  /** Runs a document on the served schema (guards included) as `principal`: tokens cannot claim THIRD_PARTY. */
  const asPrincipal = async (principal: Principal, source: string, variableValues: Record<string, unknown> = {}) => {
    const res = await graphql({ schema: app.server.schema, source, variableValues, contextValue: createContext(new Db(dataSource), { principal }) });
    return { data: res.data as Record<string, any> | null | undefined, errors: res.errors };
  };
  const ngo = (catalogEntries: string[]): Principal => ({
    subject: 'key:ngo-test', role: Role.THIRD_PARTY, department: null, scope: '', organisation: '测试基金会', catalogEntries,
  });

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildAggregateWorld(url);
    db = new Client({ connectionString: url });
    await db.connect();
    app = await startApp();
    analyst = await bearer({ role: Role.ANALYST, scope: '99', sub: 'agg-analyst' });
    coordinator = await bearer({ role: Role.COORDINATOR, scope: AGG_CITY, sub: 'agg-coordinator' });
    office = await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '99', sub: 'agg-office' });
    health = await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: '99', sub: 'agg-health' });

    // Two entries, proposed and approved, used by the tests below.
    for (const [code, input, by] of [['test-hh-status', byStatus, analyst], ['test-hh-cause', byCause, coordinator]] as const) {
      const proposed = await app.gql(PROPOSE, { code, input }, { authorization: by });
      expect(proposed.errors).toBeUndefined();
      const approved = await app.gql(APPROVE, { code, version: 1 }, { authorization: office });
      expect(approved.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await db?.end();
    await app?.stop();
  });

  it('keeps a proposal unpublished until the poverty office approves it; nobody else may approve; every version is kept and audited', async () => {
    const input = { ...byStatus, dimensions: ['STATUS', 'MAIN_CAUSE'], levels: ['COUNTY'] };
    const proposed = await app.gql(PROPOSE, { code: 'test-hh-status-cause', input }, { authorization: analyst });
    expect(proposed.errors).toBeUndefined();
    expect(proposed.data.proposeAggregateEntry).toMatchObject({ status: 'PROPOSED', version: 1, levels: ['COUNTY'], dimensions: ['STATUS', 'MAIN_CAUSE'] });
    const listed = await app.gql(`{ approvedAggregates { code } }`, {}, { authorization: analyst });
    expect(listed.data.approvedAggregates.map((e: { code: string }) => e.code)).not.toContain('test-hh-status-cause');
    const unreleased = await app.gql(CELLS, { code: 'test-hh-status-cause' }, { authorization: analyst });
    expect(unreleased.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    for (const who of [analyst, coordinator, health]) {
      const refused = await app.gql(APPROVE, { code: 'test-hh-status-cause', version: 1 }, { authorization: who });
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const stale = await app.gql(APPROVE, { code: 'test-hh-status-cause', version: 7 }, { authorization: office });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const approved = await app.gql(APPROVE, { code: 'test-hh-status-cause', version: 1 }, { authorization: office });
    expect(approved.errors).toBeUndefined();
    expect(approved.data.approveAggregateEntry.entry).toMatchObject({ status: 'APPROVED', version: 2 });
    expect(approved.data.approveAggregateEntry.release.cells).toBeGreaterThan(0);
    const again = await app.gql(APPROVE, { code: 'test-hh-status-cause', version: 2 }, { authorization: office });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');

    const versions = await app.gql(`query { aggregateEntryVersions(code: "test-hh-status-cause") { version action status changedBy } }`, {}, { authorization: analyst });
    expect(versions.data.aggregateEntryVersions).toEqual([
      { version: 1, action: 'propose', status: 'PROPOSED', changedBy: 'agg-analyst' },
      { version: 2, action: 'approve', status: 'APPROVED', changedBy: 'agg-office' },
    ]);
    const audit = await sql(`SELECT subject, action, outcome FROM audit_record WHERE entity = 'AggregateEntry' AND entity_id = $1 ORDER BY seq`, [
      (await sql(`SELECT id::text AS id FROM aggregate_entry WHERE code = 'test-hh-status-cause'`))[0].id,
    ]);
    expect(audit).toEqual([
      { subject: 'agg-analyst', action: 'create', outcome: 'success' },
      { subject: 'agg-office', action: 'update', outcome: 'success' },
    ]);
    const conflicts = await sql(`SELECT subject, outcome FROM audit_record WHERE entity_id = 'test-hh-status-cause' ORDER BY seq`);
    expect(conflicts).toEqual([{ subject: 'agg-office', outcome: 'conflict' }, { subject: 'agg-office', outcome: 'conflict' }]);
    const forbidden = await sql(`SELECT subject FROM audit_record WHERE entity = 'Mutation.approveAggregateEntry' AND outcome = 'forbidden' ORDER BY seq`);
    expect(forbidden.map((r) => r.subject)).toEqual(expect.arrayContaining(['agg-analyst', 'agg-coordinator', 'agg-health']));
  });

  it('refuses entries finer than township, metrics that are not counts, and proposals outside the proposer\'s scope', async () => {
    const village = await app.gql(PROPOSE, { code: 'test-village', input: { ...byStatus, levels: ['VILLAGE'] } }, { authorization: analyst });
    expect(village.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(village.errors?.[0].message).toMatch(/finer than township/);
    const ratio = await app.gql(PROPOSE, { code: 'test-ratio', input: { ...byStatus, metric: 'DIBAO_COVERAGE' } }, { authorization: analyst });
    expect(ratio.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // A region outside the proposer's scope answers as a missing one does.
    const outside = await app.gql(PROPOSE, { code: 'test-outside', input: { ...byStatus, region: '99' } }, { authorization: coordinator });
    const missing = await app.gql(PROPOSE, { code: 'test-outside', input: { ...byStatus, region: '993199' } }, { authorization: coordinator });
    expect(outside.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(outside.errors?.[0].message).toBe(missing.errors?.[0].message);
    const thirdCannot = await asPrincipal(ngo(['test-hh-status']), PROPOSE, { code: 'test-ngo', input: byStatus });
    expect(thirdCannot.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('publishes township cells that equal direct SQL on the fixture, small ones suppressed, in a bounded number of statements', async () => {
    const res = await app.gql(CELLS, { code: 'test-hh-status', level: 'TOWNSHIP', year: 2024 }, { authorization: analyst });
    expect(res.errors).toBeUndefined();
    expect(res.sqlStatements).toBeLessThanOrEqual(3);
    const cells: Cell[] = res.data.approvedAggregate.cells;
    const truth = await sql<{ township: string; status: string | null; n: number }>(
      `SELECT rpad(left(village_code, 9), 12, '0') AS township, status::text AS status, count(*)::int AS n FROM household
        WHERE county_code LIKE '9931%' GROUP BY GROUPING SETS ((1, 2), (1))`,
    );
    const key = (township: string, status: string | null | undefined) => `${township}/${status ?? '*'}`;
    const expected = new Map(truth.map((t) => [key(t.township, t.status), t.n]));
    expect(cells.length).toBe(expected.size);
    let small = 0;
    for (const c of cells) {
      expect(c.region.level).toBe('TOWNSHIP');
      const n = expected.get(key(c.region.code, c.categories[0]?.value));
      expect(n).toBeDefined();
      if (c.suppressed) expect(c.value).toBeNull();
      else expect(c.value).toBe(n);
      if ((n as number) < 10) {
        small++;
        expect(c.suppressed).toBe(true);
      }
    }
    expect(small).toBeGreaterThan(0);
    // Complementary suppression hid some cells that are not small.
    expect(cells.some((c) => c.suppressed && (expected.get(key(c.region.code, c.categories[0]?.value)) as number) >= 10)).toBe(true);
    // County totals add up to the city total where all are published.
    const city = await app.gql(CELLS, { code: 'test-hh-status', level: 'CITY' }, { authorization: analyst });
    const cityTotal = city.data.approvedAggregate.cells.find((c: Cell) => c.categories.length === 0);
    expect(cityTotal.value).toBe(truth.filter((t) => t.status === null).reduce((s, t) => s + t.n, 0));
  });

  it('answers the frozen release: the same cells twice, unchanged by new data until a refresh', async () => {
    const read = async () => (await app.gql(CELLS, { code: 'test-hh-cause', level: 'COUNTY', year: 2024 }, { authorization: analyst })).data.approvedAggregate;
    const first = await read();
    expect(await read()).toEqual(first);
    // Twelve more households in county 993101 (cause illness): the release does not move.
    await sql(`INSERT INTO household (id, number, village_code, county_code, status, main_cause, has_water, has_electricity, has_road, has_safe_housing, has_network, has_sanitation)
      SELECT 9939900 + g, '993101001001' || lpad((9000 + g)::text, 4, '0'), '993101001001', '993101', 'registered', 'illness', true, true, true, true, true, true FROM generate_series(1, 12) g`);
    try {
      expect(await read()).toEqual(first);
      const refreshed = await app.gql(REFRESH, {}, { authorization: office });
      expect(refreshed.errors).toBeUndefined();
      const after = await read();
      expect(after.releaseId).not.toBe(first.releaseId);
      const total = (r: typeof first) => r.cells.find((c: Cell) => c.region.code === '993101000000' && c.categories.length === 0).value;
      expect(total(after)).toBe(total(first) + 12);
    } finally {
      await sql(`DELETE FROM household WHERE id BETWEEN 9939901 AND 9939912`);
      await app.gql(REFRESH, {}, { authorization: office });
    }
  });

  it('refreshes on schedule only when no release is fresh, without changing published figures when the data did not change', async () => {
    const db = new Db(dataSource);
    const read = async () => (await app.gql(CELLS, { code: 'test-hh-status', level: 'TOWNSHIP' }, { authorization: analyst })).data.approvedAggregate;
    const before = await read();
    expect(await refreshReleases(db, 3_600_000)).toBeNull();
    const release = await refreshReleases(db, 0);
    expect(release).toMatchObject({ minCell: 10 });
    const after = await read();
    expect(after.releaseId).toBe(release?.id);
    expect(after.cells).toEqual(before.cells);
    const [row] = await sql(`SELECT reason FROM aggregate_release WHERE id = $1`, [release?.id]);
    expect(row.reason).toBe('scheduled');
  });

  it('shows a third party only the entries its key names, at township level or coarser, with no identifier and nothing else', async () => {
    const key = ngo(['test-hh-status']);
    const list = await asPrincipal(key, `{ approvedAggregates { code descriptionZh descriptionEn } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data?.approvedAggregates).toEqual([{ code: 'test-hh-status', descriptionZh: '按识别状态统计户数', descriptionEn: 'Households by registration status' }]);
    const other = await asPrincipal(key, CELLS, { code: 'test-hh-cause' });
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const missing = await asPrincipal(key, CELLS, { code: 'no-such-entry' });
    expect(missing.errors?.[0].message).toBe(other.errors?.[0].message);

    // Every cell it can read, at every level: none finer than township, no identifier.
    const seen: Cell[] = [];
    for (const level of ['CITY', 'COUNTY', 'TOWNSHIP']) {
      const res = await asPrincipal(key, CELLS, { code: 'test-hh-status', level });
      expect(res.errors).toBeUndefined();
      seen.push(...(res.data?.approvedAggregate.cells ?? []));
    }
    expect(seen.length).toBeGreaterThan(10);
    for (const c of seen) expect(c.region.code.slice(9)).toBe('000');
    const text = JSON.stringify(seen);
    expect(text).not.toMatch(/\d{18}|测试\d+-\d|99310\d{7}\d{4}/);
    const village = await asPrincipal(key, CELLS, { code: 'test-hh-status', level: 'VILLAGE' });
    expect(village.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const villageRegion = await asPrincipal(key, CELLS, { code: 'test-hh-status', region: '993101001001' });
    expect(villageRegion.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // Nothing else: no report, no household, no region tree, no catalog history.
    for (const doc of [`{ report(dimensions: [REGION_VILLAGE], metrics: [HOUSEHOLDS]) { rows { values { value } } } }`,
      `{ region(code: "993101") { code } }`, `{ aggregateEntries { code } }`, `{ aggregateEntryVersions(code: "test-hh-status") { version } }`]) {
      const res = await asPrincipal(key, doc);
      expect(res.errors?.[0]).toBeDefined();
      expect(['FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED', undefined]).toContain(res.errors?.[0].extensions?.code ?? undefined);
      expect(res.data?.report ?? res.data?.region ?? res.data?.aggregateEntries ?? null).toBeNull();
    }
  });

  it('cuts staff to their scope: a county analyst gets its county by default, no city cell, and only the county\'s townships', async () => {
    const county = await bearer({ role: Role.ANALYST, scope: '993102', sub: 'agg-county-analyst' });
    const own = await app.gql(CELLS, { code: 'test-hh-status' }, { authorization: county });
    expect(own.errors).toBeUndefined();
    expect(own.data.approvedAggregate).toMatchObject({ region: '993102000000', level: 'COUNTY' });
    expect(new Set(own.data.approvedAggregate.cells.map((c: Cell) => c.region.code))).toEqual(new Set(['993102000000']));
    const city = await app.gql(CELLS, { code: 'test-hh-status', region: AGG_CITY, level: 'CITY' }, { authorization: county });
    const missing = await app.gql(CELLS, { code: 'test-hh-status', region: '993109', level: 'COUNTY' }, { authorization: county });
    expect(city.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(city.errors?.[0].message).toBe(missing.errors?.[0].message);
    const townships = await app.gql(CELLS, { code: 'test-hh-status', level: 'TOWNSHIP' }, { authorization: county });
    const codes = new Set(townships.data.approvedAggregate.cells.map((c: Cell) => c.region.code.slice(0, 6)));
    expect([...codes]).toEqual(['993102']);
  });

  it('retires an entry: it leaves the list and its cells are no longer served', async () => {
    const proposed = await app.gql(PROPOSE, { code: 'test-to-retire', input: { ...byCause, levels: ['COUNTY'] } }, { authorization: analyst });
    expect(proposed.errors).toBeUndefined();
    await app.gql(APPROVE, { code: 'test-to-retire', version: 1 }, { authorization: office });
    expect((await app.gql(CELLS, { code: 'test-to-retire' }, { authorization: analyst })).errors).toBeUndefined();
    const retired = await app.gql(RETIRE, { code: 'test-to-retire', version: 2 }, { authorization: office });
    expect(retired.data.retireAggregateEntry.entry).toEqual({ status: 'RETIRED', version: 3 });
    expect((await app.gql(CELLS, { code: 'test-to-retire' }, { authorization: analyst })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const list = await app.gql(`{ approvedAggregates { code } }`, {}, { authorization: analyst });
    expect(list.data.approvedAggregates.map((e: { code: string }) => e.code)).not.toContain('test-to-retire');
  });
});
