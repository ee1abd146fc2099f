import fs from 'node:fs';
import path from 'node:path';
import { isInterfaceType, isObjectType } from 'graphql';
import { guardAdmits, rolesGuarding } from '../../src/core/auth/field-guard';
import { Role } from '../../src/core/auth';
import { isPlainRead, readPlainFieldsDirectly } from '../../src/core/direct-resolvers';
import { buildAppSchema } from '../../src/core/schema';
import {
  declaredRolesOf, fieldMetaOf, fieldResolverOf, fieldResolversNamed, metadata, TYPE_GRAPHQL_VERSION, type Metadata,
} from '../../src/core/type-graphql-metadata';
import { resolvers } from '../../src/modules';

// The speed layer reads type-graphql's internal metadata through one adapter
// (src/core/type-graphql-metadata.ts). This contract fails on an upgrade that changes what the
// adapter reads, before a request could be answered by a resolver that skipped a check.

/** The installed type-graphql's package.json (its `exports` do not list it, so found on disk). */
function installedVersion(): string {
  for (let dir = path.dirname(require.resolve('type-graphql')); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (pkg.name === 'type-graphql') return pkg.version;
    }
  }
  throw new Error('type-graphql package.json not found');
}

describe('type-graphql metadata adapter', () => {
  const all = resolvers as unknown as Function[];
  let meta: Metadata;
  beforeAll(async () => {
    await buildAppSchema();
    meta = metadata();
  });

  it('is the type-graphql version the adapter was written for (review the adapter on an upgrade)', () => {
    expect(installedVersion()).toBe(TYPE_GRAPHQL_VERSION);
  });

  it('finds operations, fields and field resolvers with the shapes it reads', () => {
    expect(declaredRolesOf(meta, all, 'Query', 'person')).toEqual(['registry:read']);
    expect(declaredRolesOf(meta, all, 'Mutation', 'createPerson')).toEqual(['registry:write']);
    // A plain @Field: found, no field resolver, no roles of its own.
    const relation = fieldMetaOf(meta, 'Person', 'relation');
    expect(relation).toMatchObject({ name: 'relation', schemaName: 'relation' });
    expect(fieldResolverOf(meta, all, relation!)).toBeUndefined();
    expect(declaredRolesOf(meta, all, 'Person', 'relation')).toBeNull();
    // Field resolvers under the privacy policy: found by type-graphql's rule, with their roles and parameters.
    for (const name of ['name', 'birthDate', 'idNumber', 'age', 'ageBand']) {
      const field = fieldMetaOf(meta, 'Person', name);
      expect(field).toMatchObject({ name, schemaName: name });
      const resolver = fieldResolverOf(meta, all, field!);
      expect(resolver).toMatchObject({ methodName: name, schemaName: name, kind: 'external', roles: ['registry:read'] });
      expect(typeof resolver!.getObjectType).toBe('function');
      const kinds = [...(resolver!.params ?? [])].sort((a, b) => a.index - b.index).map((p) => p.kind);
      expect(kinds.slice(0, 2)).toEqual(['context', 'root']);
      expect(fieldResolversNamed(meta, all, 'Person', name)).toEqual([resolver]);
    }
    expect(declaredRolesOf(meta, all, 'Person', 'nope')).toBeUndefined();
  });

  it('the guard installed in the schema is what the adapter declares, and read-ahead asks that guard', async () => {
    const schema = await buildAppSchema();
    let guarded = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        const declared = declaredRolesOf(meta, all, type.name, field.name);
        expect({ field: `${type.name}.${field.name}`, roles: rolesGuarding(field) }).toEqual({ field: `${type.name}.${field.name}`, roles: declared ? declared : null });
        if (declared) guarded++;
        // No field answered by a field resolver is read as a plain property.
        if (fieldResolversNamed(meta, all, type.name, field.name).length) expect({ field: `${type.name}.${field.name}`, plain: isPlainRead(field) }).toEqual({ field: `${type.name}.${field.name}`, plain: false });
      }
    }
    expect(guarded).toBeGreaterThan(50);
    const coordinator = { subject: 's', role: Role.COORDINATOR, department: null, scope: '99' };
    const analyst = { subject: 's', role: Role.ANALYST, department: null, scope: '99' };
    expect(guardAdmits(coordinator, schema, 'Household', 'members')).toBe(true);
    expect(guardAdmits(analyst, schema, 'Household', 'members')).toBe(false);
    // A missing fact refuses: no such field, or a field without a guard.
    expect(guardAdmits(coordinator, schema, 'Household', 'nope')).toBe(false);
    expect(guardAdmits(coordinator, schema, 'Nope', 'members')).toBe(false);
    expect(guardAdmits(coordinator, schema, 'Person', 'relation')).toBe(false);
  });

  it('refuses the schema when type-graphql\'s rule misses a declared field resolver, rather than read the property', async () => {
    const schema = await buildAppSchema();
    // What an upgrade that recorded a method under another name would look like: Person.birthDate's
    // resolver no longer matches by type-graphql's rule, but it is still declared for the field.
    const altered: Metadata = {
      ...meta,
      objectTypes: meta.objectTypes.map((t) =>
        t.name === 'Person' ? { ...t, fields: [...(t.fields ?? []), { name: 'birthDate', schemaName: 'birthDate', target: t.target }] } : t),
      fieldResolvers: meta.fieldResolvers.map((r) => (r.schemaName === 'birthDate' ? { ...r, methodName: 'birthDateRenamed' } : r)),
    };
    const person = schema.getType('Person');
    const before = isObjectType(person) ? person.getFields().birthDate.resolve : undefined;
    expect(() => readPlainFieldsDirectly(schema, all, altered)).toThrow(/Person\.birthDate: a field resolver is declared/);
    // Nothing was replaced by the refused pass.
    expect(isObjectType(person) && person.getFields().birthDate.resolve).toBe(before);
  });

  it('refuses metadata without the lists it reads', () => {
    const storage = jest.requireActual<typeof import('type-graphql')>('type-graphql').getMetadataStorage() as unknown as Record<string, unknown>;
    const saved = storage.fieldResolvers;
    try {
      delete storage.fieldResolvers;
      expect(() => metadata()).toThrow(/no list "fieldResolvers".*2\.0\.0-rc\.4/);
    } finally {
      storage.fieldResolvers = saved;
    }
  });
});
