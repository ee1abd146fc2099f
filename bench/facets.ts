// The department facets as the bench reads them: for each, the GraphQL field, its selection
// and the SQL that builds the same JSON inside PostgreSQL (alias `f`), so that the app's query
// (queries.ts) and the baseline's statements (baseline-sql.ts) cannot drift apart. Orders and
// select lists follow the facet loaders in src/modules/*/*.loaders.ts; the baseline's scope
// parameter is $2 (a LIKE pattern such as '431226%').

/** One output field: its GraphQL selection (`cadre { id name }` for an object) and its SQL. */
export type Column = [selection: string, sql: string];

export interface FacetSpec {
  field: string;
  table: string;
  key: 'household_id' | 'person_id';
  orderBy: string;
  columns: Column[];
}

const enumCol = (name: string, col: string): Column => [name, `upper(f.${col}::text)`];
const floatCol = (name: string, col: string): Column => [name, `f.${col}::float8`];
const col = (name: string, column: string): Column => [name, `f.${column}`];
const HOUSEHOLD_BASE: Column[] = [['id', 'f.id::text'], ['version', 'f.version'], ['householdId', 'f.household_id::text']];
const PERSON_BASE: Column[] = [...HOUSEHOLD_BASE, ['personId', 'f.person_id::text']];

/** A region as the app shows it: inside the caller's scope, or an ancestor of it; else null. */
const VISIBLE_REGION = `(r.code LIKE $2 OR $2 LIKE left(r.code, CASE r.level WHEN 'province' THEN 2 WHEN 'city' THEN 4
  WHEN 'county' THEN 6 WHEN 'township' THEN 9 ELSE 12 END) || '%')`;

const household = (field: string, table: string, orderBy: string, columns: Column[]): FacetSpec =>
  ({ field, table, key: 'household_id', orderBy, columns: [...HOUSEHOLD_BASE, ...columns] });
const person = (field: string, table: string, orderBy: string, columns: Column[]): FacetSpec =>
  ({ field, table, key: 'person_id', orderBy, columns: [...PERSON_BASE, ...columns] });

export const DIBAO = household('dibaoEnrolments', 'dibao_enrolment', 'f.start_date DESC, f.id DESC', [
  enumCol('category', 'category'), floatCol('monthlyAmount', 'monthly_amount'), col('coveredPersons', 'covered_persons'),
  col('startDate', 'start_date'), col('endDate', 'end_date'), enumCol('status', 'status'),
]);
export const HOUSING_APPRAISALS = household('housingAppraisals', 'housing_appraisal', 'f.appraised_on DESC, f.id DESC', [
  col('grade', 'grade'), col('appraisedOn', 'appraised_on'), col('appraiser', 'appraiser'),
]);
export const MEASURES = household('measures', 'measure', 'f.year DESC, f.id DESC', [
  enumCol('kind', 'kind'), enumCol('department', 'department'), enumCol('status', 'status'), floatCol('amount', 'amount'),
  col('year', 'year'), col('description', 'description'),
]);

export const HOUSEHOLD_FACETS: FacetSpec[] = [
  DIBAO,
  household('temporaryAssistance', 'temporary_assistance', 'f.paid_on DESC, f.id DESC', [
    col('paidOn', 'paid_on'), floatCol('amount', 'amount'), col('reason', 'reason'),
  ]),
  HOUSING_APPRAISALS,
  household('renovationProjects', 'renovation_project', 'f.start_date DESC, f.id DESC', [
    enumCol('fundingDepartment', 'funding_department'), floatCol('subsidyAmount', 'subsidy_amount'), enumCol('status', 'status'),
    col('startDate', 'start_date'), col('completedOn', 'completed_on'),
  ]),
  household('relocations', 'relocation', 'f.planned_year DESC, f.id DESC', [
    col('destinationCode', 'destination_code'), enumCol('settlementMode', 'settlement_mode'), col('plannedYear', 'planned_year'),
    col('movedOn', 'moved_on'), floatCol('subsidyAmount', 'subsidy_amount'), enumCol('status', 'status'),
    ['destination { code name }', `(SELECT json_build_object('code', r.code, 'name', r.name) FROM region r
        WHERE r.code = f.destination_code AND ${VISIBLE_REGION})`],
  ]),
  household('pairings', 'pairing', 'f.start_date DESC, f.id DESC', [
    col('startDate', 'start_date'), col('endDate', 'end_date'),
    ['cadre { id name unit phone }', `(SELECT json_build_object('id', c.id::text, 'name', c.name, 'unit', c.unit, 'phone', c.phone)
        FROM cadre c WHERE c.id = f.cadre_id)`],
  ]),
  MEASURES,
];

