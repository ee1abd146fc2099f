import type { ClientConfig } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { eventsSince, listenForEvents, MAX_EVENTS_PER_READ, type EventListener } from '../events';
import { asOf, ensureRuleRows, evaluateRules, FULL_RECOMPUTE_TIMEOUT, GAPS_LOCK, type PassResult } from './coordination.engine';

// The incremental recompute (增量重算): a background worker that LISTENs for change events,
// reads them in seq order from where it stopped (a row of coordination_cursor, updated in the
// same transaction as the gaps it wrote, so a restart resumes exactly there) and re-evaluates
// every rule for the households those events touched, all of a page of events in one pass.
// Several server instances may run it: the cursor row is locked for the pass, so they take
// turns and none evaluates an event twice. Re-evaluating a household is idempotent, so a
// notification lost while disconnected costs nothing: the next pass reads the table.

/** The cursor row of this consumer. */
export const CURSOR_NAME = 'coordination-gaps';

/** Events read per pass (an import batch of thousands of rows is one or a few passes). */
export const EVENTS_PER_PASS = 5_000;

/**
 * Entities whose events never change what a rule sees: the rules' own output, and procedure
 * steps (an announcement that changes a household's status writes its own Household event).
 */
const IGNORED_ENTITIES = new Set(['CoordinationGap', 'procedure']);

/** The households a page of events touched; registry events about a household name it by id. */
export function householdsOf(events: Array<{ entity: string; entityId: string; householdId: string | null }>): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    if (IGNORED_ENTITIES.has(e.entity)) continue;
    const id = e.householdId ?? (e.entity === 'Household' ? e.entityId : null);
    if (id && /^\d{1,18}$/.test(id)) ids.add(id);
  }
  return [...ids];
}

/**
 * One pass over at most `limit` events after the cursor, in one transaction. A database with
 * no cursor yet gets a full recompute and a cursor at the events' end as it stood before it.
 * Returns how many events were read (0: caught up).
 */
export async function runPass(dataSource: DataSource, limit = EVENTS_PER_PASS): Promise<{ events: number } & PassResult> {
  return dataSource.transaction(async (tx) => {
    await tx.query(GAPS_LOCK);
    await ensureRuleRows(tx);
    const rows: Array<{ lastSeq: string }> = await tx.query(
      `SELECT last_seq::text AS "lastSeq" FROM coordination_cursor WHERE name = $1 FOR UPDATE`,
      [CURSOR_NAME],
    );
    if (!rows.length) {
      // First run on this database: everything as it stands, then follow the events from here.
      // The end is read before the recompute, so an event committed meanwhile is read again.
      const [{ end }]: Array<{ end: string }> = await tx.query(`SELECT coalesce(max(seq), 0)::text AS end FROM change_event`);
      await tx.query(FULL_RECOMPUTE_TIMEOUT);
      const result = await evaluateRules(tx, { regionPrefix: '' }, asOf());
      await tx.query(`INSERT INTO coordination_cursor (name, last_seq) VALUES ($1, $2::bigint)`, [CURSOR_NAME, end]);
      return { events: 0, ...result };
    }
    const events = await eventsSince(tx, rows[0].lastSeq, Math.min(limit, MAX_EVENTS_PER_READ));
    if (!events.length) return { events: 0, opened: 0, resolved: 0, updated: 0 };
    const result = await evaluateRules(tx, { householdIds: householdsOf(events) }, asOf());
    await tx.query(`UPDATE coordination_cursor SET last_seq = $2::bigint, updated_at = now() WHERE name = $1`, [
      CURSOR_NAME, events[events.length - 1].seq,
    ]);
    return { events: events.length, ...result };
  });
}

/** The running worker; `stop` waits for a pass in progress. */
export class CoordinationWorker {
  private listener: EventListener | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  /** LISTENs, then catches up with what happened while it was not running. */
  async start(connection: ClientConfig): Promise<void> {
    this.listener = await listenForEvents(connection, () => this.wake(), {
      onReconnect: () => this.wake(),
      onError: (err) => this.logger.warn({ err }, 'coordination worker: event listener connection lost; reconnecting'),
    });
    this.wake();
  }

  /** Runs passes until caught up; a wake-up during a pass runs another after it. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const started = Date.now();
            const pass = await runPass(this.dataSource);
            if (pass.opened || pass.resolved) {
              this.logger.debug({ ...pass, ms: Date.now() - started }, 'coordination gaps recomputed');
            }
            if (pass.events < EVENTS_PER_PASS || this.stopped) break;
          }
        } while (this.again && !this.stopped);
      } catch (err) {
        this.logger.warn({ err }, 'coordination worker: a pass failed; trying again shortly');
        if (!this.stopped && !this.retry) {
          this.retry = setTimeout(() => {
            this.retry = null;
            this.wake();
          }, 2_000);
          this.retry.unref();
        }
      } finally {
        this.running = null;
      }
    })();
  }

  /** Resolves once no pass is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.listener?.close();
    this.listener = null;
    await this.running;
  }
}

/** Starts the worker on its own listener connection (main.ts). */
export async function startCoordinationWorker(dataSource: DataSource, connection: ClientConfig, logger: Logger): Promise<CoordinationWorker> {
  const worker = new CoordinationWorker(dataSource, logger);
  await worker.start(connection);
  logger.info('coordination worker: following change events');
  return worker;
}
