import {
  defaultFieldResolver,
  GraphQLField,
  GraphQLFieldResolver,
  GraphQLSchema,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { RequestContext } from '../context';
import { authorize } from './auth-checker';

// @Authorized, enforced without type-graphql's middleware chain. type-graphql runs each check
// as an async middleware (about ten promises per checked field, all of them under
// async_hooks while a request is traced); a village dashboard checks about a thousand fields,
// and that was most of its CPU. The schema is therefore built without type-graphql's checker
// (core/schema.ts), and this file puts the same check back, synchronously, in front of every
// resolver whose field or operation carries @Authorized roles. The roles are read from the
// same type-graphql metadata that tests/contract/permissions.test.ts snapshots, so the
// decorators stay the one source of truth; `guardSchema` refuses to return a schema in which
// a declared check did not find its field (fail closed rather than serve it unchecked).

/** The part of type-graphql's metadata this file reads (its types are not exported). */
interface FieldMeta {
  name: string;
  schemaName: string;
  target: Function;
  roles?: string[];
}
interface TypeMeta {
  target: Function;
  name: string;
  fields?: FieldMeta[];
  interfaceClasses?: Function[];
}
interface HandlerMeta {
  target: Function;
  schemaName: string;
  methodName: string;
  roles?: string[];
  kind?: 'internal' | 'external';
  getObjectType?: () => Function;
}
interface Storage {
  queries: HandlerMeta[];
  mutations: HandlerMeta[];
  subscriptions: HandlerMeta[];
  fieldResolvers: HandlerMeta[];
  objectTypes: TypeMeta[];
  interfaceTypes: TypeMeta[];
}

/** The roles each guarded resolver checks (tests read it: every declared check is in place). */
const guardedRoles = new WeakMap<Function, readonly string[]>();

/** The @Authorized roles the resolver of `field` checks on every resolution, or null. */
export function rolesGuarding(field: GraphQLField<unknown, unknown>): readonly string[] | null {
  return (field.resolve && guardedRoles.get(field.resolve)) ?? null;
}

/**
 * Puts the @Authorized check in front of every resolver of `schema` (built by type-graphql from
 * `resolvers` without its own checker) whose field or operation declares roles, in place.
 */
export function guardSchema(schema: GraphQLSchema, resolvers: readonly Function[]): GraphQLSchema {
  const storage = getMetadataStorage() as unknown as Storage;
  const declared = declaredRoles(storage, resolvers);
  const found = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      const roles = declared.get(key) ?? rolesOfField(storage, resolvers, type.name, field.name);
      if (!roles) continue;
      found.add(key);
      guard(field, roles);
    }
  }
  const expected = [...declared.keys()];
  for (const r of storage.fieldResolvers) {
    const type = storage.objectTypes.find((t) => t.target === r.getObjectType?.());
    // Abstract base types lend their fields and are not emitted; their subtypes are checked.
    if (r.roles && type && schema.getType(type.name)) expected.push(`${type.name}.${r.schemaName}`);
  }
  const missing = expected.filter((key) => !found.has(key));
  if (missing.length) throw new Error(`@Authorized declared but not found in the schema, refusing to serve it unchecked: ${missing.join(', ')}`);
  return schema;
}

function guard(field: GraphQLField<unknown, unknown>, roles: readonly string[]): void {
  const resolve: GraphQLFieldResolver<unknown, RequestContext> = field.resolve ?? defaultFieldResolver;
  const guarded: GraphQLFieldResolver<unknown, RequestContext> = (root, args, ctx, info) =>
    authorize(ctx, info, args, roles) ?? resolve(root, args, ctx, info);
  guardedRoles.set(guarded, roles);
  field.resolve = guarded as GraphQLFieldResolver<unknown, unknown>;
  // A subscription is checked when it starts as well as on each event (type-graphql did both).
  const subscribe = field.subscribe as GraphQLFieldResolver<unknown, RequestContext> | undefined;
  if (subscribe) {
    field.subscribe = ((root, args, ctx, info) =>
      authorize(ctx, info, args, roles) ?? subscribe(root, args, ctx, info)) as GraphQLFieldResolver<unknown, RequestContext> as GraphQLFieldResolver<unknown, unknown>;
  }
}

/**
 * Operations and field resolvers with roles, by `Type.field`, picked as type-graphql picks them
 * (handlers of the classes in `resolvers`; the last declaration of a name wins).
 */
function declaredRoles(storage: Storage, resolvers: readonly Function[]): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const root = (type: string, handlers: HandlerMeta[]) => {
    for (const h of handlers) {
      if (!resolvers.includes(h.target)) continue;
      if (h.roles) out.set(`${type}.${h.schemaName}`, h.roles);
      else out.delete(`${type}.${h.schemaName}`);
    }
  };
  root('Query', storage.queries);
  root('Mutation', storage.mutations);
  root('Subscription', storage.subscriptions);
  return out;
}

/**
 * The roles of a field of an object or interface type: its field resolver's, else those of the
 * @Field itself, looked up through the type's interfaces and superclasses as type-graphql
 * assembles the type (own fields over interface fields over inherited ones).
 */
function rolesOfField(storage: Storage, resolvers: readonly Function[], typeName: string, fieldName: string): readonly string[] | undefined {
  const types = [...storage.objectTypes, ...storage.interfaceTypes];
  const meta = types.find((t) => t.name === typeName);
  if (!meta) return undefined;
  const byTarget = (target: Function) => types.find((t) => t.target === target);
  const fieldOf = (type: TypeMeta | undefined): FieldMeta | undefined => {
    if (!type) return undefined;
    const own = type.fields?.find((f) => f.schemaName === fieldName);
    if (own) return own;
    for (const iface of type.interfaceClasses ?? []) {
      const found = fieldOf(byTarget(iface));
      if (found) return found;
    }
    const parent = Object.getPrototypeOf(type.target) as Function;
    return parent.prototype ? fieldOf(byTarget(parent)) : undefined;
  };
  const field = fieldOf(meta);
  if (!field) return undefined;
  const resolver = storage.fieldResolvers.find(
    (r) => (r.kind === 'internal' || resolvers.includes(r.target)) && r.getObjectType?.() === field.target && r.methodName === field.name,
  );
  return resolver ? resolver.roles : field.roles;
}
