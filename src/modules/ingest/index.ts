// Public surface of the ingest module (导入): the HTTP routes, the limits, the engine's entry
// points and the GraphQL resolvers of batches. Other modules import only from here.
import { ImportResolver } from './import.resolver';

export { importRouter } from './import.http';
export { importLimitsOf, useImportLimits } from './import-limits';
export { runImport, DEFAULT_IMPORT_LIMITS } from './import-engine';
export { ImportBatchService } from './import-batch.service';
export { ImportBatchNode } from './import.types';
export { ingestEntities } from './import-batch.entity';

/** Resolver classes of this module. */
export const ingestResolvers: Function[] = [ImportResolver];
