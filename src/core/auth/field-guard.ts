import {
  defaultFieldResolver,
  GraphQLField,
  GraphQLFieldResolver,
  GraphQLSchema,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import type { RequestContext } from '../context';
import { declaredRolesOf, metadata, objectTypeNameOf, rootHandlers } from '../type-graphql-metadata';
import { authorize, grants } from './auth-checker';
import type { Principal } from './roles';

// @Authorized, enforced without type-graphql's middleware chain. type-graphql runs each check
// as an async middleware (about ten promises per checked field, all of them under
// async_hooks while a request is traced); a village dashboard checks about a thousand fields,
// and that was most of its CPU. The schema is therefore built without type-graphql's checker
// (core/schema.ts), and this file puts the same check back, synchronously, in front of every
// resolver whose field or operation carries @Authorized roles. The roles are read from the
// same type-graphql metadata (through core/type-graphql-metadata.ts) that
// tests/contract/permissions.test.ts snapshots, so the
// decorators stay the one source of truth; `guardSchema` refuses to return a schema in which
// a declared check did not find its field (fail closed rather than serve it unchecked).

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
  const meta = metadata();
  const found = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      const roles = declaredRolesOf(meta, resolvers, type.name, field.name);
      if (!roles) continue;
      found.add(key);
      guard(field, roles);
    }
  }
  const expected = [...rootHandlers(meta, resolvers)].filter(([, h]) => h.roles).map(([key]) => key);
  for (const r of meta.fieldResolvers) {
    const typeName = objectTypeNameOf(meta, r);
    // Abstract base types lend their fields and are not emitted; their subtypes are checked.
    if (r.roles && typeName && schema.getType(typeName)) expected.push(`${typeName}.${r.schemaName}`);
  }
  const missing = expected.filter((key) => !found.has(key));
  if (missing.length) throw new Error(`@Authorized declared but not found in the schema, refusing to serve it unchecked: ${missing.join(', ')}`);
  return schema;
}

/**
 * Whether the guard in front of `typeName.fieldName` of `schema` lets `principal` through: the
 * one answer to "which roles guard this field", read from the guard itself (read-ahead asks it
 * before fetching a relation). A field that is missing or carries no guard answers no: the
 * caller then leaves the field to its own resolver (fail closed).
 */
export function guardAdmits(principal: Principal | null, schema: GraphQLSchema, typeName: string, fieldName: string): boolean {
  const type = schema.getType(typeName);
  if (!(isObjectType(type) || isInterfaceType(type))) return false;
  const field = type.getFields()[fieldName];
  const roles = field ? rolesGuarding(field) : null;
  return roles !== null && grants(principal, roles);
}

function guard(field: GraphQLField<unknown, unknown>, roles: readonly string[]): void {
  const resolve: GraphQLFieldResolver<unknown, RequestContext> = field.resolve ?? defaultFieldResolver;
  const guarded: GraphQLFieldResolver<unknown, RequestContext> = (root, args: Record<string, unknown>, ctx, info) =>
    authorize(ctx, info, args, roles) ?? resolve(root, args, ctx, info);
  guardedRoles.set(guarded, roles);
  field.resolve = guarded as GraphQLFieldResolver<unknown, unknown>;
  // A subscription is checked when it starts as well as on each event (type-graphql did both).
  const subscribe = field.subscribe as GraphQLFieldResolver<unknown, RequestContext> | undefined;
  if (subscribe) {
    field.subscribe = ((root, args: Record<string, unknown>, ctx, info) =>
      authorize(ctx, info, args, roles) ?? subscribe(root, args, ctx, info)) as GraphQLFieldResolver<unknown, RequestContext> as GraphQLFieldResolver<unknown, unknown>;
  }
}
