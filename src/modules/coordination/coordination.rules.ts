import { registerEnumType } from 'type-graphql';
import { Department } from '../../core/vocab';

// The coordination rules (协调规则, issue 12 §2; DESIGN §3 item 1) as data: each one a code, a
// version, names, a severity, an owning department and one SQL query over the joined graph.
//
// The query reads the CTE `target` (one row per household being evaluated, already cut to the
// households of the pass: t.id, t.county_code, t.village_code, t.status, t.has_water and the
// county's thresholds for the year, t.poverty_line, t.dibao_line, t.monitoring_factor, null
// when no threshold applies) and `latest_income` (household_id, year, income: the latest
// per-capita net income at or before the year). Parameters: $1 the as-of date (service
// calendar), $2 the year, $3 the school year (the one that began last September).
// It returns (household_id, person_id or null, facts jsonb), at most one row per household and
// person. `facts` names the fields that fired and their values; never a name, ID number, phone
// or any other identifier (a test reads every gap's facts for them).
//
// A rule's meaning changes only with its version: bump it when the SQL changes what fires.

/** Rule codes (规则代码). */
export enum RuleCode {
  DIBAO_COVERAGE = 'DIBAO_COVERAGE',
  MEDICAL_INSURANCE = 'MEDICAL_INSURANCE',
  COMPULSORY_EDUCATION = 'COMPULSORY_EDUCATION',
  HOUSING_SAFETY = 'HOUSING_SAFETY',
  SAFE_WATER = 'SAFE_WATER',
  PAIRING_COVERAGE = 'PAIRING_COVERAGE',
  DUPLICATE_SUPPORT = 'DUPLICATE_SUPPORT',
  RELAPSE_WATCH = 'RELAPSE_WATCH',
}

export type Severity = 'high' | 'medium' | 'low';

export interface RuleDeclaration {
  code: RuleCode;
  version: number;
  nameZh: string;
  nameEn: string;
  severity: Severity;
  department: Department;
  /** What fires, in a sentence (README, GraphQL descriptions). */
  description: string;
  /** The query described above. */
  sql: string;
}

/** Labour abilities that count as being able to work (劳动能力). */
const CAN_WORK = `('skilled', 'ordinary', 'weak')`;

