// Public surface of the reports module (统计报表, issue 9 §1): the report engine (catalog,
// one-statement SQL, service), saved definitions and the CSV export.
export { ReportDimension, ReportMetric, DIMENSIONS, METRICS, MAX_DIMENSIONS, MAX_REPORT_ROWS } from './report-catalog';
export type { Grain } from './report-catalog';
export { checkDefinition, reportStatement } from './report-sql';
export type { ReportDefinition, ReportFilterValues } from './report-sql';
export { runReport } from './report.service';
export { parseDefinition } from './saved-report.service';
export { reportExport } from './report-export';
import { ReportResolver } from './report.resolver';
export const reportResolvers: Function[] = [ReportResolver];
