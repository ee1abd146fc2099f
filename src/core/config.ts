import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_SERVICE_TIMEZONE, ServiceCalendar } from './calendar';
import type { WaitLimits } from './db-limits';
import type { QueryLimits } from './limits';

// The one config object: read from the environment once, validated at boot. Secrets are
// marked so that `describeConfig` never prints them.

const schema = z.object({
  /** PostgreSQL connection string; without it an embedded PostgreSQL is started. Secret. */
  DATABASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Listen address; default 127.0.0.1 in the embedded demo, 0.0.0.0 otherwise (see the transform below). */
  HOST: z.string().min(1).optional(),
  /** Where the embedded PostgreSQL keeps its data (and the dev signing key). */
  DATA_DIR: z.string().default(path.resolve(process.cwd(), '.data')),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  /** Seed scale loaded on first boot into an empty database: demo, bench, test or none; default demo only in the embedded demo. */
  SEED: z.enum(['demo', 'bench', 'test', 'none']).optional(),
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

  // --- Tokens and the service calendar (issue 7 §1, §3, §7) ---
  /** Longest token lifetime (exp − iat) accepted: seconds, or a number with s, m, h or d. */
  AUTH_MAX_TOKEN_LIFETIME: z
    .string()
    .regex(/^\d+[smhd]?$/, 'a duration such as 43200, 90m or 12h')
    .default('12h')
    .transform(durationSeconds),
  /** How far in the future a token's `iat` may lie (the issuer's clock ahead of ours), seconds. */
  AUTH_CLOCK_SKEW: z.coerce.number().int().min(0).max(600).default(60),
  /** The service calendar: "today" for ages, "not in the future" checks and as-of defaults. */
  SERVICE_TIMEZONE: z
    .string()
    .default(DEFAULT_SERVICE_TIMEZONE)
    .refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai'),

  // ---- Hidden stays hidden (issue 7 §2): uniqueness checks are not an oracle ----
  /**
   * DUPLICATE_ELSEWHERE refusals a caller may get per hour (counted from the audit log, so across
   * instances); past it, every registration by that caller answers RATE_LIMITED for the hour.
   */
  DUPLICATE_ELSEWHERE_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(10),
  /** Days a village notice (村公示) of a procedure runs before the township audit (issue 12 §4): at least 5. */
  PROCEDURE_NOTICE_DAYS: z.coerce.number().int().min(5).max(60).default(5),
  // Bounded waits and sizes (issue 7 §4): no request waits without limit for a connection, a
  // lock or a statement; WebSocket messages, connections and operations are bounded.
  /** Longest wait for a pooled connection before the request answers SERVICE_UNAVAILABLE. */
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** PostgreSQL statement_timeout of the app's connections (not of migrations and seeding): TIMEOUT past it. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  /** PostgreSQL lock_timeout of the app's connections: TIMEOUT past it. */
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  /** PostgreSQL idle_in_transaction_session_timeout of the app's connections. */
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  /** How long GET /readyz waits for `SELECT 1` before answering 503. */
  READY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** Open WebSocket connections one client address may hold; past it the upgrade is refused (429). */
  WS_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Operations (queries, subscriptions) one WebSocket connection may run at once; past it an operation answers TOO_MANY_OPERATIONS. */
  WS_MAX_OPERATIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(10_000).default(50),
  // --- Audit chain that cannot be rolled back (issue 7 §6) ---
  /** The server's own connection, as a member of household_graph_app (INSERT/SELECT only on audit records). Secret. Without it (and with DATABASE_URL), the pool connects with DATABASE_URL and switches to that role. */
  APP_DATABASE_URL: z.string().url().optional(),
  /** HMAC-SHA256 key that signs audit checkpoints. Secret. Without it a key is generated in DATA_DIR. */
  AUDIT_CHECKPOINT_KEY: z.string().min(32).optional(),
  /** Append-only JSON-lines file of signed audit checkpoints; default DATA_DIR/audit-checkpoints.jsonl. */
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  // --- Change events (issue 8 §2) ---
  /** Days change events are kept; older ones are pruned hourly (the audit log keeps the record for ever). */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  /** 帮扶责任人 load: a cadre paired with more current households than this is listed by `overloadedCadres` (its default). */
  PAIRING_MAX_HOUSEHOLDS: z.coerce.number().int().min(1).max(1000).default(10),
  // Stopping and restarting (issue 7 §5).
  /** On SIGTERM/SIGINT: how long requests and WebSocket operations in progress may take to finish before they are cut. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Bearer token a Prometheus scraper sends to GET /metrics. Secret. Without it /metrics answers loopback callers only. */
  METRICS_TOKEN: z.string().min(16).optional(),
  // Browser frontends (issue 10 §2).
  /**
   * Origins (scheme://host[:port], comma-separated) whose browser pages may call the API across
   * origins. None by default; no wildcard: each departmental frontend is named.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isOrigin, 'an origin such as https://dibao.example.gov.cn (scheme, host and port only; no path, no wildcard)'))),
  // Approved aggregates (issue 9 §4).
  /** Disclosure threshold of published aggregates: counts from 1 to this − 1 are suppressed (with complementary suppression). */
  DISCLOSURE_MIN_CELL: z.coerce.number().int().min(2).max(1000).default(10),
  /** Hours between scheduled releases of the approved catalog from the current data; 0: only on approval and on demand. */
  AGGREGATE_REFRESH_HOURS: z.coerce.number().min(0).max(720).default(24),
  // Bulk imports (issue 8 §3, §6): past a limit a batch is refused whole, with a typed error.
  /** Largest CSV body POST /imports accepts, bytes (413 BODY_TOO_LARGE past it). */
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
  /** Most data rows in one import batch (TOO_MANY_ROWS past it). */
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(50_000_000).default(2_000_000),
  /** Most rows in one GraphQL importBatch call (small JSON batches; larger ones go through POST /imports). */
  IMPORT_MAX_JSON_ROWS: z.coerce.number().int().min(1).max(100_000).default(5000),
  /** statement_timeout of an import's own statements (its COPY runs as long as the upload). */
  IMPORT_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
  // Third parties' API keys (issue 9 §3).
  /** Requests per minute of an API key created without a rate of its own; counted per server instance. */
  API_KEY_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /**
   * How long a server instance trusts an API key it has looked up, ms: a revocation or rotation
   * takes effect at once on the instance that made it and within this time on the others.
   */
  API_KEY_CACHE_MS: z.coerce.number().int().min(0).max(10_000).default(2000),
});

