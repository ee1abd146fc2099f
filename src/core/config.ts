import path from 'node:path';
import { z } from 'zod';
import type { QueryLimits } from './limits';

// The one config object: read from the environment once, validated at boot. Secrets are
// marked so that `describeConfig` never prints them.

const schema = z.object({
  /** PostgreSQL connection string; without it an embedded PostgreSQL is started. Secret. */
  DATABASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  /** Where the embedded PostgreSQL keeps its data (and the dev signing key). */
  DATA_DIR: z.string().default(path.resolve(process.cwd(), '.data')),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  /** Seed scale loaded on first boot into an empty database: demo, bench or none. */
  SEED: z.enum(['demo', 'bench', 'none']).default('demo'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Report SQL statements per request in the `x-sql-statements` response header. */
  EXPOSE_SQL_COUNT: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** HS256 secret for bearer tokens. Secret. Without it (and without the two below) a dev key is generated in DATA_DIR. */
  AUTH_JWT_SECRET: z.string().min(32).optional(),
  /** PEM (SPKI) public key for RS256 tokens from an identity provider. */
  AUTH_PUBLIC_KEY: z.string().optional(),
  /** JWKS URL of an identity provider on the government network. */
  AUTH_JWKS_URL: z.string().url().optional(),
  /** Query limits (HTTP and WebSocket): documents over any of them are refused before execution. */
  QUERY_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(10),
  QUERY_MAX_ALIASES: z.coerce.number().int().min(0).max(200).default(15),
  QUERY_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(100).default(5),
  QUERY_MAX_TOKENS: z.coerce.number().int().min(100).max(100000).default(2000),
  /** graphql-armor cost; the default leaves headroom over the largest dashboard (core/limits.ts). */
  QUERY_MAX_COST: z.coerce.number().int().min(100).default(50000),
  QUERY_MAX_REPEATED_FIELD: z.coerce.number().int().min(1).max(100).default(3),
  AUTH_ISSUER: z.string().default('household-graph'),
  AUTH_AUDIENCE: z.string().default('household-graph'),
  // Stopping and restarting (issue 7 §5).
  /** On SIGTERM/SIGINT: how long requests and WebSocket operations in progress may take to finish before they are cut. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
});

export type Config = z.infer<typeof schema>;
const SECRETS: ReadonlyArray<keyof Config> = ['DATABASE_URL', 'AUTH_JWT_SECRET'];

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** The config with secrets replaced, for logs. */
export function describeConfig(config: Config): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, SECRETS.includes(k as keyof Config) && v ? '***' : v]),
  );
}

/** The query limits of a config, in the shape core/limits.ts takes. */
export function queryLimits(config: Config): QueryLimits {
  return {
    maxDepth: config.QUERY_MAX_DEPTH,
    maxAliases: config.QUERY_MAX_ALIASES,
    maxDirectives: config.QUERY_MAX_DIRECTIVES,
    maxTokens: config.QUERY_MAX_TOKENS,
    maxCost: config.QUERY_MAX_COST,
    maxRepeatedField: config.QUERY_MAX_REPEATED_FIELD,
  };
}
