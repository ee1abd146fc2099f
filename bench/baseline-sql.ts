// The baseline's three statements: each answers one bench question in ONE SQL statement that
// builds the whole response (the GraphQL `data` object) as JSON text inside PostgreSQL.
// Parameters: $1 the target, $2 the caller's scope as a LIKE pattern ('431226%'), $3 today (ISO).
// Enum values are stored lower-case and exposed upper-case; privacy follows src/core/privacy
// for a coordinator (a minor's name, birth date and ID number are hidden; adults' ID numbers
// are masked to the 6-digit division prefix).

import { facetFirstSql, facetListSql, HOUSEHOLD_FACETS, HOUSING_APPRAISALS, PERSON_FACETS } from './facets';
import { DASHBOARD_APPRAISAL, DASHBOARD_DIBAO, DASHBOARD_MEASURES } from './queries';

const UTILITIES = (t: string) => `json_build_object('water', ${t}.has_water, 'electricity', ${t}.has_electricity,
  'road', ${t}.has_road, 'housing', ${t}.has_safe_housing, 'network', ${t}.has_network, 'environment', ${t}.has_sanitation)`;

/** A person is a minor when born less than 18 years before today ($3). */
const MINOR = `(p.birth_date > ($3::date - interval '18 years'))`;
// A coordinator may not see a minor's birth date, so not the age derived from it either.
const AGE = `CASE WHEN ${MINOR} THEN NULL ELSE date_part('year', age($3::date, p.birth_date))::int END`;
// Head first, then registration order: an order by birth date would tell which minor is older.
const MEMBER_ORDER = `(p.relation <> 'head'), p.id`;

export const Q1_SQL = `
SELECT json_build_object('household', (
  SELECT json_build_object(
    'id', h.id::text, 'number', h.number, 'villageCode', h.village_code, 'countyCode', h.county_code,
    'status', upper(h.status::text), 'identificationYear', h.identification_year,
    'identificationStandard', upper(h.identification_standard::text), 'mainCause', upper(h.main_cause), 'version', h.version,
    'secondaryCauses', coalesce((SELECT json_agg(upper(c.cause_code) ORDER BY c.cause_code)
                                   FROM household_secondary_cause c WHERE c.household_id = h.id), '[]'),
    'utilities', ${UTILITIES('h')},
    'incomes', coalesce((SELECT json_agg(json_build_object('year', i.year, 'perCapitaNetIncome', i.per_capita_net_income::float8) ORDER BY i.year)
                           FROM household_income i WHERE i.household_id = h.id), '[]'),
    'statusEvents', coalesce((SELECT json_agg(json_build_object('fromStatus', upper(e.from_status::text), 'toStatus', upper(e.to_status::text),
                                'occurredOn', e.occurred_on, 'reason', e.reason) ORDER BY e.occurred_on, e.id)
                                FROM household_status_event e WHERE e.household_id = h.id), '[]'),
    'village', (SELECT json_build_object('code', v.code, 'name', r.name, 'isPovertyVillage', v.is_poverty_village)
                  FROM village v JOIN region r ON r.code = v.code WHERE v.code = h.village_code),
    ${HOUSEHOLD_FACETS.map((f) => `'${f.field}', ${facetListSql(f, 'h')},`).join('\n    ')}
    'latestHousingAppraisal', ${facetFirstSql(HOUSING_APPRAISALS, 'h')},
    'members', coalesce((SELECT json_agg(json_build_object(
        'id', p.id::text,
        'name', CASE WHEN ${MINOR} THEN NULL ELSE p.name END,
        'idNumber', CASE WHEN ${MINOR} THEN NULL ELSE left(p.id_number, 6) || '************' END,
        'gender', upper(p.gender::text),
        'birthDate', CASE WHEN ${MINOR} THEN NULL ELSE p.birth_date END,
        'age', ${AGE}, 'relation', upper(p.relation::text), 'labourAbility', upper(p.labour_ability::text),
        'healthCategory', upper(p.health_category::text), 'disabilityLevel', p.disability_level,
        'schoolingStage', upper(p.schooling_stage::text), 'version', p.version,
        ${PERSON_FACETS.map((f) => `'${f.field}', ${facetListSql(f, 'p')}`).join(',\n        ')}
      ) ORDER BY ${MEMBER_ORDER}) FROM person p WHERE p.household_id = h.id), '[]')
  )
  FROM household h WHERE h.id = $1::bigint AND h.village_code LIKE $2
))::text AS body`;

