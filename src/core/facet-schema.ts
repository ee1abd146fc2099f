import { IsNumber, Length, Matches, Max, Min } from 'class-validator';
import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { HouseholdNode, PersonNode } from '../modules/registry';
import type { Permission } from './auth';
import type { RequestContext } from './context';
import type { FacetDeclaration, FacetField, FacetMutation } from './facet-declaration';
import { facetByIdLoader, facetEdge, facetLoader, type FacetSpec } from './facet-loader';
import { HouseholdFacetNode, PersonFacetNode } from './facet-types';
import { fieldOf, FacetWriteService, selectListOf } from './facet-writes';
import type { LoaderFactory } from './loaders';
import { LocalDate } from './scalars';

// A facet's GraphQL surface, derived at startup from its declaration (core/facet-declaration.ts,
// DESIGN §4 "Facets declared once"): the object type, the list and by-id loaders, the read-ahead
// edge, the guarded field on Household or Person, and create/update/end mutations running one
// write service. type-graphql's decorators are applied to generated classes exactly as they
// would be written by hand, so the schema builder, the permission map and the field guard see
// derived operations as they see hand-written ones (schema/permissions.json).

/** A read side written by hand (clinical masking, or writes with rules across rows): the type the facet's mutations return and its by-id loader. */
export interface CustomReadSide {
  node: Function;
  byId: LoaderFactory<string, unknown>;
}

/** What one declaration derives: its type, loaders and resolver classes (for `buildSchema`). */
export interface DerivedFacet {
  facet: FacetDeclaration;
  node: Function;
  /** `<facet>By<Parent>Id`; absent when the read side is hand-written. */
  list?: LoaderFactory<string, unknown[]> & { spec: FacetSpec };
  byId: LoaderFactory<string, unknown>;
  resolvers: Function[];
}

/** The GraphQL type of a declared field. */
function graphqlType(field: FacetField): () => object {
  switch (field.type.kind) {
    case 'text':
      return () => String;
    case 'int':
    case 'year':
      return () => Int;
    case 'money':
      return () => Float;
    case 'date':
      return () => LocalDate;
    case 'boolean':
      return () => Boolean;
    case 'enum': {
      const values = field.type.values;
      return () => values;
    }
  }
}

const named = <T extends Function>(name: string, make: () => T): T => {
  const cls = make();
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
};

/** The object type of a facet: a class extending the household or person facet base, one @Field per declared field. */
function objectTypeOf(facet: FacetDeclaration): Function {
  const Base = facet.parent === 'person' ? PersonFacetNode : HouseholdFacetNode;
  const Node = named(`${facet.typeName}Node`, () => class extends Base {});
  for (const field of facet.fields) {
    Field(graphqlType(field), { nullable: field.nullable ?? false, description: field.description })(Node.prototype, field.name);
  }
  ObjectType(facet.typeName, { description: facet.description })(Node);
  return Node;
}

const MONEY = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };

/**
 * Shape checks a client can get wrong before any rule runs (class-validator, as the hand-written
 * inputs had them: a refused shape names the bare field). The year's and date's moving bounds,
 * date order and the facet's rule are `validateRecord`'s, inside the write.
 */
function shapeChecks(field: FacetField, proto: object): void {
  const t = field.type;
  const apply = (d: PropertyDecorator) => d(proto, field.name);
  if (t.kind === 'int') [Min(t.min), Max(t.max)].forEach(apply);
  if (t.kind === 'year') apply(Min(t.min));
  if (t.kind === 'money') [IsNumber(MONEY), Min(t.min), Max(t.max)].forEach(apply);
  if (t.kind === 'text') [Length(1, t.maxLength), Matches(/\S/, { message: `${field.name} must not be blank` })].forEach(apply);
}

/** The input type of a create (`patch`: of an update, every field optional). */
function inputTypeOf(facet: FacetDeclaration, mutation: FacetMutation, patch: boolean): Function {
  const Input = named(mutation.inputName, () => class {});
  for (const field of facet.fields.filter((f) => f.writable !== false)) {
    const hasDefault = !patch && field.defaultValue !== undefined;
    const options: Record<string, unknown> = {
      nullable: patch || (field.nullable ?? false),
      description: field.description + (patch && field.nullable ? ' Null clears it.' : ''),
    };
    if (hasDefault) options.defaultValue = field.defaultValue;
    Field(graphqlType(field), options)(Input.prototype, field.name);
    shapeChecks(field, Input.prototype);
  }
  InputType(mutation.inputName, { description: mutation.description })(Input);
  return Input;
}

/** The input type of an end: the date that ends the record. */
function endInputTypeOf(mutation: FacetMutation, dateField: FacetField): Function {
  const Input = named(mutation.inputName, () => class {});
  const after = dateField.notBefore ? `; not before ${dateField.notBefore}` : '';
  Field(graphqlType(dateField), { description: `${dateField.csv.zh} the day the record ends${after}.` })(Input.prototype, dateField.name);
  InputType(mutation.inputName, { description: mutation.description })(Input);
  return Input;
}

type Handler = (...args: unknown[]) => unknown;

