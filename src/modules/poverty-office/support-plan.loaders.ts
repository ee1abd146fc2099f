import { FACET_ID_COLUMNS, facetByIdLoader, facetLoader } from '../../core/facet-loader';
import type { SupportPlanNode } from './support-plan.types';

const PLAN_COLUMNS = `${FACET_ID_COLUMNS}, f.year, f.goal`;

/** supportPlansByHouseholdId: household id → its plans, newest year first. */
export const supportPlansByHouseholdId = facetLoader<SupportPlanNode>({ table: 'support_plan', key: 'household_id', columns: PLAN_COLUMNS, orderBy: 'f.year DESC' });

/** supportPlanById: one plan (read back after a write). */
export const supportPlanById = facetByIdLoader<SupportPlanNode>({ table: 'support_plan', columns: PLAN_COLUMNS });
