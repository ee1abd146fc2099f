import { FACET_ID_COLUMNS, facetByIdLoader, facetEdge, facetLoader } from '../../core/facet-loader';
import type { DibaoEnrolmentNode } from './civil-affairs.types';

// One loader per facet relation; each select list names exactly the API fields of its type.

const DIBAO_ENROLMENT_COLUMNS = `${FACET_ID_COLUMNS}, f.category, f.monthly_amount::float8 AS "monthlyAmount",
  f.covered_persons AS "coveredPersons", f.start_date AS "startDate", f.end_date AS "endDate", f.status`;

/** dibaoEnrolmentsByHouseholdId: household id → 低保 enrolments, newest first. */
export const dibaoEnrolmentsByHouseholdId = facetLoader<DibaoEnrolmentNode>({
  table: 'dibao_enrolment',
  key: 'household_id',
  columns: DIBAO_ENROLMENT_COLUMNS,
  orderBy: 'f.start_date DESC, f.id DESC',
});

/** dibaoEnrolmentById: one 低保 enrolment (read back after a write). */
export const dibaoEnrolmentById = facetByIdLoader<DibaoEnrolmentNode>({ table: 'dibao_enrolment', columns: DIBAO_ENROLMENT_COLUMNS });

// Read-ahead edges (core/prefetch): a household card or page fetches these with the households.
facetEdge('Household', ['dibaoEnrolments'], dibaoEnrolmentsByHouseholdId, () => dibaoEnrolmentsByHouseholdId.spec);
