import DataLoader from 'dataloader';
import type { RequestContext } from '../../core/context';
import { asInstances, groupBy, indexBy, loaderFactory } from '../../core/loaders';
import { SqlParams } from '../../core/prefetch';
import { countyScopedPredicate, prefixRange, regionPredicate } from '../../core/scope';
import { primeReadAhead, ReadAhead, readAheadColumns } from './household-read-ahead';
import { HouseholdNode } from './registry.types';
import type { HouseholdFilter, HouseholdIncomeNode, HouseholdStatusEventNode } from './registry.types';

/** The household read shape, selected straight into the API's field names. */
export const HOUSEHOLD_COLUMNS = `h.id::text AS id, h.number, h.village_code AS "villageCode", h.county_code AS "countyCode",
  h.status, h.identification_year AS "identificationYear", h.identification_standard AS "identificationStandard",
  h.main_cause AS "mainCause", h.version,
  json_build_object('water', h.has_water, 'electricity', h.has_electricity, 'road', h.has_road,
    'housing', h.has_safe_housing, 'network', h.has_network, 'environment', h.has_sanitation) AS utilities`;

/** householdById: id → household, or null when missing or outside the caller's scope. */
export const householdById = loaderFactory<HouseholdNode | null>(async (ctx, ids) => {
  const scope = regionPredicate(ctx.scope, 'h.village_code', 2);
  const rows = await ctx.db.query<HouseholdNode>(
    `SELECT ${HOUSEHOLD_COLUMNS} FROM household h WHERE h.id = ANY($1::bigint[]) AND ${scope.sql}`,
    [ids, ...scope.params],
  );
  return indexBy(ids, asInstances(HouseholdNode, rows), (r) => r.id);
});

/** householdByNumber: 户编号 → household, or null. */
export const householdByNumber = loaderFactory<HouseholdNode | null>(async (ctx, numbers) => {
  const scope = regionPredicate(ctx.scope, 'h.village_code', 2);
  const rows = await ctx.db.query<HouseholdNode>(
    `SELECT ${HOUSEHOLD_COLUMNS} FROM household h WHERE h.number = ANY($1::varchar[]) AND ${scope.sql}`,
    [numbers, ...scope.params],
  );
  return indexBy(numbers, asInstances(HouseholdNode, rows), (r) => r.number);
});

/**
 * householdById / householdByNumber with relations read ahead (a household card): one statement
 * loads the households with the plan's relations as JSON and primes the relations' loaders and
 * householdById. One loader per plan; without a plan, the plain loaders.
 */
export function householdsWithReadAhead(
  ctx: RequestContext,
  by: 'id' | 'number',
  plan: ReadAhead,
): DataLoader<string, HouseholdNode | null, string> {
  if (!plan.key) return ctx.loaders.get(by === 'id' ? householdById : householdByNumber);
  return ctx.loaders.keyed(`householdsWithReadAhead:${by}:${plan.key}`, () =>
    new DataLoader<string, HouseholdNode | null, string>(async (keys) => {
      const params = new SqlParams([keys]);
      const scope = params.predicate((n) => regionPredicate(ctx.scope, 'h.village_code', n));
      const columns = readAheadColumns(ctx, plan, 'h', params);
      const rows = await ctx.db.query<HouseholdNode>(
        `SELECT ${HOUSEHOLD_COLUMNS}${columns.sql} FROM household h
          WHERE ${by === 'id' ? 'h.id = ANY($1::bigint[])' : 'h.number = ANY($1::varchar[])'} AND ${scope}`,
        params.values,
      );
      primeReadAhead(ctx, plan, columns, asInstances(HouseholdNode, rows));
      const byId = ctx.loaders.get(householdById);
      for (const row of rows) byId.prime(row.id, row);
      return indexBy(keys, rows, (r) => (by === 'id' ? r.id : r.number));
    }, { maxBatchSize: 5000 }),
  );
}

/** Filter predicates other than region, appended after `base` parameters. */
function filterPredicates(filter: HouseholdFilter, firstParam: number): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(firstParam + params.length - 1));
  };
  if (filter.status) add((n) => `h.status = $${n}`, filter.status);
  if (filter.mainCause) add((n) => `h.main_cause = $${n}`, filter.mainCause);
  if (filter.identificationYear != null) add((n) => `h.identification_year = $${n}`, filter.identificationYear);
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

interface PageKey {
  first: number;
  after: string | null;
}

/**
 * householdsByRegion: one page of households for each region prefix, in one statement (a
 * LATERAL join per prefix), so `villages { households(first: 20) }` costs one query for all
 * villages. One loader per distinct filter and page.
 * `ORDER BY h.id + 0`: with a plain `ORDER BY h.id … LIMIT` the planner (which cannot size a
 * joined prefix) walked the primary key and filtered on the region: 200k rows read for a
 * village late in id order. The region's index range plus a top-N sort costs the region's size.
 */
