import { apiKeyEntities } from './api-keys/api-key.entity';
import { aggregateEntities } from './aggregates/aggregate.entities';
import { auditEntities } from './audit/audit-record.entity';
import { coordinationEntities } from './coordination/coordination.entities';
import { civilAffairsEntities } from './civil-affairs/civil-affairs.entities';
import { eventEntities } from './events/change-event.entity';
import { educationEntities } from './education/education.entities';
import { healthEntities } from './health/health.entities';
import { ingestEntities } from './ingest/import-batch.entity';
import { housingEntities } from './housing/housing.entities';
import { povertyOfficeEntities } from './poverty-office/poverty-office.entities';
import { Region } from './region/region.entity';
import { Village } from './region/village.entity';
import { procedureEntities } from './procedures/procedure.entities';
import * as registry from './registry/registry.entities';
import { reportEntities } from './reports/saved-report.entity';

/** Every TypeORM entity, for the one DataSource. */
export const entities = [
  Region,
  Village,
  ...Object.values(registry),
  ...civilAffairsEntities,
  ...healthEntities,
  ...educationEntities,
  ...housingEntities,
  ...povertyOfficeEntities,
  ...auditEntities,
  ...eventEntities,
  ...reportEntities,
  ...ingestEntities,
  ...coordinationEntities,
  ...apiKeyEntities,
  ...procedureEntities,
  ...aggregateEntities,
];
