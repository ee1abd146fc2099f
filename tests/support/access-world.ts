import { permissionsOf, Role } from '../../src/core/auth';
import type { Permission } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer } from './app';
import { buildCounty, seedOnce } from './fixtures';
import { FACETS } from '../../src/modules/facets';
import { sampleRow } from './facet-samples';


// The world the access tests (issue 3 §2, §7) ask about: one caller's region and everything
// around it. A fixture city (`city`, 4 digits) holds three counties: A = city + 01 (three
// townships), B = city + 02 and C = city + 03 (one township each); another city (`foreignCity`)
// holds county F = foreignCity + 01. Every township has one village with two households: the
// first exited, the second monitored (the fixture's status cycle), so that no "last pairing of a
// registered household" rule gets in the way of a write. Households are numbered from `idBase`
// (A: +1…+6 by township, B: +10_001…, C: +20_001…, F: +30_001…); household h has members h*10+1
// (head, 1970), h*10+2 (spouse, 1972) and h*10+3 (child, 2014). `seedWorld` gives every
// household one record of each facet the write paths need and every division a project.
//
// A caller is scoped in one of two variants, each with five targets of every operation:
//
// | variant  | scope   | own           | sibling       | parent (above the scope)     | foreign  | missing               |
// |----------|---------|---------------|---------------|------------------------------|----------|-----------------------|
// | township | A + 001 | township A001 | township A002 | county A; records of A003    | county F | village 999 of A001   |
// | county   | A       | county A      | county B      | the city; records of county C | county F | township 099 of A     |
//
// "Parent" is the division above the scope where the operation names a division (the county
// node, a filter on it, records attached to it: projects, audit records); where it names a
// household-level record, which always lies in a village, it is a record elsewhere in the
// parent division (the third township, the third county), i.e. reachable only through it.

export type TargetKind = 'own' | 'sibling' | 'parent' | 'foreign' | 'missing';
export const TARGET_KINDS: readonly TargetKind[] = ['own', 'sibling', 'parent', 'foreign', 'missing'];

/** A caller of the matrix: an officer of each department, the other roles, and nobody. */
export interface Actor {
  label: string;
  role: Role | null;
  department: Department | null;
}

export const ACTORS: readonly Actor[] = [
  ...Object.values(Department).map((department): Actor => ({ label: `officer:${department}`, role: Role.OFFICER, department })),
  ...[Role.COORDINATOR, Role.ANALYST, Role.AUDITOR, Role.ADMIN].map((role): Actor => ({ label: role, role, department: null })),
  { label: 'anonymous', role: null, department: null },
];

/** The Authorization header of `actor` scoped to `scope` ('' for anonymous: no header at all). */
export async function authorizationOf(actor: Actor, scope: string): Promise<string> {
  if (!actor.role) return '';
  return bearer({ role: actor.role, department: actor.department, scope, sub: `access-${actor.label}-${scope}` });
}

/** Whether `actor` holds one of `permissions` (an operation's or a field's @Authorized). */
export function holds(actor: Actor, permissions: readonly string[] | null | undefined): boolean {
  if (!actor.role) return false;
  const granted = permissionsOf({ subject: 'x', role: actor.role, department: actor.department, scope: '99' });
  return !permissions || permissions.length === 0 || permissions.some((p) => granted.has(p as Permission));
}

export interface Variant {
  name: 'township' | 'county';
  /** The callers' scope. */
  scope: string;
  /** A division code per target (region(code), list filters, createHousehold's village). */
  region: Record<TargetKind, string>;
  /** A village code per target; `parent` is the parent division's code, which no village has. */
  village: Record<TargetKind, string>;
  /** A household id per target (records hang off it: members, facets). */
  household: Record<TargetKind, string>;
}

export interface World {
  idBase: number;
  city: string;
  foreignCity: string;
  counties: { A: string; B: string; C: string; F: string };
  variants: [Variant, Variant];
}

export interface Layout {
  city: string;
  foreignCity: string;
  idBase: number;
}

export function worldOf({ city, foreignCity, idBase }: Layout): World {
  const A = `${city}01`;
  const B = `${city}02`;
  const C = `${city}03`;
  const F = `${foreignCity}01`;
  const id = (offset: number) => String(idBase + offset);
  return {
    idBase,
    city,
    foreignCity,
    counties: { A, B, C, F },
    variants: [
      {
        name: 'township',
        scope: `${A}001`,
        region: { own: `${A}001`, sibling: `${A}002`, parent: A, foreign: F, missing: `${A}001999` },
        village: { own: `${A}001001`, sibling: `${A}002001`, parent: A, foreign: `${F}001001`, missing: `${A}001999` },
        household: { own: id(1), sibling: id(3), parent: id(5), foreign: id(30_001), missing: id(9_999) },
      },
      {
        name: 'county',
        scope: A,
        region: { own: A, sibling: B, parent: city, foreign: F, missing: `${A}099` },
        village: { own: `${A}002001`, sibling: `${B}001001`, parent: city, foreign: `${F}001001`, missing: `${A}099001` },
        household: { own: id(4), sibling: id(10_001), parent: id(20_001), foreign: id(30_002), missing: id(9_998) },
      },
    ],
  };
}

