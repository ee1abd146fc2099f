import 'reflect-metadata';
import { dataSource } from '../ormconfig';
import { TokenVerifier } from '../src/core/auth';
import { connectForServing } from '../src/core/app-role';
import { loadConfig, serverSettings } from '../src/core/config';
import { createLogger } from '../src/core/logger';
import { createServer } from '../src/core/server';
import { answerCpuUsage } from './cpu';

/**
 * The real app, wired as src/main.ts wires it, for the bench: run as a child process by
 * bench/run.ts with DATABASE_URL (already migrated and seeded), AUTH_JWT_SECRET,
 * EXPOSE_SQL_COUNT=true and PG_POOL_SIZE in its environment. Reports its port over IPC.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const url = config.DATABASE_URL as string;
  dataSource.setOptions({ url });
  // As the served app runs: as the restricted role, with the bounded waits.
  await connectForServing(dataSource, config, url);
  const verifier = await TokenVerifier.create(config);
  const server = await createServer({ dataSource, verifier, config, logger, ...serverSettings(config) });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const address = server.httpServer.address();
  answerCpuUsage();
  process.send?.({ ready: true, port: typeof address === 'object' && address ? address.port : 0 });
  const stop = async () => {
    await server.close();
    await dataSource.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`bench app server failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
