import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSource } from '../../ormconfig';
import { Role } from '../../src/core/auth';
import { APP_ROLE, connectAsApp, ensureAppLogin } from '../../src/core/app-role';
import { createContext } from '../../src/core/context';
import { connectAndMigrate } from '../../src/core/database';
import { Db } from '../../src/core/db';
import { AuditCheckpointer, AuditCheckpointFile, recordReadAudit, startAuditCheckpoints, useAuditCheckpoints, verifyAuditChain, type AuditEntry } from '../../src/modules/audit';
import { signCheckpoint, trustedCheckpoint } from '../../src/modules/audit/audit-checkpoint';
import { bearer, startApp } from '../support/app';
import { recreateDatabase, TEST_APP_PASSWORD, TEST_DB_NAME } from '../support/test-database';

// Issue 7 §6: the audit chain cannot be rolled back quietly. Each test gets a database of its
// own (the attacks delete and truncate the log, which the shared test database must keep),
// migrated as the owner, with the server connected as the app's restricted role. The admin
// connection is the owner (and a superuser, both with embedded PostgreSQL and DATABASE_URL).

const KEY = Buffer.from('test-audit-checkpoint-key-0123456789abcdef', 'utf8');
const verifyQuery = `{ verifyAuditChain { intact checkedRecords headSeq findings { kind seq lastSeq } checkpoint { seq hash at } rejectedCheckpoints } }`;

