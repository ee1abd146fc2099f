import type { GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from '../../core/context';
import { Edge, edgeFor, mayResolve, NO_PRUNE, Prune, pruneFor, rowObjects, Selection, selectionOf, SqlParams } from '../../core/prefetch';
import { asInstances } from '../../core/loaders';
import { PersonNode } from './registry.types';
import type { HouseholdNode } from './registry.types';

// Read-ahead below households (core/prefetch): the household card and household pages fetch
// the relations their query selects in the statement that loads the households. The edges are
// declared beside their loaders (household.edges.ts for the registry's own, the departments'
// next to their facet loaders); this file only plans, selects and primes.

/** What to read ahead below a set of households. */
export interface ReadAhead {
  /** Household edges, each once (several fields may share one). */
  household: Edge[];
  /** Person edges below `members` (only when members are read ahead). */
  person: Edge[];
  /** Identifies the plan among a request's loaders. */
  key: string;
  /** Narrows the edges' select lists to what the request's operation can use. */
  prune: Prune;
}

export const NO_READ_AHEAD: ReadAhead = { household: [], person: [], key: '', prune: NO_PRUNE };

/** The edges `selection` (on Household) asks for that the caller's field resolvers would allow. */
export function readAheadOf(ctx: RequestContext, info: GraphQLResolveInfo, selection: Selection): ReadAhead {
  const pick = (type: string, fields: Iterable<string>): Edge[] => {
    const picked: Edge[] = [];
    for (const field of fields) {
      const edge = edgeFor(type, field);
      if (edge && !picked.includes(edge) && mayResolve(ctx, info.schema, type, field)) picked.push(edge);
    }
    return picked;
  };
  const household = pick('Household', selection.keys());
  const members = edgeFor('Household', 'members');
  const person = members && household.includes(members) ? pick('Person', selectionOf(info, selection.get('members') ?? []).keys()) : [];
  const names = (edges: Edge[]) => edges.map((e) => e.fields[0]).join(',');
  return { household, person, key: `${names(household)}|${names(person)}`, prune: pruneFor(info) };
}

/** The plan's JSON columns as built for one statement: their SQL, and how to read each back. */
export interface ReadAheadColumns {
  /** `, … AS "__ra0", …` for the select list. */
  sql: string;
  /** Per household edge, then per person edge: the names of rows read as arrays, or null. */
  household: Array<string[] | null>;
  person: Array<string[] | null>;
}

/** The plan's JSON columns for household alias `h`, parameters added to `params`. */
export function readAheadColumns(ctx: RequestContext, plan: ReadAhead, h: string, params: SqlParams): ReadAheadColumns {
  const out: ReadAheadColumns = { sql: '', household: [], person: [] };
  const add = (edges: Edge[], prefix: string, names: Array<string[] | null>) =>
    edges.forEach((e, i) => {
      const json = e.json(ctx, h, params, plan.prune);
      out.sql += `, ${typeof json === 'string' ? json : json.sql} AS "${prefix}${i}"`;
      names.push(typeof json === 'string' ? null : json.names);
    });
  add(plan.household, '__ra', out.household);
  add(plan.person, '__rp', out.person);
  return out;
}

/**
 * Primes the plan's loaders from household rows carrying its columns, and takes the columns off
 * the rows (the rows are the households the resolvers see).
 */
export function primeReadAhead(ctx: RequestContext, plan: ReadAhead, columns: ReadAheadColumns, rows: HouseholdNode[]): void {
  if (!plan.key) return;
  const members = edgeFor('Household', 'members');
  for (const row of rows) {
    const r = row as unknown as Record<string, unknown> & { id: string };
    let memberRows: PersonNode[] | null = null;
    plan.household.forEach((edge, i) => {
      const names = columns.household[i];
      const value = names ? rowObjects(names, r[`__ra${i}`] as unknown[][]) : r[`__ra${i}`];
      delete r[`__ra${i}`];
      ctx.loaders.prime(edge.loader, edge.keyOf ? edge.keyOf(r) : r.id, value);
      if (edge === members) memberRows = asInstances(PersonNode, value as object[]);
    });
    plan.person.forEach((edge, i) => {
      const names = columns.person[i];
      const value = (names ? rowObjects(names, r[`__rp${i}`] as unknown[][]) : r[`__rp${i}`]) as unknown[];
      delete r[`__rp${i}`];
      if (!memberRows) return;
      const byPerson = new Map<string, unknown[]>();
      for (const item of value) {
        const key = edge.groupBy!(item);
        const list = byPerson.get(key);
        if (list) list.push(item);
        else byPerson.set(key, [item]);
      }
      for (const member of memberRows) ctx.loaders.prime(edge.loader, member.id, byPerson.get(member.id) ?? []);
    });
  }
}
