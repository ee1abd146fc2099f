import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Logger } from 'pino';
import { dataDirSecret } from '../../core/data-dir-secret';
import type { SqlRunner } from './audit-chain';

// Signed checkpoints of the audit chain head (审计链检查点), kept outside the database. The
// head row lives in the same database as the records, so whoever can rewrite the table (its
// owner, a superuser) can also move the head back and the chain still links. A checkpoint —
// seq, hash and time, signed with HMAC-SHA256 — is written to the log (pino, info) and
// appended to a file the database roles cannot reach; `verifyAuditChain` then holds the chain
// to every signed checkpoint it finds, so a removed suffix or a wiped table is reported.
// Lines that fail their signature are counted and ignored, never trusted.

/** What a checkpoint asserts: at `at`, the newest record of chain `chain` was `seq` with hash `hash`. */
export interface AuditCheckpoint {
  /**
   * Which chain: the PostgreSQL cluster's system identifier and the database's oid
   * (`chainIdentity`), so that one file can hold the checkpoints of several databases (a demo
   * and a real one in the same DATA_DIR) without one being held to the other's.
   */
  chain: string;
  /** Chain position, decimal. */
  seq: string;
  /** SHA-256 (hex) of the record at `seq` (the genesis hash for seq 0). */
  hash: string;
  /** ISO-8601 UTC. */
  at: string;
}

/** One line of the checkpoint file, and the `auditCheckpoint` object of the log line. */
export interface SignedAuditCheckpoint extends AuditCheckpoint {
  v: 1;
  /** HMAC-SHA256 (hex) over the canonical form of seq, hash and at. */
  sig: string;
}

/** The checkpoints a verification holds the chain to. */
export interface CheckpointAnchor {
  /** Checkpoints whose signature holds. */
  trusted: AuditCheckpoint[];
  /** Lines that were not a well-formed checkpoint with a valid signature (forged, damaged). */
  rejected: number;
}

/** Tag of the signed form; a change of format gets a new tag. */
const FORMAT = 'hg-audit-checkpoint-v1';

const canonical = (c: AuditCheckpoint) => JSON.stringify([FORMAT, c.chain, c.seq, c.hash, c.at]);
const mac = (key: Buffer, c: AuditCheckpoint) => createHmac('sha256', key).update(canonical(c), 'utf8').digest();

export function signCheckpoint(key: Buffer, c: AuditCheckpoint): SignedAuditCheckpoint {
  return { v: 1, chain: c.chain, seq: c.seq, hash: c.hash, at: c.at, sig: mac(key, c).toString('hex') };
}

/** The checkpoint a parsed line states, when its shape and signature hold; null otherwise. */
export function trustedCheckpoint(key: Buffer, line: unknown): AuditCheckpoint | null {
  if (typeof line !== 'object' || line === null) return null;
  const l = line as Record<string, unknown>;
  if (l.v !== 1 || typeof l.chain !== 'string' || !/^\d{1,20}:\d{1,10}$/.test(l.chain) || typeof l.seq !== 'string' || !/^\d{1,19}$/.test(l.seq) || typeof l.hash !== 'string' || !/^[0-9a-f]{64}$/.test(l.hash)) return null;
  if (typeof l.at !== 'string' || Number.isNaN(Date.parse(l.at)) || typeof l.sig !== 'string' || !/^[0-9a-f]{64}$/.test(l.sig)) return null;
  const c: AuditCheckpoint = { chain: l.chain, seq: l.seq, hash: l.hash, at: l.at };
  return timingSafeEqual(mac(key, c), Buffer.from(l.sig, 'hex')) ? c : null;
}

/**
 * An append-only JSON-lines file of signed checkpoints (AUDIT_CHECKPOINT_FILE). Several server
 * instances may append to one file: each line is one write with O_APPEND.
 */
export class AuditCheckpointFile {
  constructor(
    readonly file: string,
    private readonly key: Buffer,
  ) {}

  sign(c: AuditCheckpoint): SignedAuditCheckpoint {
    return signCheckpoint(this.key, c);
  }

