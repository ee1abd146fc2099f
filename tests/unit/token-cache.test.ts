import { issueToken, Role, TokenVerifier } from '../../src/core/auth';

// Verified tokens are remembered (issue 11: the fixed cost of a request), but a remembered
// token still ends exactly at its `exp`, and a refusal is never remembered.

const CONFIG = { AUTH_JWT_SECRET: 'token-cache-secret-0123456789abcdef0123', AUTH_ISSUER: 'household-graph', AUTH_AUDIENCE: 'household-graph', DATA_DIR: '/nonexistent' };

describe('the verified-token cache', () => {
  afterEach(() => jest.useRealTimers());

  it('answers a known token again without changing what it means, and ends it at its exp', async () => {
    const verifier = await TokenVerifier.create(CONFIG);
    const good = await issueToken(CONFIG, { sub: 'coord-li', role: Role.COORDINATOR, scope: '431226' }, '60s');
    const first = await verifier.verify(`Bearer ${good}`);
    const again = await verifier.verify(`Bearer ${good}`);
    expect(again).toEqual(first);
    expect(first!.principal).toEqual({ subject: 'coord-li', role: Role.COORDINATOR, department: null, scope: '431226' });
    // One millisecond past exp, the remembered verification no longer holds.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    jest.setSystemTime(first!.expiresAt);
    await expect(verifier.verify(`Bearer ${good}`)).rejects.toThrow(/expired/);
  });

  it('remembers no refusal: a tampered token is refused every time', async () => {
    const verifier = await TokenVerifier.create(CONFIG);
    const good = await issueToken(CONFIG, { sub: 'coord-li', role: Role.COORDINATOR, scope: '431226' }, '60s');
    const [h, p] = good.split('.');
    const forged = `${h}.${p}.${'A'.repeat(43)}`;
    await expect(verifier.verify(`Bearer ${forged}`)).rejects.toThrow(/invalid/);
    await expect(verifier.verify(`Bearer ${forged}`)).rejects.toThrow(/invalid/);
    await verifier.verify(`Bearer ${good}`);
    verifier.clearCache();
    await expect(verifier.verify(`Bearer ${good}`)).resolves.toBeTruthy();
  });
});
