import DataLoader from 'dataloader';
import type { RequestContext } from '../../core/context';
import { indexBy } from '../../core/loaders';
import { prefixRange, regionPredicate } from '../../core/scope';
import type { CauseCount, StatusCount } from './summary.types';

// The aggregates module reads across the department tables on purpose: these figures exist
// only in the joined graph. Every statement takes all requested regions at once: each prefix
// reads its households as one index range (not one correlated count per prefix), and
// department tables are cut to the requested counties through their county_code before they
// are joined (household-scoped tables carry it: DESIGN §4).

export interface RegistryCounts {
  byStatus: StatusCount[];
  byMainCause: CauseCount[];
}

/**
 * Households of each requested prefix (`k.prefix`, from `$1`) inside the caller's scope
 * (`scopeSql` on `h.village_code`), as `h(id, status, main_cause)`: per prefix, one range of
 * ix_household_village_rollup, which holds all three.
 *
 * A lateral subquery kept whole by `OFFSET 0`: the statements are prepared, and in their
 * generic plan (estimates without the values) PostgreSQL 15 joined the prefixes to the
 * households of the whole scope with the two ranges as a join filter, comparing a county's
 * 44,000 households with each of its 25 townships (1.1 million comparisons, in parallel
 * workers); PostgreSQL 18 already planned it per prefix.
 */
const householdsOfPrefixes = (scopeSql: string) => `unnest($1::text[]) AS k(prefix) CROSS JOIN LATERAL (
    SELECT h.id, h.status, h.main_cause FROM household h WHERE ${prefixRange('h.village_code', 'k.prefix')} AND ${scopeSql} OFFSET 0) h`;

/** The counties (or wider prefixes) the requested prefixes lie in, as `c.county`. */
const COUNTIES_OF_PREFIXES = `(SELECT DISTINCT left(p, 6) AS county FROM unnest($1::text[]) AS p) c`;

/** registryCountsByPrefix: households by status and registered households by main cause. */
export function registryCountsByPrefix(ctx: RequestContext): DataLoader<string, RegistryCounts, string> {
  return ctx.loaders.keyed('registryCountsByPrefix', () =>
    new DataLoader<string, RegistryCounts, string>(async (prefixes) => {
      const scope = regionPredicate(ctx.scope, 'h.village_code', 2);
      // One count per (prefix, status, cause); both lists are folded from it.
      const rows = await ctx.db.query<{ prefix: string; byStatus: StatusCount[] | null; byMainCause: CauseCount[] | null }>(
        `WITH c AS (
           SELECT k.prefix, h.status, h.main_cause, count(*)::int AS n FROM ${householdsOfPrefixes(scope.sql)}
            GROUP BY k.prefix, h.status, h.main_cause)
         SELECT s.prefix, s."byStatus", m."byMainCause"
           FROM (SELECT prefix, json_agg(json_build_object('status', status, 'households', n) ORDER BY status) AS "byStatus"
                   FROM (SELECT prefix, status, sum(n)::int AS n FROM c GROUP BY prefix, status) x GROUP BY prefix) s
           LEFT JOIN (SELECT prefix, json_agg(json_build_object('cause', main_cause, 'households', n) ORDER BY n DESC, main_cause) AS "byMainCause"
                        FROM c WHERE status = 'registered' AND main_cause IS NOT NULL GROUP BY prefix) m ON m.prefix = s.prefix`,
        [prefixes, ...scope.params],
      );
      return indexBy(prefixes, rows, (r) => r.prefix).map((r) => ({ byStatus: r?.byStatus ?? [], byMainCause: r?.byMainCause ?? [] }));
    }),
  );
}

/** dibaoHouseholdsByPrefix: households with a 低保 enrolment active on `asOf`. */
export function dibaoHouseholdsByPrefix(ctx: RequestContext, asOf: string): DataLoader<string, number, string> {
  return ctx.loaders.keyed(`dibaoHouseholdsByPrefix:${asOf}`, () =>
    new DataLoader<string, number, string>(async (prefixes) => {
      const scope = regionPredicate(ctx.scope, 'h.village_code', 3);
      // The enrolled households as a set looked up once per household (a hashed subplan): joined
      // instead, PostgreSQL 15 rebuilt the join once per prefix.
      const rows = await ctx.db.query<{ prefix: string; n: number }>(
        `SELECT k.prefix, (count(*) FILTER (WHERE h.id IN (
                  SELECT d.household_id FROM ${COUNTIES_OF_PREFIXES} JOIN dibao_enrolment d ON ${prefixRange('d.county_code', 'c.county')}
                   WHERE d.status = 'active' AND d.start_date <= $2::date AND (d.end_date IS NULL OR d.end_date >= $2::date))))::int AS n
           FROM ${householdsOfPrefixes(scope.sql)} GROUP BY k.prefix`,
        [prefixes, asOf, ...scope.params],
      );
      return indexBy(prefixes, rows, (r) => r.prefix).map((r) => r?.n ?? 0);
    }),
  );
}

/** insuredShareByPrefix: share of members of registered households insured in `year`. */
export function insuredShareByPrefix(ctx: RequestContext, year: number): DataLoader<string, number | null, string> {
  return ctx.loaders.keyed(`insuredShareByPrefix:${year}`, () =>
    new DataLoader<string, number | null, string>(async (prefixes) => {
      const scope = regionPredicate(ctx.scope, 'p.village_code', 3);
      const rows = await ctx.db.query<{ prefix: string; share: number | null }>(
        `SELECT k.prefix,
                (count(*) FILTER (WHERE EXISTS (SELECT 1 FROM insurance_enrolment i WHERE i.person_id = p.id AND i.year = $2)))::float8
                  / nullif(count(*), 0) AS share
           FROM unnest($1::text[]) AS k(prefix) JOIN person p ON ${prefixRange('p.village_code', 'k.prefix')}
           JOIN household h ON h.id = p.household_id
          WHERE ${scope.sql} AND h.status = 'registered' GROUP BY k.prefix`,
        [prefixes, year, ...scope.params],
      );
      return indexBy(prefixes, rows, (r) => r.prefix).map((r) => r?.share ?? null);
    }),
  );
}

/** dilapidatedShareByPrefix: share of appraised households whose latest appraisal is C or D. */
export function dilapidatedShareByPrefix(ctx: RequestContext): DataLoader<string, number | null, string> {
  return ctx.loaders.keyed('dilapidatedShareByPrefix', () =>
    new DataLoader<string, number | null, string>(async (prefixes) => {
      const scope = regionPredicate(ctx.scope, 'h.village_code', 2);
      // The latest appraisal per household of the requested counties in one sorted pass (a
      // LATERAL … LIMIT 1 per household probed the index once per household: slower here).
      const rows = await ctx.db.query<{ prefix: string; share: number | null }>(
        `WITH latest AS (
           SELECT DISTINCT ON (a.household_id) a.household_id, a.grade
             FROM ${COUNTIES_OF_PREFIXES} JOIN housing_appraisal a ON ${prefixRange('a.county_code', 'c.county')}
            ORDER BY a.household_id, a.appraised_on DESC, a.id DESC)
         SELECT k.prefix, (count(*) FILTER (WHERE latest.grade IN ('C', 'D')))::float8 / count(*) AS share
           FROM ${householdsOfPrefixes(scope.sql)} JOIN latest ON latest.household_id = h.id
          GROUP BY k.prefix`,
        [prefixes, ...scope.params],
      );
      return indexBy(prefixes, rows, (r) => r.prefix).map((r) => r?.share ?? null);
    }),
  );
}
