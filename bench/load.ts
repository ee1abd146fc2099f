import autocannon from 'autocannon';
import { seededIndex, Target } from './targets';

/** One timed run's figures. */
export interface Measurement {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
}

export interface LoadOptions {
  title: string;
  url: string;
  connections: number;
  duration: number;
  /** The request for one target; the target changes on every request. */
  request(target: Target): { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };
  targets: Target[];
  seed: number;
}

/**
 * Drives one server with autocannon for `duration` seconds, asking about a different target
 * on every request (a seeded sequence over the sample, the same for app and baseline).
 * Fails on any non-2xx answer, connection error or timeout.
 */
export async function drive(opts: LoadOptions): Promise<Measurement> {
  const next = seededIndex(opts.seed, opts.targets.length);
  // autocannon's own histogram rounds latencies to whole milliseconds, too coarse for a
  // baseline that answers in about one; the exact times come with every 'response' event.
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        title: opts.title,
        url: opts.url,
        connections: opts.connections,
        duration: opts.duration,
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => {
              const r = opts.request(opts.targets[next()]);
              return { ...req, method: r.method, path: r.path, headers: { ...req.headers, ...r.headers }, body: r.body };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err as Error) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${opts.title}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts during the run`);
  }
  times.sort((a, b) => a - b);
  return {
    requestsPerSecond: times.length / result.duration,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    requests: times.length,
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : NaN;
}
