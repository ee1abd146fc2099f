import { FACET_ID_COLUMNS, facetLoader } from '../../core/facet-loader';
import type { HousingAppraisalNode, RelocationNode, RenovationProjectNode } from './housing.types';

// One loader per facet relation; each select list names exactly the fields of its read type.

/** housingAppraisalsByHouseholdId: household id → appraisals, newest first (the first is the current grade). */
export const housingAppraisalsByHouseholdId = facetLoader<HousingAppraisalNode>({
  table: 'housing_appraisal',
  key: 'household_id',
  columns: `${FACET_ID_COLUMNS}, f.grade, f.appraised_on AS "appraisedOn", f.appraiser`,
  orderBy: 'f.appraised_on DESC, f.id DESC',
});

/** renovationProjectsByHouseholdId: household id → 危房改造 projects, newest first. */
export const renovationProjectsByHouseholdId = facetLoader<RenovationProjectNode>({
  table: 'renovation_project',
  key: 'household_id',
  columns: `${FACET_ID_COLUMNS}, f.funding_department AS "fundingDepartment", f.subsidy_amount::float8 AS "subsidyAmount",
    f.status, f.start_date AS "startDate", f.completed_on AS "completedOn"`,
  orderBy: 'f.start_date DESC, f.id DESC',
});

/** relocationsByHouseholdId: household id → 易地扶贫搬迁 relocations, newest plan first. */
export const relocationsByHouseholdId = facetLoader<RelocationNode>({
  table: 'relocation',
  key: 'household_id',
  columns: `${FACET_ID_COLUMNS}, f.destination_code AS "destinationCode", f.settlement_mode AS "settlementMode",
    f.planned_year AS "plannedYear", f.moved_on AS "movedOn", f.subsidy_amount::float8 AS "subsidyAmount", f.status`,
  orderBy: 'f.planned_year DESC, f.id DESC',
});
