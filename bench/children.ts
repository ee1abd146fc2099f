import { fork, ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { CpuUsage } from './cpu';

export interface ServerChild {
  name: string;
  port: number;
  baseUrl: string;
  /** The child's process id (bench:import reads its RSS). */
  pid: number;
  /** Graceful: SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** At once (on Ctrl-C: the bench's embedded PostgreSQL is going down anyway). */
  kill(): void;
  /** The child's own process.cpuUsage(), asked over IPC (bench/cpu.ts). */
  cpuUsage(): Promise<CpuUsage>;
}

/**
 * Starts one of the bench servers (`app-server` or `baseline-server`) in a child process, so
 * that autocannon (in this process) does not compete with it for the same event loop.
 * Under ts-node the child runs the .ts file with ts-node's transpile-only hook.
 */
export function startServerChild(name: 'app-server' | 'baseline-server', env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<ServerChild> {
  const underTsNode = path.extname(__filename) === '.ts';
  const file = path.join(__dirname, `${name}${underTsNode ? '.ts' : '.js'}`);
  const child = fork(file, [], {
    env: { ...process.env, ...env },
    execArgv: underTsNode ? ['-r', 'ts-node/register/transpile-only'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(err);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${name} exited with code ${code} before it was ready`)));
    child.once('message', (msg: { ready?: boolean; port?: number }) => {
      if (!msg.ready || !msg.port) return fail(new Error(`${name} sent an unexpected message`));
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        name, port: msg.port, baseUrl: `http://127.0.0.1:${msg.port}`, pid: child.pid ?? 0,
        stop: () => stopChild(child), kill: () => child.kill('SIGKILL'), cpuUsage: () => askCpuUsage(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function askCpuUsage(child: ChildProcess): Promise<CpuUsage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('the server child did not report its CPU usage within 5 s'));
    }, 5000);
    const onMessage = (msg: { cpuUsage?: CpuUsage }) => {
      if (!msg?.cpuUsage) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(msg.cpuUsage);
    };
    child.on('message', onMessage);
    child.send({ cpuUsage: true });
  });
}
