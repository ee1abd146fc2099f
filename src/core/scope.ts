import { AppError } from './errors';

/**
 * What a caller may see: a division-code prefix (2, 4, 6, 9 or 12 digits; '' = everything).
 * Later the principal's department and role join it. Scope becomes SQL predicates here and
 * nowhere else.
 */
export interface Scope {
  regionPrefix: string;
}

/** Everything: for internal jobs only (seeding, benchmarks' baselines), never for a request. */
export const UNRESTRICTED: Scope = { regionPrefix: '' };

/** No region at all: a prefix no division code has. */
export const NOTHING: Scope = { regionPrefix: '-' };

const PREFIX_LENGTHS = new Set([2, 4, 6, 9, 12]);

/** Normalises a division code: '43' | '4312' | '431226' | '431226101' | 12 digits → its prefix. */
export function divisionPrefix(code: string, field = 'code'): string {
  const trimmed = code.trim();
  if (!/^\d+$/.test(trimmed)) throw new AppError('BAD_USER_INPUT', `${field}: a division code has digits only`, { field });
  if (trimmed.length === 12) return stripPadding(trimmed);
  if (!PREFIX_LENGTHS.has(trimmed.length)) {
    throw new AppError('BAD_USER_INPUT', `${field}: a division code has 2, 4, 6, 9 or 12 digits`, { field });
  }
  return trimmed;
}

/** The 12-digit padded code for a prefix (4312 → 431200000000). */
export const padCode = (prefix: string) => prefix.padEnd(12, '0');

/** '431226000000' → '431226': the significant prefix of a padded code. */
export function stripPadding(code: string): string {
  if (code.endsWith('0000000000')) return code.slice(0, 2);
  if (code.endsWith('00000000')) return code.slice(0, 4);
  if (code.endsWith('000000')) return code.slice(0, 6);
  if (code.endsWith('000')) return code.slice(0, 9);
  return code;
}

/**
 * SQL: `column` (a division code) starts with the text expression `prefix` (a `$n`, or a joined
 * column such as `k.prefix`). Written as a range, not `LIKE prefix || '%'`: PostgreSQL turns
 * LIKE into an index range only for a pattern it can read at plan time, so LIKE against a
 * generic plan's parameter or an `unnest` column scanned every row under the caller's scope.
 * ':' is the character after '9', and the bounds are compared byte-wise (COLLATE "C", as every
 * division-code column is declared), so the range holds exactly the codes with that prefix.
 * Prefixes are digits only (divisionPrefix, token claims), so nothing in them is a wildcard.
 */
export function prefixRange(column: string, prefix: string): string {
  return `(${column} >= (${prefix})::text COLLATE "C" AND ${column} < ((${prefix})::text || ':') COLLATE "C")`;
}

/**
 * A parameterised predicate that keeps rows inside both the requested region and the caller's
 * scope. `column` holds a division code (a village's, a project's, a region's own).
 * Returns the SQL and the parameters to append; `param` is the next $n.
 */
export function regionPredicate(
  scope: Scope,
  column: string,
  param: number,
  requested = '',
): { sql: string; params: string[] } {
  // The narrower of the two prefixes wins; if neither contains the other, nothing is visible.
  const a = scope.regionPrefix;
  const b = requested;
  let prefix: string | null;
  if (a.startsWith(b)) prefix = a;
  else if (b.startsWith(a)) prefix = b;
  else prefix = null;
  if (prefix === null) return { sql: 'FALSE', params: [] };
  if (prefix === '') return { sql: 'TRUE', params: [] };
  return { sql: prefixRange(column, `$${param}`), params: [prefix] };
}

/**
 * Scope predicate for a household-scoped table that carries only `county_code` and
 * `household_id`: the county column decides for county-or-wider scopes; narrower scopes check
 * the household's village.
 */
export function countyScopedPredicate(scope: Scope, alias: string, param: number): { sql: string; params: string[] } {
  const prefix = scope.regionPrefix;
  if (prefix === '') return { sql: 'TRUE', params: [] };
  if (prefix.length <= 6) return { sql: prefixRange(`${alias}.county_code`, `$${param}`), params: [prefix] };
  return {
    sql: `${alias}.county_code = $${param} AND EXISTS (SELECT 1 FROM household sh WHERE sh.id = ${alias}.household_id AND ${prefixRange('sh.village_code', `$${param + 1}`)})`,
    params: [prefix.slice(0, 6), prefix],
  };
}

/**
 * Scope predicate for a county-scoped table whose rows belong either to a household
 * (`household_id`) or directly to a village (`village_code`, the other one null): measures.
 * County-or-wider scopes decide on the county column; narrower ones on the row's village, its
 * own or its household's.
 */
export function targetScopedPredicate(scope: Scope, alias: string, param: number): { sql: string; params: string[] } {
  const prefix = scope.regionPrefix;
  if (prefix.length <= 6) return countyScopedPredicate(scope, alias, param);
  const village = `$${param + 1}`;
  return {
    sql: `${alias}.county_code = $${param} AND (${prefixRange(`${alias}.village_code`, village)}
      OR EXISTS (SELECT 1 FROM household sh WHERE sh.id = ${alias}.household_id AND ${prefixRange('sh.village_code', village)}))`,
    params: [prefix.slice(0, 6), prefix],
  };
}
