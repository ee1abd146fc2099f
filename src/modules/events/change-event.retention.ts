import type { Logger } from 'pino';
import type { SqlRunner } from './change-event.writer';

// Retention (保留期) of change events: events older than EVENT_RETENTION_DAYS are deleted, a
// bounded number per statement, by the SECURITY DEFINER function `prune_change_events` that
// migration 1796000000000-CreateChangeEvent created (the app's role may not DELETE events
// itself, and the function keeps at least one day). Events are a feed for rules and
// subscriptions, not the record of who changed what: that is the audit log, kept for ever.

/** Events one statement deletes at most (a short statement, a short lock on few pages). */
export const PRUNE_BATCH_ROWS = 10_000;
/** Statements one prune run sends at most; a larger backlog is worked off over later runs. */
export const PRUNE_MAX_BATCHES = 20;
/** How often the server prunes. */
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes events older than `retentionDays` days, at most `batchRows` × `maxBatches` of them;
 * returns how many were deleted.
 */
export async function pruneChangeEvents(
  db: SqlRunner,
  retentionDays: number,
  opts: { batchRows?: number; maxBatches?: number } = {},
): Promise<number> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError(`retention must be a whole number of days ≥ 1, got ${retentionDays}`);
  const batchRows = opts.batchRows ?? PRUNE_BATCH_ROWS;
  const maxBatches = opts.maxBatches ?? PRUNE_MAX_BATCHES;
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const [{ removed }] = (await db.query(
      'SELECT prune_change_events(make_interval(days => $1::int), $2::int) AS removed',
      [retentionDays, batchRows],
    )) as Array<{ removed: number }>;
    total += removed;
    if (removed < batchRows) break;
  }
  return total;
}

/** The server's periodic prune; `stop` waits for a run in progress. */
export class ChangeEventRetention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: SqlRunner,
    private readonly retentionDays: number,
    private readonly logger: Logger,
  ) {}

  /** One prune; failures are logged (the next run tries again), never thrown. */
  run(): Promise<void> {
    this.running ??= (async () => {
      try {
        const removed = await pruneChangeEvents(this.db, this.retentionDays);
        if (removed) this.logger.info({ removed, retentionDays: this.retentionDays }, 'old change events pruned');
      } catch (err) {
        this.logger.warn({ err }, 'pruning old change events failed; trying again at the next run');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  start(intervalMs = PRUNE_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** Starts the periodic prune (a first run now, then every `intervalMs`). */
export function startEventRetention(db: SqlRunner, config: { EVENT_RETENTION_DAYS: number }, logger: Logger, intervalMs = PRUNE_INTERVAL_MS): ChangeEventRetention {
  const retention = new ChangeEventRetention(db, config.EVENT_RETENTION_DAYS, logger);
  void retention.run();
  retention.start(intervalMs);
  logger.info({ retentionDays: config.EVENT_RETENTION_DAYS, intervalMs }, 'change-event retention');
  return retention;
}
