import { apiKeyResolvers } from './api-keys';
import { aggregateResolvers } from './aggregates';
import { auditResolvers } from './audit';
import { civilAffairsResolvers } from './civil-affairs';
import { coordinationResolvers } from './coordination';
import { educationResolvers } from './education';
import { exportsResolvers } from './exports';
import { facetResolvers } from './facet-resolvers';
import { healthResolvers } from './health';
import { housingResolvers } from './housing';
import { ingestResolvers } from './ingest';
import { liveSubscriptionResolvers } from './live';
import { povertyOfficeResolvers } from './poverty-office';
import { procedureResolvers } from './procedures';
import { regionResolvers } from './region';
import { registryResolvers } from './registry';
import { reportResolvers } from './reports';
import { summaryResolvers } from './summary';

/** Every resolver class of every module, for the one schema. */
export const resolvers = [
  ...regionResolvers,
  ...registryResolvers,
  ...civilAffairsResolvers,
  ...healthResolvers,
  ...educationResolvers,
  ...housingResolvers,
  ...povertyOfficeResolvers,
  ...facetResolvers,
  ...summaryResolvers,
  ...reportResolvers,
  ...auditResolvers,
  ...exportsResolvers,
  ...ingestResolvers,
  ...coordinationResolvers,
  ...liveSubscriptionResolvers,
  ...apiKeyResolvers,
  ...procedureResolvers,
  ...aggregateResolvers,
] as const;
