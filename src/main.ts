import 'reflect-metadata';
import { dataSource } from '../ormconfig';
import { seedDatabase, isSeeded } from '../seeds';
import { issueToken, Role, TokenVerifier } from './core/auth';
import { describeConfig, loadConfig, queryLimits, Config } from './core/config';
import { connectAndMigrate, startDatabase } from './core/database';
import { createLogger } from './core/logger';
import { createServer } from './core/server';
import { listen } from './core/listen';
import { Shutdown } from './core/shutdown';
import { Department } from './core/vocab';

/**
 * `npm start`: PostgreSQL (DATABASE_URL, or an embedded server in DATA_DIR), migrations, the
 * demo seed on first boot, then the API on PORT.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  logger.info({ config: describeConfig(config) }, 'starting');
  // Each step below registers how it is undone; a signal at any point stops what has started.
  shutdown = new Shutdown(logger, config.SHUTDOWN_GRACE_MS);
  shutdown.installSignalHandlers();

  const database = await startDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    port: config.EMBEDDED_PG_PORT,
    ownProcessGroup: true,
    log: (msg) => logger.warn(msg),
  });
  shutdown.add('embedded PostgreSQL', () => database.stop());
  if (!config.DATABASE_URL) logger.info({ dataDir: config.DATA_DIR }, 'embedded PostgreSQL started');
  shutdown.add('database pool', async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });
  await connectAndMigrate(dataSource, database.url);

  if (config.SEED !== 'none' && !(await isSeeded(database.url))) {
    logger.info({ scale: config.SEED }, 'empty database: loading seed data (first boot only)');
    const started = Date.now();
    const summary = await seedDatabase(database.url, config.SEED);
    logger.info({ seconds: (Date.now() - started) / 1000, summary }, 'seed data loaded');
  }

  const verifier = await TokenVerifier.create(config);
  const tokens = await demoTokens(config);
  const server = await createServer({
    dataSource,
    verifier,
    config,
    logger,
    limits: queryLimits(config),
    explorerHeaders: tokens ? JSON.stringify({ Authorization: `Bearer ${tokens.find((t) => t.label === 'coordinator')?.token}` }, null, 2) : undefined,
  });
  shutdown.add('server', () => server.close());
  await listen(server.httpServer, config.PORT, config.HOST);
  const url = `http://localhost:${config.PORT}/graphql`;
  logger.info({ url }, 'listening');
  process.stdout.write(`\nHousehold Graph is ready: ${url}  (open it in a browser for the explorer)\n`);
  if (tokens) {
    process.stdout.write(`\nDemo bearer tokens (12 h, scope ${DEMO_COUNTY}); send as "Authorization: Bearer <token>":\n`);
    for (const t of tokens) process.stdout.write(`  ${t.label.padEnd(28)} ${t.token}\n`);
    process.stdout.write('\n');
  }
}

/** Undoes startup in reverse, on a signal or when startup fails (core/shutdown.ts). */
let shutdown: Shutdown | undefined;

/** The demo county seeded by `SEED=demo`: 麻阳苗族自治县 (Huaihua, Hunan). */
const DEMO_COUNTY = '431226';

/**
 * One ready-to-paste token per role (and per department for officers), scoped to the demo
 * county, signed with the dev key. None when a real identity provider is configured.
 */
async function demoTokens(config: Config): Promise<Array<{ label: string; token: string }> | null> {
  if (config.AUTH_PUBLIC_KEY || config.AUTH_JWKS_URL) return null;
  const claims: Array<{ label: string; role: Role; department?: Department }> = [
    ...Object.values(Department).map((department) => ({ label: `officer (${department})`, role: Role.OFFICER, department })),
    { label: 'coordinator', role: Role.COORDINATOR },
    { label: 'analyst', role: Role.ANALYST },
    { label: 'auditor', role: Role.AUDITOR },
    { label: 'admin', role: Role.ADMIN },
  ];
  return Promise.all(
    claims.map(async (c) => ({
      label: c.label,
      token: await issueToken(config, { sub: `demo-${c.department ?? c.role}`, role: c.role, department: c.department, scope: DEMO_COUNTY }),
    })),
  );
}

main().catch(async (err) => {
  // A signal during startup stops what had started; what then fails is not worth a sentence.
  if (shutdown?.stopping) return;
  process.stderr.write(`Household Graph failed to start: ${err instanceof Error && err.message ? err.message : String(err)}\n`);
  // Stop what did start (the embedded PostgreSQL above all), then exit non-zero.
  if (shutdown) await shutdown.run('failed to start', 1);
  process.exit(1);
});
