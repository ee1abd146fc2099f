import type { ClientConfig } from 'pg';
import type { Logger } from 'pino';
import type { Principal } from '../../core/auth';
import { createContext } from '../../core/context';
import type { Db } from '../../core/db';
import { AppError } from '../../core/errors';
import { eventsSince, listenForEvents, type ChangeEventRow, type EventListener } from '../events';
import { visibilityKey, type LiveDeclaration, type LiveItem } from './live-declaration';
import { shareResultsOf } from './live-execution';
import { LiveStream } from './live-stream';

// The live-event feed of one server instance (实时事件). ONE LISTEN connection per instance
// (listenForEvents); a notification only wakes the feed, which then reads the outbox with
// eventsSince from where it stood, a page at a time, in seq order: every instance reads every
// event, whichever instance (or import) wrote it, and a notification lost while reconnecting
// costs nothing (the next read finds the rows).
//
// Fan-out per page of events, for each subscription with subscribers: the subscribers are grouped
// by what they may see (visibilityKey: scope, role, department); per group, the record each
// relevant event names is loaded ONCE, with the subscription's own visibility predicate, under
// a context of that group's principal. So a page costs one statement per group that could see
// one of its events, never one per subscriber, and what a subscriber receives is exactly what
// the query fields would show it (the same SQL predicate decided it, not a copy in memory).

/** Events read per statement. */
export const EVENTS_PER_READ = 1_000;
/** Group loads run at once per page (the pool is shared with requests). */
const LOAD_CONCURRENCY = 4;
/**
 * Catch-ups (resumes with afterSeq) reading the outbox at once: after an instance restarts,
 * every client reconnects with its afterSeq; the rest wait their turn, their live events held.
 */
const CATCH_UP_CONCURRENCY = 4;

interface Subscriber {
  declaration: LiveDeclaration<unknown>;
  principal: Principal;
  stream: LiveStream<unknown>;
}

export class LiveFeed {
  /** Seq of the last event read from the outbox; null until started. */
  private position: string | null = null;
  private listener: EventListener | null = null;
  private starting: Promise<void> | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly subscribers = new Set<Subscriber>();
  private catchUpsRunning = 0;
  private readonly catchUpsWaiting: Array<() => void> = [];
  /** Statements the feed has sent: outbox reads, and record loads (fan-out and catch-up). */
  readonly statements = { reads: 0, loads: 0 };

  constructor(
    private readonly db: Db,
    private readonly connection: () => ClientConfig,
    private readonly logger: Logger,
  ) {}

  /** Subscribers at the moment (metrics, tests). */
  get size(): number {
    return this.subscribers.size;
  }

