import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import { classifyDbError } from './db-errors';

/** The codes a client may branch on (`extensions.code`). Anything else is masked. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'GRAPHQL_PARSE_FAILED'
  | 'BAD_REQUEST'
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_NOT_SUPPORTED'
  | 'OPERATION_RESOLUTION_FAILURE'
  | 'QUERY_TOO_COMPLEX'
  | 'DUPLICATE_ELSEWHERE'
  | 'RATE_LIMITED'
  // A wait ran out (statement or lock timeout), or no database connection could be had in time.
  | 'TIMEOUT'
  | 'SERVICE_UNAVAILABLE'
  // More operations at once on one WebSocket connection than WS_MAX_OPERATIONS_PER_CONNECTION.
  | 'TOO_MANY_OPERATIONS'
  // A subscription's afterSeq lies before the change-event retention horizon: refetch, then subscribe afresh.
  | 'EVENTS_EXPIRED'
  // A subscriber fell so far behind the live events that its queue was dropped: resume with afterSeq.
  | 'EVENTS_OVERFLOW'
  | 'INTERNAL_SERVER_ERROR';

/** An error whose message and code are safe to show to the caller. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', `${field}: ${message}`, { field });

/** Missing and out-of-scope records answer identically, so scope cannot be probed. */
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);

const PUBLIC_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_COMPLEX',
  'DUPLICATE_ELSEWHERE',
  'RATE_LIMITED',
  'TIMEOUT',
  'SERVICE_UNAVAILABLE',
  'TOO_MANY_OPERATIONS',
  'EVENTS_EXPIRED',
  'EVENTS_OVERFLOW',
]);

/**
 * The one place errors become responses: known codes pass with their message; everything
 * else (a bug, a database error) is logged with the request id and answered as
 * INTERNAL_SERVER_ERROR carrying only that id. Never a stack trace, SQL or driver message.
 */
export function makeFormatError(
  log: (err: unknown, requestId: string | undefined) => void,
  /** Waits that ran out and an unavailable database: the operator's to see, without a stack. */
  warn?: (problem: { code: string; cause: string; sqlState?: string }, requestId: string | undefined) => void,
) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code as string | undefined;
    // type-graphql's argument validation: its extensions echo the whole input (`target`) and
    // class-validator's internals; answer with the first field and its messages only. (The
    // class keeps GraphQLError's `name`, so it is recognised by class, not by name.)
    if (original instanceof ArgumentValidationError) {
      const details = (original as unknown as { extensions?: { validationErrors?: Array<{ property: string; constraints?: Record<string, string> }> } })
        .extensions?.validationErrors ?? [];
      const first = details[0];
      const message = first
        ? `${first.property}: ${Object.values(first.constraints ?? {}).join(', ') || 'invalid'}`
        : 'invalid input';
      return { message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_USER_INPUT', field: first?.property } };
    }
    // Timeouts, an unreachable database and values PostgreSQL refused (core/db-errors.ts): typed,
    // not logged as bugs, the driver's message never shown.
    // (Apollo fills in INTERNAL_SERVER_ERROR for an error without a code before calling this.)
    const uncoded = !code || code === 'INTERNAL_SERVER_ERROR';
    const db = uncoded ? classifyDbError(original) : null;
    if (db) {
      if (db.code !== 'BAD_USER_INPUT') warn?.(dbProblem(db.code, original), requestIdOf(error) ?? requestIdOf(original));
      return { message: db.message, locations: formatted.locations, path: formatted.path, extensions: { code: db.code } };
    }
    // Apollo's own request refusals that carry an HTTP 4xx but no code (an APQ hash that does not
    // match its query, an unknown persisted-query version): the client's mistake.
    const raw = error instanceof GraphQLError ? (error.extensions as { code?: unknown; http?: { status?: number } }) : undefined;
    const status = raw?.http?.status;
    if (uncoded && raw && raw.code === undefined && status && status >= 400 && status < 500) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_REQUEST' } };
    }
    if (code && PUBLIC_CODES.has(code)) {
      // `http` (a status for Apollo's HTTP answer) is Apollo's to strip; over WebSocket it is not.
      const { stacktrace: _s, exception: _e, http: _h, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
    }
    const requestId = requestIdOf(error) ?? requestIdOf(original);
    log(original, requestId);
    return {
      message: `Internal server error (request ${requestId ?? 'unknown'})`,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
    };
  };
}

function dbProblem(code: string, err: unknown): { code: string; cause: string; sqlState?: string } {
  const e = err as { message?: unknown; code?: unknown; driverError?: { code?: unknown } };
  const sqlState = e.driverError?.code ?? e.code;
  return { code, cause: String(e.message ?? err), ...(typeof sqlState === 'string' ? { sqlState } : {}) };
}

// The request id reaches formatError on the error itself: the server tags each error of a
// request with it (`tagWithRequestId`) before formatting. (An AsyncLocalStorage would do it
// without tagging, at the price of async_hooks on every promise of every request.)
const REQUEST_ID = Symbol('requestId');

/** Marks an error as raised while serving `requestId`, for the log line formatError writes. */
export function tagWithRequestId(error: unknown, requestId: string): void {
  if (error && typeof error === 'object' && !(REQUEST_ID in error)) (error as Record<symbol, string>)[REQUEST_ID] = requestId;
}

function requestIdOf(error: unknown): string | undefined {
  return error && typeof error === 'object' ? (error as Record<symbol, string | undefined>)[REQUEST_ID] : undefined;
}
