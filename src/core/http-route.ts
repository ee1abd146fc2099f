import { randomUUID } from 'node:crypto';
import type express from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { TokenVerifier } from './auth';
import type { ServiceCalendar } from './calendar';
import { createContext, type RequestContext } from './context';
import type { Db } from './db';
import { AppError, makeFormatError, tagWithRequestId } from './errors';
import { factsOf } from './observability';

// The plumbing of the HTTP routes beside /graphql (imports, exports, reports): the same request
// id, bearer verification, request-log facts and error masking as /graphql, with an HTTP status
// by code.

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface RouteDeps {
  db: Db;
  verifier: TokenVerifier;
  calendar: ServiceCalendar;
}

/** HTTP status by error code; an error's own `extensions.http.status` comes first. */
const STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TIMEOUT: 503,
  SERVICE_UNAVAILABLE: 503,
};

/** The formatError of a route: /graphql's masking, unexpected errors logged as `message`. */
export function routeFormatError(logger: Logger, message: string): FormatError {
  return makeFormatError(
    (err, requestId) => logger.error({ err, requestId }, message),
    (problem, requestId) => logger.warn({ ...problem, requestId }, 'database wait ran out or database unavailable'),
  );
}

/** The request's id: made once, sent as x-request-id and kept in the request log's facts. */
export function routeRequestId(res: express.Response): string {
  const facts = factsOf(res);
  if (!facts.requestId) {
    facts.requestId = randomUUID();
    res.setHeader('x-request-id', facts.requestId);
  }
  return facts.requestId;
}

/** The context of an authenticated request (UNAUTHENTICATED without a valid bearer token). */
export async function routeContext(req: express.Request, res: express.Response, deps: RouteDeps): Promise<RequestContext> {
  const requestId = routeRequestId(res);
  const principal = await deps.verifier.principalOf(req.headers.authorization);
  factsOf(res).principal = principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'Not authenticated: send "Authorization: Bearer <token>"');
  return createContext(deps.db, { requestId, principal, today: deps.calendar.today() });
}

/**
 * Answers a thrown error as /graphql would ({ errors: [{ message, extensions }] }, masked by
 * `formatError`), with the HTTP status of its code; `extensions` reshapes what the route shows.
 */
export function sendRouteError(
  res: express.Response,
  err: unknown,
  formatError: FormatError,
  extensions?: (formatted: Record<string, unknown>, requestId: string) => Record<string, unknown>,
): void {
  const requestId = routeRequestId(res);
  tagWithRequestId(err, requestId);
  const gql = err instanceof GraphQLError ? err : null;
  const formatted = formatError({ message: gql?.message ?? 'error', extensions: gql?.extensions ?? { code: 'INTERNAL_SERVER_ERROR' } }, err);
  const code = String((formatted.extensions?.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR');
  factsOf(res).errorCodes = [code];
  const status = (gql?.extensions as { http?: { status?: number } } | undefined)?.http?.status;
  const shown = extensions ? extensions({ ...formatted.extensions }, requestId) : formatted.extensions;
  res.status(status ?? STATUS[code] ?? 500).json({ errors: [{ message: formatted.message, extensions: shown }] });
}
