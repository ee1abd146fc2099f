import {
  getNullableType,
  GraphQLFieldResolver,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isObjectType,
} from 'graphql';
import { Field, ID, InterfaceType } from 'type-graphql';
import { badInput } from './errors';

// Relay global object identification (issue 10 §3). A record that is a `Node` answers `id` with
// an opaque global id, base64url of `<Type>:<key>` (Household 13 and Person 13 no longer share
// an id), and `databaseId` with the key it had before. Every argument that names a household or
// a person accepts the global id of the right type, and for one deprecation period the bare
// database id as well; decoding happens here, once, in front of the resolvers (acceptGlobalIds).

/** The types that are Relay nodes, each keyed by its database id or (regions, villages) its code. */
export type NodeTypeName = 'Household' | 'Person' | 'Region' | 'Village';

const NODE_TYPES: readonly NodeTypeName[] = ['Household', 'Person', 'Region', 'Village'];
const KEY = /^\d{1,18}$/;

/** The global id of a record: base64url of `<Type>:<key>`. */
export const toGlobalId = (type: NodeTypeName, key: string): string => Buffer.from(`${type}:${key}`).toString('base64url');

/** The type and key a global id stands for, or null when `value` is no global id this API issues. */
export function fromGlobalId(value: string): { type: NodeTypeName; key: string } | null {
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(value)) return null;
  const match = /^([A-Za-z]+):(\d{1,18})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match || !NODE_TYPES.includes(match[1] as NodeTypeName)) return null;
  return { type: match[1] as NodeTypeName, key: match[2] };
}

/**
 * The database id an argument names: a global id of `expected` gives its key; a bare database id
 * (deprecated, still accepted) is returned as it is; a global id of another type is the caller's
 * error (BAD_USER_INPUT, naming `field`). Anything else is returned unchanged, so that the
 * resolver answers it as before (NOT_FOUND for an id that names nothing).
 */
export function recordIdOf(expected: NodeTypeName, value: string, field: string): string {
  if (KEY.test(value)) return value;
  const global = fromGlobalId(value);
  if (!global) return value;
  if (global.type !== expected) throw badInput(field, `a ${global.type} id where a ${expected} id is expected`);
  return global.key;
}

// Which type a node of the `Node` interface is: recorded by the resolver that returns it
// (rows are plain objects, not class instances, so `instanceof` cannot tell).
const nodeTypes = new WeakMap<object, NodeTypeName>();

/** Marks `value` as a node of `type`, for Node's type resolution; returns it. */
export function asNode<T extends object>(type: NodeTypeName, value: T): T {
  nodeTypes.set(value, type);
  return value;
}

@InterfaceType('Node', {
  description: 'An object with a global id (全局标识), as Relay expects: refetch any node with `node(id:)`.',
  resolveType: (value: object) => nodeTypes.get(value),
})
export abstract class NodeInterface {
  @Field(() => ID, { description: 'Opaque global id (全局标识); pass it to `node(id:)` or to any argument that names this record.' })
  id!: string;
}

// ---- Arguments that name a record ----------------------------------------------------------

/** Arguments and input fields that name a household or a person, wherever they appear. */
const BY_NAME: Record<string, NodeTypeName> = {
  householdId: 'Household',
  personId: 'Person',
  beneficiaryHouseholdIds: 'Household',
};

/** `id` arguments that name a household or a person (other `id`s name records that are not nodes). */
const ID_ARGUMENT: Record<string, NodeTypeName> = {
  'Query.household': 'Household',
  'Query.person': 'Person',
  'Mutation.updateHousehold': 'Household',
  'Mutation.updatePerson': 'Person',
};

/** How to rewrite one value: a record id of a type, or an input object's fields. */
type Plan = { kind: 'id'; type: NodeTypeName } | { kind: 'object'; fields: Record<string, Plan> };

function planOf(type: GraphQLInputType, byName: NodeTypeName | undefined, seen: Set<string>): Plan | null {
  const named = getNullableType(type);
  if (isListType(named)) return planOf(named.ofType, byName, seen);
  if (byName) return named.name === 'ID' ? { kind: 'id', type: byName } : null;
  if (!isInputObjectType(named) || seen.has(named.name)) return null;
  const fields: Record<string, Plan> = {};
  for (const field of Object.values(named.getFields())) {
    const plan = planOf(field.type, BY_NAME[field.name], new Set([...seen, named.name]));
    if (plan) fields[field.name] = plan;
  }
  return Object.keys(fields).length ? { kind: 'object', fields } : null;
}

function rewrite(value: unknown, plan: Plan, path: string): unknown {
  if (value == null) return value;
  if (Array.isArray(value)) return value.map((v, i) => rewrite(v, plan, `${path}[${i}]`));
  if (plan.kind === 'id') return typeof value === 'string' ? recordIdOf(plan.type, value, path) : value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [name, inner] of Object.entries(plan.fields)) if (name in out) out[name] = rewrite(out[name], inner, `${path}.${name}`);
  return out;
}

/**
 * Puts the decoding of global ids in front of every resolver (and subscription source) with an
 * argument that names a household or a person, in place. Fields without one are left untouched.
 */
export function acceptGlobalIds(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const plans: Array<[string, Plan]> = [];
      for (const arg of field.args) {
        const byName = arg.name === 'id' ? ID_ARGUMENT[`${type.name}.${field.name}`] : BY_NAME[arg.name];
        const plan = planOf(arg.type, byName, new Set());
        if (plan) plans.push([arg.name, plan]);
      }
      if (!plans.length) continue;
      const decode = (args: Record<string, unknown>) => {
        const out = { ...args };
        for (const [name, plan] of plans) if (name in out) out[name] = rewrite(out[name], plan, name);
        return out;
      };
      const wrap = (resolve: GraphQLFieldResolver<unknown, unknown> | undefined): GraphQLFieldResolver<unknown, unknown> | undefined =>
        resolve && ((root, args: Record<string, unknown>, ctx, info) => resolve(root, decode(args), ctx, info));
      field.resolve = wrap(field.resolve);
      field.subscribe = wrap(field.subscribe);
    }
  }
  return schema;
}
