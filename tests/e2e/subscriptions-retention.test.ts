import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { Role } from '../../src/core/auth';
import { bearer, startApp } from '../support/app';

// Resuming a subscription past the change-event retention (保留期). It prunes the oldest events
// of its database: a file of its own (each test file has its own copy of the database).

const GAPS = `subscription ($after: String) { gapChanged(afterSeq: $after) { seq } }`;

describe('resuming past the retention horizon', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let owner: PgClient;
  let url: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    app = await startApp();
    await new Promise<void>((resolve) => app.server.httpServer.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}/graphql`;
    owner = new PgClient({ connectionString: process.env.TEST_DATABASE_URL });
    await owner.connect();
  });
  afterAll(async () => {
    await Promise.all(clients.map(async (c) => c.dispose()));
    await app?.stop();
    await owner?.end();
  });

  const firstAnswer = async (after: string) => {
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams: { authorization: await bearer({ role: Role.COORDINATOR, scope: '99' }) } });
    clients.push(client);
    return new Promise<{ errors?: any[]; data?: any }>((resolve) => {
      client.subscribe({ query: GAPS, variables: { after } }, {
        next: (v) => resolve(v as { data?: any }),
        error: (err) => resolve({ errors: Array.isArray(err) ? err : [err] }),
        complete: () => resolve({}),
      });
    });
  };

  it('answers EVENTS_EXPIRED for an afterSeq whose following events were pruned, and resumes from the horizon on', async () => {
    // Five events about a gap in scope, the first three of them 100 days old, then the real prune.
    const seqs = (await owner.query<{ s: string }>(
      `INSERT INTO change_event (entity, entity_id, region_code, department, kind, fields)
       SELECT 'CoordinationGap', '1', '990101001001', 'health', 'create', ARRAY['status'] FROM generate_series(1, 5) RETURNING seq::text AS s`,
    )).rows.map((r) => r.s);
    await owner.query(`UPDATE change_event SET occurred_at = now() - interval '100 days' WHERE seq <= $1::bigint`, [seqs[2]]);
    const [{ removed }] = (await owner.query<{ removed: number }>(`SELECT prune_change_events(interval '90 days', 1000) AS removed`)).rows;
    expect(removed).toBe(3);

    const expired = await firstAnswer(seqs[0]);
    expect(expired.errors?.[0].extensions).toMatchObject({ code: 'EVENTS_EXPIRED', oldestSeq: seqs[3] });
    const zero = await firstAnswer('0');
    expect(zero.errors?.[0].extensions.code).toBe('EVENTS_EXPIRED');
    // From the last pruned event on, nothing is missing: no error (no gap row is visible either,
    // so nothing is delivered; the subscription stays open).
    const fine = await Promise.race([firstAnswer(seqs[2]), new Promise((r) => setTimeout(() => r('open'), 500))]);
    expect(fine).toBe('open');
  });
});
