import type { WebSocket } from 'ws';
import { AppError } from './errors';

// A graphql-ws connection is authenticated once, at connect; its token still ends at `exp`.
// The socket is closed then (4401, as graphql-ws closes an unauthorised one), and every
// operation checks the expiry again, so that a connection never outlives what its token said.

/** Close code for an expired token (graphql-ws uses 4401 for "Unauthorized"). */
export const TOKEN_EXPIRED_CLOSE = 4401;

export const tokenExpired = () => new AppError('UNAUTHENTICATED', 'Not authenticated: token expired', { http: { status: 401 } });

export interface TokenExpiry {
  expired(): boolean;
  closeNow(): void;
  clear(): void;
}

// setTimeout's longest delay (about 24.8 days); a longer wait is re-armed.
const MAX_DELAY = 2 ** 31 - 1;

/** Arms a timer that closes `socket` at `expiresAt` (epoch ms); clear it when the socket closes. */
export function closeOnExpiry(socket: WebSocket, expiresAt: number, now: () => number = Date.now): TokenExpiry {
  let timer: NodeJS.Timeout | undefined;
  const closeNow = () => {
    clear();
    socket.close(TOKEN_EXPIRED_CLOSE, 'Token expired');
  };
  const arm = () => {
    const wait = expiresAt - now();
    if (wait <= 0) return closeNow();
    timer = setTimeout(arm, Math.min(wait, MAX_DELAY));
    timer.unref();
  };
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  arm();
  return { expired: () => now() >= expiresAt, closeNow, clear };
}
