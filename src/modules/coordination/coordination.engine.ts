import { DEFAULT_CALENDAR } from '../../core/calendar';
import { prefixRange } from '../../core/scope';
import { EVENTS_CHANNEL, type SqlRunner } from '../events';
import { RULES, type RuleDeclaration } from './coordination.rules';

// Evaluating the rules and storing what they find (缺口). One statement per rule per pass,
// set-based over every household of the pass: the rule's rows are compared with the live gaps
// (open or acknowledged) of those households; a new finding opens a gap, a live gap the rule no
// longer finds is resolved (a fixed fact resolves its gap by itself), a changed finding updates
// the gap's facts. Every open and resolve writes a history row in the same statement, and a
// change event (entity CoordinationGap) in one statement after the last rule: inserting events
// takes the audit chain head lock until commit (change-event.writer.ts), so it comes last, and
// only when something opened or resolved, to keep writers waiting as briefly as possible.

/** Serialises passes that write gaps (the worker's, a recompute), across server instances too. */
export const GAPS_LOCK = `SELECT pg_advisory_xact_lock(hashtext('coordination-gaps'))`;

/**
 * A full recompute reads every household of a region: at bench scale (310,000 households) a
 * rule's statement takes seconds, more than the app's statement_timeout allows a request. The
 * passes that evaluate a whole region raise it for their own transaction only.
 */
export const FULL_RECOMPUTE_TIMEOUT = `SET LOCAL statement_timeout = '10min'`;

/** Which households a pass evaluates: given ids, or every household under a region prefix. */
export type Target = { householdIds: readonly string[] } | { regionPrefix: string };

/** The day the rules stand on, and the years derived from it. */
export interface AsOf {
  date: string;
  year: number;
  /** The school year that began last September (学年). */
  schoolYear: number;
}

export function asOf(date: string = DEFAULT_CALENDAR.today()): AsOf {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return { date, year, schoolYear: month >= 9 ? year : year - 1 };
}

/** What one pass changed. */
export interface PassResult {
  opened: number;
  resolved: number;
  updated: number;
}

/** Registers the rules' metadata rows (code, version) that gaps refer to; idempotent. */
export async function ensureRuleRows(db: SqlRunner): Promise<void> {
  await db.query(
    `INSERT INTO coordination_rule (code, version, name_zh, name_en, severity, department)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::department[])
     ON CONFLICT (code, version) DO NOTHING`,
    [
      RULES.map((r) => r.code), RULES.map((r) => r.version), RULES.map((r) => r.nameZh), RULES.map((r) => r.nameEn),
      RULES.map((r) => r.severity), RULES.map((r) => r.department),
    ],
  );
}

// $4: household ids (bigint[]) or null; $5: region prefix ('' = all). Thresholds: the county's
// latest row at or before the year, else the national default ('000000').
export const TARGET_CTES = `
  params AS (SELECT $1::date AS on_date, $2::int AS year, $3::int AS school_year),
  households AS (
    SELECT h.id, h.county_code, h.village_code, h.status, h.has_water FROM household h
     WHERE ($4::bigint[] IS NULL OR h.id = ANY($4::bigint[])) AND ${prefixRange('h.village_code', '$5')}
  ),
  thresholds AS (
    SELECT c.county_code, x.poverty_line, x.dibao_line, x.monitoring_factor
      FROM (SELECT DISTINCT county_code FROM households) c
      CROSS JOIN LATERAL (SELECT p.poverty_line, p.dibao_line, p.monitoring_factor FROM policy_threshold p
                           WHERE p.county_code IN (c.county_code, '000000') AND p.year <= $2::int
                           ORDER BY (p.county_code = c.county_code) DESC, p.year DESC LIMIT 1) x
  ),
  target AS (
    SELECT h.*, th.poverty_line, th.dibao_line, th.monitoring_factor
      FROM households h LEFT JOIN thresholds th ON th.county_code = h.county_code
  ),
  latest_income AS (
    SELECT DISTINCT ON (i.household_id) i.household_id, i.year, i.per_capita_net_income AS income
      FROM target t JOIN household_income i ON i.household_id = t.id
     WHERE i.year <= $2::int ORDER BY i.household_id, i.year DESC
  )`;

