import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

// Bounded waits (issue 7 §4): every wait of a request on PostgreSQL has a limit — for a pooled
// connection (pg-pool's connectionTimeoutMillis), for a lock (lock_timeout), for a statement
// (statement_timeout) — and a transaction left open cannot hold its locks for ever
// (idle_in_transaction_session_timeout). The three PostgreSQL settings are startup parameters
// of the app's connections only: migrations (index builds) and seeding (COPY of the bench
// data) run on connections without them, before `applyWaitLimits`.

/** The bounded-wait settings (config: DB_*_TIMEOUT_MS, READY_TIMEOUT_MS, WS_MAX_*). */
export interface WaitLimits {
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  readyTimeoutMs: number;
  wsMaxConnectionsPerIp: number;
  wsMaxOperationsPerConnection: number;
}

/** The config defaults, for servers built without a config (tests). */
export const DEFAULT_WAIT_LIMITS: WaitLimits = {
  acquireTimeoutMs: 5000,
  statementTimeoutMs: 15_000,
  lockTimeoutMs: 5000,
  idleInTransactionTimeoutMs: 30_000,
  readyTimeoutMs: 2000,
  wsMaxConnectionsPerIp: 20,
  wsMaxOperationsPerConnection: 50,
};

/** pg pool and connection options carrying the limits (TypeORM passes `extra` to pg.Pool). */
export function poolOptions(limits: Pick<WaitLimits, 'acquireTimeoutMs' | 'statementTimeoutMs' | 'lockTimeoutMs' | 'idleInTransactionTimeoutMs'>): Record<string, number> {
  return {
    connectionTimeoutMillis: limits.acquireTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
  };
}

/**
 * Re-opens `dataSource` with the limits on every pooled connection. Called once migrations and
 * seeding are done (they must not be cut by statement_timeout); the pool size stays as it was.
 */
export async function applyWaitLimits(dataSource: DataSource, limits: WaitLimits): Promise<void> {
  if (dataSource.isInitialized) await dataSource.destroy();
  const extra = (dataSource.options as { extra?: Record<string, unknown> }).extra ?? {};
  dataSource.setOptions({ extra: { ...extra, ...poolOptions(limits) } });
  await dataSource.initialize();
}

/**
 * Readiness: true when a pooled connection answers `SELECT 1` within `timeoutMs`. False when
 * PostgreSQL is unreachable or every connection is busy for longer (a request would wait too).
 */
export async function databaseReady(dataSource: DataSource, timeoutMs: number): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) return false;
  const ping = pool.query('SELECT 1').then(
    () => true,
    () => false,
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([ping, late]);
  } finally {
    clearTimeout(timer);
  }
}
