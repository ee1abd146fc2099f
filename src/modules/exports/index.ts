// Public surface of the exports module (导出): CSV exports of department facets in their
// published column spec (GET /exports/:department/:kind), the spec itself in GraphQL
// (`importSpec`, `importKinds`) and the README's generated column tables.
import { ImportSpecResolver } from './import-spec.resolver';

export { exportsRouter } from './export.route';
export type { ExportRouterOptions } from './export.route';
export { exportCsvText, toCell, toCells, headerRow } from './export-csv';
export type { ExportEncoding, HeaderLanguage } from './export-csv';
export { checkExportRequest, exportSql, minorBirthDateBound } from './export.service';
export { importSpecOf } from './import-spec';
export { ImportSpecNode, ImportColumnNode, ImportValueKind, FacetParent } from './import-spec.types';
export { renderColumnTables, replaceColumnTables, columnTablesIn, COLUMNS_BEGIN, COLUMNS_END } from './column-tables';

/** Resolver classes of this module. */
export const exportsResolvers: Function[] = [ImportSpecResolver];
