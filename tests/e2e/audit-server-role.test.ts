import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { trustedCheckpoint } from '../../src/modules/audit/audit-checkpoint';
import { bearer, TEST_AUTH } from '../support/app';
import { recreateDatabase, TEST_DB_NAME } from '../support/test-database';

// The real server (`src/main.ts` in a child process, on the test PostgreSQL server with
// DATABASE_URL): it migrates as the owner, serves as household_graph_app and checkpoints the
// audit chain at boot and at a clean stop. (Refusing a role that could rewrite the log is
// `connectAsApp`'s, tested in audit-rollback.test.ts without the cost of another child.)

const ROOT = path.resolve(__dirname, '../..');
const PORT = Number(process.env.TEST_AUDIT_SERVER_PORT ?? 4152);
const KEY = 'server-test-audit-checkpoint-key-0123456789';
// ts-node compiles the whole server in the child: slow on a busy 2-core machine.
const BOOT_TIMEOUT = 180_000;

interface Server {
  child: ChildProcess;
  lines: Array<Record<string, any>>;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Server {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(PORT), SEED: 'none', LOG_LEVEL: 'info', AUTH_JWT_SECRET: TEST_AUTH.AUTH_JWT_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, any>> = [];
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line.startsWith('{')) lines.push(JSON.parse(line));
    }
  });
  child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, lines, stderr: () => err, exited };
}

async function until(what: string, check: () => boolean, server: Server, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (server.child.exitCode !== null) throw new Error(`server exited (${server.child.exitCode}) before ${what}: ${server.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms: ${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the server and its database role', () => {
  let url: string;
  let dir: string;
  let server: Server | null = null;

  beforeAll(async () => {
    url = await recreateDatabase(process.env.TEST_SERVER_URL as string, `${TEST_DB_NAME}_server`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-audit-server-'));
  });
  afterEach(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    server = null;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrates as the owner, serves as household_graph_app, and checkpoints the chain at boot and at a clean stop', async () => {
    const file = path.join(dir, 'checkpoints.jsonl');
    server = startServer({ DATABASE_URL: url, DATA_DIR: dir, AUDIT_CHECKPOINT_FILE: file, AUDIT_CHECKPOINT_KEY: KEY });
    const s = server;
    await until('listening', () => s.lines.some((l) => l.msg === 'listening'), s);

    const gql = async (query: string, authorization: string) => {
      const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query }) });
      return (await res.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
    };
    const auditor = await bearer({ role: Role.AUDITOR, scope: '99' });
    expect((await gql('{ verifyAuditChain { intact headSeq checkpoint { seq } } }', auditor)).data.verifyAuditChain).toEqual({ intact: true, headSeq: '0', checkpoint: { seq: '0' } });
    // A refused write is audited: the head moves, through the restricted role.
    const refused = await gql('mutation { updateHousehold(id: "1", version: 1, input: { statusReason: "x" }) { id } }', await bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '99' }));
    expect(refused.errors?.[0].extensions?.code).toBeDefined();

    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      expect((await admin.query('SELECT last_seq::int AS n FROM audit_chain_head')).rows[0].n).toBe(1);
      // Everything the server holds open runs as the group role (SET ROLE at connection start): it
      // would have refused to start otherwise; the role exists and owns nothing.
      expect((await admin.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tableowner = 'household_graph_app'`)).rows[0].n).toBe(0);
    } finally {
      await admin.end();
    }

    // A clean stop checkpoints the head it reached. (How the rest of the stop drains is §5's.)
    s.child.kill('SIGTERM');
    const read = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
    await until('a checkpoint at the stop', () => read().length >= 2, s, 30_000).catch((err) => {
      if (s.child.exitCode === null) throw err; // exited: check below what it wrote
    });
    await until('the log line of the last checkpoint', () => s.lines.filter((l) => l.msg === 'audit checkpoint').length >= 2 || s.child.exitCode !== null, s, 10_000).catch(() => undefined);
    const written = read();
    expect(written.map((c) => c.seq)).toEqual(['0', '1']);
    for (const c of written) expect(trustedCheckpoint(Buffer.from(KEY, 'utf8'), c)).not.toBeNull();
    expect(s.lines.filter((l) => l.msg === 'audit checkpoint').map((l) => l.auditCheckpoint)).toEqual(written);
    expect(JSON.stringify(s.lines)).not.toContain(KEY);
  }, BOOT_TIMEOUT);
});
