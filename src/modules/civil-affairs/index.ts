// Public surface of the civil-affairs module. Other modules import only from here.
export * from './civil-affairs.entities';
export {
  DibaoEnrolmentNode, DisabilitySubsidyNode, ExtremePovertySupportNode, LeftBehindRecordNode, TemporaryAssistanceNode,
} from './civil-affairs.types';
export {
  dibaoEnrolmentById, dibaoEnrolmentsByHouseholdId, disabilitySubsidiesByPersonId, extremePovertySupportsByPersonId,
  leftBehindRecordsByPersonId, temporaryAssistanceByHouseholdId, temporaryAssistanceById,
} from './civil-affairs.loaders';
export { CivilAffairsWriteService } from './civil-affairs-write.service';

import { CivilAffairsHouseholdResolver, CivilAffairsPersonResolver } from './civil-affairs.resolver';
import { CivilAffairsWriteResolver } from './civil-affairs-write.resolver';

/** Resolver classes of this module (facet edges on Household and Person, and its writes). */
export const civilAffairsResolvers: Function[] = [CivilAffairsHouseholdResolver, CivilAffairsPersonResolver, CivilAffairsWriteResolver];
