import type { RequestContext } from '../../core/context';
import { asInstances, groupBy, indexBy, loaderFactory } from '../../core/loaders';
import { regionPredicate } from '../../core/scope';
import { ageFilterBanded } from './age-band';
import { PersonNode } from './registry.types';
import type { PersonFilter } from './registry.types';

export const PERSON_COLUMNS = `p.id::text AS id, p.household_id::text AS "householdId", p.village_code AS "villageCode",
  p.relation, p.name, p.id_number AS "idNumber", p.gender, p.birth_date AS "birthDate",
  p.labour_ability AS "labourAbility", p.health_category AS "healthCategory",
  p.disability_level AS "disabilityLevel", p.schooling_stage AS "schoolingStage", p.version`;

/** personById: id → person, or null when missing or outside scope. */
export const personById = loaderFactory<PersonNode | null>(async (ctx, ids) => {
  const scope = regionPredicate(ctx.scope, 'p.village_code', 2);
  const rows = await ctx.db.query<PersonNode>(
    `SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id = ANY($1::bigint[]) AND ${scope.sql}`,
    [ids, ...scope.params],
  );
  return indexBy(ids, asInstances(PersonNode, rows), (r) => r.id);
});

/**
 * membersByHouseholdId: household id → its members, head first, then in the order they were
 * registered. Not by birth date: the order is shown to callers from whom a minor's birth date is
 * hidden, and would tell which member was born first (issue 7 §2).
 */
export const membersByHouseholdId = loaderFactory<PersonNode[]>(async (ctx, ids) => {
  const scope = regionPredicate(ctx.scope, 'p.village_code', 2);
  const rows = await ctx.db.query<PersonNode>(
    `SELECT ${PERSON_COLUMNS} FROM person p WHERE p.household_id = ANY($1::bigint[]) AND ${scope.sql}
      ORDER BY p.household_id, (p.relation <> 'head'), p.id`,
    [ids, ...scope.params],
  );
  return groupBy(ids, asInstances(PersonNode, rows), (r) => r.householdId);
});

/** Predicates of a person filter; `firstParam` is the next $n. */
export function personFilterSql(ctx: RequestContext, filter: PersonFilter, firstParam: number): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(firstParam + params.length - 1));
  };
  if (ageFilterBanded(ctx)) {
    // By band (age-band.ts): the age reached this year, i.e. the year of birth, as ageBand counts.
    // ≥ min ⇔ born before 1 January of (this year − min + 1); ≤ max ⇔ born on or after 1 January of (this year − max).
    const year = Number(ctx.today.slice(0, 4));
    if (filter.minAge != null) add((n) => `p.birth_date < make_date($${n}::int, 1, 1)`, year - filter.minAge + 1);
    if (filter.maxAge != null) add((n) => `p.birth_date >= make_date($${n}::int, 1, 1)`, year - filter.maxAge);
  } else {
    const asOf = filter.asOf ?? ctx.today;
    // Age in whole years on asOf is ≥ min ⇔ born on or before asOf − min years.
    if (filter.minAge != null) {
      add((n) => `p.birth_date <= ($${n}::date - make_interval(years => $${n + 1}))`, asOf);
      params.push(filter.minAge);
    }
    if (filter.maxAge != null) {
      add((n) => `p.birth_date > ($${n}::date - make_interval(years => $${n + 1} + 1))`, asOf);
      params.push(filter.maxAge);
    }
  }
  if (filter.labourAbility) add((n) => `p.labour_ability = $${n}`, filter.labourAbility);
  if (filter.schoolingStage) add((n) => `p.schooling_stage = $${n}`, filter.schoolingStage);
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

/** One page of persons matching a filter, inside scope, ordered by id. */
export async function personsPage(ctx: RequestContext, filter: PersonFilter, first: number, after: string | null): Promise<PersonNode[]> {
  const region = regionPredicate(ctx.scope, 'p.village_code', 3, filter.regionCode ?? '');
  const extra = personFilterSql(ctx, filter, 3 + region.params.length);
  const rows = await ctx.db.query<PersonNode>(
    `SELECT ${PERSON_COLUMNS} FROM person p
      WHERE ($1::bigint IS NULL OR p.id > $1::bigint) AND ${region.sql} AND ${extra.sql}
      ORDER BY p.id LIMIT $2`,
    [after, first + 1, ...region.params, ...extra.params],
  );
  return asInstances(PersonNode, rows);
}

/** Number of persons matching a filter, inside scope. */
export async function personsCount(ctx: RequestContext, filter: PersonFilter): Promise<number> {
  const region = regionPredicate(ctx.scope, 'p.village_code', 1, filter.regionCode ?? '');
  const extra = personFilterSql(ctx, filter, 1 + region.params.length);
  const [row] = await ctx.db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM person p WHERE ${region.sql} AND ${extra.sql}`,
    [...region.params, ...extra.params],
  );
  return row.count;
}
