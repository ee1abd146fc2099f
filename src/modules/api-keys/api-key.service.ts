import { createHash, randomBytes } from 'node:crypto';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { regionPredicate } from '../../core/scope';
import { mutate } from '../../core/writes';
import { forgetKey } from './api-key.cache';
import { ApiKeyStatus, type ApiKeyNode, type CreateApiKeyInput, type IssuedApiKey } from './api-key.types';

// Administrators' side of API keys: create (the key shown once), rotate (a new secret; the old one
// stops at once, no grace period), revoke, list. (An UPDATE is wrapped in a CTE: TypeORM answers a
// bare one with [rows, rowCount].) Every change runs through core/writes.ts
// (audited, with a change event). A key is filed under the issuing administrator's scope: an
// administrator sees and changes the keys issued inside theirs, and auditors find the key's
// records (its changes and every call made with it) under that region.

/** `hgk_` + 12 hex digits of key id + `_` + 43 base64url characters of secret (256 bits). */
export const KEY_PATTERN = /^hgk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The hex SHA-256 a key's secret is stored as. */
export const secretDigest = sha256;

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

const COLUMNS = `k.id, k.organisation, k.catalog_entries AS "catalogEntries", k.rate_per_minute AS "ratePerMinute", k.created_by AS "createdBy",
  k.created_at AS "createdAt", k.rotated_at AS "rotatedAt", k.revoked_at AS "revokedAt", k.version`;

type KeyRow = Omit<ApiKeyNode, 'status'>;
const toNode = (row: KeyRow): ApiKeyNode => ({ ...row, status: row.revokedAt ? ApiKeyStatus.REVOKED : ApiKeyStatus.ACTIVE });

const CATALOG_CODE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

function checkInput(input: CreateApiKeyInput): { organisation: string; catalogEntries: string[]; ratePerMinute: number | null } {
  const organisation = input.organisation.trim();
  if (!organisation.length || organisation.length > 200) throw badInput('organisation', 'must have 1 to 200 characters');
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(organisation)) throw badInput('organisation', 'must not contain control characters');
  if (input.catalogEntries.length > 200) throw badInput('catalogEntries', 'at most 200 entries');
  for (const code of input.catalogEntries) {
    if (!CATALOG_CODE.test(code)) throw badInput('catalogEntries', 'a catalog entry code has 1–64 letters, digits or `_ . : -`, starting with a letter or digit');
  }
  const rate = input.ratePerMinute ?? null;
  if (rate !== null && (!Number.isInteger(rate) || rate < 1 || rate > 100_000)) throw badInput('ratePerMinute', 'must be 1 to 100000');
  return { organisation, catalogEntries: [...new Set(input.catalogEntries)].sort(), ratePerMinute: rate };
}

/**
 * Refuses codes that name no catalog entry. Any status will do: a key may be issued for an entry
 * before its approval (it reads the entry only while it is approved). One statement.
 */
async function checkEntriesExist(tx: { query(sql: string, params: unknown[]): Promise<unknown> }, codes: readonly string[]): Promise<void> {
  if (!codes.length) return;
  const rows = (await tx.query(`SELECT code FROM aggregate_entry WHERE code = ANY($1)`, [codes])) as Array<{ code: string }>;
  const known = new Set(rows.map((r) => r.code));
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length) throw badInput('catalogEntries', `no catalog entry has the code${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
}

const issuerOf = (ctx: RequestContext) => {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Not authenticated');
  return ctx.principal;
};

/** The keys issued inside the caller's scope (without secrets), newest first. */
export async function listApiKeys(ctx: RequestContext, includeRevoked: boolean): Promise<ApiKeyNode[]> {
  const scope = regionPredicate(ctx.scope, 'k.region_code', 2);
  const rows = await ctx.db.query<KeyRow>(
    `SELECT ${COLUMNS} FROM api_key k WHERE ($1::boolean OR k.revoked_at IS NULL) AND ${scope.sql} ORDER BY k.created_at DESC, k.id`,
    [includeRevoked, ...scope.params],
  );
  return rows.map(toNode);
}

/** Creates a key; the answer carries the whole key, which is not stored and never shown again. */
export async function createApiKey(ctx: RequestContext, input: CreateApiKeyInput): Promise<IssuedApiKey> {
  const issuer = issuerOf(ctx);
  const regionCode = issuer.scope;
  return mutate(ctx, { action: 'create', entity: 'ApiKey', entityId: null, fields: ['organisation', 'catalogEntries', 'ratePerMinute'], regionCode }, async (tx) => {
    const checked = checkInput(input);
    await checkEntriesExist(tx, checked.catalogEntries);
    const id = randomBytes(6).toString('hex');
    const secret = newSecret();
    const rows: KeyRow[] = await tx.query(
      `INSERT INTO api_key AS k (id, organisation, catalog_entries, rate_per_minute, secret_sha256, region_code, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [id, checked.organisation, checked.catalogEntries, checked.ratePerMinute, sha256(secret), regionCode, issuer.subject],
    );
    return { result: { apiKey: toNode(rows[0]), key: `hgk_${id}_${secret}` }, entityId: id, regionCode };
  });
}