/** The statement that reconciles one rule's findings with the stored gaps of the target. */
function reconcileSql(rule: RuleDeclaration): string {
  // $6 rule code, $7 version, $8 department.
  return `WITH ${TARGET_CTES},
  found AS (${rule.sql}),
  live AS (
    SELECT g.id, g.household_id, g.person_key, g.status, g.facts, g.rule_version FROM coordination_gap g
     WHERE g.household_id IN (SELECT id FROM target) AND g.rule_code = $6 AND g.status <> 'resolved'
  ),
  refreshed AS (
    UPDATE coordination_gap g SET facts = f.facts, rule_version = $7::smallint, version = g.version + 1
      FROM live l JOIN found f ON f.household_id = l.household_id AND coalesce(f.person_id, 0) = l.person_key
     WHERE g.id = l.id AND g.status <> 'resolved' AND (l.facts <> f.facts OR l.rule_version <> $7::smallint)
     RETURNING g.id
  ),
  opened AS (
    INSERT INTO coordination_gap (rule_code, rule_version, household_id, person_id, person_key, department, county_code, village_code, facts)
    SELECT $6, $7::smallint, f.household_id, f.person_id, coalesce(f.person_id, 0), $8::department, t.county_code, t.village_code, f.facts
      FROM found f JOIN target t ON t.id = f.household_id
     WHERE NOT EXISTS (SELECT 1 FROM live l WHERE l.household_id = f.household_id AND l.person_key = coalesce(f.person_id, 0))
    ON CONFLICT (rule_code, household_id, person_key) WHERE status <> 'resolved' DO NOTHING
    RETURNING id, household_id, person_id, county_code, village_code
  ),
  resolved AS (
    UPDATE coordination_gap g SET status = 'resolved', resolved_at = now(), version = g.version + 1
      FROM live l
     WHERE g.id = l.id AND g.status <> 'resolved' AND NOT EXISTS (SELECT 1 FROM found f WHERE f.household_id = l.household_id AND coalesce(f.person_id, 0) = l.person_key)
     RETURNING g.id, l.status AS from_status, g.household_id, g.person_id, g.county_code, g.village_code
  ),
  history AS (
    INSERT INTO coordination_gap_history (gap_id, county_code, from_status, to_status)
    SELECT id, county_code, NULL, 'open'::gap_status FROM opened
    UNION ALL SELECT id, county_code, from_status, 'resolved'::gap_status FROM resolved
  )
  SELECT (SELECT coalesce(array_agg(id::text), '{}') FROM opened) AS opened, (SELECT coalesce(array_agg(id::text), '{}') FROM resolved) AS resolved,
         (SELECT count(*) FROM refreshed)::int AS updated`;
}

const STATEMENTS = new Map(RULES.map((r) => [r.code, reconcileSql(r)]));

/**
 * Evaluates every rule over `target` through `db` (the caller's transaction) and stores the
 * gaps. Set-based: one statement per rule whatever the number of households.
 */
export async function evaluateRules(db: SqlRunner, target: Target, on: AsOf = asOf()): Promise<PassResult> {
  const ids = 'householdIds' in target ? [...target.householdIds] : null;
  const prefix = 'regionPrefix' in target ? target.regionPrefix : '';
  const total: PassResult = { opened: 0, resolved: 0, updated: 0 };
  if (ids && ids.length === 0) return total;
  const opened: string[] = [];
  const resolved: string[] = [];
  for (const rule of RULES) {
    const [row] = (await db.query(STATEMENTS.get(rule.code)!, [
      on.date, on.year, on.schoolYear, ids, prefix, rule.code, rule.version, rule.department,
    ])) as Array<{ opened: string[]; resolved: string[]; updated: number }>;
    // A loop, not push(...ids): a full recompute opens hundreds of thousands at once.
    for (const id of row.opened) opened.push(id);
    for (const id of row.resolved) resolved.push(id);
    total.updated += row.updated;
  }
  total.opened = opened.length;
  total.resolved = resolved.length;
  if (opened.length || resolved.length) await recordGapEvents(db, opened, resolved);
  return total;
}

/** One change event per gap opened or resolved, and one NOTIFY (the last seq) at commit. */
async function recordGapEvents(db: SqlRunner, opened: string[], resolved: string[]): Promise<void> {
  await db.query(
    `WITH ids AS (
       SELECT id, 'create' AS kind, ARRAY['status', 'facts'] AS fields FROM unnest($1::bigint[]) id
       UNION ALL SELECT id, 'update', ARRAY['status'] FROM unnest($2::bigint[]) id
     ), events AS (
       INSERT INTO change_event (entity, entity_id, household_id, person_id, region_code, department, kind, fields)
       SELECT 'CoordinationGap', g.id::text, g.household_id, g.person_id, g.village_code, g.department, ids.kind, ids.fields
         FROM ids JOIN coordination_gap g ON g.id = ids.id ORDER BY g.id
       RETURNING seq
     )
     SELECT pg_notify('${EVENTS_CHANNEL}', max(seq)::text) FROM events HAVING count(*) > 0`,
    [opened, resolved],
  );
}
