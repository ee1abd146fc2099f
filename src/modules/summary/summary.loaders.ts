import DataLoader from 'dataloader';
import type { RequestContext } from '../../core/context';
import { indexBy } from '../../core/loaders';
import { regionPredicate } from '../../core/scope';
import type { CauseCount, StatusCount } from './summary.types';

// The aggregates module reads across the department tables on purpose: these figures exist
// only in the joined graph. Every statement takes all requested regions at once.

export interface RegistryCounts {
  byStatus: StatusCount[];
  byMainCause: CauseCount[];
}

/** registryCountsByPrefix: households by status and registered households by main cause. */
export function registryCountsByPrefix(ctx: RequestContext): DataLoader<string, RegistryCounts, string> {
  return ctx.loaders.keyed('registryCountsByPrefix', () =>
    new DataLoader<string, RegistryCounts, string>(async (prefixes) => {
      const scope = regionPredicate(ctx.scope, 'h.village_code', 2);
      const rows = await ctx.db.query<{ prefix: string; byStatus: StatusCount[] | null; byMainCause: CauseCount[] | null }>(
        `SELECT k.prefix,
           (SELECT json_agg(json_build_object('status', s.status, 'households', s.n) ORDER BY s.status)
              FROM (SELECT h.status, count(*)::int AS n FROM household h
                     WHERE h.village_code LIKE k.prefix || '%' AND ${scope.sql} GROUP BY h.status) s) AS "byStatus",
           (SELECT json_agg(json_build_object('cause', c.main_cause, 'households', c.n) ORDER BY c.n DESC, c.main_cause)
              FROM (SELECT h.main_cause, count(*)::int AS n FROM household h
                     WHERE h.village_code LIKE k.prefix || '%' AND ${scope.sql} AND h.status = 'registered' AND h.main_cause IS NOT NULL
                     GROUP BY h.main_cause) c) AS "byMainCause"
         FROM unnest($1::text[]) AS k(prefix)`,
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
      const rows = await ctx.db.query<{ prefix: string; n: number }>(
        `SELECT k.prefix, (SELECT count(DISTINCT d.household_id)::int FROM dibao_enrolment d JOIN household h ON h.id = d.household_id
                            WHERE h.village_code LIKE k.prefix || '%' AND ${scope.sql}
                              AND d.status = 'active' AND d.start_date <= $2::date AND (d.end_date IS NULL OR d.end_date >= $2::date)) AS n
           FROM unnest($1::text[]) AS k(prefix)`,
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
           (SELECT (count(*) FILTER (WHERE EXISTS (SELECT 1 FROM insurance_enrolment i WHERE i.person_id = p.id AND i.year = $2)))::float8
                   / nullif(count(*), 0)
              FROM person p JOIN household h ON h.id = p.household_id
             WHERE p.village_code LIKE k.prefix || '%' AND ${scope.sql} AND h.status = 'registered') AS share
           FROM unnest($1::text[]) AS k(prefix)`,
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
      const rows = await ctx.db.query<{ prefix: string; share: number | null }>(
        `SELECT k.prefix,
           (SELECT (count(*) FILTER (WHERE latest.grade IN ('C', 'D')))::float8 / nullif(count(*), 0)
              FROM (SELECT DISTINCT ON (a.household_id) a.grade
                      FROM housing_appraisal a JOIN household h ON h.id = a.household_id
                     WHERE h.village_code LIKE k.prefix || '%' AND ${scope.sql}
                     ORDER BY a.household_id, a.appraised_on DESC, a.id DESC) latest) AS share
           FROM unnest($1::text[]) AS k(prefix)`,
        [prefixes, ...scope.params],
      );
      return indexBy(prefixes, rows, (r) => r.prefix).map((r) => r?.share ?? null);
    }),
  );
}