  async append(signed: SignedAuditCheckpoint): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    await fs.promises.appendFile(this.file, `${JSON.stringify(signed)}\n`, { encoding: 'utf8', mode: 0o600, flag: 'a' });
  }

  /** Every complete line, checked; a missing file is no checkpoint at all. */
  async read(): Promise<CheckpointAnchor> {
    const anchor: CheckpointAnchor = { trusted: [], rejected: 0 };
    let stream: fs.ReadStream;
    try {
      await fs.promises.access(this.file, fs.constants.R_OK);
      stream = fs.createReadStream(this.file, { encoding: 'utf8' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return anchor;
      throw err;
    }
    for await (const line of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = null;
      }
      const c = trustedCheckpoint(this.key, parsed);
      if (c) anchor.trusted.push(c);
      else anchor.rejected += 1;
    }
    return anchor;
  }
}

/** The identity of the chain `db` is connected to (cluster system identifier : database oid). */
export async function chainIdentity(db: SqlRunner): Promise<string> {
  const database = `(SELECT oid FROM pg_database WHERE datname = current_database())::text`;
  try {
    const [row] = (await db.query(`SELECT (SELECT system_identifier FROM pg_control_system())::text || ':' || ${database} AS chain`)) as Array<{ chain: string }>;
    return row.chain;
  } catch {
    // A hosted server that hides pg_control_system(): the database alone (cluster 0).
    const [row] = (await db.query(`SELECT '0:' || ${database} AS chain`)) as Array<{ chain: string }>;
    return row.chain;
  }
}

/** The newest checkpoint by chain position (the one a removed suffix falls behind). */
export function highestCheckpoint(anchor: CheckpointAnchor | null | undefined): AuditCheckpoint | null {
  let top: AuditCheckpoint | null = null;
  for (const c of anchor?.trusted ?? []) if (!top || BigInt(c.seq) > BigInt(top.seq)) top = c;
  return top;
}

/**
 * Writes a checkpoint of the chain head every `intervalMs` (a timer that does not keep the
 * process alive) and one more at a clean stop. A head that has not moved since the last
 * checkpoint writes nothing; a head that moved back behind it is logged as an error.
 */
export class AuditCheckpointer {
  private timer: NodeJS.Timeout | null = null;
  private last: AuditCheckpoint | null = null;
  private pending: Promise<unknown> = Promise.resolve();
  private chain: string | null = null;

  constructor(
    private readonly db: SqlRunner,
    private readonly store: AuditCheckpointFile,
    private readonly logger: Logger,
  ) {}

  /** Continues from the newest checkpoint a previous run wrote (read from the file at boot). */
  resumeFrom(last: AuditCheckpoint | null): void {
    this.last = last;
  }

  /** Takes one checkpoint now; resolves to what was written (null: the head had not moved). */
  checkpoint(): Promise<SignedAuditCheckpoint | null> {
    // One at a time, so that the file's lines follow the head in order.
    const run = this.pending.then(() => this.takeCheckpoint());
    this.pending = run.catch(() => undefined);
    return run;
  }

  private async takeCheckpoint(): Promise<SignedAuditCheckpoint | null> {
    const [head] = (await this.db.query(
      'SELECT last_seq::text AS seq, last_hash AS hash FROM audit_chain_head WHERE id = 1',
    )) as Array<{ seq: string; hash: string }>;
    if (!head) throw new Error('audit_chain_head has no row: the audit migration has not run');
    this.chain ??= await chainIdentity(this.db);
    if (this.last && this.last.seq === head.seq && this.last.hash === head.hash) return null;
    if (this.last && BigInt(head.seq) < BigInt(this.last.seq)) {
      this.logger.error({ head, lastCheckpoint: this.last }, 'audit chain head moved back behind the last checkpoint');
    }
    const signed = this.store.sign({ chain: this.chain, seq: head.seq, hash: head.hash, at: new Date().toISOString() });
    // The log first: it is shipped elsewhere and is the copy a local attacker reaches last.
    this.logger.info({ auditCheckpoint: signed }, 'audit checkpoint');
    await this.store.append(signed);
    this.last = signed;
    return signed;
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.checkpoint().catch((err: unknown) => this.logger.error({ err }, 'audit checkpoint failed'));
    }, intervalMs);
    this.timer.unref();
  }

  /**
   * Stops the timer and takes a checkpoint (call before the pool closes). Idempotent: call it
   * when a stop begins and again after the drain, for what the drain appended.
   */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    try {
      await this.checkpoint();
    } catch (err) {
      this.logger.error({ err }, 'audit checkpoint at shutdown failed');
    }
  }
}

