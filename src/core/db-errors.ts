// PostgreSQL and pool failures that are not bugs: a wait that ran out (TIMEOUT), a database
// that cannot be reached or has no free connection (SERVICE_UNAVAILABLE), or a value the
// client sent that PostgreSQL cannot take (BAD_USER_INPUT). errors.ts turns them into typed
// answers once, for every transport; everything else stays an internal error.

export type DbErrorCode = 'TIMEOUT' | 'SERVICE_UNAVAILABLE' | 'BAD_USER_INPUT';

export interface DbErrorClass {
  code: DbErrorCode;
  message: string;
}

// SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const BY_SQLSTATE: Record<string, DbErrorClass> = {
  '57014': { code: 'TIMEOUT', message: 'The database did not answer in time; try again later' },
  '55P03': { code: 'TIMEOUT', message: 'The record is busy (locked by another operation); try again later' },
  '25P03': { code: 'TIMEOUT', message: 'The transaction was idle for too long; try again' },
  '57P01': { code: 'SERVICE_UNAVAILABLE', message: 'The database is restarting; try again later' },
  '57P02': { code: 'SERVICE_UNAVAILABLE', message: 'The database is restarting; try again later' },
  '57P03': { code: 'SERVICE_UNAVAILABLE', message: 'The database is not accepting connections; try again later' },
  // The database is gone or refuses the app's login: not the caller's to fix, and not a bug.
  '3D000': { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; try again later' },
  '28000': { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; try again later' },
  '28P01': { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; try again later' },
  '53300': { code: 'SERVICE_UNAVAILABLE', message: 'The database has no free connection; try again later' },
  // A value the caller sent and PostgreSQL refused: NUL in text (22021; 22P05 in JSON), a
  // number past its column (22003: a year beyond smallint), a malformed value or a too-long one.
  '22021': { code: 'BAD_USER_INPUT', message: 'a text value contains a character that cannot be stored (NUL, U+0000)' },
  '22P05': { code: 'BAD_USER_INPUT', message: 'a text value contains a character that cannot be stored (NUL, U+0000)' },
  '22003': { code: 'BAD_USER_INPUT', message: 'a number is out of range' },
  '22001': { code: 'BAD_USER_INPUT', message: 'a value is too long' },
  '22P02': { code: 'BAD_USER_INPUT', message: 'a value is malformed' },
  '22007': { code: 'BAD_USER_INPUT', message: 'a date or time is malformed' },
  '22008': { code: 'BAD_USER_INPUT', message: 'a date or time is out of range' },
};

const UNAVAILABLE: DbErrorClass = { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable or busy; try again later' };

// pg-pool's messages: no connection free within connectionTimeoutMillis, or none could be
// opened in time; pg's when the server went away; the pool closed by a stop in progress.
const POOL_MESSAGES = /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout|Connection terminated unexpectedly|Connection terminated|Client has encountered a connection error and is not queryable|Cannot use a pool after calling end on the pool)/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/** The typed class of a driver, pool or TypeORM error; null for anything else (a bug). */
export function classifyDbError(err: unknown): DbErrorClass | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { driverError?: unknown; code?: unknown; message?: unknown };
  // TypeORM wraps the driver's error (QueryFailedError.driverError).
  if (e.driverError && e.driverError !== err) {
    const inner = classifyDbError(e.driverError);
    if (inner) return inner;
  }
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && BY_SQLSTATE[code]) return BY_SQLSTATE[code];
  if (code && (code.startsWith('08') || NETWORK_CODES.has(code))) return UNAVAILABLE;
  if (typeof e.message === 'string' && POOL_MESSAGES.test(e.message)) return UNAVAILABLE;
  // TypeORM releases a transaction's runner when its connection dies (PostgreSQL killed or
  // restarting); the transaction's next statement then fails with this instead of pg's error.
  if ((err as { name?: unknown }).name === 'QueryRunnerProviderAlreadyReleasedError' || err.constructor?.name === 'QueryRunnerProviderAlreadyReleasedError') return UNAVAILABLE;
  return null;
}
