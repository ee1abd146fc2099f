// Public surface of the health module. Other modules import only from here.
export * from './health.entities';
export { HealthConditionNode, MedicalAssistanceClaimNode } from './health.types';
export {
  healthConditionById, healthConditionsByPersonId, medicalAssistanceClaimById, medicalAssistanceClaimsByPersonId,
} from './health.loaders';
export { HealthWriteService } from './health-write.service';

import { HealthConditionResolver, HealthPersonResolver } from './health.resolver';
import { HealthWriteResolver } from './health-write.resolver';

/** Resolver classes of this module (facet edges on Household and Person, and its writes). */
export const healthResolvers: Function[] = [HealthPersonResolver, HealthConditionResolver, HealthWriteResolver];
