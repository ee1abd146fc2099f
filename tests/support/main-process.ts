import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { removePlacedCluster } from '../../src/core/embedded-postgres';

// `npm start` as a child process (src/main.ts through ts-node, as `npm run token` runs), for the
// tests that check what the server prints and serves as a whole. Each gets its own data
// directory under .data/ (readable by the `postgres` user when the tests run as root, which a
// mode-0700 temp dir is not) and the ports the caller names; stop() leaves no process behind.

export const REPO = path.resolve(__dirname, '../..');

/** A port the system has just handed out and taken back: free now (a fixed port collided with parallel runs). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The environment of a child: this one's, without any database or key the test run was given. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(DATABASE_URL|TEST_|AUTH_|SEED$|HOST$|PORT$|DATA_DIR$|EMBEDDED_PG_PORT$)/.test(key)) delete env[key];
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

/** A fresh data directory under .data/ (removed by `removeDataDir`). */
export function makeDataDir(label: string): string {
  const base = path.join(REPO, '.data');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, `${label}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export function removeDataDir(dir: string): void {
  removePlacedCluster(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface MainProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts src/main.ts with `env` and resolves once it says it is ready (rejects if it exits first). */
export async function startMain(env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<MainProcess> {
  // Niced, with its PostgreSQL: it shares the machine with the test workers, whose timeouts matter more.
  const child = spawn('nice', ['-n', '10', process.execPath, '-r', 'ts-node/register/transpile-only', 'src/main.ts'], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') {
      // Its whole process group (the embedded PostgreSQL included), then any postmaster left.
      try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* gone */ }
      await exited;
    }
    const pidFile = env.DATA_DIR ? path.join(env.DATA_DIR, 'pg', 'postmaster.pid') : null;
    if (pidFile && fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  };
  const ready = new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (out.includes('Household Graph is ready')) {
        clearInterval(poll);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`src/main.ts exited (${code}) before it was ready:\n${err}\n${out}`));
    });
    setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`src/main.ts was not ready within ${timeoutMs} ms:\n${err}\n${out}`));
    }, timeoutMs).unref();
  });
  try {
    await ready;
  } catch (e) {
    await stop();
    throw e;
  }
  return { child, stdout: () => out, stderr: () => err, stop };
}
