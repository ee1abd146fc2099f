import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { dataDirSecret } from './data-dir-secret';
import { type Config, waitLimits } from './config';
import { poolOptions } from './db-limits';

// The database role the server runs as (应用数据库角色). Migrations run as the owner of the
// tables; the pool that serves requests runs as a member of `household_graph_app` (created by
// migrations/1795700000000-RestrictAppRole.ts), which may only INSERT and SELECT audit records
// and may only move the chain head forward. So a request path that is turned against the
// database — an injection, a stolen pool connection — cannot rewrite, delete or truncate the
// audit log, nor disable its triggers.
//
//  - embedded PostgreSQL: a LOGIN role `household_graph_runtime`, member of the group, with a
//    password generated once in DATA_DIR (`app-db-password`, mode 0600);
//  - APP_DATABASE_URL: that login (it must not be allowed to rewrite audit_record);
//  - DATABASE_URL alone: the same login as migrations, switched to the group role for each
//    pooled connection at connection start (`-c role=…`). A session can undo SET ROLE, so a
//    separate login (APP_DATABASE_URL) is the stronger setup.

/** The NOLOGIN group role the migrations grant to. */
export const APP_ROLE = 'household_graph_app';
/** The LOGIN role the embedded mode (and the tests) connect as. */
export const APP_LOGIN = 'household_graph_runtime';

/** How the server's pool connects. */
export interface RuntimeConnection {
  url: string;
  /** Switch every pooled connection to APP_ROLE at connection start. */
  setRole: boolean;
}

// Another database's setup may create or alter the same cluster-wide role at the same moment.
const CONCURRENT = new Set(['42710', '23505', 'XX000', '40001', '40P01']);

/**
 * Creates (or refreshes) the login role `login` with `password`, a member of APP_ROLE and
 * nothing more, and returns `ownerUrl` with that login in place of the owner. Runs as the
 * owner, after the migrations (which create APP_ROLE). Idempotent; tolerates a concurrent run.
 */
export async function ensureAppLogin(ownerUrl: string, password: string, login: string = APP_LOGIN): Promise<string> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const exists = await client.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [login]);
        if (!exists.rowCount) await client.query(`CREATE ROLE ${client.escapeIdentifier(login)} LOGIN`);
        await client.query(
          `ALTER ROLE ${client.escapeIdentifier(login)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD ${client.escapeLiteral(password)}`,
        );
        const member = await client.query<{ yes: boolean }>('SELECT pg_has_role($1, $2, $3) AS yes', [login, APP_ROLE, 'MEMBER']);
        if (!member.rows[0].yes) await client.query(`GRANT ${client.escapeIdentifier(APP_ROLE)} TO ${client.escapeIdentifier(login)}`);
        break;
      } catch (err) {
        if (attempt >= 5 || !CONCURRENT.has((err as { code?: string }).code ?? '')) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(login);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** The embedded mode's login password: kept in DATA_DIR, generated on first use. */
export function appLoginPassword(dataDir: string): string {
  return dataDirSecret(dataDir, 'app-db-password', () => randomBytes(24).toString('base64url'));
}

/** Chooses the server's connection (see the top of this file). `ownerUrl`: what migrations ran with. */
export async function runtimeConnection(
  config: { DATABASE_URL?: string; APP_DATABASE_URL?: string; DATA_DIR: string },
  ownerUrl: string,
): Promise<RuntimeConnection> {
  if (config.APP_DATABASE_URL) return { url: config.APP_DATABASE_URL, setRole: false };
  if (config.DATABASE_URL) return { url: ownerUrl, setRole: true };
  return { url: await ensureAppLogin(ownerUrl, appLoginPassword(config.DATA_DIR)), setRole: false };
}

/**
 * (Re)connects the one DataSource for serving: as `runtime`, keeping its other pool options and
 * adding `poolExtra` (the bounded waits, core/db-limits.ts: one re-initialisation for both), and
 * refuses to go on when that role could still rewrite the audit log (an owner or a superuser in
 * APP_DATABASE_URL, a missing migration).
 */
export async function connectAsApp(dataSource: DataSource, runtime: RuntimeConnection, poolExtra: Record<string, unknown> = {}): Promise<void> {
  if (dataSource.isInitialized) await dataSource.destroy();
  const extra = { ...((dataSource.options.extra as Record<string, unknown> | undefined) ?? {}), ...poolExtra };
  if (runtime.setRole) extra.options = [extra.options, `-c role=${APP_ROLE}`].filter(Boolean).join(' ');
  dataSource.setOptions({ url: runtime.url, extra });
  await dataSource.initialize();
  const [role]: Array<{ user: string; rewrite: boolean }> = await dataSource.query(
    `SELECT current_user AS "user",
            has_table_privilege('audit_record', 'UPDATE') OR has_table_privilege('audit_record', 'DELETE')
              OR has_table_privilege('audit_record', 'TRUNCATE') OR pg_has_role((SELECT tableowner FROM pg_tables WHERE tablename = 'audit_record' AND schemaname = 'public'), 'MEMBER') AS rewrite`,
  );
  if (role.rewrite) {
    await dataSource.destroy();
    throw new Error(
      `the server's database role "${role.user}" may rewrite the audit log (it owns audit_record or may UPDATE, DELETE or TRUNCATE it): connect as a member of ${APP_ROLE} (APP_DATABASE_URL)`,
    );
  }
}

/**
 * The DataSource as requests use it, once migrations and seeds ran as the owner (`ownerUrl`)
 * without timeouts: the app's role (above) and the bounded waits, in one re-initialisation.
 * `npm start` and the bench's app server both serve through this.
 */
export async function connectForServing(dataSource: DataSource, config: Config, ownerUrl: string): Promise<void> {
  await connectAsApp(dataSource, await runtimeConnection(config, ownerUrl), poolOptions(waitLimits(config)));
}