/** An exact web origin: http(s)://host[:port], nothing after it. */
function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}

function durationSeconds(text: string): number {
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[text.slice(-1)] ?? 1;
  return Number.parseInt(text, 10) * unit;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The embedded demo: no DATABASE_URL and no configured key, so the server signs with its own dev
 * key in DATA_DIR. Only then are demo tokens minted (printed, pre-filled in the explorer for a
 * loopback caller), the demo seeded by default, and the server bound to 127.0.0.1 by default.
 * With a database or a key of its own, a deployment is never handed a token.
 */
export function isEmbeddedDemo(config: Pick<z.input<typeof schema>, 'DATABASE_URL' | 'AUTH_JWT_SECRET' | 'AUTH_PUBLIC_KEY' | 'AUTH_JWKS_URL'>): boolean {
  return !config.DATABASE_URL && !config.AUTH_JWT_SECRET && !config.AUTH_PUBLIC_KEY && !config.AUTH_JWKS_URL;
}

// Defaults that follow the mode.
const withModeDefaults = schema.transform((c) => {
  const demo = isEmbeddedDemo(c);
  return { ...c, HOST: c.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'), SEED: c.SEED ?? (demo ? 'demo' : 'none') };
});

export type Config = z.infer<typeof withModeDefaults>;
const SECRETS: ReadonlyArray<keyof Config> = ['DATABASE_URL', 'AUTH_JWT_SECRET', 'APP_DATABASE_URL', 'AUDIT_CHECKPOINT_KEY', 'METRICS_TOKEN'];

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = withModeDefaults.safeParse(env);
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

/** The bounded-wait settings of a config, in the shape core/db-limits.ts and the server take. */
/** What createServer takes from the config: query limits, the service calendar, bounded waits. */
export function serverSettings(config: Config): { limits: QueryLimits; calendar: ServiceCalendar; waits: WaitLimits } {
  return { limits: queryLimits(config), calendar: new ServiceCalendar(config.SERVICE_TIMEZONE), waits: waitLimits(config) };
}

export function waitLimits(config: Config): WaitLimits {
  return {
    acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    readyTimeoutMs: config.READY_TIMEOUT_MS,
    wsMaxConnectionsPerIp: config.WS_MAX_CONNECTIONS_PER_IP,
    wsMaxOperationsPerConnection: config.WS_MAX_OPERATIONS_PER_CONNECTION,
  };
}
