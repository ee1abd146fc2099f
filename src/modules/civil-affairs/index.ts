// Public surface of the civil-affairs module. Other modules import only from here.
export * from './civil-affairs.entities';
export { DibaoEnrolmentNode } from './civil-affairs.types';
export { dibaoEnrolmentById, dibaoEnrolmentsByHouseholdId } from './civil-affairs.loaders';
export { CivilAffairsWriteService } from './civil-affairs-write.service';

import { CivilAffairsHouseholdResolver } from './civil-affairs.resolver';
import { CivilAffairsWriteResolver } from './civil-affairs-write.resolver';

/** Resolver classes of this module (its hand-written facet edges and writes; declared facets: modules/facet-resolvers.ts). */
export const civilAffairsResolvers: Function[] = [CivilAffairsHouseholdResolver, CivilAffairsWriteResolver];
