import fs from 'node:fs';
import path from 'node:path';
import { parse, specifiedRules, validate } from 'graphql';
import { DEFAULT_LIMITS, limitRules } from '../../src/core/limits';
import { buildAppSchema } from '../../src/core/schema';

// The README's example queries are the first thing a department developer pastes into the
// explorer: every one must be valid against the schema and within the query limits.

const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README examples', () => {
  it('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples.map((q) => [q.split('\n')[0], q]))('%s is valid and within the limits', async (_title, query) => {
    const schema = await buildAppSchema();
    const errors = validate(schema, parse(query), [...specifiedRules, ...limitRules(DEFAULT_LIMITS)]);
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});
