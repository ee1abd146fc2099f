import { groupBy, indexBy, loaderFactory } from '../../core/loaders';
import { regionPredicate } from '../../core/scope';
import type { RegionNode, VillageNode } from './region.types';

// Regions are reference data, but a caller still sees only the part of the tree inside its
// scope plus the ancestors of its scope (so that a county officer can read its county's name).

const REGION_COLUMNS = `r.code, r.name, r.level, r.parent_code AS "parentCode",
  CASE r.level WHEN 'province' THEN left(r.code, 2) WHEN 'city' THEN left(r.code, 4)
    WHEN 'county' THEN left(r.code, 6) WHEN 'township' THEN left(r.code, 9) ELSE r.code END AS prefix`;

/** regionByCode: 12-digit code → region, or null when missing or out of scope. */
export const regionByCode = loaderFactory<RegionNode | null>(async (ctx, codes) => {
  const scope = regionPredicate(ctx.scope, 'r.code', 2);
  const rows = await ctx.db.query<RegionNode>(
    `SELECT ${REGION_COLUMNS} FROM region r
      WHERE r.code = ANY($1::varchar[]) AND (${scope.sql} OR $${2 + scope.params.length}::text LIKE left(r.code, CASE r.level
        WHEN 'province' THEN 2 WHEN 'city' THEN 4 WHEN 'county' THEN 6 WHEN 'township' THEN 9 ELSE 12 END) || '%')`,
    [codes, ...scope.params, ctx.scope.regionPrefix || 'x'],
  );
  return indexBy(codes, rows, (r) => r.code);
});

/** childrenByParentCode: parent code → its children inside scope, ordered by code. */
export const childrenByParentCode = loaderFactory<RegionNode[]>(async (ctx, codes) => {
  const scope = regionPredicate(ctx.scope, 'r.code', 2);
  // A child above the caller's scope is visible when the scope lies inside it.
  const rows = await ctx.db.query<RegionNode>(
    `SELECT ${REGION_COLUMNS} FROM region r
      WHERE r.parent_code = ANY($1::varchar[]) AND (${scope.sql} OR $${2 + scope.params.length}::text LIKE left(r.code, CASE r.level
        WHEN 'province' THEN 2 WHEN 'city' THEN 4 WHEN 'county' THEN 6 WHEN 'township' THEN 9 ELSE 12 END) || '%')
      ORDER BY r.code`,
    [codes, ...scope.params, ctx.scope.regionPrefix || 'x'],
  );
  return groupBy(codes, rows, (r) => r.parentCode as string);
});

/** The village read shape (alias v, joined to its region r), in the API's field names. */
export const VILLAGE_COLUMNS = `v.code, r.name, v.county_code AS "countyCode", v.is_poverty_village AS "isPovertyVillage",
  json_build_object('year', v.indicator_year, 'povertyIncidence', v.poverty_incidence::float8,
    'perCapitaIncome', v.per_capita_income::float8, 'collectiveIncome', v.collective_income::float8) AS indicators,
  v.broadband_mbps AS "broadbandMbps",
  json_build_object('water', v.has_water, 'electricity', v.has_electricity, 'road', v.has_road,
    'housing', v.has_safe_housing, 'network', v.has_network, 'environment', v.has_sanitation) AS utilities`;

/** villageByCode: 12-digit village code → village facts, or null. */
export const villageByCode = loaderFactory<VillageNode | null>(async (ctx, codes) => {
  const scope = regionPredicate(ctx.scope, 'v.code', 2);
  const rows = await ctx.db.query<VillageNode>(
    `SELECT ${VILLAGE_COLUMNS} FROM village v JOIN region r ON r.code = v.code
      WHERE v.code = ANY($1::varchar[]) AND ${scope.sql}`,
    [codes, ...scope.params],
  );
  return indexBy(codes, rows, (r) => r.code);
});
