import { CreateHouseholdGraph1795338322171 } from './1795338322171-CreateHouseholdGraph';
import { InsertPovertyCauseVocabulary1795338400000 } from './1795338400000-InsertPovertyCauseVocabulary';
import { CreateAuditLog1795461878404 } from './1795461878404-CreateAuditLog';
import { AddHouseholdRollupIndex1795600000000 } from './1795600000000-AddHouseholdRollupIndex';
import { RestrictAppRole1795700000000 } from './1795700000000-RestrictAppRole';
import { AddDuplicateElsewhereOutcome1795948148444 } from './1795948148444-AddDuplicateElsewhereOutcome';
import { CreateChangeEvent1796000000000 } from './1796000000000-CreateChangeEvent';
import { CreateImportBatches1796100000000 } from './1796100000000-CreateImportBatches';
import { AddMedicalAssistanceCap1796200000000 } from './1796200000000-AddMedicalAssistanceCap';
import { CreateSavedReport1796400000000 } from './1796400000000-CreateSavedReport';
import { CreateCoordinationGaps1796500000000 } from './1796500000000-CreateCoordinationGaps';
import { CreateApiKey1796610000000 } from './1796610000000-CreateApiKey';
import { CreateProcedures1796640000000 } from './1796640000000-CreateProcedures';
import { ExtendMeasure1796630000000 } from './1796630000000-ExtendMeasure';
import { CreatePublicNotices1796631000000 } from './1796631000000-CreatePublicNotices';
import { CreateCadreVisits1796632000000 } from './1796632000000-CreateCadreVisits';
import { CreateSupportPlans1796633000000 } from './1796633000000-CreateSupportPlans';
import { AddMeasureUtilities1796634000000 } from './1796634000000-AddMeasureUtilities';
import { CreateAggregateCatalog1796600000000 } from './1796600000000-CreateAggregateCatalog';

// Every migration, in order. A test fails when a file in this folder is missing here.
export const migrations: Function[] = [CreateHouseholdGraph1795338322171, InsertPovertyCauseVocabulary1795338400000, CreateAuditLog1795461878404, AddHouseholdRollupIndex1795600000000, RestrictAppRole1795700000000, AddDuplicateElsewhereOutcome1795948148444, CreateChangeEvent1796000000000, CreateImportBatches1796100000000, AddMedicalAssistanceCap1796200000000, CreateSavedReport1796400000000, CreateCoordinationGaps1796500000000, CreateAggregateCatalog1796600000000, CreateApiKey1796610000000, ExtendMeasure1796630000000, CreatePublicNotices1796631000000, CreateCadreVisits1796632000000, CreateSupportPlans1796633000000, AddMeasureUtilities1796634000000, CreateProcedures1796640000000];
