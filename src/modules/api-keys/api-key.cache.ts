import type { Db } from '../../core/db';

// Verified-key lookups, remembered briefly per process: a call with a known key costs no SQL
// statement within API_KEY_CACHE_MS (default 2 s). A rotation or revocation on this process
// forgets the key at once; on other instances it takes effect within API_KEY_CACHE_MS.

/** A key as stored (its secret only as a digest). */
export interface StoredKey {
  id: string;
  organisation: string;
  catalogEntries: string[];
  ratePerMinute: number | null;
  secretSha256: string;
  regionCode: string;
  revoked: boolean;
}

/** Keys remembered at most (each entry well under 1 kB). */
const MAX_ENTRIES = 10_000;
const cache = new Map<string, { key: StoredKey; until: number }>();

/** The stored key `id` (null: none), from the cache while it is fresh. */
export async function storedKey(db: Db, id: string, cacheMs: number): Promise<StoredKey | null> {
  const now = Date.now();
  const known = cache.get(id);
  if (known) {
    cache.delete(id);
    if (now < known.until) {
      cache.set(id, known);
      return known.key;
    }
  }
  const rows = await db.query<StoredKey>(
    `SELECT id, organisation, catalog_entries AS "catalogEntries", rate_per_minute AS "ratePerMinute", secret_sha256 AS "secretSha256",
            region_code AS "regionCode", revoked_at IS NOT NULL AS revoked
       FROM api_key WHERE id = $1`,
    [id],
  );
  // Unknown ids are not remembered: a key created a moment later must work at once.
  if (!rows.length) return null;
  if (cacheMs > 0) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(id, { key: rows[0], until: now + cacheMs });
  }
  return rows[0];
}

/** Forgets a key on this process (after its rotation or revocation commits). */
export function forgetKey(id: string): void {
  cache.delete(id);
}
