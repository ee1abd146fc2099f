import type { Logger } from 'pino';
import type { Db } from '../../core/db';
import { RELEASE_LOCK, writeRelease, type ReleaseSummary } from './aggregate-release.service';

// The scheduled refresh (定期刷新, issue 9 §2): every AGGREGATE_REFRESH_HOURS the server writes a
// new release of the approved catalog from the current data, in one transaction. Instances
// share the work: a run that finds a release younger than half the interval (another instance's,
// or an approval's) writes nothing. Failures are logged and tried again at the next run.

/** Writes a release unless one is younger than `minAgeMs`; answers it, or null when skipped. */
export async function refreshReleases(db: Db, minAgeMs: number): Promise<ReleaseSummary | null> {
  return db.transaction(async (tx) => {
    await tx.query(RELEASE_LOCK);
    const [fresh]: Array<{ fresh: boolean }> = await tx.query(
      `SELECT EXISTS (SELECT 1 FROM aggregate_release WHERE computed_at > now() - make_interval(secs => $1::float8 / 1000)) AS fresh`, [minAgeMs],
    );
    const [approved]: Array<{ any: boolean }> = await tx.query(`SELECT EXISTS (SELECT 1 FROM aggregate_entry WHERE status = 'approved') AS any`);
    if (fresh.fresh || !approved.any) return null;
    return writeRelease(tx, 'scheduled');
  });
}

/** The server's periodic refresh; `stop` waits for a run in progress. */
class AggregateRefresh {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly intervalMs: number, private readonly logger: Logger) {}

  run(): Promise<void> {
    this.running ??= (async () => {
      try {
        const release = await refreshReleases(this.db, this.intervalMs / 2);
        if (release) this.logger.info({ release: release.id, cells: release.cells, millis: release.millis }, 'approved aggregates refreshed');
      } catch (err) {
        this.logger.warn({ err }, 'refreshing approved aggregates failed; trying again at the next run');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** Starts the periodic refresh (AGGREGATE_REFRESH_HOURS; 0: off). The first run comes after one interval. */
export function startAggregateRefresh(db: Db, config: { AGGREGATE_REFRESH_HOURS: number }, logger: Logger): AggregateRefresh {
  const refresh = new AggregateRefresh(db, config.AGGREGATE_REFRESH_HOURS * 3_600_000, logger);
  refresh.start();
  logger.info({ hours: config.AGGREGATE_REFRESH_HOURS }, 'approved-aggregate refresh');
  return refresh;
}