export const PERSON_FACETS: FacetSpec[] = [
  person('extremePovertySupports', 'extreme_poverty_support', 'f.start_date DESC, f.id DESC', [
    enumCol('careMode', 'care_mode'), floatCol('monthlyAmount', 'monthly_amount'), col('startDate', 'start_date'), col('endDate', 'end_date'),
  ]),
  person('leftBehindRecords', 'left_behind_record', 'f.start_date DESC, f.id DESC', [
    enumCol('kind', 'kind'), col('contactPerson', 'contact_person'), col('startDate', 'start_date'), col('endDate', 'end_date'),
  ]),
  person('disabilitySubsidies', 'disability_subsidy', 'f.start_date DESC, f.id DESC', [
    enumCol('kind', 'kind'), floatCol('monthlyAmount', 'monthly_amount'), col('startDate', 'start_date'), col('endDate', 'end_date'),
  ]),
  person('schoolEnrolments', 'school_enrolment', 'f.school_year DESC, f.id DESC', [
    col('schoolYear', 'school_year'), enumCol('stage', 'stage'), col('schoolName', 'school_name'), col('grade', 'grade'), enumCol('status', 'status'),
  ]),
  person('dropoutWatches', 'dropout_watch', 'f.opened_on DESC, f.id DESC', [
    col('openedOn', 'opened_on'), col('reason', 'reason'), enumCol('status', 'status'), col('closedOn', 'closed_on'),
  ]),
  person('studentAid', 'student_aid', 'f.school_year DESC, f.id DESC', [
    enumCol('kind', 'kind'), col('schoolYear', 'school_year'), floatCol('amount', 'amount'),
  ]),
  person('trainings', 'yulu_training', 'f.start_date DESC, f.id DESC', [
    col('programme', 'programme'), col('startDate', 'start_date'), col('endDate', 'end_date'), floatCol('subsidy', 'subsidy'), enumCol('status', 'status'),
  ]),
  person('insuranceEnrolments', 'insurance_enrolment', 'f.year DESC, f.id DESC', [
    col('year', 'year'), enumCol('scheme', 'scheme'), floatCol('premium', 'premium'), floatCol('subsidy', 'subsidy'),
  ]),
  // A coordinator never sees clinical detail (src/core/privacy.ts): diagnosis and code are null.
  person('healthConditions', 'health_condition', 'f.diagnosed_on DESC, f.id DESC', [
    enumCol('kind', 'kind'), col('diagnosedOn', 'diagnosed_on'), ['diagnosis', 'NULL::text'], ['icd10Code', 'NULL::text'],
  ]),
  person('medicalAssistanceClaims', 'medical_assistance_claim', 'f.claim_date DESC, f.id DESC', [
    col('claimDate', 'claim_date'), floatCol('totalCost', 'total_cost'), floatCol('reimbursed', 'reimbursed'), floatCol('outOfPocket', 'out_of_pocket'),
  ]),
  person('familyDoctorContracts', 'family_doctor_contract', 'f.start_date DESC, f.id DESC', [
    col('doctorName', 'doctor_name'), col('clinic', 'clinic'), col('startDate', 'start_date'), col('endDate', 'end_date'),
  ]),
];

/** The same facet with only some of its fields (for the dashboard). */
export function pick(spec: FacetSpec, names: string[]): FacetSpec {
  return { ...spec, columns: names.map((n) => spec.columns.find(([s]) => s.split(' ')[0] === n) ?? missing(spec, n)) };
}

const missing = (spec: FacetSpec, name: string): never => {
  throw new Error(`bench/facets.ts: ${spec.field} has no field ${name}`);
};

/** GraphQL selection of a facet's fields: `id version … cadre { id name }`. */
export const selectionOf = (columns: Column[]) => columns.map(([s]) => s).join(' ');

/** `json_build_object(…)` of a facet row (alias f). */
export const jsonOf = (columns: Column[]) => `json_build_object(${columns.map(([s, sql]) => `'${s.split(' ')[0]}', ${sql}`).join(', ')})`;

/** GraphQL: `dibaoEnrolments { … }`. */
export const facetSelection = (spec: FacetSpec, field = spec.field) => `${field} { ${selectionOf(spec.columns)} }`;

/** SQL: the facet's rows of the parent row `parent` (alias of a household or person) as a JSON array. */
export const facetListSql = (spec: FacetSpec, parent: string) =>
  `coalesce((SELECT json_agg(${jsonOf(spec.columns)} ORDER BY ${spec.orderBy}) FROM ${spec.table} f WHERE f.${spec.key} = ${parent}.id), '[]')`;

/** SQL: the facet's first row in its order (or null) as a JSON object. */
export const facetFirstSql = (spec: FacetSpec, parent: string) =>
  `(SELECT ${jsonOf(spec.columns)} FROM ${spec.table} f WHERE f.${spec.key} = ${parent}.id ORDER BY ${spec.orderBy} LIMIT 1)`;
