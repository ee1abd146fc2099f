import { isInterfaceType, isObjectType, Kind } from 'graphql';
import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, GraphQLSchema, SelectionSetNode } from 'graphql';
import { guardAdmits } from './auth/field-guard';
import type { RequestContext } from './context';
import type { LoaderFactory } from './loaders';

// Read-ahead of relations (DESIGN §4a). When a resolver loads parent rows (a household card, a
// page of households), the relations its query selects below them are fetched in the SAME
// statement, each as a JSON column built in PostgreSQL, and primed into the per-request
// DataLoaders the field resolvers already use. The field resolvers, their @Authorized checks
// and the privacy policy run exactly as before; they find their rows in the loader cache
// instead of issuing a statement. A relation the caller may not read is never fetched: the
// edge is included only when the @Authorized roles of its field resolver grant it.
//
// Each module registers the edges it owns (`registerEdge`), next to the loader the edge primes,
// with SQL that returns what that loader returns for one key, in the same order, under the
// same scope predicate.

/** Positional parameters of a statement being assembled. */
export class SqlParams {
  readonly values: unknown[];

  constructor(initial: unknown[] = []) {
    this.values = [...initial];
  }

  /** Adds a value and returns its placeholder (`$n`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** Adds the parameters of a predicate built for the next free `$n` and returns its SQL. */
  predicate(build: (firstParam: number) => { sql: string; params: unknown[] }): string {
    const built = build(this.values.length + 1);
    this.values.push(...built.params);
    return built.sql;
  }
}

/** Parent rows have at least an id; one-to-one edges may key on another column. */
export type ParentRow = { id: string } & Record<string, unknown>;

export interface Edge {
  /** GraphQL parent type (`Household`, `Person`). */
  type: string;
  /** GraphQL field names this edge answers (several fields may share one loader). */
  fields: string[];
  /** The loader the field resolvers read; the edge primes it. */
  loader: LoaderFactory<string, unknown>;
  /** Loader key of a parent row (default: its id). */
  keyOf?: (parent: ParentRow) => string;
  /**
   * SQL expression (json) for the rows of one household (alias `household`): what `loader`
   * returns for that household's key, a JSON array for a list edge, an object or null for a
   * one-to-one edge. A Person edge returns the rows of all the household's members in one
   * array, and `groupBy` names each row's person. `prune` narrows a select list to what the
   * request can use (see `Prune`); the edge names in `needs` what its readers need regardless.
   */
  json(ctx: RequestContext, household: string, params: SqlParams, prune: Prune): EdgeJson;
  /** Person edges: the person a row belongs to (the loader's key). */
  groupBy?: (row: unknown) => string;
}

const edges = new Map<string, Edge>();

/** Declares an edge that can be read ahead. Called once per edge at module load. */
export function registerEdge(edge: Edge): void {
  for (const field of edge.fields) edges.set(`${edge.type}.${field}`, edge);
}

/** Every registered edge, once (tests: each edge's loader carries the scope predicate). */
export function registeredEdges(): Edge[] {
  return [...new Set(edges.values())];
}

/** The edge that answers `type.field`, if one was registered. */
export function edgeFor(type: string, field: string): Edge | undefined {
  return edges.get(`${type}.${field}`);
}

// ---- Permissions: the field resolver's own guard decides ----------------------------------

/**
 * Whether the guard in front of `type.field` would let this caller through: asked of the guard
 * itself (auth/field-guard.ts), so read-ahead and resolution cannot disagree. A field without
 * a guard is not read ahead (its resolver loads it, if it may).
 */
export function mayResolve(ctx: RequestContext, schema: GraphQLSchema, type: string, field: string): boolean {
  return guardAdmits(ctx.principal, schema, type, field);
}

// ---- Selections ---------------------------------------------------------------------------

/**
 * The fields selected on one object, by name, with the sub-selections of every occurrence
 * (aliases and fragments merged). Directives are ignored: reading ahead a field that @skip
 * leaves out costs a little, never a leak (permissions are checked per edge).
 */
export type Selection = Map<string, SelectionSetNode[]>;

