import { FACET_ID_COLUMNS, facetByIdLoader, facetEdge, facetLoader } from '../../core/facet-loader';
import { groupBy, loaderFactory } from '../../core/loaders';
import { prefixRange, regionPredicate, targetScopedPredicate } from '../../core/scope';
import { MEASURE_STAGE_SQL } from './measure-stage';
import type { FundAllocationNode, MeasureNode, PairingNode, ProjectNode } from './poverty-office.types';

// One loader per relation; each select list names exactly the fields of its read type.

const PAIRING_COLUMNS = `${FACET_ID_COLUMNS}, f.start_date AS "startDate", f.end_date AS "endDate",
  (SELECT json_build_object('id', c.id::text, 'name', c.name, 'unit', c.unit, 'phone', c.phone) FROM cadre c WHERE c.id = f.cadre_id) AS cadre`;

/** pairingsByHouseholdId: household id → 结对帮扶 pairings with their cadre, newest first. */
export const pairingsByHouseholdId = facetLoader<PairingNode>({
  table: 'pairing',
  key: 'household_id',
  columns: PAIRING_COLUMNS,
  orderBy: 'f.start_date DESC, f.id DESC',
});

/** pairingById: one 结对帮扶 pairing with its cadre (read back after a write). */
export const pairingById = facetByIdLoader<PairingNode>({ table: 'pairing', columns: PAIRING_COLUMNS });

const MEASURE_COLUMNS = `f.id::text AS id, f.version, f.household_id::text AS "householdId", f.village_code AS "villageCode",
  f.kind, f.department, f.status, ${MEASURE_STAGE_SQL} AS stage, f.amount::float8 AS amount, f.year, f.description,
  f.responsible_unit AS "responsibleUnit", f.evidence, f.fund_allocation_id::text AS "fundAllocationId",
  (SELECT a.source FROM fund_allocation a WHERE a.id = f.fund_allocation_id) AS "fundSource",
  f.utilities::text[] AS utilities,
  ARRAY(SELECT b.household_id::text FROM measure_beneficiary b WHERE b.measure_id = f.id ORDER BY b.household_id) AS "beneficiaryHouseholdIds",
  f.completed_at AS "completedAt", f.verified_at AS "verifiedAt"`;

/** measuresByHouseholdId: household id → measures, newest year first. */
export const measuresByHouseholdId = facetLoader<MeasureNode>({
  table: 'measure',
  key: 'household_id',
  columns: MEASURE_COLUMNS,
  orderBy: 'f.year DESC, f.id DESC',
});

/** measureById: one measure, household or village (read back after a write). */
export const measureById = loaderFactory<MeasureNode | null>(async (ctx, ids) => {
  const scope = targetScopedPredicate(ctx.scope, 'f', 2);
  const rows = await ctx.db.query<MeasureNode>(
    `SELECT ${MEASURE_COLUMNS} FROM measure f WHERE f.id = ANY($1::bigint[]) AND ${scope.sql}`,
    [ids, ...scope.params],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
});

/** measuresByVillageCode: village code → its village measures (村级措施), newest year first. */
export const measuresByVillageCode = loaderFactory<MeasureNode[]>(async (ctx, codes) => {
  const scope = regionPredicate(ctx.scope, 'f.village_code', 2);
  const rows = await ctx.db.query<MeasureNode & { villageCode: string }>(
    `SELECT ${MEASURE_COLUMNS} FROM measure f
      WHERE f.village_code = ANY($1::text[]) AND ${scope.sql}
      ORDER BY f.village_code, f.year DESC, f.id DESC`,
    [codes, ...scope.params],
  );
  return groupBy(codes, rows, (r) => r.villageCode);
});

const PROJECT_COLUMNS = `f.id::text AS id, f.version, f.region_code AS "regionCode", f.county_code AS "countyCode", f.name, f.kind,
  f.year, f.budget::float8 AS budget, f.status, f.implementing_unit AS "implementingUnit", f.start_date AS "startDate", f.end_date AS "endDate",
  f.beneficiary_households AS "beneficiaryHouseholds", f.fund_sources::text[] AS "fundSources",
  (SELECT coalesce(sum(a.amount), 0)::float8 FROM fund_allocation a WHERE a.project_id = f.id) AS "allocatedTotal"`;

/**
 * projectsByRegionPrefix: division prefix (2–12 digits) → projects located in that division or
 * inside it, newest year first. Projects carry no household, so scope is a region predicate on
 * the project's own division.
 */
export const projectsByRegionPrefix = loaderFactory<ProjectNode[]>(async (ctx, prefixes) => {
  const scope = regionPredicate(ctx.scope, 'f.region_code', 2);
  const rows = await ctx.db.query<ProjectNode & { prefix: string }>(
    `SELECT k.prefix, ${PROJECT_COLUMNS}
       FROM unnest($1::text[]) AS k(prefix) JOIN project f ON ${prefixRange('f.region_code', 'k.prefix')}
      WHERE ${scope.sql}
      ORDER BY k.prefix, f.year DESC, f.id DESC`,
    [prefixes, ...scope.params],
  );
  return groupBy(prefixes, rows, (r) => r.prefix);
});

const ALLOCATION_COLUMNS = `f.id::text AS id, f.version, f.project_id::text AS "projectId", f.source, f.amount::float8 AS amount,
  f.allocated_on AS "allocatedOn", f.announced_on AS "announcedOn"`;

/** fundAllocationsByProjectId: project id → 资金拨付 allocations, newest first (scope via the project's division). */
export const fundAllocationsByProjectId = loaderFactory<FundAllocationNode[]>(async (ctx, ids) => {
  const scope = regionPredicate(ctx.scope, 'p.region_code', 2);
  const rows = await ctx.db.query<FundAllocationNode>(
    `SELECT ${ALLOCATION_COLUMNS}
       FROM fund_allocation f JOIN project p ON p.id = f.project_id
      WHERE f.project_id = ANY($1::bigint[]) AND ${scope.sql}
      ORDER BY f.project_id, f.allocated_on DESC, f.id DESC`,
    [ids, ...scope.params],
  );
  return groupBy(ids, rows, (r) => r.projectId);
});

/** projectById: one project inside scope (read back after a write). */
export const projectById = loaderFactory<ProjectNode | null>(async (ctx, ids) => {
  const scope = regionPredicate(ctx.scope, 'f.region_code', 2);
  const rows = await ctx.db.query<ProjectNode>(`SELECT ${PROJECT_COLUMNS} FROM project f WHERE f.id = ANY($1::bigint[]) AND ${scope.sql}`, [ids, ...scope.params]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
});

/** fundAllocationById: one allocation inside scope (via its project's division), read back after a write. */
export const fundAllocationById = loaderFactory<FundAllocationNode | null>(async (ctx, ids) => {
  const scope = regionPredicate(ctx.scope, 'p.region_code', 2);
  const rows = await ctx.db.query<FundAllocationNode>(
    `SELECT ${ALLOCATION_COLUMNS} FROM fund_allocation f JOIN project p ON p.id = f.project_id WHERE f.id = ANY($1::bigint[]) AND ${scope.sql}`,
    [ids, ...scope.params],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
});

// Read-ahead edges (core/prefetch): a household card or page fetches these with the households.
facetEdge('Household', ['pairings'], pairingsByHouseholdId, () => pairingsByHouseholdId.spec);
facetEdge('Household', ['measures'], measuresByHouseholdId, () => measuresByHouseholdId.spec);