export function householdsByRegion(
  ctx: RequestContext,
  filter: HouseholdFilter,
  page: PageKey,
  plan: ReadAhead,
): DataLoader<string, HouseholdNode[], string> {
  const key = `householdsByRegion:${JSON.stringify([filter.status, filter.mainCause, filter.identificationYear, page.first, page.after, plan.key])}`;
  return ctx.loaders.keyed(key, () =>
    new DataLoader<string, HouseholdNode[], string>(async (prefixes) => {
      const params = new SqlParams([prefixes, page.after, page.first + 1]);
      const scope = params.predicate((n) => regionPredicate(ctx.scope, 'h.village_code', n));
      const extra = params.predicate((n) => filterPredicates(filter, n));
      // The page's ids first (an index-only range scan), then the rows and any relations read
      // ahead for those ids alone.
      const columns = readAheadColumns(ctx, plan, 'h', params);
      const rows = await ctx.db.query<HouseholdNode & { prefix: string }>(
        `WITH page AS MATERIALIZED (
           SELECT k.ord, k.prefix, x.id FROM unnest($1::text[]) WITH ORDINALITY AS k(prefix, ord)
           CROSS JOIN LATERAL (
             SELECT h.id FROM household h
              WHERE ${prefixRange('h.village_code', 'k.prefix')} AND ($2::bigint IS NULL OR h.id > $2::bigint)
                AND ${scope} AND ${extra}
              ORDER BY h.id + 0 LIMIT $3) x)
         SELECT page.prefix, ${HOUSEHOLD_COLUMNS}${columns.sql}
           FROM page JOIN household h ON h.id = page.id ORDER BY page.ord, page.id`,
        params.values,
      );
      primeReadAhead(ctx, plan, columns, asInstances(HouseholdNode, rows));
      return groupBy(prefixes, rows, (r) => r.prefix);
    }),
  );
}

/** householdCountByRegion: number of households matching the filter under each region prefix. */
export function householdCountByRegion(ctx: RequestContext, filter: HouseholdFilter): DataLoader<string, number, string> {
  const key = `householdCountByRegion:${JSON.stringify([filter.status, filter.mainCause, filter.identificationYear])}`;
  return ctx.loaders.keyed(key, () =>
    new DataLoader<string, number, string>(async (prefixes) => {
      const scope = regionPredicate(ctx.scope, 'h.village_code', 2);
      const extra = filterPredicates(filter, 2 + scope.params.length);
      const rows = await ctx.db.query<{ prefix: string; count: number }>(
        `SELECT k.prefix, (SELECT count(*)::int FROM household h
                            WHERE ${prefixRange('h.village_code', 'k.prefix')} AND ${scope.sql} AND ${extra.sql}) AS count
           FROM unnest($1::text[]) AS k(prefix)`,
        [prefixes, ...scope.params, ...extra.params],
      );
      return indexBy(prefixes, rows, (r) => r.prefix).map((r) => r?.count ?? 0);
    }),
  );
}

/** secondaryCausesByHouseholdId: household id → its secondary cause codes. */
// These three loaders carry the scope predicate themselves, as every loader does: the parent
// household being in scope is not enough (a loader may be called with any id).
export const secondaryCausesByHouseholdId = loaderFactory<string[]>(async (ctx, ids) => {
  const scope = countyScopedPredicate(ctx.scope, 'c', 2);
  const rows = await ctx.db.query<{ householdId: string; code: string }>(
    `SELECT c.household_id::text AS "householdId", c.cause_code AS code FROM household_secondary_cause c
      WHERE c.household_id = ANY($1::bigint[]) AND ${scope.sql} ORDER BY c.cause_code`,
    [ids, ...scope.params],
  );
  return groupBy(ids, rows, (r) => r.householdId).map((list) => list.map((r) => r.code));
});

/** incomesByHouseholdId: household id → yearly per-capita incomes, oldest first. */
export const incomesByHouseholdId = loaderFactory<Array<HouseholdIncomeNode & { householdId: string }>>(async (ctx, ids) => {
  const scope = countyScopedPredicate(ctx.scope, 'i', 2);
  const rows = await ctx.db.query<HouseholdIncomeNode & { householdId: string }>(
    `SELECT i.household_id::text AS "householdId", i.year, i.per_capita_net_income::float8 AS "perCapitaNetIncome"
       FROM household_income i WHERE i.household_id = ANY($1::bigint[]) AND ${scope.sql} ORDER BY i.household_id, i.year`,
    [ids, ...scope.params],
  );
  return groupBy(ids, rows, (r) => r.householdId);
});

/** statusEventsByHouseholdId: household id → status history, oldest first. */
export const statusEventsByHouseholdId = loaderFactory<Array<HouseholdStatusEventNode & { householdId: string }>>(async (ctx, ids) => {
  const scope = countyScopedPredicate(ctx.scope, 'e', 2);
  const rows = await ctx.db.query<HouseholdStatusEventNode & { householdId: string }>(
    `SELECT e.household_id::text AS "householdId", e.from_status AS "fromStatus", e.to_status AS "toStatus",
            e.occurred_on AS "occurredOn", e.reason
       FROM household_status_event e WHERE e.household_id = ANY($1::bigint[]) AND ${scope.sql} ORDER BY e.household_id, e.occurred_on, e.id`,
    [ids, ...scope.params],
  );
  return groupBy(ids, rows, (r) => r.householdId);
});
