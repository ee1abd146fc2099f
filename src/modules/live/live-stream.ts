import { AppError } from '../../core/errors';
import type { LiveItem } from './live-declaration';

// One subscription's stream of events, as graphql-js consumes it (an async iterator). Items
// arrive in seq order from two sources: the outbox read back from `afterSeq` (catch-up) and the
// feed's live batches. While catching up, live batches are buffered; once caught up, the buffer
// is flushed. Every item passes one gate, `seq > last delivered`, so the switch-over neither
// skips nor repeats an event. Before each item is handed over, the connection's token is checked
// again: an expired or refused token ends the stream (and the connection is closed with 4401).

/** Items one subscriber may have waiting; past it the stream ends with EVENTS_OVERFLOW (resume with afterSeq). */
export const MAX_QUEUED = 10_000;

export class LiveStream<T> implements AsyncIterableIterator<LiveItem<T>> {
  private readonly queue: LiveItem<T>[] = [];
  private buffer: LiveItem<T>[] | null;
  private waiting: { resolve: (r: IteratorResult<LiveItem<T>>) => void; reject: (err: unknown) => void } | null = null;
  private failure: Error | null = null;
  private done = false;

  constructor(
    /** Sequence of the last event the subscriber has (afterSeq, or where the feed stood). */
    private lastSeq: bigint,
    catchingUp: boolean,
    private readonly stillAuthorized: () => Promise<boolean>,
    private readonly onEnd: () => void,
  ) {
    this.buffer = catchingUp ? [] : null;
  }

  /** The last sequence handed to the queue. */
  get position(): bigint {
    return this.lastSeq;
  }

  get closed(): boolean {
    return this.done;
  }

  /** Live items from the feed, in seq order: buffered while catching up. */
  offer(items: readonly LiveItem<T>[]): void {
    if (this.done || !items.length) return;
    if (this.buffer) {
      for (const item of items) this.buffer.push(item);
      if (this.buffer.length > MAX_QUEUED) this.fail(overflow());
      return;
    }
    this.enqueue(items);
  }

  /** Items read back from the outbox, in seq order (catch-up). */
  caughtUpTo(items: readonly LiveItem<T>[]): void {
    this.enqueue(items);
  }

  /** Catch-up is over: the buffered live items follow, without those already delivered. */
  goLive(): void {
    const buffered = this.buffer ?? [];
    this.buffer = null;
    this.enqueue(buffered);
  }

  fail(err: unknown): void {
    if (this.done) return;
    this.failure = err instanceof Error ? err : new Error(String(err));
    this.finish();
  }

  private enqueue(items: readonly LiveItem<T>[]): void {
    if (this.done) return;
    for (const item of items) {
      const seq = BigInt(item.seq);
      if (seq <= this.lastSeq) continue;
      this.lastSeq = seq;
      this.queue.push(item);
    }
    if (this.queue.length > MAX_QUEUED) {
      this.fail(overflow());
      return;
    }
    this.wakeReader();
  }

  private wakeReader(): void {
    const waiter = this.waiting;
    if (!waiter || !this.queue.length) return;
    this.waiting = null;
    this.handOver().then(waiter.resolve, waiter.reject);
  }

  /** The next queued item, once the token has been checked again. */
  private async handOver(): Promise<IteratorResult<LiveItem<T>>> {
    const item = this.queue.shift()!;
    if (!(await this.stillAuthorized())) {
      this.finish();
      return { value: undefined, done: true };
    }
    return { value: item, done: false };
  }

  next(): Promise<IteratorResult<LiveItem<T>>> {
    if (this.queue.length) return this.handOver();
    if (this.done) {
      const failure = this.failure;
      this.failure = null;
      return failure ? Promise.reject(failure) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<LiveItem<T>>> {
    this.queue.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<LiveItem<T>>> {
    this.finish();
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.buffer = null;
    this.onEnd();
    const waiter = this.waiting;
    this.waiting = null;
    if (waiter) {
      const failure = this.failure;
      this.failure = null;
      if (failure) waiter.reject(failure);
      else waiter.resolve({ value: undefined, done: true });
    }
  }
}

const overflow = () =>
  new AppError('EVENTS_OVERFLOW', `more than ${MAX_QUEUED} events waited for this subscriber; subscribe again with afterSeq set to the last seq you received`);
