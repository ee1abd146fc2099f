import { isInterfaceType, isObjectType } from 'graphql';
import { rolesGuarding } from '../../src/core/auth';
import { permissionMap } from '../../src/core/auth/permission-map';
import { buildAppSchema } from '../../src/core/schema';

// @Authorized is enforced by core/auth/field-guard.ts, not by type-graphql: every declared
// check must sit in front of its resolver in the schema that is served, with the same roles.
describe('@Authorized enforcement', () => {
  it('every operation and field resolver in the permission map checks exactly its roles', async () => {
    const schema = await buildAppSchema();
    const map = await permissionMap();
    const checked: Record<string, string[] | null> = {};
    for (const key of Object.keys(map)) {
      const [typeName, fieldName] = key.split('.');
      const type = schema.getType(typeName);
      // Abstract base types lend their fields and are not emitted.
      if (!type) continue;
      if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
      const roles = rolesGuarding(type.getFields()[fieldName]);
      checked[key] = roles ? [...roles].sort() : null;
    }
    expect(Object.keys(checked).length).toBeGreaterThan(20);
    expect(checked).toEqual(Object.fromEntries(Object.keys(checked).map((k) => [k, map[k]])));
  });

  it('no operation is served without a check', async () => {
    const schema = await buildAppSchema();
    const unchecked: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        if (!rolesGuarding(field) && ['Query', 'Mutation', 'Subscription'].includes(type.name)) unchecked.push(`${type.name}.${field.name}`);
      }
    }
    expect(unchecked).toEqual([]);
  });
});
