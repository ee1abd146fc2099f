import { Client } from 'pg';

/**
 * Builds a synthetic county under the fictitious province 99 with generate_series: fixed codes
 * and ids (from `idBase`), so tests are deterministic and independent of the seed generator.
 * Idempotent: a county that exists is left as it is.
 */
export async function buildCounty(
  url: string,
  opts: { county: string; townships: number; villagesPerTownship: number; householdsPerVillage: number; idBase: number },
): Promise<void> {
  const { county, townships, villagesPerTownship, householdsPerVillage, idBase } = opts;
  if (!/^99\d{4}$/.test(county)) throw new Error('fixture counties live under province 99');
  await seedOnce(url, 'fixture-counties', { sql: 'SELECT 1 FROM region WHERE code = $1', params: [`${county}000000`] }, async (client) => {
    const p = { county, townships, vpt: villagesPerTownship, hpv: householdsPerVillage, base: idBase };
    await client.query(
      `INSERT INTO region (code, name, level, parent_code) VALUES
         ('990000000000', '测试省', 'province', NULL), ('${county.slice(0, 4)}00000000', '测试市', 'city', '990000000000')
       ON CONFLICT DO NOTHING`,
    );
    await client.query(`INSERT INTO region VALUES ($1 || '000000', '测试县' || $1, 'county', left($1, 4) || '00000000')`, [county]);
    await client.query(
      `INSERT INTO region SELECT $1 || lpad(t::text, 3, '0') || '000', '测试镇' || t, 'township', $1 || '000000'
         FROM generate_series(1, $2::int) t`,
      [county, p.townships],
    );
    await client.query(
      `INSERT INTO region SELECT $1 || lpad(t::text, 3, '0') || lpad(v::text, 3, '0'), '测试村' || t || '-' || v, 'village', $1 || lpad(t::text, 3, '0') || '000'
         FROM generate_series(1, $2::int) t, generate_series(1, $3::int) v`,
      [county, p.townships, p.vpt],
    );
    await client.query(
      `INSERT INTO village (code, county_code, is_poverty_village, indicator_year, poverty_incidence, per_capita_income, collective_income,
          broadband_mbps, has_water, has_electricity, has_road, has_safe_housing, has_network, has_sanitation)
       SELECT code, $1::varchar, right(code, 1)::int % 2 = 1, 2015, 18.5, 2100, 0, 4, true, true, false, true, true, false
         FROM region WHERE level = 'village' AND code LIKE $1::varchar || '%'`,
      [county],
    );
    // Households: hpv per village, ids base+1…; status cycles registered/exited/monitored/none.
    await client.query(
      `INSERT INTO household (id, number, village_code, county_code, status, identification_year, identification_standard, main_cause,
          has_water, has_electricity, has_road, has_safe_housing, has_network, has_sanitation)
       SELECT $2::bigint + row_number() OVER (ORDER BY r.code, h), r.code || lpad(h::text, 4, '0'), r.code, $1::varchar,
              (ARRAY['registered','exited','monitored','none'])[1 + h % 4]::household_status,
              CASE WHEN h % 4 = 3 THEN NULL ELSE 2014 + h % 3 END,
              CASE WHEN h % 4 = 3 THEN NULL ELSE 'national'::identification_standard END,
              CASE WHEN h % 4 = 3 THEN NULL ELSE (ARRAY['illness','disability','labour'])[1 + h % 3] END,
              true, true, h % 2 = 0, true, true, h % 3 = 0
         FROM region r, generate_series(1, $3::int) h
        WHERE r.level = 'village' AND r.code LIKE $1::varchar || '%'`,
      [county, p.base, p.hpv],
    );
    // Three members each: head (born 1970), spouse (1972), child (born 2014: school age).
    await client.query(
      `INSERT INTO person (id, household_id, village_code, county_code, relation, name, id_number, gender, birth_date,
          labour_ability, health_category, disability_level, schooling_stage)
       SELECT h.id * 10 + m, h.id, h.village_code, h.county_code,
              (ARRAY['head','spouse','child'])[m]::relation, '测试' || h.id || '-' || m,
              lpad((h.id * 10 + m)::text, 18, '0'),
              (ARRAY['male','female','male'])[m]::gender,
              (ARRAY['1970-05-01','1972-03-15','2014-09-10'])[m]::date,
              (ARRAY['ordinary','weak','none'])[m]::labour_ability,
              (ARRAY['chronic','healthy','healthy'])[m]::health_category, NULL,
              (ARRAY['none','none','primary'])[m]::schooling_stage
         FROM household h, generate_series(1, 3) m WHERE h.county_code = $1`,
      [county],
    );
    await client.query(
      `INSERT INTO insurance_enrolment (household_id, person_id, county_code, year, scheme, premium, subsidy)
       SELECT p.household_id, p.id, p.county_code, y, 'resident', 380, 200
         FROM person p, generate_series(2023, 2024) y WHERE p.county_code = $1`,
      [county],
    );
    await client.query(
      `INSERT INTO school_enrolment (household_id, person_id, county_code, school_year, stage, school_name, grade, status)
       SELECT p.household_id, p.id, p.county_code, 2024, 'primary', '测试小学', 4, 'enrolled'
         FROM person p WHERE p.county_code = $1 AND p.relation = 'child'`,
      [county],
    );
  });
}

/**
 * Runs `work` in one transaction on its own connection, under an advisory lock named `lock`,
 * unless `exists` finds a row (the fixture is already there): test files share one database and
 * run in parallel, so each fixture is built once, whole or not at all.
 */
export async function seedOnce(
  url: string,
  lock: string,
  exists: { sql: string; params: unknown[] },
  work: (client: Client) => Promise<void>,
): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
    if ((await client.query(exists.sql, exists.params)).rowCount) {
      await client.query('ROLLBACK');
      return;
    }
    await work(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    await client.end();
  }
}
