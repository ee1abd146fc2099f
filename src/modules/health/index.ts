// Public surface of the health module. Other modules import only from here.
export * from './health.entities';
export { FamilyDoctorContractNode, HealthConditionNode, InsuranceEnrolmentNode, MedicalAssistanceClaimNode } from './health.types';
export {
  familyDoctorContractsByPersonId, healthConditionsByPersonId, insuranceEnrolmentsByPersonId, medicalAssistanceClaimsByPersonId,
} from './health.loaders';

import { HealthConditionResolver, HealthPersonResolver } from './health.resolver';

/** Resolver classes of this module (facet edges on Household and Person). */
export const healthResolvers: Function[] = [HealthPersonResolver, HealthConditionResolver];
