import { Client } from 'pg';

/** One thing the bench asks about, and the county whose coordinator asks. */
export interface Target {
  /** Household id, 12-digit village code or 12-digit (zero-padded) county code. */
  key: string;
  /** 6-digit county code: the scope of the token (and of the baseline's predicate). */
  county: string;
}

/** What the bench asks about: fixed samples of real ids and codes. */
export interface Targets {
  households: Target[];
  /** Villages that have households. */
  villages: Target[];
  /** Counties that have households. */
  counties: Target[];
  /** Most households in one sampled village (Q2 reads up to 100 per village). */
  maxVillageHouseholds: number;
  /** Size of the data: households and persons in the database. */
  householdCount: number;
  personCount: number;
}

/**
 * Picks up to `size` targets of each kind, the same ones on every run over the same data:
 * ordered by a hash of the key rather than by random(), so no seed state is involved.
 */
export async function sampleTargets(url: string, size = 1000): Promise<Targets> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const households = await client.query<Target>(
      `SELECT id::text AS key, county_code AS county FROM household ORDER BY md5(id::text) LIMIT $1`,
      [size],
    );
    const villages = await client.query<Target & { n: number }>(
      `SELECT village_code AS key, min(county_code) AS county, count(*)::int AS n FROM household
        GROUP BY village_code ORDER BY md5(village_code) LIMIT $1`,
      [size],
    );
    const counties = await client.query<Target>(
      `SELECT rpad(county_code, 12, '0') AS key, county_code AS county FROM household GROUP BY county_code ORDER BY md5(county_code) LIMIT $1`,
      [size],
    );
    const totals = await client.query<{ householdCount: number; personCount: number }>(
      `SELECT (SELECT count(*)::int FROM household) AS "householdCount", (SELECT count(*)::int FROM person) AS "personCount"`,
    );
    if (!households.rowCount || !villages.rowCount || !counties.rowCount) throw new Error('the bench database holds no households');
    return {
      households: households.rows,
      villages: villages.rows.map(({ key, county }) => ({ key, county })),
      counties: counties.rows,
      maxVillageHouseholds: Math.max(...villages.rows.map((r) => r.n)),
      ...totals.rows[0],
    };
  } finally {
    await client.end();
  }
}

/** A small seeded PRNG (mulberry32): the same target sequence for the app and the baseline. */
export function seededIndex(seed: number, length: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * length);
  };
}