/** A person of a household: 1 head, 2 spouse, 3 child. */
export const memberOf = (householdId: string, m: 1 | 2 | 3) => `${householdId}${m}`;

/** Whether a division code (or padded code) lies inside `scope`. */
export const inside = (code: string, scope: string) => code.startsWith(scope);

/** Whether a region with significant prefix `prefix` is inside `scope` or one of its ancestors. */
export const scopeOrAncestor = (prefix: string, scope: string) => inside(prefix, scope) || scope.startsWith(prefix);

/** Facet tables the fixtures (and the statements below) already fill. */
const FIXTURE_TABLES = [
  'insurance_enrolment', 'school_enrolment', 'health_condition', 'medical_assistance_claim', 'dropout_watch', 'temporary_assistance',
  'housing_appraisal', 'renovation_project',
];

/**
 * Builds the world's counties and its facet records, once per database (the second caller
 * finds the cadres and leaves everything as it is).
 */
export async function seedWorld(url: string, world: World): Promise<void> {
  const { A, B, C, F } = world.counties;
  const { idBase } = world;
  await buildCounty(url, { county: A, townships: 3, villagesPerTownship: 1, householdsPerVillage: 2, idBase });
  await buildCounty(url, { county: B, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: idBase + 10_000 });
  await buildCounty(url, { county: C, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: idBase + 20_000 });
  await buildCounty(url, { county: F, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: idBase + 30_000 });
  const counties = [A, B, C, F];
  await seedOnce(url, `access-world:${A}`, { sql: 'SELECT 1 FROM cadre WHERE county_code = $1', params: [A] }, async (client) => {
    const q = (sql: string) => client.query(sql, [counties]);
    const households = 'household h WHERE h.county_code = ANY($1)';
    await q(`INSERT INTO cadre (county_code, name, unit) SELECT c, '干部' || c || '-' || n, '县扶贫办' FROM unnest($1::text[]) c, generate_series(1, 6) n`);
    await q(`INSERT INTO pairing (county_code, household_id, cadre_id, start_date)
             SELECT h.county_code, h.id, c.id, '2020-01-01'
               FROM household h CROSS JOIN LATERAL (SELECT id FROM cadre WHERE county_code = h.county_code ORDER BY id LIMIT 2) c
              WHERE h.county_code = ANY($1)`);
    // 低保: one closed-range enrolment (the one updates change) and one open one (the one ends end).
    await q(`INSERT INTO dibao_enrolment (county_code, household_id, category, monthly_amount, covered_persons, start_date, end_date, status)
             SELECT h.county_code, h.id, 'class_a', 300, 1, s, e, 'active'
               FROM household h CROSS JOIN (VALUES ('2019-01-01'::date, '2019-12-31'::date), ('2021-01-01'::date, NULL::date)) d(s, e)
              WHERE h.county_code = ANY($1)`);
    await q(`INSERT INTO temporary_assistance (county_code, household_id, paid_on, amount, reason) SELECT h.county_code, h.id, '2024-02-10', 800, '火灾' FROM ${households}`);
    await q(`INSERT INTO household_income (household_id, year, county_code, per_capita_net_income) SELECT h.id, 2023, h.county_code, 3000 FROM ${households}`);
    await q(`INSERT INTO medical_assistance_claim (county_code, household_id, person_id, claim_date, total_cost, reimbursed, out_of_pocket)
             SELECT h.county_code, h.id, h.id * 10 + 3, '2024-03-01', 1000, 800, 200 FROM ${households}`);
    await q(`INSERT INTO health_condition (county_code, household_id, person_id, kind, diagnosis, icd10_code, diagnosed_on)
             SELECT h.county_code, h.id, h.id * 10 + 1, 'chronic', '高血压', 'I10', '2018-06-01' FROM ${households}`);
    await q(`INSERT INTO dropout_watch (county_code, household_id, person_id, opened_on, reason, status)
             SELECT h.county_code, h.id, h.id * 10 + 3, '2024-09-01', '厌学', 'open' FROM ${households}`);
    await q(`INSERT INTO housing_appraisal (county_code, household_id, grade, appraised_on, appraiser)
             SELECT h.county_code, h.id, CASE WHEN h.id % 2 = 1 THEN 'C' ELSE 'A' END::housing_grade, '2023-05-01', '住建局' FROM ${households}`);
    await q(`INSERT INTO renovation_project (county_code, household_id, funding_department, subsidy_amount, status, start_date)
             SELECT h.county_code, h.id, 'housing', 15000, 'planned', '2024-03-01' FROM ${households}`);
    await q(`INSERT INTO relocation (county_code, household_id, destination_code, settlement_mode, planned_year, subsidy_amount, status)
             SELECT h.county_code, h.id, h.village_code, 'centralised', 2024, 5000, 'planned' FROM ${households}`);
    await q(`INSERT INTO measure (county_code, household_id, kind, department, status, amount, year, description)
             SELECT h.county_code, h.id, 'industry', 'poverty_office', 'planned', 1000, 2024, '养殖' FROM ${households}`);
    // A live coordination gap each department owns on every household (acknowledgeCoordinationGap),
    // under a rule code no rule has, so that a recompute in the same run leaves them alone.
    await q(`INSERT INTO coordination_gap (rule_code, rule_version, household_id, person_id, person_key, department, county_code, village_code, facts)
             SELECT 'ACCESS_MATRIX_' || d, 1, h.id, NULL, 0, d, h.county_code, h.village_code, '{}'::jsonb
               FROM household h CROSS JOIN unnest(enum_range(NULL::department)) d WHERE h.county_code = ANY($1)`);
    // Two records of every declared facet with derived writes that the fixtures do not already
    // fill (one an update changes, one an end ends), on the household's child (person facets), open-ended; samples
    // 2 and 3, so that the matrix's create (sample 0) never meets a natural key taken here.
    for (const facet of FACETS.filter((f) => f.mutations !== 'custom' && !FIXTURE_TABLES.includes(f.table))) {
      for (const variant of [2, 3]) {
        const row = sampleRow(facet, variant);
        const columns = Object.keys(row);
        const parent = facet.parent === 'person' ? ', person_id' : '';
        const parentValue = facet.parent === 'person' ? ', h.id * 10 + 3' : '';
        await client.query(
          `INSERT INTO ${facet.table} (county_code, household_id${parent}, ${columns.join(', ')})
           SELECT h.county_code, h.id${parentValue}, ${columns.map((_, i) => `$${i + 2}`).join(', ')} FROM ${households}`,
          [counties, ...Object.values(row)],
        );
      }
    }
    // A procedure on every household, in its village notice (公示) running around today whatever
    // the run's date, with its first three steps and an open objection (advanceProcedure,
    // raiseObjection, resolveObjection; Household.procedures and Procedure.* edges).
    await q(`INSERT INTO procedure (household_id, county_code, kind, year, step, applied_on, notice_starts_on, notice_ends_on, notice_text)
             SELECT h.id, h.county_code, 'exit', extract(year FROM current_date)::int, 'village_notice', current_date - 2, current_date - 1,
                    current_date + 3, '公示' FROM ${households}`);
    await q(`INSERT INTO procedure_step_record (procedure_id, household_id, county_code, step, actor, actor_role, actor_scope, occurred_on, comment)
             SELECT p.id, p.household_id, p.county_code, s.step, 'access-seed', 'officer', p.county_code, p.applied_on, '种子'
               FROM procedure p CROSS JOIN unnest('{application,village_review,village_notice}'::procedure_step[]) s(step) WHERE p.county_code = ANY($1)`);
    await q(`INSERT INTO procedure_objection (procedure_id, household_id, county_code, content, raised_by, raised_role, raised_on)
             SELECT p.id, p.household_id, p.county_code, '异议', 'access-seed', 'officer', current_date - 1 FROM procedure p WHERE p.county_code = ANY($1)`);
    // Projects on every division of the world, the cities included (records attached above a county).
    await q(`INSERT INTO project (county_code, region_code, name, kind, year, budget, status)
             SELECT CASE WHEN r.level = 'city' THEN left(r.code, 4) || '00' ELSE left(r.code, 6) END, r.code, '项目' || r.code,
                    'infrastructure', 2024, 10000, 'planned'
               FROM region r
              WHERE left(r.code, 6) = ANY($1) OR (r.level = 'city' AND left(r.code, 4) IN (SELECT left(c, 4) FROM unnest($1::text[]) c))`);
    await q(`INSERT INTO fund_allocation (county_code, project_id, source, amount, allocated_on)
             SELECT p.county_code, p.id, 'county', 1000, '2024-05-01' FROM project p
              WHERE p.county_code = ANY($1) OR p.county_code IN (SELECT left(c, 4) || '00' FROM unnest($1::text[]) c)`);
  });
}
