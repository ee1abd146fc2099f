import { removePlacedCluster } from '../../src/core/embedded-postgres';
import { TEST_DATA_DIR } from './test-database';

/**
 * Stops the embedded server the run started (no-op with DATABASE_URL). A cluster placed outside
 * the checkout (as root under a mode-0700 directory) is removed too: it would outlive the clone.
 */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __testServer?: { stop(): Promise<void> } }).__testServer;
  await server?.stop();
  if (server && !process.env.DATABASE_URL) removePlacedCluster(TEST_DATA_DIR);
}
