import { Client, type ClientConfig, type Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { EVENTS_CHANNEL } from './change-event.writer';

// Listening for committed change events (LISTEN household_graph_events) on a connection of its
// own: a pooled connection would be returned to the pool, and its LISTEN with it. Each
// notification carries one seq and arrives after its transaction committed, in commit order.
// Notifications sent while the connection was down are lost: after a reconnect the listener
// calls `onReconnect`, and the consumer catches up with `eventsSince(lastSeenSeq)`, as it
// should at startup too. NOTIFY is a wake-up call; the table is the record.

export interface EventListenerOptions {
  /** Called after the connection was lost and LISTEN is in place again: read the gap with eventsSince. */
  onReconnect?: () => void;
  /** Called with what broke the connection or a reconnect attempt (the listener keeps trying). */
  onError?: (err: Error) => void;
  /** First wait before reconnecting, doubled per failed attempt up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

export interface EventListener {
  /** Stops listening and closes the connection; no callback runs afterwards. */
  close(): Promise<void>;
}

/**
 * LISTENs on a dedicated connection made with `connection` and calls `onSeq` with the seq of
 * every change event committed from then on. Resolves once LISTEN is in place (rejects if the
 * first connection fails); later losses of the connection are retried with backoff.
 */
export async function listenForEvents(connection: ClientConfig, onSeq: (seq: string) => void, options: EventListenerOptions = {}): Promise<EventListener> {
  const baseDelay = options.reconnectDelayMs ?? 500;
  const maxDelay = options.maxReconnectDelayMs ?? 30_000;
  let closed = false;
  let client: Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let delay = baseDelay;

  const connect = async (): Promise<Client> => {
    const c = new Client({ ...connection, keepAlive: true });
    c.on('notification', (msg) => {
      if (!closed && msg.channel === EVENTS_CHANNEL && msg.payload) onSeq(msg.payload);
    });
    // Both may fire for one loss; the first schedules the reconnect.
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = null;
      c.removeAllListeners('notification');
      c.end().catch(() => undefined);
      if (closed) return;
      options.onError?.(err ?? new Error('the change-event listener connection ended'));
      schedule();
    };
    c.on('error', (err) => lost(err));
    c.on('end', () => lost());
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (err) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
      throw err;
    }
    return c;
  };

  const schedule = () => {
    if (closed || timer) return;
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the callback catches and reports its own errors
    timer = setTimeout(async () => {
      timer = null;
      try {
        const c = await connect();
        if (closed) {
          await c.end().catch(() => undefined);
          return;
        }
        client = c;
        delay = baseDelay;
        options.onReconnect?.();
      } catch (err) {
        options.onError?.(err as Error);
        delay = Math.min(delay * 2, maxDelay);
        schedule();
      }
    }, delay);
    timer.unref();
  };

  client = await connect();
  return {
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners('notification');
        await c.end().catch(() => undefined);
      }
    },
  };
}

/**
 * The connection settings of `dataSource`'s pool (the app's role, the same server and
 * database), for a listener connection of its own.
 */
export function listenerConnection(dataSource: DataSource): ClientConfig {
  const pool = (dataSource.driver as unknown as { master?: Pool & { options: ClientConfig } }).master;
  if (!pool) throw new Error('listenerConnection: the DataSource is not initialised');
  const { connectionString, host, port, user, password, database, ssl, options } = pool.options;
  return { connectionString, host, port, user, password, database, ssl, options };
}
