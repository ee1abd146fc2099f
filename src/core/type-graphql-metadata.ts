import { getMetadataStorage } from 'type-graphql';

// The one place that reads type-graphql's internal metadata (its storage types are not
// exported). The field guard (auth/field-guard.ts), the direct resolvers (direct-resolvers.ts)
// and the permission map read it through here, so that they answer "which resolver, which
// roles" the same way, and an upgrade of type-graphql that changes what is read breaks one
// contract test (tests/contract/type-graphql-metadata.test.ts), not a request at run time.
// Where the metadata cannot answer, callers refuse (fail closed).

/** The type-graphql version this adapter was written for; the contract test checks the installed one. */
export const TYPE_GRAPHQL_VERSION = '2.0.0-rc.4';

/** A parameter of a resolver method (`@Ctx`, `@Root`, `@Arg`, …). */
export interface ParamMeta {
  kind: 'args' | 'arg' | 'context' | 'root' | 'info' | 'custom';
  index: number;
  name?: string;
  propertyName?: string;
  getType?: () => unknown;
  typeOptions?: { array?: boolean };
  validateFn?: unknown;
  validateSettings?: unknown;
}

/** An `@Field` of an object or interface type. */
export interface FieldMeta {
  /** The class property or method. */
  name: string;
  /** The GraphQL field name. */
  schemaName: string;
  target: Function;
  roles?: string[];
  middlewares?: unknown[];
}

export interface TypeMeta {
  target: Function;
  name: string;
  fields?: FieldMeta[];
  interfaceClasses?: Function[];
}

/** A query, mutation, subscription or field resolver. */
export interface HandlerMeta {
  target: Function;
  schemaName: string;
  methodName: string;
  roles?: string[];
  kind?: 'internal' | 'external';
  params?: ParamMeta[];
  middlewares?: unknown[];
  getObjectType?: () => Function;
}

export interface Metadata {
  queries: HandlerMeta[];
  mutations: HandlerMeta[];
  subscriptions: HandlerMeta[];
  fieldResolvers: HandlerMeta[];
  objectTypes: TypeMeta[];
  interfaceTypes: TypeMeta[];
}

const LISTS: ReadonlyArray<keyof Metadata> = ['queries', 'mutations', 'subscriptions', 'fieldResolvers', 'objectTypes', 'interfaceTypes'];

/** type-graphql's metadata, checked for the lists this adapter reads (throws when one is missing). */
export function metadata(): Metadata {
  const storage = getMetadataStorage() as unknown as Partial<Record<keyof Metadata, unknown>>;
  for (const list of LISTS) {
    if (!Array.isArray(storage[list])) {
      throw new Error(`type-graphql's metadata has no list "${list}": this adapter was written for type-graphql ${TYPE_GRAPHQL_VERSION}; refusing to guess`);
    }
  }
  return storage as unknown as Metadata;
}

/** The object or interface type named `typeName`. */
export function typeMetaOf(meta: Metadata, typeName: string): TypeMeta | undefined {
  return meta.objectTypes.find((t) => t.name === typeName) ?? meta.interfaceTypes.find((t) => t.name === typeName);
}

/** The GraphQL name of the object type a field resolver belongs to. */
export function objectTypeNameOf(meta: Metadata, resolver: HandlerMeta): string | undefined {
  const target = resolver.getObjectType?.();
  return [...meta.objectTypes, ...meta.interfaceTypes].find((t) => t.target === target)?.name;
}

/**
 * The `@Field` behind `typeName.fieldName`, found as type-graphql assembles a type: own fields
 * over interface fields over inherited ones.
 */
export function fieldMetaOf(meta: Metadata, typeName: string, fieldName: string): FieldMeta | undefined {
  const types = [...meta.objectTypes, ...meta.interfaceTypes];
  const byTarget = (target: Function) => types.find((t) => t.target === target);
  const find = (type: TypeMeta | undefined): FieldMeta | undefined => {
    if (!type) return undefined;
    const own = type.fields?.find((f) => f.schemaName === fieldName);
    if (own) return own;
    for (const iface of type.interfaceClasses ?? []) {
      const found = find(byTarget(iface));
      if (found) return found;
    }
    const parent = Object.getPrototypeOf(type.target) as Function;
    return parent.prototype ? find(byTarget(parent)) : undefined;
  };
  return find(typeMetaOf(meta, typeName));
}

/**
 * The field resolver type-graphql uses for `field` (its own rule in schema-generator: internal
 * or of a class in `resolvers`, same object type class, same method name), if any.
 */
export function fieldResolverOf(meta: Metadata, resolvers: readonly Function[], field: FieldMeta): HandlerMeta | undefined {
  return meta.fieldResolvers.find(
    (r) => (r.kind === 'internal' || resolvers.includes(r.target)) && r.getObjectType?.() === field.target && r.methodName === field.name,
  );
}

/**
 * Field resolvers that answer a field of this GraphQL name on the type or any type it inherits
 * from, matched loosely (by names, not by type-graphql's rule): a cross-check that the exact
 * rule did not miss one.
 */
export function fieldResolversNamed(meta: Metadata, resolvers: readonly Function[], typeName: string, fieldName: string): HandlerMeta[] {
  const chain = new Set<string>([typeName]);
  const type = typeMetaOf(meta, typeName);
  for (let t = type?.target; t && t.prototype; t = Object.getPrototypeOf(t) as Function) {
    const name = [...meta.objectTypes, ...meta.interfaceTypes].find((m) => m.target === t)?.name;
    if (name) chain.add(name);
  }
  for (const iface of type?.interfaceClasses ?? []) {
    const name = meta.interfaceTypes.find((m) => m.target === iface)?.name;
    if (name) chain.add(name);
  }
  return meta.fieldResolvers.filter(
    (r) => (r.kind === 'internal' || resolvers.includes(r.target)) && r.schemaName === fieldName && chain.has(objectTypeNameOf(meta, r) ?? ''),
  );
}

/** Operations of the root types, by `Type.field`, as type-graphql picks them (the last declaration of a name wins). */
export function rootHandlers(meta: Metadata, resolvers: readonly Function[]): Map<string, HandlerMeta> {
  const out = new Map<string, HandlerMeta>();
  const add = (type: string, handlers: HandlerMeta[]) => {
    for (const h of handlers) if (resolvers.includes(h.target)) out.set(`${type}.${h.schemaName}`, h);
  };
  add('Query', meta.queries);
  add('Mutation', meta.mutations);
  add('Subscription', meta.subscriptions);
  return out;
}

/**
 * The @Authorized roles declared for `typeName.fieldName`: the operation's on a root type; on an
 * object or interface type, its field resolver's, else the @Field's. Null: none declared;
 * undefined: the metadata does not know the field.
 */
export function declaredRolesOf(meta: Metadata, resolvers: readonly Function[], typeName: string, fieldName: string): readonly string[] | null | undefined {
  if (typeName === 'Query' || typeName === 'Mutation' || typeName === 'Subscription') {
    const handler = rootHandlers(meta, resolvers).get(`${typeName}.${fieldName}`);
    return handler ? handler.roles ?? null : undefined;
  }
  const field = fieldMetaOf(meta, typeName, fieldName);
  if (!field) return undefined;
  const resolver = fieldResolverOf(meta, resolvers, field);
  return (resolver ? resolver.roles : field.roles) ?? null;
}