export const Q2_SQL = `
SELECT json_build_object('village', (
  SELECT json_build_object(
    'code', v.code, 'name', r.name, 'countyCode', v.county_code, 'isPovertyVillage', v.is_poverty_village,
    'broadbandMbps', v.broadband_mbps,
    'indicators', json_build_object('year', v.indicator_year, 'povertyIncidence', v.poverty_incidence::float8,
                    'perCapitaIncome', v.per_capita_income::float8, 'collectiveIncome', v.collective_income::float8),
    'utilities', ${UTILITIES('v')},
    'households', json_build_object(
      'totalCount', (SELECT count(*)::int FROM household c WHERE c.village_code = v.code),
      'edges', coalesce((SELECT json_agg(json_build_object('node', json_build_object(
          'id', h.id::text, 'number', h.number, 'status', upper(h.status::text), 'mainCause', upper(h.main_cause),
          'members', coalesce((SELECT json_agg(json_build_object(
              'id', p.id::text, 'name', CASE WHEN ${MINOR} THEN NULL ELSE p.name END,
              'gender', upper(p.gender::text), 'age', ${AGE}, 'relation', upper(p.relation::text),
              'labourAbility', upper(p.labour_ability::text), 'healthCategory', upper(p.health_category::text),
              'schoolingStage', upper(p.schooling_stage::text)
            ) ORDER BY ${MEMBER_ORDER}) FROM person p WHERE p.household_id = h.id), '[]'),
          'dibaoEnrolments', ${facetListSql(DASHBOARD_DIBAO, 'h')},
          'latestHousingAppraisal', ${facetFirstSql(DASHBOARD_APPRAISAL, 'h')},
          'measures', ${facetListSql(DASHBOARD_MEASURES, 'h')}
        )) ORDER BY h.id)
        FROM (SELECT * FROM household x WHERE x.village_code = v.code ORDER BY x.id LIMIT 100) h), '[]')
    )
  )
  FROM village v JOIN region r ON r.code = v.code WHERE v.code = $1 AND v.code LIKE $2
))::text AS body`;

// One pass over the county's households; 低保 and latest appraisals joined by household id.
export const Q3_SQL = `
WITH hh AS (
  SELECT h.id, left(h.village_code, 9) AS prefix, h.status, h.main_cause FROM household h
   WHERE h.county_code = left($1, 6) AND h.village_code LIKE $2
), latest AS (
  SELECT DISTINCT ON (a.household_id) a.household_id, a.grade FROM housing_appraisal a
   WHERE a.county_code = left($1, 6) ORDER BY a.household_id, a.appraised_on DESC, a.id DESC
), dibao AS (
  SELECT DISTINCT d.household_id FROM dibao_enrolment d
   WHERE d.county_code = left($1, 6) AND d.status = 'active' AND d.start_date <= $3::date AND (d.end_date IS NULL OR d.end_date >= $3::date)
), per_township AS (
  SELECT hh.prefix, count(dibao.household_id)::int AS dibao,
         (count(*) FILTER (WHERE latest.grade IN ('C', 'D')))::float8 / nullif(count(latest.grade), 0) AS share
    FROM hh LEFT JOIN dibao ON dibao.household_id = hh.id LEFT JOIN latest ON latest.household_id = hh.id
   GROUP BY hh.prefix
), by_status AS (
  SELECT prefix, json_agg(json_build_object('status', upper(status::text), 'households', n) ORDER BY status) AS j
    FROM (SELECT prefix, status, count(*)::int AS n FROM hh GROUP BY prefix, status) s GROUP BY prefix
), by_cause AS (
  SELECT prefix, json_agg(json_build_object('cause', upper(main_cause), 'households', n) ORDER BY n DESC, main_cause) AS j
    FROM (SELECT prefix, main_cause, count(*)::int AS n FROM hh WHERE status = 'registered' AND main_cause IS NOT NULL
           GROUP BY prefix, main_cause) c GROUP BY prefix
)
SELECT json_build_object('region', (
  SELECT json_build_object('code', c.code, 'name', c.name, 'children', coalesce((
    SELECT json_agg(json_build_object('code', t.code, 'name', t.name, 'summary', json_build_object(
        'householdsByStatus', coalesce(bs.j, '[]'), 'registeredByMainCause', coalesce(bc.j, '[]'),
        'dibaoHouseholds', coalesce(pt.dibao, 0), 'dilapidatedHousingShare', pt.share)) ORDER BY t.code)
      FROM region t
      LEFT JOIN by_status bs ON bs.prefix = left(t.code, 9)
      LEFT JOIN by_cause bc ON bc.prefix = left(t.code, 9)
      LEFT JOIN per_township pt ON pt.prefix = left(t.code, 9)
     WHERE t.parent_code = c.code AND t.code LIKE $2), '[]'))
  FROM region c WHERE c.code = $1 AND c.level = 'county'
))::text AS body`;
