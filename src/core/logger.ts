import pino from 'pino';

/** Structured JSON logs (pino). Secrets never reach it: config is logged through describeConfig. */
export function createLogger(level: string) {
  return pino({ level, base: { service: 'household-graph' }, redact: ['req.headers.authorization', 'DATABASE_URL'] });
}