export const RULES: readonly RuleDeclaration[] = [
  {
    code: RuleCode.DIBAO_COVERAGE, version: 1, nameZh: '应保尽保', nameEn: 'Minimum-living allowance coverage',
    severity: 'high', department: Department.CIVIL_AFFAIRS,
    description: 'no member able to work, latest per-capita income under the county 低保 line, and no current 低保 enrolment',
    sql: `SELECT t.id AS household_id, NULL::bigint AS person_id,
                 jsonb_build_object('incomeYear', i.year, 'perCapitaIncome', i.income, 'dibaoLine', t.dibao_line,
                                    'membersAbleToWork', 0, 'dibaoEnrolled', false) AS facts
            FROM target t JOIN latest_income i ON i.household_id = t.id
           WHERE i.income < t.dibao_line
             AND EXISTS (SELECT 1 FROM person p WHERE p.household_id = t.id)
             AND NOT EXISTS (SELECT 1 FROM person p WHERE p.household_id = t.id AND p.labour_ability IN ${CAN_WORK})
             AND NOT EXISTS (SELECT 1 FROM dibao_enrolment d WHERE d.household_id = t.id AND d.status = 'active'
                               AND d.start_date <= $1::date AND (d.end_date IS NULL OR d.end_date >= $1::date))`,
  },
  {
    code: RuleCode.MEDICAL_INSURANCE, version: 1, nameZh: '基本医疗保障', nameEn: 'Basic medical insurance',
    severity: 'high', department: Department.HEALTH,
    description: 'a member of a registered or monitored household has no medical-insurance enrolment this year',
    sql: `SELECT t.id AS household_id, p.id AS person_id,
                 jsonb_build_object('year', $2::int, 'insured', false, 'householdStatus', t.status) AS facts
            FROM target t JOIN person p ON p.household_id = t.id
           WHERE t.status IN ('registered', 'monitored')
             AND NOT EXISTS (SELECT 1 FROM insurance_enrolment e WHERE e.person_id = p.id AND e.year = $2::int)`,
  },
  {
    code: RuleCode.COMPULSORY_EDUCATION, version: 1, nameZh: '义务教育保障/控辍保学', nameEn: 'Compulsory education',
    severity: 'high', department: Department.EDUCATION,
    description: 'a member aged 6–15 is not enrolled in the current school year, or is on an open dropout watch',
    sql: `SELECT t.id AS household_id, p.id AS person_id,
                 jsonb_build_object('age', date_part('year', age($1::date, p.birth_date))::int, 'schoolYear', $3::int,
                                    'enrolled', s.enrolled, 'dropoutWatch', w.open) AS facts
            FROM target t JOIN person p ON p.household_id = t.id
            CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM school_enrolment e WHERE e.person_id = p.id
                                   AND e.school_year = $3::int AND e.status = 'enrolled') AS enrolled) s
            CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM dropout_watch d WHERE d.person_id = p.id AND d.status = 'open') AS open) w
           WHERE p.birth_date <= ($1::date - interval '6 years') AND p.birth_date > ($1::date - interval '16 years')
             AND (NOT s.enrolled OR w.open)`,
  },
  {
    code: RuleCode.HOUSING_SAFETY, version: 1, nameZh: '住房安全保障', nameEn: 'Safe housing',
    severity: 'high', department: Department.HOUSING,
    description: 'the latest housing appraisal is C or D and no renovation or relocation is planned, under way or completed since',
    sql: `SELECT t.id AS household_id, NULL::bigint AS person_id,
                 jsonb_build_object('grade', a.grade, 'appraisedOn', a.appraised_on, 'renovation', NULL, 'relocation', NULL) AS facts
            FROM target t
            JOIN LATERAL (SELECT x.grade, x.appraised_on FROM housing_appraisal x WHERE x.household_id = t.id
                           ORDER BY x.appraised_on DESC, x.id DESC LIMIT 1) a ON true
           WHERE a.grade IN ('C', 'D')
             AND NOT EXISTS (SELECT 1 FROM renovation_project r WHERE r.household_id = t.id
                               AND (r.status IN ('planned', 'underway') OR (r.status = 'completed' AND r.completed_on >= a.appraised_on)))
             AND NOT EXISTS (SELECT 1 FROM relocation m WHERE m.household_id = t.id AND m.status IN ('planned', 'underway', 'completed'))`,
  },
  {
    code: RuleCode.SAFE_WATER, version: 1, nameZh: '饮水安全', nameEn: 'Safe drinking water',
    severity: 'high', department: Department.POVERTY_OFFICE,
    description: 'the household has no safe drinking water (六到农家: water)',
    sql: `SELECT t.id AS household_id, NULL::bigint AS person_id, jsonb_build_object('hasWater', false) AS facts
            FROM target t WHERE NOT t.has_water`,
  },
  {
    code: RuleCode.PAIRING_COVERAGE, version: 1, nameZh: '结对帮扶全覆盖', nameEn: 'Pairing coverage',
    severity: 'medium', department: Department.POVERTY_OFFICE,
    description: 'a registered household has no current pairing cadre (帮扶责任人)',
    sql: `SELECT t.id AS household_id, NULL::bigint AS person_id,
                 jsonb_build_object('householdStatus', t.status, 'currentPairings', 0) AS facts
            FROM target t
           WHERE t.status = 'registered'
             AND NOT EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = t.id AND p.start_date <= $1::date
                               AND (p.end_date IS NULL OR p.end_date >= $1::date))`,
  },
  {
    code: RuleCode.DUPLICATE_SUPPORT, version: 1, nameZh: '重复帮扶', nameEn: 'Duplicate support',
    severity: 'medium', department: Department.POVERTY_OFFICE,
    description: 'two measures of the same kind for the same household this year from different departments (measures, and renovation projects by funding department)',
    sql: `SELECT d.household_id, NULL::bigint AS person_id,
                 jsonb_build_object('year', $2::int, 'duplicates', jsonb_agg(jsonb_build_object('kind', d.kind, 'departments', d.departments) ORDER BY d.kind)) AS facts
            FROM (SELECT s.household_id, s.kind, array_agg(DISTINCT s.department::text ORDER BY s.department::text) AS departments
                    FROM (SELECT m.household_id, m.kind::text AS kind, m.department FROM target t JOIN measure m ON m.household_id = t.id
                           WHERE m.year = $2::int AND m.status <> 'cancelled'
                          UNION ALL
                          SELECT r.household_id, 'housing_renovation', r.funding_department FROM target t JOIN renovation_project r ON r.household_id = t.id
                           WHERE date_part('year', r.start_date) = $2::int AND r.status <> 'cancelled') s
                   GROUP BY s.household_id, s.kind HAVING count(DISTINCT s.department) > 1) d
           GROUP BY d.household_id`,
  },
  {
    code: RuleCode.RELAPSE_WATCH, version: 1, nameZh: '防返贫监测', nameEn: 'Relapse watch',
    severity: 'high', department: Department.POVERTY_OFFICE,
    description: 'an exited household whose latest per-capita income is under the monitoring band (factor × poverty line, default 1.5)',
    sql: `SELECT t.id AS household_id, NULL::bigint AS person_id,
                 jsonb_build_object('incomeYear', i.year, 'perCapitaIncome', i.income, 'povertyLine', t.poverty_line,
                                    'monitoringFactor', t.monitoring_factor, 'band', round(t.poverty_line * t.monitoring_factor, 2)) AS facts
            FROM target t JOIN latest_income i ON i.household_id = t.id
           WHERE t.status = 'exited' AND i.income < t.poverty_line * t.monitoring_factor`,
  },
];

export const ruleByCode = new Map(RULES.map((r) => [r.code, r]));

registerEnumType(RuleCode, {
  name: 'CoordinationRuleCode',
  description: 'Code of a coordination rule (协调规则代码).',
  valuesConfig: Object.fromEntries(RULES.map((r) => [r.code, { description: `${r.nameZh} ${r.nameEn}: ${r.description}.` }])),
});