export function selectionOf(info: GraphQLResolveInfo, sets: ReadonlyArray<SelectionSetNode | undefined>): Selection {
  const out: Selection = new Map();
  const visit = (set: SelectionSetNode | undefined) => {
    if (!set) return;
    for (const node of set.selections) {
      if (node.kind === Kind.FIELD) {
        const list = out.get(node.name.value) ?? [];
        if (node.selectionSet) list.push(node.selectionSet);
        out.set(node.name.value, list);
      } else if (node.kind === Kind.INLINE_FRAGMENT) {
        visit(node.selectionSet);
      } else {
        const fragment: FragmentDefinitionNode | undefined = info.fragments[node.name.value];
        visit(fragment?.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return out;
}

/** The selection of this resolver's own field (`info.fieldNodes`). */
export const fieldSelection = (info: GraphQLResolveInfo): Selection =>
  selectionOf(info, info.fieldNodes.map((n: FieldNode) => n.selectionSet));

/** The selection below `path` (e.g. ['edges', 'node']) of a selection. */
export function selectionAt(info: GraphQLResolveInfo, selection: Selection, path: string[]): Selection {
  let current = selection;
  for (const name of path) current = selectionOf(info, current.get(name) ?? []);
  return current;
}

// ---- Column pruning -----------------------------------------------------------------------

/**
 * Narrows an edge's select list (`a.x AS "y", …`) to what this request can use: `columns` as
 * given, less every column whose name is a field of the schema that the operation never names
 * (as a field or an argument, anywhere in its document) and that is not in `needs` (what
 * resolvers, the privacy policy and priming read whatever the selection). Columns that are no
 * field of the schema (internal ones, such as a subject's birth date) always stay. The loader
 * cache is per request, and a request runs one operation: any row read ahead is only ever
 * asked for fields its document names, whichever path reaches it.
 */
export type Prune = (columns: string, needs: readonly string[]) => string;

export const NO_PRUNE: Prune = (columns) => columns;

const documentNamesCache = new WeakMap<object, Set<string>>();
const schemaNamesCache = new WeakMap<object, Set<string>>();
// Per document: select list → needs → pruned list (the select lists are constants, whose hash
// V8 keeps; a key concatenated per call would be hashed in full every time).
const prunedCache = new WeakMap<Set<string>, Map<string, Map<string, string>>>();

/** Every field and argument name in the operation's document (its fragments included). */
function documentNames(info: GraphQLResolveInfo): Set<string> {
  let names = documentNamesCache.get(info.operation);
  if (!names) {
    const out = new Set<string>();
    const visit = (set: SelectionSetNode | undefined) => {
      if (!set) return;
      for (const node of set.selections) {
        if (node.kind === Kind.FIELD) {
          out.add(node.name.value);
          for (const arg of node.arguments ?? []) out.add(arg.name.value);
        }
        if (node.kind !== Kind.FRAGMENT_SPREAD) visit(node.selectionSet);
      }
    };
    visit(info.operation.selectionSet);
    for (const fragment of Object.values(info.fragments)) visit(fragment.selectionSet);
    names = out;
    documentNamesCache.set(info.operation, names);
  }
  return names;
}

/** Every field name of every object and interface type of the schema. */
function schemaNames(info: GraphQLResolveInfo): Set<string> {
  let names = schemaNamesCache.get(info.schema);
  if (!names) {
    names = new Set<string>();
    for (const type of Object.values(info.schema.getTypeMap())) {
      if (isObjectType(type) || isInterfaceType(type)) for (const field of Object.keys(type.getFields())) names.add(field);
    }
    schemaNamesCache.set(info.schema, names);
  }
  return names;
}

/** Items of a select list, split at top-level commas. */
function selectItems(columns: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      items.push(columns.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(columns.slice(start).trim());
  return items;
}

/** The output name of a select item (`… AS "x"`, `… AS x`, `f.x`), or null when unclear. */
function outputName(item: string): string | null {
  const alias = /\sAS\s+"?([A-Za-z_][A-Za-z0-9_]*)"?$/i.exec(item);
  if (alias) return alias[1];
  const column = /^[A-Za-z_][A-Za-z0-9_]*\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(item);
  return column ? column[1] : null;
}

/** The pruning of select lists for this resolver's operation. */
export function pruneFor(info: GraphQLResolveInfo): Prune {
  const used = documentNames(info);
  const fields = schemaNames(info);
  let cache = prunedCache.get(used);
  if (!cache) {
    cache = new Map();
    prunedCache.set(used, cache);
  }
  const pruned = cache;
  return (columns, needs) => {
    let byNeeds = pruned.get(columns);
    if (!byNeeds) {
      byNeeds = new Map();
      pruned.set(columns, byNeeds);
    }
    const key = needs.join(',');
    let out = byNeeds.get(key);
    if (out === undefined) {
      out = selectItems(columns)
        .filter((item) => {
          const name = outputName(item);
          return name === null || !fields.has(name) || used.has(name) || needs.includes(name);
        })
        .join(', ');
      byNeeds.set(key, out);
    }
    return out;
  };
}

/** An edge's JSON: an expression, or rows as arrays of the values of `names` (see `jsonRows`). */
export type EdgeJson = string | { sql: string; names: string[] };

/**
 * The rows of `SELECT columns from` as JSON (order kept): an array of arrays with the columns'
 * names beside it, decoded into objects when primed (`rowObjects`), where every column has a
 * clear output name; else an array of objects. Arrays are under half the text of objects,
 * whose keys repeat on every row, and parse faster.
 */
export function jsonRows(columns: string, from: string): EdgeJson {
  let shape = rowShapes.get(columns);
  if (shape === undefined) {
    const items = selectItems(columns);
    const names = items.map(outputName);
    const clear = names.every((n, i) => n !== null && (n === n.toLowerCase() || items[i].includes(`"${n}"`)));
    shape = clear ? { names: names as string[], values: (names as string[]).map((n) => `x."${n}"`).join(', ') } : null;
    if (rowShapes.size < 2000) rowShapes.set(columns, shape);
  }
  if (!shape) return `(SELECT coalesce(json_agg(x), '[]'::json) FROM (SELECT ${columns} ${from}) x)`;
  return { sql: `(SELECT coalesce(json_agg(json_build_array(${shape.values})), '[]'::json) FROM (SELECT ${columns} ${from}) x)`, names: shape.names };
}

/** Per select list (code's lists, as pruned for the documents seen; at most 2,000 kept): names and values of its rows as arrays. */
const rowShapes = new Map<string, { names: string[]; values: string } | null>();

/** Rows read as arrays (`jsonRows`) as objects with `names`, in place of the array. */
export function rowObjects(names: readonly string[], rows: unknown[][]): Record<string, unknown>[] {
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const object: Record<string, unknown> = {};
    for (let j = 0; j < names.length; j++) object[names[j]] = row[j];
    out[i] = object;
  }
  return out;
}
