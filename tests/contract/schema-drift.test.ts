import fs from 'node:fs';
import path from 'node:path';
import { buildAppSchema, printAppSchema } from '../../src/core/schema';
import { isObjectType, isInputObjectType, isEnumType } from 'graphql';

describe('schema/schema.graphql', () => {
  it('is what the code emits (run `npm run schema:emit` and commit the diff)', async () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
    expect(await printAppSchema()).toBe(committed);
  });

  it('describes every type, field and argument, with Chinese next to the English on every type', async () => {
    const schema = await buildAppSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (['Query', 'Mutation', 'Subscription'].includes(type.name)) { /* root types take no description in type-graphql */ } else if (!type.description) missing.push(type.name);
      else if (!/[\u4e00-\u9fff]/.test(type.description) && !/(Edge|Connection|PageInfo)$/.test(type.name) && !['LocalDate', 'DateTime'].includes(type.name)) {
        missing.push(`${type.name} (no Chinese term)`);
      }
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description && !['first', 'after', 'filter'].includes(arg.name)) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) for (const v of type.getValues()) if (!v.description) missing.push(`${type.name}.${v.name}`);
    }
    expect(missing).toEqual([]);
  });
});