/**
 * The signing key: AUDIT_CHECKPOINT_KEY, or a key generated once and kept in `dataDir`
 * (`audit-checkpoint-key`, mode 0600) — the embedded demo's dev key.
 */
export function checkpointKey(config: { AUDIT_CHECKPOINT_KEY?: string; DATA_DIR: string }): { key: Buffer; generated: boolean } {
  if (config.AUDIT_CHECKPOINT_KEY) return { key: Buffer.from(config.AUDIT_CHECKPOINT_KEY, 'utf8'), generated: false };
  return { key: Buffer.from(dataDirSecret(config.DATA_DIR, 'audit-checkpoint-key', () => randomBytes(32).toString('hex')), 'utf8'), generated: true };
}

/** AUDIT_CHECKPOINT_FILE, or `audit-checkpoints.jsonl` in DATA_DIR. */
export function checkpointFilePath(config: { AUDIT_CHECKPOINT_FILE?: string; DATA_DIR: string }): string {
  return path.resolve(config.AUDIT_CHECKPOINT_FILE ?? path.join(config.DATA_DIR, 'audit-checkpoints.jsonl'));
}

// The store verifications read: one per process, set at boot (main.ts, tests), like the
// logger. Not request state, so not on the request context.
let configuredStore: AuditCheckpointFile | null = null;

/** Sets (or clears) the checkpoint file that `verifyAuditChain` over GraphQL holds the chain to. */
export function useAuditCheckpoints(store: AuditCheckpointFile | null): void {
  configuredStore = store;
}

/** The configured checkpoints, read now (null when none are configured). */
export async function readAuditCheckpoints(): Promise<CheckpointAnchor | null> {
  return configuredStore ? configuredStore.read() : null;
}

/**
 * At boot, after the pool connects as the app's role: the key and file from config, one
 * checkpoint now, then one every AUDIT_CHECKPOINT_INTERVAL_MS. Stop it (`stop()`) before the
 * pool closes, for the last one.
 */
export async function startAuditCheckpoints(
  config: { AUDIT_CHECKPOINT_KEY?: string; AUDIT_CHECKPOINT_FILE?: string; AUDIT_CHECKPOINT_INTERVAL_MS: number; DATA_DIR: string; DATABASE_URL?: string },
  db: SqlRunner,
  logger: Logger,
): Promise<AuditCheckpointer> {
  const { key, generated } = checkpointKey(config);
  if (generated && config.DATABASE_URL) {
    logger.warn({ dataDir: config.DATA_DIR }, 'AUDIT_CHECKPOINT_KEY is not set: audit checkpoints are signed with a key kept in DATA_DIR; set one (a secret) outside the demo');
  }
  const store = new AuditCheckpointFile(checkpointFilePath(config), key);
  useAuditCheckpoints(store);
  const checkpointer = new AuditCheckpointer(db, store, logger);
  // Where the previous run left off: a head behind it is logged (error) by the first checkpoint.
  const anchor = await store.read();
  if (anchor.rejected) logger.warn({ file: store.file, rejected: anchor.rejected }, 'audit checkpoint lines whose signature does not hold are ignored');
  const chain = await chainIdentity(db);
  checkpointer.resumeFrom(highestCheckpoint({ trusted: anchor.trusted.filter((c) => c.chain === chain), rejected: 0 }));
  await checkpointer.checkpoint();
  checkpointer.start(config.AUDIT_CHECKPOINT_INTERVAL_MS);
  logger.info({ file: store.file, intervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS }, 'audit checkpoints');
  return checkpointer;
}
