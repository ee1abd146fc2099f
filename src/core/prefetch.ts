import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { grants } from './auth/auth-checker';
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
   * array, and `groupBy` names each row's person.
   */
  json(ctx: RequestContext, household: string, params: SqlParams): string;
  /** Person edges: the person a row belongs to (the loader's key). */
  groupBy?: (row: unknown) => string;
}

const edges = new Map<string, Edge>();

/** Declares an edge that can be read ahead. Called once per edge at module load. */
export function registerEdge(edge: Edge): void {
  for (const field of edge.fields) edges.set(`${edge.type}.${field}`, edge);
}

/** The edge that answers `type.field`, if one was registered. */
export function edgeFor(type: string, field: string): Edge | undefined {
  return edges.get(`${type}.${field}`);
}

// ---- Permissions: the field resolver's own @Authorized roles decide -------------------------

const rolesCache = new Map<string, readonly string[] | null>();

/** The @Authorized roles of the field resolver of `type.field` (null: no check declared). */
function rolesOf(type: string, field: string): readonly string[] | null {
  const key = `${type}.${field}`;
  let roles = rolesCache.get(key);
  if (roles === undefined) {
    const storage = getMetadataStorage() as unknown as {
      objectTypes: Array<{ target: Function; name: string }>;
      fieldResolvers: Array<{ schemaName: string; roles?: string[]; getObjectType?: () => Function }>;
    };
    const target = storage.objectTypes.find((t) => t.name === type)?.target;
    const resolver = storage.fieldResolvers.find((f) => f.schemaName === field && f.getObjectType?.() === target);
    roles = resolver?.roles ?? null;
    rolesCache.set(key, roles);
  }
  return roles;
}

/** Whether the field resolver of `type.field` would let this caller through (the rule auth/auth-checker.ts enforces). */
export function mayResolve(ctx: RequestContext, type: string, field: string): boolean {
  const roles = rolesOf(type, field);
  return roles === null || grants(ctx.principal, roles);
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
      if (node.kind === 'Field') {
        const list = out.get(node.name.value) ?? [];
        if (node.selectionSet) list.push(node.selectionSet);
        out.set(node.name.value, list);
      } else if (node.kind === 'InlineFragment') {
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
