/** Stops the embedded server the run started (no-op with DATABASE_URL). */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __testServer?: { stop(): Promise<void> } }).__testServer;
  await server?.stop();
}
