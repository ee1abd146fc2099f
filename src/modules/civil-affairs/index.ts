// Public surface of the civil-affairs module. Other modules import only from here.
export * from './civil-affairs.entities';
export {
  DibaoEnrolmentNode, DisabilitySubsidyNode, ExtremePovertySupportNode, LeftBehindRecordNode, TemporaryAssistanceNode,
} from './civil-affairs.types';
export {
  dibaoEnrolmentsByHouseholdId, disabilitySubsidiesByPersonId, extremePovertySupportsByPersonId, leftBehindRecordsByPersonId,
  temporaryAssistanceByHouseholdId,
} from './civil-affairs.loaders';

import { CivilAffairsHouseholdResolver, CivilAffairsPersonResolver } from './civil-affairs.resolver';

/** Resolver classes of this module (facet edges on Household and Person). */
export const civilAffairsResolvers: Function[] = [CivilAffairsHouseholdResolver, CivilAffairsPersonResolver];
