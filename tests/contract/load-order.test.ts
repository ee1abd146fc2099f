import 'reflect-metadata';
// First, as src/main.ts, the tests' support and the bench load it: the entities before any resolver.
import { dataSource } from '../../ormconfig';
import { buildAppSchema } from '../../src/core/schema';

// Entities are loaded by ormconfig before any resolver. An entity file that imported another
// module's index.ts (which loads that module's resolvers) left type-graphql's metadata half
// registered, and the schema refused to serve fields it could not find guarded. The lint rule
// lets entity files import each other directly for that reason (eslint.config.mjs).
describe('load order', () => {
  it('builds the guarded schema when the entities are loaded first', async () => {
    expect(dataSource.options.entities?.length).toBeGreaterThan(10);
    const schema = await buildAppSchema();
    expect(schema.getQueryType()?.getFields().household).toBeDefined();
  });
});
