import type http from 'node:http';
import { DocumentNode, getOperationAST, getVariableValues, GraphQLError, GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import { AppError } from './errors';

// Bounds on the WebSocket transport (issue 7 §4). Messages: `maxPayload` on the server, the
// HTTP body limit, so an oversized frame closes the socket (1009) before it is buffered or
// parsed. Connections: at most N open per client address, the next upgrade is answered 429.
// Operations: at most M running at once on one connection, the next answers TOO_MANY_OPERATIONS.

/** The largest HTTP body and WebSocket message, in bytes (express.json `limit`, ws `maxPayload`). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** The client address a connection is counted under (the socket's peer; no proxy header is trusted). */
function addressOf(req: http.IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * `verifyClient` for the WebSocketServer: refuses the upgrade (429) when the address already
 * holds `max` open connections. Its callback runs synchronously, so the check and the count on
 * 'connection' (`trackConnections`) happen in the same tick and concurrent upgrades cannot slip
 * past it.
 */
export function connectionLimiter(max: number) {
  const open = new Map<string, number>();
  return {
    verifyClient(this: void, info: { req: http.IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void): void {
      if ((open.get(addressOf(info.req)) ?? 0) >= max) done(false, 429, 'Too many connections from this address');
      else done(true);
    },
    /** Counts connections per address; installs quiet error handling on each socket. */
    track(wsServer: WebSocketServer, logger: Logger): void {
      wsServer.on('connection', (socket: WebSocket, req: http.IncomingMessage) => {
        const address = addressOf(req);
        open.set(address, (open.get(address) ?? 0) + 1);
        socket.once('close', () => {
          const n = (open.get(address) ?? 1) - 1;
          if (n > 0) open.set(address, n);
          else open.delete(address);
        });
        // A socket error is the peer's doing (an oversized or malformed frame, a reset): ws has
        // already closed it with the right code (1009, 1002, 1007). graphql-ws would log it to
        // the console as an internal error; it is logged here as a warning instead.
        socket.removeAllListeners('error');
        socket.on('error', (err: Error & { code?: string }) => logger.warn({ code: err.code, address }, `websocket closed: ${err.message}`));
      });
    },
  };
}

/** The refusal of an operation past the per-connection limit; the connection stays open. */
export function tooManyOperations(running: number, max: number): GraphQLError | null {
  return running > max
    ? new AppError('TOO_MANY_OPERATIONS', `At most ${max} operations may run at once on one connection; wait for one to complete`)
    : null;
}

/**
 * Variables checked against the operation's definitions before execution, as Apollo does over
 * HTTP: a wrong type is the caller's mistake (BAD_USER_INPUT), not an execution error.
 */
export function variableErrors(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: unknown): GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [new AppError('OPERATION_RESOLUTION_FAILURE', operationName ? `Unknown operation named "${operationName}"` : 'Must provide an operation name')];
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return [new AppError('BAD_USER_INPUT', 'variables must be an object')];
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (variables ?? {}) as Record<string, unknown>, { maxErrors: 20 });
  return (coerced.errors ?? []).map((e) => new AppError('BAD_USER_INPUT', e.message));
}
