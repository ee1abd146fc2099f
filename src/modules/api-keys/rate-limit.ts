// Requests per minute per API key: a token bucket per key, held in this process's memory (so the
// limit is per server instance: N instances behind a balancer admit up to N× the rate). A bucket
// holds a minute's worth, so a key may spend its minute in a burst, then one request per
// 60/rate seconds.

/** Buckets kept at most; the least recently used goes first (a forgotten bucket starts full). */
const MAX_BUCKETS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * Takes one request from `key`'s bucket of `perMinute`; null when admitted, otherwise the
   * seconds until the next request would be.
   */
  take(key: string, perMinute: number, now = Date.now()): number | null {
    const known = this.buckets.get(key);
    this.buckets.delete(key);
    let tokens = perMinute;
    if (known) tokens = Math.min(perMinute, known.tokens + ((now - known.at) * perMinute) / 60_000);
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value as string);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return null;
    }
    this.buckets.set(key, { tokens, at: now });
    return Math.max(1, Math.ceil(((1 - tokens) * 60) / perMinute));
  }
}
