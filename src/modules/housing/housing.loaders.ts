import { FACET_ID_COLUMNS, facetByIdLoader, facetEdge, facetLoader } from '../../core/facet-loader';
import type { RelocationNode } from './housing.types';

// Relocations' loaders, by hand with their write service (the destination rule). Appraisals and
// renovations derive from their declarations (housing.facets.ts).

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
facetEdge('Household', ['relocations'], relocationsByHouseholdId, () => relocationsByHouseholdId.spec);
