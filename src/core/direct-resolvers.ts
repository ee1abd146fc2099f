import { GraphQLField, GraphQLFieldResolver, GraphQLResolveInfo, GraphQLScalarType, GraphQLSchema, isObjectType } from 'graphql';
import { fieldMetaOf, fieldResolverOf, fieldResolversNamed, metadata, Metadata, ParamMeta, typeMetaOf } from './type-graphql-metadata';

// Field resolvers called without type-graphql's parameter pipeline, where that pipeline adds
// nothing. type-graphql validates every @Arg in an async function, so a field resolver with
// any argument answers with a promise, even `age(asOf)` on a value already in hand, and
// graphql-js then completes the whole object asynchronously (a village dashboard: about eight
// hundred persons, several promises each). For a resolver whose parameters are only the
// context, the info, the root and scalar arguments, validation never applies (type-graphql
// validates objects only) and conversion returns the value as it is, so the method is called
// directly with the same values. Anything else (input objects, @Args classes, custom
// decorators, middlewares, a root that is not yet an instance of its class) keeps
// type-graphql's resolver. Authorisation is added afterwards, in front of either
// (core/auth/field-guard.ts).

type FieldResolverTarget = new () => Record<string, (...params: unknown[]) => unknown>;

type Getter = (root: unknown, args: Record<string, unknown>, ctx: unknown, info: GraphQLResolveInfo) => unknown;

/** A root of the wrong class: type-graphql would copy it into an instance first. */
const NOT_DIRECT = Symbol('not direct');

const SCALARS: unknown[] = [String, Number, Boolean];

function getterOf(param: ParamMeta): Getter | undefined {
  switch (param.kind) {
    case 'context': {
      const property = param.propertyName;
      return property ? (_r, _a, ctx) => (ctx as Record<string, unknown>)[property] : (_r, _a, ctx) => ctx;
    }
    case 'info':
      return (_r, _a, _c, info) => info;
    case 'root': {
      const property = param.propertyName;
      const type = param.getType?.();
      return (root) => {
        const value = property ? (root as Record<string, unknown>)[property] : root;
        if (value == null || type === undefined || type instanceof GraphQLScalarType || SCALARS.includes(type)) return value;
        return typeof type === 'function' && value instanceof type ? value : NOT_DIRECT;
      };
    }
    case 'arg': {
      const type = param.getType?.();
      const scalar = type instanceof GraphQLScalarType || SCALARS.includes(type);
      if (!scalar || param.typeOptions?.array || param.validateFn || param.validateSettings !== undefined) return undefined;
      const name = param.name as string;
      return (_r, args) => args[name];
    }
    default:
      return undefined;
  }
}

/** Replaces, in place, the resolvers of field resolvers that qualify (see above). */
export function callFieldResolversDirectly(schema: GraphQLSchema, resolvers: readonly Function[]): GraphQLSchema {
  const storage = metadata();
  const instances = new Map<Function, Record<string, (...params: unknown[]) => unknown>>();
  for (const meta of storage.fieldResolvers) {
    if (meta.kind !== 'external' || !resolvers.includes(meta.target) || meta.middlewares?.length) continue;
    const typeName = storage.objectTypes.find((t) => t.target === meta.getObjectType?.())?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = isObjectType(type) ? type.getFields()[meta.schemaName] : undefined;
    if (!field?.resolve) continue;
    const params = [...(meta.params ?? [])].sort((a, b) => a.index - b.index);
    const getters = params.map(getterOf);
    if (getters.some((g) => g === undefined)) continue;
    // type-graphql's default container also keeps one instance per resolver class; the
    // resolver classes hold no state.
    let instance = instances.get(meta.target);
    if (!instance) {
      instance = new (meta.target as FieldResolverTarget)();
      instances.set(meta.target, instance);
    }
    const target = instance;
    const method = instance[meta.methodName];
    const fallback = field.resolve;
    const direct: GraphQLFieldResolver<unknown, unknown> = (root, args: Record<string, unknown>, ctx, info) => {
      const values = new Array<unknown>(getters.length);
      for (let i = 0; i < getters.length; i++) {
        const value = (getters[i] as Getter)(root, args, ctx, info);
        if (value === NOT_DIRECT) return fallback(root, args, ctx, info);
        values[i] = value;
      }
      return method.apply(target, values);
    };
    field.resolve = direct;
  }
  readPlainFieldsDirectly(schema, resolvers, storage);
  return schema;
}

/**
 * Plain `@Field` properties: type-graphql answers each with a resolver that builds a resolver
 * data object and runs the (empty) middleware chain before returning `root[property]`; on a
 * village dashboard that is most of the fields resolved. Where the field has no middlewares and
 * no field resolver of any kind, the resolver returns `root[property]` itself, as type-graphql's
 * does. Fields with a resolver, middlewares or no metadata are left as they are.
 *
 * Fail closed: a field resolver is looked for by type-graphql's own rule and, as a cross-check,
 * by name on the type and the types it inherits from. Should the two disagree (an upgrade that
 * changed the metadata), the schema is refused at build: reading `root[property]` in place of a
 * field resolver would skip whatever it decides (a privacy rule), so a miss must not pass.
 * `meta` is type-graphql's metadata (tests pass an altered copy).
 */
export function readPlainFieldsDirectly(schema: GraphQLSchema, resolvers: readonly Function[], meta: Metadata = metadata()): void {
  const replaced: Array<[GraphQLField<unknown, unknown>, GraphQLFieldResolver<unknown, unknown>]> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    const typeMeta = typeMetaOf(meta, type.name);
    if (!typeMeta) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve) continue;
      const fieldMeta = fieldMetaOf(meta, type.name, field.name);
      if (!fieldMeta || fieldMeta.middlewares?.length) continue;
      const exact = fieldResolverOf(meta, resolvers, fieldMeta);
      const named = fieldResolversNamed(meta, resolvers, type.name, field.name);
      if (!exact && named.length) {
        throw new Error(
          `${type.name}.${field.name}: a field resolver is declared (${named.map((r) => `${r.target.name}.${r.methodName}`).join(', ')}) but type-graphql's rule does not match it; `
          + 'refusing to read the field as a plain property (core/type-graphql-metadata.ts)',
        );
      }
      if (exact) continue;
      // A getter or method of the class is type-graphql's to call.
      const descriptor = findDescriptor(typeMeta.target.prototype as object, fieldMeta.name);
      if (descriptor && (descriptor.get || typeof descriptor.value === 'function')) continue;
      const property = fieldMeta.name;
      replaced.push([field, (root) => (root as Record<string, unknown>)[property]]);
    }
  }
  // Only once every field has passed the check: a refused build changes nothing.
  for (const [field, resolve] of replaced) {
    field.resolve = resolve;
    plainReads.add(resolve);
  }
}

/** Resolvers installed by readPlainFieldsDirectly (tests: no field with a field resolver is among them). */
const plainReads = new WeakSet<Function>();

/** Whether `field` is answered by a plain property read installed here. */
export function isPlainRead(field: GraphQLField<unknown, unknown>): boolean {
  return !!field.resolve && plainReads.has(field.resolve);
}

function findDescriptor(proto: object | null, name: string): PropertyDescriptor | undefined {
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d) return d;
  }
  return undefined;
}
