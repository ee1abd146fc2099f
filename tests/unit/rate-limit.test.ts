import { RateLimiter } from '../../src/modules/api-keys/rate-limit';

// The per-key token bucket of third-party calls (issue 9 §3): a minute's worth in a burst, then
// one request per 60/rate seconds; keys do not share a bucket.
describe('RateLimiter', () => {
  it('admits a minute\'s worth at once, then refills at the rate', () => {
    const limiter = new RateLimiter();
    const t0 = 1_000_000;
    expect([1, 2, 3, 4, 5, 6].map(() => limiter.take('k', 6, t0))).toEqual([null, null, null, null, null, null]);
    // Empty: the next request is 10 s (60/6) away.
    expect(limiter.take('k', 6, t0)).toBe(10);
    expect(limiter.take('k', 6, t0 + 9_000)).toBe(1);
    expect(limiter.take('k', 6, t0 + 10_000)).toBeNull();
    expect(limiter.take('k', 6, t0 + 10_000)).toBe(10);
    // Never more than a minute's worth, however long the key was idle.
    const later = t0 + 3_600_000;
    expect([1, 2, 3, 4, 5, 6, 7].map(() => limiter.take('k', 6, later))).toEqual([null, null, null, null, null, null, 10]);
  });

  it('keeps a bucket per key', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('a', 1, 0)).toBeNull();
    expect(limiter.take('a', 1, 0)).toBe(60);
    expect(limiter.take('b', 1, 0)).toBeNull();
  });
});
