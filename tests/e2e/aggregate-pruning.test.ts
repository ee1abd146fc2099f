import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { RELEASES_KEPT } from '../../src/modules/aggregates';
import { bearer, startApp, type GqlResult } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Releases are frozen, and each writes every cell of the catalog: only the latest three keep
// their cells (older releases keep their row), so the cell table does not grow by a catalog per
// refresh; reads answer from the latest release throughout. County 993802.

const COUNTY = '993802';
const CODE = 'prune-hh-status';
const CELLS = `query ($code: String!, $level: RegionLevel) { approvedAggregate(code: $code, level: $level) {
  releaseId cells { region { code } categories { dimension value } value suppressed } } }`;

describe('release pruning: the latest three releases keep their cells', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;
  let office: string;
  let analyst: string;
  const sql = async <T = any>(text: string, params: unknown[] = []) => (await pg.query(text, params)).rows as T[];
  const ok = (r: GqlResult) => {
    expect(r.errors).toBeUndefined();
    return Object.values(r.data)[0];
  };

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 2, villagesPerTownship: 2, householdsPerVillage: 12, idBase: 9_938_500 });
    pg = new Client({ connectionString: url });
    await pg.connect();
    await sql(`UPDATE household SET status = CASE WHEN id % 2 = 0 THEN 'exited' ELSE 'registered' END::household_status WHERE county_code = $1`, [COUNTY]);
    app = await startApp();
    analyst = await bearer({ role: Role.ANALYST, scope: '99', sub: 'prune-analyst' });
    office = await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '99', sub: 'prune-office' });
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  it('after four releases only the latest three keep cells; the first keeps its row; reads answer from the latest', async () => {
    expect(RELEASES_KEPT).toBe(3);
    ok(await app.gql(`mutation ($code: String!, $input: AggregateEntryInput!) { proposeAggregateEntry(code: $code, input: $input) { code } }`, {
      code: CODE,
      input: { metric: 'HOUSEHOLDS', dimensions: ['STATUS'], levels: ['COUNTY', 'TOWNSHIP'], years: [2024], region: COUNTY, descriptionZh: '按状态统计户数', descriptionEn: 'Households by status' },
    }, { authorization: analyst }));
    const approved = ok(await app.gql(`mutation { approveAggregateEntry(code: "${CODE}", version: 1) { release { id cells } } }`, {}, { authorization: office }));
    const releases: string[] = [approved.release.id];
    const countyTotal = async () => {
      const agg = ok(await app.gql(CELLS, { code: CODE, level: 'COUNTY' }, { authorization: analyst }));
      return { releaseId: agg.releaseId as string, total: agg.cells.find((c: { categories: unknown[] }) => c.categories.length === 0).value as number };
    };
    expect(await countyTotal()).toEqual({ releaseId: releases[0], total: 48 });

    for (let i = 0; i < 2; i++) releases.push(ok(await app.gql(`mutation { refreshApprovedAggregates { id } }`, {}, { authorization: office })).id);
    // Twelve more registered households before the fourth release: only it counts them.
    await sql(`INSERT INTO household (id, number, village_code, county_code, status, has_water, has_electricity, has_road, has_safe_housing, has_network, has_sanitation)
      SELECT 9938900 + g, '${COUNTY}0010019' || lpad(g::text, 3, '0'), '${COUNTY}001001', $1, 'registered', true, true, true, true, true, true FROM generate_series(1, 12) g`, [COUNTY]);
    expect(await countyTotal()).toEqual({ releaseId: releases[2], total: 48 });
    releases.push(ok(await app.gql(`mutation { refreshApprovedAggregates { id } }`, {}, { authorization: office })).id);
    expect(new Set(releases).size).toBe(4);

    const kept = await sql<{ releaseId: string; n: number }>(`SELECT release_id::text AS "releaseId", count(*)::int AS n FROM aggregate_cell GROUP BY release_id ORDER BY release_id`);
    expect(kept.map((k) => k.releaseId)).toEqual(releases.slice(1));
    for (const k of kept) expect(k.n).toBe(kept[0].n);
    expect(kept[0].n).toBeGreaterThan(0);
    expect(await sql(`SELECT id::text AS id FROM aggregate_release ORDER BY id`)).toEqual(releases.map((id) => ({ id })));
    expect(await countyTotal()).toEqual({ releaseId: releases[3], total: 60 });

    // A fifth: the second release's cells go too, still three kept.
    releases.push(ok(await app.gql(`mutation { refreshApprovedAggregates { id } }`, {}, { authorization: office })).id);
    const after = await sql<{ releaseId: string }>(`SELECT DISTINCT release_id::text AS "releaseId" FROM aggregate_cell ORDER BY 1`);
    expect(after.map((k) => k.releaseId).sort((a, b) => Number(a) - Number(b))).toEqual(releases.slice(2));
    const township = ok(await app.gql(CELLS, { code: CODE, level: 'TOWNSHIP' }, { authorization: analyst }));
    expect(township.releaseId).toBe(releases[4]);
    expect(township.cells.length).toBeGreaterThan(0);
  });
});