/**
 * Replaces a key's secret: the answer carries the new whole key; the old secret is refused from
 * the commit on (no grace period: the organisation switches when it receives the new one).
 */
export async function rotateApiKey(ctx: RequestContext, id: string): Promise<IssuedApiKey> {
  const regionCode = issuerOf(ctx).scope;
  const issued = await mutate(ctx, { action: 'update', entity: 'ApiKey', entityId: id, fields: ['secret'], regionCode }, async (tx) => {
    const key = await lockedKey(ctx, tx, id);
    if (key.revokedAt) throw new AppError('CONFLICT', `API key ${id} is revoked; issue a new key instead`);
    const secret = newSecret();
    const rows: KeyRow[] = await tx.query(
      `WITH changed AS (UPDATE api_key AS k SET secret_sha256 = $2, rotated_at = now(), version = k.version + 1 WHERE k.id = $1 RETURNING ${COLUMNS}) SELECT * FROM changed`,
      [id, sha256(secret)],
    );
    return { result: { apiKey: toNode(rows[0]), key: `hgk_${id}_${secret}` }, entityId: id, regionCode: key.regionCode };
  });
  forgetKey(id);
  return issued;
}

/** Revokes a key (at once, on this instance; within the key cache's lifetime on others). Revoking a revoked key changes nothing. */
export async function revokeApiKey(ctx: RequestContext, id: string): Promise<ApiKeyNode> {
  const regionCode = issuerOf(ctx).scope;
  const node = await mutate(ctx, { action: 'update', entity: 'ApiKey', entityId: id, fields: ['revokedAt'], regionCode }, async (tx) => {
    const key = await lockedKey(ctx, tx, id);
    const rows: KeyRow[] = await tx.query(
      `WITH changed AS (UPDATE api_key AS k SET revoked_at = coalesce(k.revoked_at, now()), version = k.version + CASE WHEN k.revoked_at IS NULL THEN 1 ELSE 0 END
        WHERE k.id = $1 RETURNING ${COLUMNS}) SELECT * FROM changed`,
      [id],
    );
    return { result: toNode(rows[0]), entityId: id, regionCode: key.regionCode };
  });
  forgetKey(id);
  return node;
}

/** The key `id` inside the caller's scope, locked for the change; NOT_FOUND otherwise. */
async function lockedKey(ctx: RequestContext, tx: { query(sql: string, params: unknown[]): Promise<unknown> }, id: string): Promise<{ revokedAt: Date | null; regionCode: string }> {
  if (!/^[0-9a-f]{12}$/.test(id)) throw notFound('API key');
  const scope = regionPredicate(ctx.scope, 'k.region_code', 2);
  const rows = (await tx.query(
    `SELECT k.revoked_at AS "revokedAt", k.region_code AS "regionCode" FROM api_key k WHERE k.id = $1 AND ${scope.sql} FOR UPDATE`,
    [id, ...scope.params],
  )) as Array<{ revokedAt: Date | null; regionCode: string }>;
  if (!rows.length) throw notFound('API key');
  return rows[0];
}
