import { parseArgs } from 'node:util';

export interface BenchArgs {
  scale: 'bench' | 'demo';
  /** Timed seconds per query and server. */
  duration: number;
  /** Untimed seconds before each timed run (JIT, pool and caches). */
  warmup: number;
  connections: number;
  poolSize: number;
  /** Bench whatever the database holds, without seeding it. */
  seed: boolean;
}

const USAGE = 'usage: npm run bench -- [--scale bench|demo] [--duration 10] [--warmup 3] [--connections 10] [--pool 10] [--no-seed]';

export function parseBenchArgs(argv = process.argv.slice(2)): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: 'bench' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '10' },
      pool: { type: 'string', default: process.env.PG_POOL_SIZE ?? '10' },
      'no-seed': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const fail = (message: string): never => {
    process.stderr.write(`${message}\n${USAGE}\n`);
    process.exit(2);
  };
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = (name: string, v: string, min: number, max: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= min && n <= max ? n : fail(`--${name} must be a whole number from ${min} to ${max}`);
  };
  if (values.scale !== 'bench' && values.scale !== 'demo') fail('--scale must be bench or demo');
  return {
    scale: values.scale as 'bench' | 'demo',
    duration: int('duration', values.duration, 1, 600),
    warmup: int('warmup', values.warmup, 0, 60),
    connections: int('connections', values.connections, 1, 200),
    poolSize: int('pool', values.pool, 1, 200),
    seed: !values['no-seed'],
  };
}
