import 'reflect-metadata';
import { dataSource } from '../ormconfig';
import { seedDatabase, isSeeded } from '../seeds';
import { TokenVerifier } from './core/auth';
import { describeConfig, loadConfig, serverSettings } from './core/config';
import { connectAndMigrate, startDatabase } from './core/database';
import { connectForServing } from './core/app-role';
import { Db } from './core/db';
import { startAuditCheckpoints } from './modules/audit';
import { listenerConnection, startEventRetention } from './modules/events';
import { startCoordinationWorker } from './modules/coordination';
import { DEMO_COUNTY, demoTokens, demoTokenSeconds } from './core/demo';
import { createLogger } from './core/logger';
import { createServer } from './core/server';
import { Metrics } from './core/observability';
import { setProcedureNoticeDays } from './modules/procedures';
import { setDuplicateElsewhereLimit } from './modules/registry';
import { setDisclosureMinCell, startAggregateRefresh } from './modules/aggregates';
import { listen } from './core/listen';
import { Shutdown } from './core/shutdown';

/**
 * `npm start`: PostgreSQL (DATABASE_URL, or an embedded server in DATA_DIR), migrations, the
 * demo seed on first boot, then the API on PORT.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  setDuplicateElsewhereLimit(config.DUPLICATE_ELSEWHERE_PER_HOUR);
  setProcedureNoticeDays(config.PROCEDURE_NOTICE_DAYS);
  setDisclosureMinCell(config.DISCLOSURE_MIN_CELL);
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

  // Migrations and seeds ran as the owner without timeouts; requests run as the app's role
  // (issue 7 §6) with the bounded waits (§4).
  await connectForServing(dataSource, config, database.url);
  const checkpoints = await startAuditCheckpoints(config, new Db(dataSource), logger);
  // Registered after the pool, so it runs before the pool closes: a last checkpoint at shutdown.
  shutdown.add('audit checkpoints', () => checkpoints.stop());
  // Hourly, bounded per run; stopped (a run in progress awaited) before the pool closes.
  const retention = startEventRetention(new Db(dataSource), config, logger);
  shutdown.add('change-event retention', () => retention.stop());
  // Coordination gaps follow the change events (a full recompute on a database's first run);
  // stopped (a pass in progress awaited) before the pool closes.
  const coordination = await startCoordinationWorker(dataSource, listenerConnection(dataSource), logger);
  shutdown.add('coordination worker', () => coordination.stop());
  // Releases of the approved-aggregate catalog from the current data; stopped (a run in progress
  // awaited) before the pool closes.
  const aggregateRefresh = startAggregateRefresh(new Db(dataSource), config, logger);
  shutdown.add('approved-aggregate refresh', () => aggregateRefresh.stop());

  const verifier = await TokenVerifier.create(config);
  const tokens = await demoTokens(config);
  const server = await createServer({
    dataSource,
    verifier,
    config,
    logger,
    ...serverSettings(config),
    metrics: new Metrics(dataSource),
    explorerHeaders: tokens ? JSON.stringify({ Authorization: `Bearer ${tokens.find((t) => t.label === 'coordinator')?.token}` }, null, 2) : undefined,
  });
  shutdown.add('server', () => server.close());
  // Runs first on a signal: checkpoint the audit chain while the pool surely works (again after the drain, above).
  shutdown.add('audit checkpoint before the drain', () => checkpoints.stop());
  await listen(server.httpServer, config.PORT, config.HOST);
  const url = `http://localhost:${config.PORT}/graphql`;
  logger.info({ url }, 'listening');
  process.stdout.write(`\nHousehold Graph is ready: ${url}  (open it in a browser for the explorer)\n`);
  if (tokens) {
    process.stdout.write(`\nDemo bearer tokens (${demoTokenSeconds(config) / 3600} h, scope ${DEMO_COUNTY}); send as "Authorization: Bearer <token>":\n`);
    for (const t of tokens) process.stdout.write(`  ${t.label.padEnd(28)} ${t.token}\n`);
    process.stdout.write('\n');
  } else {
    // Outside the embedded demo nobody is handed a token (config.isEmbeddedDemo).
    process.stdout.write('Bearer tokens come from your identity provider, or from `npm run token` for the holder of AUTH_JWT_SECRET.\n');
  }
}

/** Undoes startup in reverse, on a signal or when startup fails (core/shutdown.ts). */
let shutdown: Shutdown | undefined;

main().catch(async (err) => {
  // A signal during startup stops what had started; what then fails is not worth a sentence.
  if (shutdown?.stopping) return;
  process.stderr.write(`Household Graph failed to start: ${err instanceof Error && err.message ? err.message : String(err)}\n`);
  // Stop what did start (the embedded PostgreSQL above all), then exit non-zero.
  if (shutdown) await shutdown.run('failed to start', 1);
  process.exit(1);
});
