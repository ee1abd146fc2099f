import request from 'supertest';
import { startApp } from '../support/app';

// Abusive documents are refused before execution with a 4xx-class GraphQL error: never a
// 5xx, never a stack trace, never a SQL statement.

const DASHBOARD = `children { name children { name village { isPovertyVillage households(first: 100) { totalCount
  edges { node { number status members { name age } } } } } } }`;

describe('query limits', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app?.stop());

  const field = (i: number) => `f${i}: region(code: "99") { name }`;
  const cases: Array<[string, string, RegExp]> = [
    ['deep nesting', `{ region(code: "99") { ${'children { '.repeat(12)}name${' }'.repeat(12)} } }`, /depth limit/],
    ['100 aliases', `{ ${Array.from({ length: 100 }, (_, i) => field(i)).join(' ')} }`, /Aliases limit/],
    ['500 repeated fields', `{ region(code: "99") { ${'name '.repeat(500)} } }`, /repeated more than 3 times/],
    ['many unknown directives', `{ region(code: "99") { name ${'@a '.repeat(20)} } }`, /Directives limit|Unknown directive/],
    ['a huge token count', `{ region(code: "99") { ${'name '.repeat(3000)} } }`, /2000 tokens/],
    ['circular fragments', `query { region(code: "99") { ...A } } fragment A on Region { children { ...B } } fragment B on Region { parent { ...A } }`, /Cannot spread fragment/],
    // Ten copies of the largest legitimate dashboard (tests/e2e/sql-count.test.ts), under the alias limit.
    ['ten dashboards in one document', `{ ${Array.from({ length: 10 }, (_, i) => `d${i}: region(code: "99") { ${DASHBOARD} }`).join(' ')} }`, /Cost limit/],
  ];

  it.each(cases)('refuses %s with a 4xx GraphQL error and runs no SQL', async (_name, query, message) => {
    const r = await app.gql(query);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.data ?? null).toBeNull();
    expect(r.errors?.[0].extensions?.code).toMatch(/^GRAPHQL_(VALIDATION|PARSE)_FAILED$/);
    expect(r.errors?.map((e) => e.message).join(' ')).toMatch(message);
    expect(JSON.stringify(r.errors)).not.toMatch(/stacktrace|node_modules/);
    expect(r.sqlStatements).toBe(0);
  });

  it('refuses batched requests', async () => {
    const res = await request(app.server.app)
      .post('/graphql').set('content-type', 'application/json').send([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(res.status).toBe(400);
  });
});
