import type { WebSocket } from 'ws';
import { closeOnExpiry, TOKEN_EXPIRED_CLOSE } from '../../src/core/ws-expiry';

// The per-operation re-check behind graphql-ws's onSubscribe: once the clock passes the token's
// exp, the connection counts as expired and is closed with 4401, whether or not its timer ran.

describe('WebSocket token expiry', () => {
  it('reports expiry by the clock and closes with 4401', () => {
    const closes: Array<[number, string]> = [];
    const socket = { close: (code: number, reason: string) => closes.push([code, reason]) } as unknown as WebSocket;
    let clock = 1_000_000;
    const expiry = closeOnExpiry(socket, clock + 3_600_000, () => clock);
    try {
      expect(expiry.expired()).toBe(false);
      clock += 3_600_000;
      expect(expiry.expired()).toBe(true);
      expiry.closeNow();
      expect(closes).toEqual([[TOKEN_EXPIRED_CLOSE, 'Token expired']]);
    } finally {
      expiry.clear();
    }
  });

  it('closes at once a connection whose token has already expired', () => {
    const closes: number[] = [];
    const socket = { close: (code: number) => closes.push(code) } as unknown as WebSocket;
    closeOnExpiry(socket, 999, () => 1_000).clear();
    expect(closes).toEqual([4401]);
  });
});
