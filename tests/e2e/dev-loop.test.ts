import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, freePort, REPO } from '../support/main-process';

// The developer's loop (issue 10 §4): `npm run dev` serves from the sources and restarts when
// one changes, and `npm start` on an unchanged tree does not compile again (an incremental
// build whose record lives in dist/, so a removed dist/ builds whole).

const scripts = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).scripts as Record<string, string>;

describe('npm run dev', () => {
  it('serves, and restarts when a source file changes', async () => {
    const port = await freePort();
    // The script exactly as package.json has it, against the test database (no embedded PostgreSQL, no seed).
    const child = spawn('bash', ['-c', `exec ${scripts.dev}`], {
      cwd: REPO,
      env: cleanEnv({ DATABASE_URL: process.env.TEST_DATABASE_URL!, APP_DATABASE_URL: process.env.TEST_APP_DATABASE_URL!, PORT: String(port), LOG_LEVEL: 'info', AUTH_JWT_SECRET: 'dev-loop-test-secret-0123456789abcdef' }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const listening = () => out.split('\n').filter((l) => l.includes('"msg":"listening"')).length;
    const waitFor = async (what: () => boolean, ms: number) => {
      const until = Date.now() + ms;
      while (!what()) {
        if (Date.now() > until) throw new Error(`timed out; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    // A touched source file is a change the watcher sees; its content stays, so a build running
    // beside this test (release, lifecycle) compiles the same tree.
    const touched = path.join(REPO, 'src', 'core', 'vocab.ts');
    try {
      await waitFor(() => listening() === 1, 60_000);
      const ask = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
      expect(await ask()).toBe(200);
      const now = new Date();
      fs.utimesSync(touched, now, now);
      await waitFor(() => listening() === 2, 60_000);
      expect(out).toContain("Restarting 'src/main.ts'");
      expect(await ask()).toBe(200);
    } finally {
      try { process.kill(-(child.pid as number), 'SIGTERM'); } catch { /* gone */ }
      await new Promise((r) => child.once('exit', r));
    }
  }, 150_000);
});

describe('npm start on an unchanged tree', () => {
  it('builds incrementally: a second build writes no file', () => {
    const outDir = fs.mkdtempSync(path.join(REPO, '.data-build-'));
    const info = path.join(outDir, '.tsbuildinfo');
    const build = () => spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir, '--tsBuildInfoFile', info], { cwd: REPO, encoding: 'utf8' });
    const mtimes = () => {
      const files = fs.readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.js'));
      return new Map(files.map((e) => [path.join(e.parentPath, e.name), fs.statSync(path.join(e.parentPath, e.name)).mtimeMs]));
    };
    try {
      expect(build().status).toBe(0);
      const first = mtimes();
      expect(first.size).toBeGreaterThan(50);
      expect(build().status).toBe(0);
      expect(mtimes()).toEqual(first);
      // And the build `npm start` runs is this one, with its record in dist/.
      const config = JSON.parse(fs.readFileSync(path.join(REPO, 'tsconfig.build.json'), 'utf8'));
      expect(config.compilerOptions).toMatchObject({ incremental: true, tsBuildInfoFile: 'dist/.tsbuildinfo' });
      expect(scripts.start).toMatch(/^npm run build && /);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