  /**
   * LISTENs (once, on the first subscription), then notes where the outbox ends: events
   * committed after that are read on their notification; nobody subscribed before it.
   */
  private start(): Promise<void> {
    this.starting ??= (async () => {
      this.listener = await listenForEvents(this.connection(), () => this.wake(), {
        onReconnect: () => this.wake(),
        onError: (err) => this.logger.warn({ err }, 'live feed: event listener connection lost; reconnecting'),
      });
      const [{ end }] = await this.db.query<{ end: string }>('SELECT coalesce(max(seq), 0)::text AS "end" FROM change_event');
      this.position = end;
      this.wake();
    })().catch((err) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }

  /** Reads until caught up; a wake-up during a read runs another after it. */
  wake(): void {
    if (this.stopped || this.position === null) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const events = await eventsSince(this.db, this.position!, EVENTS_PER_READ);
            this.statements.reads += 1;
            if (!events.length || this.stopped) break;
            // Subscribers taken now, before the position moves: one that subscribes while this
            // page is fanned out starts after it and gets the page from its catch-up instead.
            const subscribers = [...this.subscribers];
            const before = this.position!;
            this.position = events[events.length - 1].seq;
            try {
              await this.fanOut(events, subscribers);
            } catch (err) {
              // The page is read again next time; streams drop the items they already have (by seq).
              this.position = before;
              throw err;
            }
            if (events.length < EVENTS_PER_READ) break;
          }
        } while (this.again && !this.stopped);
      } catch (err) {
        this.logger.warn({ err }, 'live feed: reading events failed; trying again at the next notification');
        setTimeout(() => this.wake(), 1_000).unref();
      } finally {
        this.reading = null;
      }
    })();
  }

  /** Delivers one page to the subscribers it concerns (see the note at the top). */
  private async fanOut(events: ChangeEventRow[], subscribers: Subscriber[]): Promise<void> {
    const groups = new Map<string, { declaration: LiveDeclaration<unknown>; principal: Principal; streams: LiveStream<unknown>[] }>();
    for (const s of subscribers) {
      if (s.stream.closed) continue;
      const key = `${s.declaration.name}|${visibilityKey(s.principal)}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { declaration: s.declaration, principal: s.principal, streams: [] }));
      g.streams.push(s.stream);
    }
    const relevant = new Map<LiveDeclaration<unknown>, ChangeEventRow[]>();
    const work: Array<() => Promise<void>> = [];
    for (const g of groups.values()) {
      let ofKind = relevant.get(g.declaration);
      if (!ofKind) relevant.set(g.declaration, (ofKind = events.filter((e) => carries(g.declaration, e))));
      const candidates = ofKind.filter((e) => g.declaration.mayConcern(e, g.principal));
      if (!candidates.length) continue;
      work.push(async () => {
        const items = await this.itemsFor(g.declaration, g.principal, candidates);
        for (const stream of g.streams) stream.offer(items);
      });
    }
    for (let i = 0; i < work.length; i += LOAD_CONCURRENCY) {
      await Promise.all(work.slice(i, i + LOAD_CONCURRENCY).map((w) => w()));
    }
  }

  /** The items of `events` that `principal` may see, the records loaded in one statement. */
  private async itemsFor(declaration: LiveDeclaration<unknown>, principal: Principal, events: ChangeEventRow[]): Promise<LiveItem[]> {
    const ctx = createContext(this.db, { principal });
    const nodes = await declaration.load(ctx, [...new Set(events.map((e) => e.entityId))]);
    this.statements.loads += ctx.db.sqlCounter.statements;
    const items: LiveItem[] = [];
    for (const e of events) {
      const node = nodes.get(e.entityId);
      if (node === undefined) continue;
      const item: LiveItem = { seq: e.seq, kind: e.kind, entityId: e.entityId, fields: e.fields, occurredAt: e.occurredAt, node };
      if (declaration.shareResults) shareResultsOf(item);
      items.push(item);
    }
    return items;
  }

  /**
   * A new subscriber's stream: live from now, or, with `afterSeq`, first every event after it
   * that it may see (from the outbox, within retention), then live. EVENTS_EXPIRED when events
   * after `afterSeq` have already been pruned; BAD_USER_INPUT for a seq the outbox never reached.
   */
  async subscribe<T>(declaration: LiveDeclaration<T>, principal: Principal, afterSeq: string | null, stillAuthorized: () => Promise<boolean>): Promise<LiveStream<T>> {
    if (this.stopped) throw new AppError('SERVICE_UNAVAILABLE', 'the server is shutting down; subscribe again on another connection');
    if (afterSeq !== null && !/^(0|[1-9]\d{0,18})$/.test(afterSeq)) throw new AppError('BAD_USER_INPUT', 'afterSeq: a sequence number (digits) as received in an event', { field: 'afterSeq' });
    await this.start();
    let bounds: { first: string | null; last: string } | null = null;
    if (afterSeq !== null) {
      const [row] = await this.db.query<{ first: string | null; last: string }>(
        'SELECT min(seq)::text AS first, coalesce(max(seq), 0)::text AS last FROM change_event',
      );
      bounds = row;
      if (BigInt(afterSeq) > BigInt(row.last)) {
        throw new AppError('BAD_USER_INPUT', `afterSeq: ${afterSeq} is past the last event (${row.last}); send a seq you received`, { field: 'afterSeq' });
      }
    }
    // Registered synchronously with the position it starts from: live pages read after this
    // reach it; everything up to `upTo` comes from the catch-up below.
    const upTo = BigInt(this.position!);
    const after = afterSeq === null ? upTo : BigInt(afterSeq);
    const catchingUp = after < upTo;
    if (catchingUp) {
      // Events between afterSeq and the oldest one kept were pruned (or never committed: a
      // rolled-back write leaves a gap, and is answered the same, to be safe).
      const first = bounds!.first === null ? null : BigInt(bounds!.first);
      if (first === null || after < first - 1n) {
        throw new AppError('EVENTS_EXPIRED', `events after ${afterSeq} are no longer kept (retention); read the current state again, then subscribe without afterSeq`, {
          oldestSeq: bounds!.first,
        });
      }
    }
    const subscriber: Subscriber = { declaration: declaration, principal, stream: null as unknown as LiveStream<unknown> };
    const stream = new LiveStream<T>(after, catchingUp, stillAuthorized, () => this.subscribers.delete(subscriber));
    subscriber.stream = stream as LiveStream<unknown>;
    this.subscribers.add(subscriber);
    if (catchingUp) void this.catchUp(declaration, principal, stream, after, upTo);
    return stream;
  }

  /** Reads the outbox from `after` to `upTo` for one subscriber, then lets its live buffer through. */
  private async catchUp<T>(declaration: LiveDeclaration<T>, principal: Principal, stream: LiveStream<T>, after: bigint, upTo: bigint): Promise<void> {
    // A finishing catch-up hands its slot straight to the next one waiting.
    if (this.catchUpsRunning >= CATCH_UP_CONCURRENCY) await new Promise<void>((resolve) => this.catchUpsWaiting.push(resolve));
    else this.catchUpsRunning += 1;
    try {
      let cursor = after;
      while (cursor < upTo && !stream.closed) {
        const page = (await eventsSince(this.db, cursor, EVENTS_PER_READ)).filter((e) => BigInt(e.seq) <= upTo);
        this.statements.reads += 1;
        if (!page.length) break;
        const mine = page.filter((e) => carries(declaration as LiveDeclaration<unknown>, e) && declaration.mayConcern(e, principal));
        if (mine.length) stream.caughtUpTo((await this.itemsFor(declaration, principal, mine)) as LiveItem<T>[]);
        cursor = BigInt(page[page.length - 1].seq);
      }
      stream.goLive();
    } catch (err) {
      this.logger.warn({ err }, 'live feed: catch-up failed');
      stream.fail(err);
    } finally {
      const next = this.catchUpsWaiting.shift();
      if (next) next();
      else this.catchUpsRunning -= 1;
    }
  }

  /** Ends every subscription and stops listening (server shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of [...this.subscribers]) void s.stream.return();
    await this.starting?.catch(() => undefined);
    await this.listener?.close();
    this.listener = null;
    await this.reading;
  }
}

/** Whether `declaration` carries events like `e` (entity and kind). */
function carries(declaration: LiveDeclaration<unknown>, e: ChangeEventRow): boolean {
  return declaration.entities.includes(e.entity) && (!declaration.kinds || declaration.kinds.includes(e.kind));
}
