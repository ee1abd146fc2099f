import type { RequestContext } from './context';
import { groupBy, loaderFactory, LoaderFactory } from './loaders';
import { jsonRows, Prune, registerEdge, SqlParams } from './prefetch';
import { countyScopedPredicate } from './scope';

/** What a facet list loader selects: table, key column, explicit select list, order within a key. */
export interface FacetSpec {
  /** Table name (e.g. 'dibao_enrolment'); alias `f` in `columns` and `orderBy`. */
  table: string;
  key: 'household_id' | 'person_id';
  /** Select list in API field names, e.g. `f.monthly_amount::float8 AS "monthlyAmount"`. */
  columns: string;
  /** ORDER BY within a key, e.g. 'f.start_date DESC, f.id'. */
  orderBy: string;
  /** API fields a field resolver reads besides its own (e.g. `destinationCode` for `destination`). */
  needs?: string[];
}

/** What every facet row read ahead keeps whatever the selection: its id (audited reads) and person (priming). */
const FACET_NEEDS = ['id', 'personId'];

/**
 * Declares a one-to-many loader over a department facet table: `<facet>By<Key>`, keyed by
 * household or person id. The select list names the API fields explicitly (the storage shape
 * never leaks: a column not listed here cannot reach a client), scope is a predicate inside
 * the statement, and all keys of a request go in one statement.
 */
export function facetLoader<T>(spec: FacetSpec): LoaderFactory<string, T[]> & { spec: FacetSpec } {
  const factory = loaderFactory<T[]>(async (ctx, keys) => {
    const scope = countyScopedPredicate(ctx.scope, 'f', 2);
    const rows = await ctx.db.query<T & { __key: string }>(
      `SELECT f.${spec.key}::text AS "__key", ${spec.columns} FROM ${spec.table} f
        WHERE f.${spec.key} = ANY($1::bigint[]) AND ${scope.sql}
        ORDER BY f.${spec.key}, ${spec.orderBy}`,
      [keys, ...scope.params],
    );
    return groupBy(keys, rows, (r) => r.__key);
  });
  return Object.assign(factory, { spec });
}

/**
 * Declares `type.fields` (type Household or Person) as read-ahead edges (core/prefetch) served by
 * a facet list loader: the JSON is the loader's own select list, order and scope predicate for
 * the household's rows (a person facet: the rows of all members of the household, grouped by
 * person when primed). `specOf` picks the spec for a caller when the loader does (clinical
 * detail), otherwise it is the loader's.
 */
export function facetEdge(
  type: 'Household' | 'Person',
  fields: string[],
  loader: LoaderFactory<string, unknown[]>,
  specOf: (ctx: RequestContext) => FacetSpec,
): void {
  registerEdge({
    type,
    fields,
    loader,
    groupBy: type === 'Person' ? (row) => (row as { personId: string }).personId : undefined,
    json(ctx, household, params: SqlParams, prune: Prune) {
      const spec = specOf(ctx);
      const columns = prune(spec.columns, spec.needs ? [...FACET_NEEDS, ...spec.needs] : FACET_NEEDS);
      const scope = params.predicate((n) => countyScopedPredicate(ctx.scope, 'f', n));
      const from =
        spec.key === 'household_id'
          ? `FROM ${spec.table} f WHERE f.household_id = ${household}.id AND ${scope} ORDER BY ${spec.orderBy}`
          : `FROM person pm JOIN ${spec.table} f ON f.person_id = pm.id
              WHERE pm.household_id = ${household}.id AND ${scope} ORDER BY f.person_id, ${spec.orderBy}`;
      return jsonRows(columns, from);
    },
  });
}

/** Columns every facet exposes: id, version, and the owning household/person ids. */
export const FACET_ID_COLUMNS = `f.id::text AS id, f.version, f.household_id::text AS "householdId"`;

/**
 * `<facet>ById`: one facet record by id, with the same explicit select list as the list loader,
 * for returning a record after a write. Scope is a predicate here too.
 */
export function facetByIdLoader<T>(spec: { table: string; columns: string }): LoaderFactory<string, T | null> {
  return loaderFactory<T | null>(async (ctx, ids) => {
    const scope = countyScopedPredicate(ctx.scope, 'f', 2);
    const rows = await ctx.db.query<T & { id: string }>(
      `SELECT ${spec.columns} FROM ${spec.table} f WHERE f.id = ANY($1::bigint[]) AND ${scope.sql}`,
      [ids, ...scope.params],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
