import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { bearer, startApp } from '../support/app';
import { buildCounty } from '../support/fixtures';

// graphql-ws on the same /graphql path: the same authentication, scope, limits and error
// masking as HTTP.

describe('GraphQL over WebSocket', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let url: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    await buildCounty(process.env.TEST_DATABASE_URL as string, { county: '990401', townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_000_000 });
    app = await startApp();
    await new Promise<void>((resolve) => app.server.httpServer.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    await app?.stop();
  });

  const connect = (authorization?: string) => {
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: authorization ? { authorization } : {} });
    clients.push(client);
    return client;
  };
  const run = (client: Client, query: string) =>
    new Promise<{ data?: any; errors?: any[]; closed?: { code: number } }>((resolve) => {
      let result: { data?: any; errors?: any[] } = {};
      client.subscribe(
        { query },
        {
          next: (value) => {
            result = value as typeof result;
          },
          error: (err) => resolve(Array.isArray(err) ? { errors: err } : { closed: { code: (err as { code: number }).code } }),
          complete: () => resolve(result),
        },
      );
    });

  it('answers a query for an authenticated caller, inside their scope', async () => {
    const client = connect(await bearer({ scope: '990401' }));
    const ok = await run(client, '{ region(code: "990401") { name households(first: 5) { totalCount } } }');
    expect(ok.errors).toBeUndefined();
    expect(ok.data.region.households.totalCount).toBe(2);
    const foreign = await run(client, '{ region(code: "990101") { name } }');
    expect(foreign.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('refuses anonymous operations, and connections with a bad token', async () => {
    const anonymous = await run(connect(), '{ region(code: "990401") { name } }');
    expect(anonymous.errors?.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.data ?? null).toBeNull();
    const forged = await run(connect('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad-signature'), '{ region(code: "990401") { name } }');
    expect(forged.closed?.code).toBe(4403);
  });

  it('applies the same document limits as HTTP', async () => {
    const client = connect(await bearer({ scope: '990401' }));
    const deep = `{ region(code: "990401") { ${'parent { '.repeat(15)}name${' }'.repeat(15)} } }`;
    const r = await run(client, deep);
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0].message).toMatch(/depth limit of 10/);
    expect(JSON.stringify(r.errors)).not.toMatch(/stack|at \//);
  });
});

describe('GraphQL error hints', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let url: string;
  beforeAll(async () => {
    app = await startApp();
    await new Promise<void>((resolve) => app.server.httpServer.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => app?.stop());

  it('never suggests field names ("did you mean"), over HTTP or WebSocket', async () => {
    const typo = '{ regin(code: "99") { name } }';
    const http = await app.gql(typo);
    expect(http.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(http.errors)).not.toMatch(/Did you mean/);
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: { authorization: await bearer() } });
    const ws = await new Promise<any[]>((resolve) => {
      client.subscribe({ query: typo }, { next: () => undefined, error: (e) => resolve(e as any[]), complete: () => resolve([]) });
    });
    await client.dispose();
    expect(ws[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(ws)).not.toMatch(/Did you mean/);
  });
});