describe('audit chain rollback', () => {
  let ownerUrl: string;
  let appUrl: string;
  let admin: Client;
  let app: Awaited<ReturnType<typeof startApp>>;
  let dir: string;
  let store: AuditCheckpointFile;
  let checkpointer: AuditCheckpointer;
  let logged: Array<Record<string, any>>;

  const auditor = () => bearer({ role: Role.AUDITOR, scope: '99', sub: 'rollback-auditor' });
  const entry = (i: number): AuditEntry => ({ action: 'read', entity: 'Person', entityId: String(i), fields: ['idNumber'], purpose: `rollback ${i}`, outcome: 'success', regionCode: '990109001001' });
  /** Appends `n` records through the app's own connection (its restricted role). */
  const append = async (n: number, tag = 'a') =>
    recordReadAudit(createContext(new Db(dataSource), { requestId: `rollback-${tag}`, principal: null }), Array.from({ length: n }, (_, i) => entry(i)));
  const verify = async () => (await app.gql(verifyQuery, {}, { authorization: await auditor() })).data.verifyAuditChain;
  const fileLines = () => (fs.existsSync(store.file) ? fs.readFileSync(store.file, 'utf8').split('\n').filter(Boolean) : []);
  /** Runs statements as the owner inside one transaction, with the named triggers disabled. */
  const asOwner = async (triggers: Array<[table: string, trigger: string]>, statements: string[]) => {
    await admin.query('BEGIN');
    for (const [table, trigger] of triggers) await admin.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
    for (const sql of statements) await admin.query(sql);
    for (const [table, trigger] of triggers) await admin.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
    await admin.query('COMMIT');
  };
  const moveHeadBackTo = (seq: number) =>
    seq === 0
      ? `UPDATE audit_chain_head SET last_seq = 0, last_hash = repeat('0', 64) WHERE id = 1`
      : `UPDATE audit_chain_head SET last_seq = ${seq}, last_hash = (SELECT hash FROM audit_record WHERE seq = ${seq}) WHERE id = 1`;
  const HEAD_TRIGGER: [string, string] = ['audit_chain_head', 'tr_audit_chain_head_forward_only'];

  beforeEach(async () => {
    ownerUrl = await recreateDatabase(process.env.TEST_SERVER_URL as string, `${TEST_DB_NAME}_rollback`);
    await connectAndMigrate(dataSource, ownerUrl);
    await dataSource.destroy();
    appUrl = await ensureAppLogin(ownerUrl, TEST_APP_PASSWORD);
    app = await startApp({ url: appUrl });
    admin = new Client({ connectionString: ownerUrl });
    await admin.connect();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-audit-checkpoints-'));
    store = new AuditCheckpointFile(path.join(dir, 'audit-checkpoints.jsonl'), KEY);
    useAuditCheckpoints(store);
    logged = [];
    checkpointer = new AuditCheckpointer(new Db(dataSource), store, pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) }));
  });
  afterEach(async () => {
    useAuditCheckpoints(null);
    await admin?.end();
    await app?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the app as a role that may only insert and read audit records', async () => {
    await append(3);
    const [who] = await dataSource.query('SELECT current_user AS "user", session_user AS "session"');
    expect(who).toEqual({ user: 'household_graph_runtime', session: 'household_graph_runtime' });
    expect(await verify()).toMatchObject({ intact: true, checkedRecords: 3, headSeq: '3' });

    const denied = /permission denied for table audit_record/;
    await expect(dataSource.query(`UPDATE audit_record SET purpose = 'x' WHERE seq = 3`)).rejects.toThrow(denied);
    await expect(dataSource.query('DELETE FROM audit_record WHERE seq = 3')).rejects.toThrow(denied);
    await expect(dataSource.query('TRUNCATE audit_record')).rejects.toThrow(denied);
    await expect(dataSource.query('ALTER TABLE audit_record DISABLE TRIGGER tr_audit_record_append_only')).rejects.toThrow(/must be owner/);
    // The head: read and moved forward by appends, never back, never removed.
    await expect(dataSource.query(moveHeadBackTo(0))).rejects.toThrow(/only moves forward/);
    await expect(dataSource.query('DELETE FROM audit_chain_head')).rejects.toThrow(/permission denied for table audit_chain_head/);
    await expect(dataSource.query('TRUNCATE audit_chain_head')).rejects.toThrow(/permission denied for table audit_chain_head/);
    await expect(dataSource.query(`INSERT INTO audit_chain_head VALUES (2, 0, repeat('0', 64), now())`)).rejects.toThrow(/permission denied/);
    expect((await admin.query('SELECT count(*)::int AS n FROM audit_record')).rows[0].n).toBe(3);

    // DATABASE_URL without APP_DATABASE_URL: the owner's login, switched to the group role at connection start.
    const switched = new Client({ connectionString: ownerUrl, options: `-c role=${APP_ROLE}` });
    await switched.connect();
    try {
      expect((await switched.query('SELECT current_user AS u')).rows[0].u).toBe(APP_ROLE);
      expect((await switched.query('SELECT count(*)::int AS n FROM audit_record')).rows[0].n).toBe(3);
      await expect(switched.query('DELETE FROM audit_record')).rejects.toThrow(denied);
      await expect(switched.query('TRUNCATE audit_record')).rejects.toThrow(denied);
    } finally {
      await switched.end();
    }

    // The server refuses to serve as a role that could rewrite the log.
    const asOwnerSource = new DataSource({ type: 'postgres', url: ownerUrl, entities: [] });
    await expect(connectAsApp(asOwnerSource, { url: ownerUrl, setRole: false })).rejects.toThrow(/may rewrite the audit log/);
    expect(asOwnerSource.isInitialized).toBe(false);
  });

  it('refuses TRUNCATE of the audit log and its head, even to their owner', async () => {
    await append(2);
    await expect(admin.query('TRUNCATE audit_record')).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
    await expect(admin.query('TRUNCATE audit_chain_head')).rejects.toThrow(/only moves forward \(TRUNCATE refused\)/);
    await expect(admin.query(moveHeadBackTo(1))).rejects.toThrow(/only moves forward \(UPDATE refused\)/);
    expect((await admin.query('SELECT count(*)::int AS n FROM audit_record')).rows[0].n).toBe(2);
    expect(await verify()).toMatchObject({ intact: true, checkedRecords: 2 });
  });

  it('reports the newest records deleted by the owner and the head moved back', async () => {
    await append(10);
    const signed = await checkpointer.checkpoint();
    expect(signed).toMatchObject({ seq: '10' });

    await asOwner([['audit_record', 'tr_audit_record_append_only'], HEAD_TRIGGER], ['DELETE FROM audit_record WHERE seq > 7', moveHeadBackTo(7)]);
    // What the chain alone says (the hole as it was): every remaining record links, up to the head.
    expect(await verifyAuditChain(new Db(dataSource))).toMatchObject({ intact: true, findings: [], headSeq: '7' });

    const report = await verify();
    expect(report).toMatchObject({ intact: false, headSeq: '7', checkpoint: { seq: '10', hash: signed!.hash }, rejectedCheckpoints: 0 });
    expect(report.findings).toEqual([{ kind: 'ROLLED_BACK', seq: '8', lastSeq: '10' }]);

    // A server starting on the rolled-back chain says so in its log, and anchors where it stands.
    const bootLog: Array<Record<string, any>> = [];
    const booted = await startAuditCheckpoints(
      { AUDIT_CHECKPOINT_KEY: KEY.toString('utf8'), AUDIT_CHECKPOINT_FILE: store.file, AUDIT_CHECKPOINT_INTERVAL_MS: 3_600_000, DATA_DIR: dir },
      new Db(dataSource),
      pino({ level: 'info' }, { write: (line: string) => void bootLog.push(JSON.parse(line)) }),
    );
    await booted.stop();
    expect(bootLog.filter((l) => l.level >= 50).map((l) => [l.msg, l.head.seq, l.lastCheckpoint.seq])).toEqual([
      ['audit chain head moved back behind the last checkpoint', '7', '10'],
    ]);
    expect(await verify()).toMatchObject({ checkpoint: { seq: '10' }, findings: [{ kind: 'ROLLED_BACK', seq: '8', lastSeq: '10' }] });

    // The app goes on appending over the cut: the new seq 10 is not the one that was signed.
    await append(5, 'after-cut');
    const later = await verify();
    expect(later).toMatchObject({ intact: false, headSeq: '12' });
    expect(later.findings).toEqual([{ kind: 'CHECKPOINT_MISMATCH', seq: '10', lastSeq: '10' }]);
  });

  it('reports a wiped log: truncated by a superuser past the trigger, with or without the head', async () => {
    await append(5);
    await checkpointer.checkpoint();
    await expect(admin.query('TRUNCATE audit_record')).rejects.toThrow(/TRUNCATE refused/);

    await asOwner([['audit_record', 'tr_audit_record_no_truncate']], ['TRUNCATE audit_record']);
    const headKept = await verify();
    expect(headKept).toMatchObject({ intact: false, checkedRecords: 0, headSeq: '5' });
    expect(headKept.findings).toEqual([{ kind: 'WIPED', seq: '1', lastSeq: '5' }]);

    await asOwner([HEAD_TRIGGER], [moveHeadBackTo(0)]);
    expect(await verifyAuditChain(new Db(dataSource))).toMatchObject({ intact: true, checked: 0, headSeq: '0' });
    const headReset = await verify();
    expect(headReset).toMatchObject({ intact: false, checkedRecords: 0, headSeq: '0', checkpoint: { seq: '5' } });
    expect(headReset.findings).toEqual([{ kind: 'WIPED', seq: '1', lastSeq: '5' }]);
  });

  it('ignores forged checkpoint lines and counts them, and they cannot hide a rollback', async () => {
    await append(5);
    const genuine = await checkpointer.checkpoint();
    const at = new Date().toISOString();
    const { chain, hash: headHash } = genuine!;
    const forged = [
      { v: 1, chain, seq: '50', hash: headHash, at, sig: 'f'.repeat(64) }, // a bad signature
      signCheckpoint(Buffer.from('another-key-that-is-not-the-configured-one'), { chain, seq: '50', hash: headHash, at }), // the wrong key
      { ...genuine!, seq: '6' }, // a genuine line, edited
    ];
    fs.appendFileSync(store.file, `${forged.map((l) => JSON.stringify(l)).join('\n')}\nnot json at all\n`);
    // Another database's genuine checkpoint in the same file is not this chain's.
    fs.appendFileSync(store.file, `${JSON.stringify(signCheckpoint(KEY, { chain: '1:1', seq: '70', hash: headHash, at }))}\n`);
    expect(await verify()).toMatchObject({ intact: true, findings: [], checkpoint: { seq: '5' }, rejectedCheckpoints: 4 });

    // Cut two records, and write a "checkpoint" at the new head without the key: still a rollback.
    await asOwner([['audit_record', 'tr_audit_record_append_only'], HEAD_TRIGGER], ['DELETE FROM audit_record WHERE seq > 3', moveHeadBackTo(3)]);
    const [{ hash }] = (await admin.query('SELECT hash FROM audit_record WHERE seq = 3')).rows;
    fs.appendFileSync(store.file, `${JSON.stringify({ v: 1, chain, seq: '3', hash, at: new Date().toISOString(), sig: '0'.repeat(64) })}\n`);
    const report = await verify();
    expect(report).toMatchObject({ intact: false, checkpoint: { seq: '5' }, rejectedCheckpoints: 5 });
    expect(report.findings).toEqual([{ kind: 'ROLLED_BACK', seq: '4', lastSeq: '5' }]);
  });

  it('writes each checkpoint, signed, to the log and to the file, and one more when it stops', async () => {
    const first = await checkpointer.checkpoint();
    expect(first).toMatchObject({ v: 1, seq: '0', hash: '0'.repeat(64) });
    await append(4);
    const second = await checkpointer.checkpoint();
    expect(second).toMatchObject({ seq: '4' });
    expect(await checkpointer.checkpoint()).toBeNull(); // the head has not moved: nothing new

    await append(1, 'before-stop');
    await checkpointer.stop();
    const lines = fileLines().map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual(['0', '4', '5']);
    const fromLog = logged.filter((l) => l.msg === 'audit checkpoint').map((l) => l.auditCheckpoint);
    expect(fromLog).toEqual(lines);
    expect(logged.every((l) => l.level === 30)).toBe(true);
    for (const line of lines) expect(trustedCheckpoint(KEY, line)).toEqual({ chain: line.chain, seq: line.seq, hash: line.hash, at: line.at });
    expect(new Set(lines.map((l) => l.chain)).size).toBe(1);
    const [{ hash }] = (await admin.query('SELECT hash FROM audit_record WHERE seq = 5')).rows;
    expect(lines[2].hash).toBe(hash);
    expect((fs.statSync(store.file).mode & 0o777).toString(8)).toBe('600');
  });
});
