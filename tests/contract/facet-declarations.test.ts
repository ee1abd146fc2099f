import { getNamedType, GraphQLNonNull, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, type GraphQLSchema } from 'graphql';
import { Client } from 'pg';
import type { FacetDeclaration, FacetField } from '../../src/core/facet-declaration';
import { selectListOf } from '../../src/core/facet-writes';
import { buildAppSchema } from '../../src/core/schema';
import { FACETS } from '../../src/modules/facets';

// Every facet declaration (modules/facets.ts) agrees with the storage it describes and with the
// GraphQL surface that serves it, whether derived or (for a hand-written read side) written by
// hand: a declaration that drifted from its table or type would import, export or validate the
// wrong thing. Import and export (issue 8 §3, §7) trust these declarations.

/** The GraphQL type a declared field must have. */
function graphqlTypeName(field: FacetField, schema: GraphQLSchema): string {
  switch (field.type.kind) {
    case 'text': return 'String';
    case 'int': case 'year': return 'Int';
    case 'money': return 'Float';
    case 'date': return 'LocalDate';
    case 'boolean': return 'Boolean';
    case 'enum': {
      const values = Object.values(field.type.values);
      const found = Object.values(schema.getTypeMap()).find((t) => isEnumType(t) && JSON.stringify(t.getValues().map((v) => v.value)) === JSON.stringify(values));
      return found?.name ?? '?';
    }
  }
}

/** The PostgreSQL type a declared field must be stored as. */
function storageOf(field: FacetField): { udt: string; length?: number } {
  const t = field.type;
  switch (t.kind) {
    case 'text': return t.maxLength > 1000 ? { udt: 'text' } : { udt: 'varchar', length: t.maxLength };
    case 'int': case 'year': return { udt: 'int2' };
    case 'money': return { udt: 'numeric' };
    case 'date': return { udt: 'date' };
    case 'boolean': return { udt: 'bool' };
    case 'enum': return { udt: t.enumName };
  }
}

describe('facet declarations', () => {
  let schema: GraphQLSchema;
  let pg: Client;
  beforeAll(async () => {
    schema = await buildAppSchema();
    pg = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
  });

  it('name each kind, type, table and operation once', () => {
    for (const key of ['kind', 'typeName', 'table'] as const) {
      const values = FACETS.map((f) => f[key]);
      expect(values.filter((v, i) => values.indexOf(v) !== i)).toEqual([]);
    }
  });

  describe.each(FACETS.map((f) => [f.kind, f] as const))('%s', (_kind, facet: FacetDeclaration) => {
    it('describes its table: every column, its type, length and nullability; its select list runs', async () => {
      const { rows } = await pg.query(
        `SELECT column_name AS name, udt_name AS udt, character_maximum_length AS length, is_nullable = 'YES' AS nullable
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
        [facet.table],
      );
      const columns = new Map(rows.map((r) => [r.name as string, r]));
      expect(columns.size).toBeGreaterThan(0);
      for (const field of facet.fields.filter((f) => !f.computed)) {
        const column = columns.get(field.column);
        const { udt, length } = storageOf(field);
        // Long text may be stored unbounded (`text`): its maxLength is then the API's limit.
        const unbounded = field.type.kind === 'text' && column?.udt === 'text';
        expect({ field: field.name, udt: column?.udt, nullable: column?.nullable })
          .toEqual({ field: field.name, udt: unbounded ? 'text' : udt, nullable: field.nullable ?? false });
        if (length !== undefined && !unbounded) expect({ field: field.name, length: column?.length }).toEqual({ field: field.name, length });
      }
      expect(columns.has(facet.parent === 'person' ? 'person_id' : 'household_id')).toBe(true);
      await pg.query(`SELECT ${selectListOf(facet)} FROM ${facet.table} f ORDER BY ${facet.orderBy} LIMIT 0`);
    });

    it('is served as declared: the type, its fields, the edge and its arguments', () => {
      const type = schema.getType(facet.typeName);
      if (!isObjectType(type)) throw new Error(`${facet.typeName} is not served`);
      for (const field of facet.fields) {
        const served = type.getFields()[field.name];
        // Clinical detail may be null for a caller who may not see it, whatever the declaration.
        const nullable = (field.nullable ?? false) || field.privacy === 'clinical';
        expect({ field: field.name, type: getNamedType(served?.type)?.name, nullable: served && !isNonNullType(served.type) })
          .toEqual({ field: field.name, type: graphqlTypeName(field, schema), nullable });
      }
      const parent = schema.getType(facet.parent === 'person' ? 'Person' : 'Household');
      if (!isObjectType(parent)) throw new Error('no parent type');
      const edge = parent.getFields()[facet.edge.field];
      // Nullable (issue 10 §2): a caller without the department's read permission gets null there, not a null card.
      expect(edge && !isNonNullType(edge.type) && isListType(edge.type) && isNonNullType(edge.type.ofType) && getNamedType(edge.type).name).toBe(facet.typeName);
      expect(edge.args.map((a) => a.name).sort()).toEqual((facet.edge.filterArgs ?? []).map((a) => a.field).sort());
      if (facet.edge.latest) expect(getNamedType(parent.getFields()[facet.edge.latest.field]?.type)?.name).toBe(facet.typeName);
    });

    it('has its declared mutations with the declared inputs (custom writes: none derived)', () => {
      if (facet.mutations === 'custom') return;
      const mutation = schema.getMutationType();
      const parentArg = facet.parent === 'person' ? 'personId' : 'householdId';
      const { create, update, end } = facet.mutations;
      const writable = facet.fields.filter((f) => f.writable !== false);
      const check = (name: string, args: string[], inputName: string, fields: FacetField[], required: (f: FacetField) => boolean) => {
        const op = mutation?.getFields()[name];
        expect(op && getNamedType(op.type).name).toBe(facet.typeName);
        expect(op?.args.map((a) => a.name).sort()).toEqual([...args, 'input'].sort());
        const input = schema.getType(inputName);
        if (!isInputObjectType(input)) throw new Error(`${inputName} is not served`);
        expect(Object.keys(input.getFields()).sort()).toEqual(fields.map((f) => f.name).sort());
        for (const f of fields) expect({ f: f.name, required: input.getFields()[f.name].type instanceof GraphQLNonNull }).toEqual({ f: f.name, required: required(f) });
      };
      check(create.name, [parentArg], create.inputName, writable, (f) => !f.nullable);
      if (update) check(update.name, ['id', 'version'], update.inputName, writable, () => false);
      if (end) check(end.name, ['id', 'version'], end.inputName, writable.filter((f) => f.name === end.dateField), () => true);
    });
  });
});