/** Defines `name` on a generated resolver class and returns its property descriptor. */
function method(cls: Function, name: string, fn: Handler): PropertyDescriptor {
  Object.defineProperty(cls.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
  return Object.getOwnPropertyDescriptor(cls.prototype, name) as PropertyDescriptor;
}

/**
 * The field on Household or Person that lists a facet, guarded with the department's read permission;
 * nullable, so that a refusal nulls that field alone and not the card (DESIGN §4).
 */
function edgeResolverOf(facet: FacetDeclaration, node: Function, list: LoaderFactory<string, unknown[]>): Function {
  const parentNode = facet.parent === 'person' ? PersonNode : HouseholdNode;
  const Edge = named(`${facet.typeName}EdgeResolver`, () => class {});
  const filters = facet.edge.filterArgs ?? [];
  const descriptor = method(Edge, facet.edge.field, function (ctx: unknown, root: unknown, ...args: unknown[]) {
    const c = ctx as RequestContext;
    const parentId = (root as { id: string }).id;
    const wanted = filters.map((f, i) => [f.field, args[i]] as const).filter(([, v]) => v != null);
    if (!wanted.length) return c.loaders.load(list, parentId);
    // One statement for every parent and every argument value: the filter is applied here.
    return c.loaders.map(list, parentId, (all) => all.filter((r) => wanted.every(([k, v]) => (r as Record<string, unknown>)[k] === v)));
  });
  const proto = Edge.prototype;
  FieldResolver(() => [node], { nullable: true, description: facet.edge.description })(proto, facet.edge.field, descriptor);
  Authorized<Permission>(`facet:${facet.department}:read`)(proto, facet.edge.field, descriptor);
  Ctx()(proto, facet.edge.field, 0);
  Root()(proto, facet.edge.field, 1);
  filters.forEach((f, i) => Arg(f.field, graphqlType(fieldOf(facet, f.field)), { nullable: true, description: f.description })(proto, facet.edge.field, 2 + i));
  const latest = facet.edge.latest;
  if (latest) {
    // The current record: the list's first, read through the same loader (and read-ahead edge).
    const first = method(Edge, latest.field, (ctx, root) =>
      (ctx as RequestContext).loaders.map(list, (root as { id: string }).id, (all) => all[0] ?? null));
    FieldResolver(() => node, { nullable: true, description: latest.description })(proto, latest.field, first);
    Authorized<Permission>(`facet:${facet.department}:read`)(proto, latest.field, first);
    Ctx()(proto, latest.field, 0);
    Root()(proto, latest.field, 1);
  }
  Resolver(() => parentNode)(Edge);
  return Edge;
}

/** The create/update/end mutations of a facet, guarded with the department's write permission. */
function writeResolverOf(facet: FacetDeclaration, node: Function, byId: LoaderFactory<string, unknown>): Function | undefined {
  if (facet.mutations === 'custom') return undefined;
  const { create, update, end } = facet.mutations;
  const Writes = named(`${facet.typeName}WriteResolver`, () => class {});
  const proto = Writes.prototype;
  const write = `facet:${facet.department}:write` as Permission;
  const guard = (name: string, m: FacetMutation, descriptor: PropertyDescriptor) => {
    Mutation(() => node, { description: m.description })(proto, name, descriptor);
    Authorized<Permission>(write)(proto, name, descriptor);
    Ctx()(proto, name, 0);
  };

  const parentArg = facet.parent === 'person' ? { name: 'personId', description: 'Person id (人员).' } : { name: 'householdId', description: 'Household id (户).' };
  const CreateInput = inputTypeOf(facet, create, false);
  const c = method(Writes, create.name, (ctx, parentId, input) =>
    FacetWriteService.create(ctx as RequestContext, facet, byId, parentId as string, { ...(input as object) }));
  guard(create.name, create, c);
  Arg(parentArg.name, () => ID, { description: parentArg.description })(proto, create.name, 1);
  Arg('input', () => CreateInput, { description: 'The record (登记信息).' })(proto, create.name, 2);

  const idArgs = (name: string) => {
    Arg('id', () => ID, { description: 'Record id (记录编号).' })(proto, name, 1);
    Arg('version', () => Int, { description: 'The version you read (版本号).' })(proto, name, 2);
  };
  if (update) {
    const UpdateInput = inputTypeOf(facet, update, true);
    const u = method(Writes, update.name, (ctx, id, version, input) =>
      FacetWriteService.update(ctx as RequestContext, facet, byId, id as string, version as number, { ...(input as object) }));
    guard(update.name, update, u);
    idArgs(update.name);
    Arg('input', () => UpdateInput, { description: 'The changes (变更内容); omitted fields stay as they are.' })(proto, update.name, 3);
  }
  if (end) {
    const EndInput = endInputTypeOf(end, fieldOf(facet, end.dateField));
    const e = method(Writes, end.name, (ctx, id, version, input) =>
      FacetWriteService.end(ctx as RequestContext, facet, byId, id as string, version as number, { ...(input as object) }));
    guard(end.name, end, e);
    idArgs(end.name);
    Arg('input', () => EndInput, { description: 'The end date (终止日期).' })(proto, end.name, 3);
  }
  Resolver()(Writes);
  return Writes;
}

/**
 * Derives a facet's GraphQL surface from its declaration. With `custom`, the read side (type,
 * loaders, edge) is hand-written and only the writes are derived.
 */
export function deriveFacet(facet: FacetDeclaration, custom?: CustomReadSide): DerivedFacet {
  if (custom) {
    const writes = writeResolverOf(facet, custom.node, custom.byId);
    return { facet, node: custom.node, byId: custom.byId, resolvers: writes ? [writes] : [] };
  }
  const node = objectTypeOf(facet);
  const columns = selectListOf(facet);
  const key = facet.parent === 'person' ? 'person_id' : 'household_id';
  const list = facetLoader<unknown>({ table: facet.table, key, columns, orderBy: facet.orderBy });
  const byId = facetByIdLoader<unknown>({ table: facet.table, columns });
  const edgeFields = facet.edge.latest ? [facet.edge.field, facet.edge.latest.field] : [facet.edge.field];
  facetEdge(facet.parent === 'person' ? 'Person' : 'Household', edgeFields, list, () => list.spec);
  const writes = writeResolverOf(facet, node, byId);
  return { facet, node, list, byId, resolvers: [edgeResolverOf(facet, node, list), ...(writes ? [writes] : [])] };
}
