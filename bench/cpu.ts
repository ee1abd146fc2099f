import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Client } from 'pg';

// CPU per request, beside the ratios (issue 11). Node: the server child's own
// process.cpuUsage() (user + system, all its threads), asked over IPC before and after a timed
// run. PostgreSQL: utime + stime from /proc/<pid>/stat of the backends connected to the bench
// database (pids from pg_stat_activity), before and after, so other databases on a shared
// server do not count. That reading needs PostgreSQL on this machine; for a remote server the
// figure is left out (shown as –), never guessed.

/** Microseconds of CPU (user + system) as process.cpuUsage() reports them. */
export interface CpuUsage {
  user: number;
  system: number;
}

/** CPU milliseconds spent between two process.cpuUsage() readings. */
export const cpuMsBetween = (before: CpuUsage, after: CpuUsage) => (after.user - before.user + after.system - before.system) / 1000;

/** Installed in a server child: answers `{ cpuUsage: true }` over IPC with process.cpuUsage(). */
export function answerCpuUsage(): void {
  process.on('message', (msg: { cpuUsage?: boolean }) => {
    if (msg?.cpuUsage) process.send?.({ cpuUsage: process.cpuUsage() });
  });
}

let clockTicks: number | undefined;
/** Clock ticks per second of /proc's utime and stime (USER_HZ; 100 on Linux nearly always). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime + stime of a process in milliseconds, or null when it is not a PostgreSQL process here. */
function processCpuMs(pid: number): number | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  if (!comm.startsWith('postgres')) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5) (utime, stime) are at 11 and 12 once pid and comm are gone.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
}

/** Reads the CPU of the bench database's backends; `null` when PostgreSQL is not on this machine. */
export class PostgresCpu {
  private constructor(private readonly client: Client) {}

  /** Null when the server is not on this machine (its backends are not in /proc). */
  static async connect(url: string): Promise<PostgresCpu | null> {
    const client = new Client({ connectionString: url, application_name: 'bench-cpu' });
    await client.connect();
    const probe = new PostgresCpu(client);
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    if (processCpuMs(rows[0].pid) === null) {
      await client.end();
      return null;
    }
    return probe;
  }

  /** CPU milliseconds so far of every backend connected to this database, by pid. */
  async sample(): Promise<Map<number, number>> {
    const { rows } = await this.client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processCpuMs(pid);
      if (ms !== null) out.set(pid, ms);
    }
    return out;
  }

  /**
   * CPU milliseconds the backends spent between two samples. A backend that started in between
   * counts whole; one that ended in between is lost (the servers' pools keep theirs open).
   */
  static spent(before: Map<number, number>, after: Map<number, number>): number {
    let ms = 0;
    for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
    return ms;
  }

  end(): Promise<void> {
    return this.client.end();
  }
}

/** `SHOW server_version` of the server at `url`. */
export async function serverVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}
