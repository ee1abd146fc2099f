// Public surface of the summary (aggregates) module: cross-department figures per region.
export { RegionSummary, StatusCount, CauseCount } from './summary.types';
import { RegionSummaryEdgeResolver, RegionSummaryResolver } from './summary.resolver';
export const summaryResolvers: Function[] = [RegionSummaryEdgeResolver, RegionSummaryResolver];
