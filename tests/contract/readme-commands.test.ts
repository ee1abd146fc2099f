import { spawnSync } from 'node:child_process';
import iconv from 'iconv-lite';
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, freePort, makeDataDir, removeDataDir, REPO, startMain, type MainProcess } from '../support/main-process';

// Every shell block of the README is either run here or named below with where it is covered,
// so a README command that crashes (`npm run token` did, and its recipe then sent an empty
// token) fails a test. The quick start's server is started as `npm start` starts it (src/main.ts
// in the embedded demo: embedded PostgreSQL in a fresh DATA_DIR, migrations, seed) on this
// file's ports, and the recipes run against it.

// Ports the system hands out when the file starts: fixed ones collided with parallel runs.
let HTTP_PORT = 0;
let PG_PORT = 0;

const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(?:sh|bash|shell|console)\n([\s\S]*?)```/g)].map((m) => m[1].trim());

/** Blocks run elsewhere, and why that is enough. */
const COVERED_ELSEWHERE: Record<string, string> = {
  'npm ci && npm start\nnpm test':
    '`npm ci` is the install step CI runs before anything; `npm start` is `npm run build` (tsc, which `npm run typecheck` checks) then src/main.ts, whose start path this file runs; `npm test` is the suite this file belongs to',
  'npm run release':
    'tests/e2e/release.test.ts runs scripts/release.ts (what `npm run release` runs), unpacks the archive, starts it without npm or a registry, asks a demo token\'s query and starts it again on the same DATA_DIR',
  'npm run readme:columns':
    'tests/contract/import-spec.test.ts runs the same script in its check mode (`-- --check`) and compares the README\'s tables with the declarations; run here, it would rewrite the README under test',
};

/** Blocks this file runs (by a line they contain). */
const isImportRecipe = (block: string) => block.includes('npm run -s token') && block.includes('/imports/');
const isExportRecipe = (block: string) => block.includes('npm run -s token') && block.includes('/exports/') && !isImportRecipe(block);
const isReportRecipe = (block: string) => block.includes('npm run -s token') && block.includes('/reports/');
const isApiKeyRecipe = (block: string) => block.includes('npm run -s token') && block.includes('createApiKey');
const isCurlRecipe = (block: string) =>
  block.includes('npm run -s token') && block.includes('curl') && !isExportRecipe(block) && !isImportRecipe(block) && !isReportRecipe(block) && !isApiKeyRecipe(block);

/** Runs a README block in bash against the server of this file. */
function runBlock(block: string, env: NodeJS.ProcessEnv) {
  const script = block.replace(/localhost:4000/g, `localhost:${HTTP_PORT}`);
  return spawnSync('nice', ['-n', '10', 'bash', '-c', script], { cwd: REPO, env, encoding: 'utf8', timeout: 45_000 });
}

/** The same, with stdout as bytes (a GBK export). */
function runBlockBytes(block: string, env: NodeJS.ProcessEnv) {
  const script = block.replace(/localhost:4000/g, `localhost:${HTTP_PORT}`);
  return spawnSync('nice', ['-n', '10', 'bash', '-c', script], { cwd: REPO, env, timeout: 45_000 });
}

describe('README shell commands', () => {
  let dataDir: string;
  let main: MainProcess | undefined;
  const demoEnv = () => cleanEnv({ DATA_DIR: dataDir, PORT: String(HTTP_PORT), EMBEDDED_PG_PORT: String(PG_PORT), SEED: 'test' });

  beforeAll(async () => {
    HTTP_PORT = await freePort();
    PG_PORT = await freePort();
    dataDir = makeDataDir('readme-commands');
    main = await startMain(demoEnv());
  }, 120_000);
  afterAll(async () => {
    await main?.stop();
    if (dataDir) removeDataDir(dataDir);
  }, 60_000);

  it('runs or accounts for every shell block', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const unaccounted = blocks.filter((b) => !(b in COVERED_ELSEWHERE) && !isCurlRecipe(b) && !isExportRecipe(b) && !isImportRecipe(b) && !isReportRecipe(b) && !isApiKeyRecipe(b));
    expect(unaccounted).toEqual([]);
    expect(blocks.filter(isCurlRecipe)).toHaveLength(1);
    expect(blocks.filter(isExportRecipe)).toHaveLength(1);
    expect(blocks.filter(isApiKeyRecipe)).toHaveLength(1);
  });

  it('quick start: the embedded demo serves on loopback and prints demo tokens', async () => {
    const health = await fetch(`http://127.0.0.1:${HTTP_PORT}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    expect(main?.stdout()).toMatch(/coordinator\s+eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    // On this machine the explorer is pre-filled with the coordinator's demo token.
    const page = await (await fetch(`http://127.0.0.1:${HTTP_PORT}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(page).toMatch(/Bearer eyJ/);
  });

  it('the curl recipe mints a token and gets an answer', () => {
    const recipe = blocks.find(isCurlRecipe) as string;
    const run = runBlock(recipe, cleanEnv({ DATA_DIR: dataDir }));
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const answer = JSON.parse(run.stdout);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.region.name).toBeTruthy();
    expect(answer.data.region.summary.householdsByStatus.length).toBeGreaterThan(0);
  });

  it('the export recipe mints a health officer\'s token and gets the county\'s insurance enrolments as GBK CSV with Chinese headers', () => {
    const recipe = blocks.find(isExportRecipe) as string;
    const run = runBlockBytes(recipe, cleanEnv({ DATA_DIR: dataDir }));
    expect({ status: run.status, stderr: run.stderr.toString('utf8') }).toEqual({ status: 0, stderr: '' });
    const lines = iconv.decode(run.stdout, 'gb18030').trimEnd().split('\r\n');
    expect(lines[0]).toBe('身份证号,参保年度,险种,个人缴费标准,资助参保金额');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toMatch(/^431226\d{11}[\dX],\d{4},(resident|employee),\d+\.\d{2},\d+\.\d{2}$/);
  });

  it('the report recipe mints an analyst\'s token and gets the township × main-cause report as GBK CSV with both headers', () => {
    const recipe = blocks.find(isReportRecipe) as string;
    const run = runBlockBytes(recipe, cleanEnv({ DATA_DIR: dataDir }));
    expect({ status: run.status, stderr: run.stderr.toString('utf8') }).toEqual({ status: 0, stderr: '' });
    const lines = iconv.decode(run.stdout, 'gbk').trimEnd().split(/\r?\n/);
    expect(lines[0]).toMatch(/township|乡镇/i);
    expect(lines.length).toBeGreaterThan(1);
  });

  it('the API-key recipe: an administrator issues a key, and the third party calls a registered operation by its hash', () => {
    const recipe = blocks.find(isApiKeyRecipe) as string;
    const run = runBlock(recipe, cleanEnv({ DATA_DIR: dataDir }));
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ data: { __typename: 'Query' } });
    // The same recipe with query text in place of the hash is refused (curl -f: a non-zero exit).
    const textRecipe = recipe.replace(/-d '\{"extensions".*\}'$/m, `-d '{"query":"{ households(first: 1) { totalCount } }"}'`);
    expect(textRecipe).not.toBe(recipe);
    const withText = runBlock(textRecipe, cleanEnv({ DATA_DIR: dataDir }));
    expect(withText.status).not.toBe(0);
    expect(withText.stdout).toBe('');
  });

  it('the import recipe posts the export back: every row unchanged, none rejected', () => {
    const recipe = blocks.find(isImportRecipe) as string;
    const run = runBlock(recipe, cleanEnv({ DATA_DIR: dataDir }));
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const { batch } = JSON.parse(run.stdout);
    expect(batch).toMatchObject({ status: 'applied', inserted: 0, updated: 0, rejected: 0 });
    expect(batch.unchanged).toBeGreaterThan(0);
  });

  it('the curl recipe fails loudly, sending nothing, when no token can be minted', () => {
    const recipe = blocks.find(isCurlRecipe) as string;
    // A database and no secret: outside the embedded demo `npm run token` refuses.
    const run = runBlock(recipe, cleanEnv({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }));
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^No token: .*AUTH_JWT_SECRET/);
  });
});
