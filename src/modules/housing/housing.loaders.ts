import { FACET_ID_COLUMNS, facetByIdLoader, facetEdge, facetLoader } from '../../core/facet-loader';
import type { HousingAppraisalNode, RelocationNode, RenovationProjectNode } from './housing.types';

// One loader per facet relation; each select list names exactly the fields of its read type.

const HOUSING_APPRAISAL_COLUMNS = `${FACET_ID_COLUMNS}, f.grade, f.appraised_on AS "appraisedOn", f.appraiser`;

/** housingAppraisalsByHouseholdId: household id → appraisals, newest first (the first is the current grade). */
export const housingAppraisalsByHouseholdId = facetLoader<HousingAppraisalNode>({
  table: 'housing_appraisal',
  key: 'household_id',
  columns: HOUSING_APPRAISAL_COLUMNS,
  orderBy: 'f.appraised_on DESC, f.id DESC',
});

/** housingAppraisalById: one appraisal (read back after a write). */
export const housingAppraisalById = facetByIdLoader<HousingAppraisalNode>({ table: 'housing_appraisal', columns: HOUSING_APPRAISAL_COLUMNS });

const RENOVATION_PROJECT_COLUMNS = `${FACET_ID_COLUMNS}, f.funding_department AS "fundingDepartment", f.subsidy_amount::float8 AS "subsidyAmount",
  f.status, f.start_date AS "startDate", f.completed_on AS "completedOn"`;

/** renovationProjectsByHouseholdId: household id → 危房改造 projects, newest first. */
export const renovationProjectsByHouseholdId = facetLoader<RenovationProjectNode>({
  table: 'renovation_project',
  key: 'household_id',
  columns: RENOVATION_PROJECT_COLUMNS,
  orderBy: 'f.start_date DESC, f.id DESC',
});

/** renovationProjectById: one 危房改造 project (read back after a write). */
export const renovationProjectById = facetByIdLoader<RenovationProjectNode>({ table: 'renovation_project', columns: RENOVATION_PROJECT_COLUMNS });

const RELOCATION_COLUMNS = `${FACET_ID_COLUMNS}, f.destination_code AS "destinationCode", f.settlement_mode AS "settlementMode",
  f.planned_year AS "plannedYear", f.moved_on AS "movedOn", f.subsidy_amount::float8 AS "subsidyAmount", f.status`;

/** relocationsByHouseholdId: household id → 易地扶贫搬迁 relocations, newest plan first. */
export const relocationsByHouseholdId = facetLoader<RelocationNode>({
  table: 'relocation',
  key: 'household_id',
  columns: RELOCATION_COLUMNS,
  needs: ['destinationCode'],
  orderBy: 'f.planned_year DESC, f.id DESC',
});

/** relocationById: one 易地扶贫搬迁 relocation (read back after a write). */
export const relocationById = facetByIdLoader<RelocationNode>({ table: 'relocation', columns: RELOCATION_COLUMNS });

// Read-ahead edges (core/prefetch): a household card or page fetches these with the households.
// latestHousingAppraisal reads the whole list (its first row), so both fields share the edge.
facetEdge('Household', ['housingAppraisals', 'latestHousingAppraisal'], housingAppraisalsByHouseholdId, () => housingAppraisalsByHouseholdId.spec);
facetEdge('Household', ['renovationProjects'], renovationProjectsByHouseholdId, () => renovationProjectsByHouseholdId.spec);
facetEdge('Household', ['relocations'], relocationsByHouseholdId, () => relocationsByHouseholdId.spec);
