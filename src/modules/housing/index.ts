// Public surface of the housing module. Other modules import only from here.
export * from './housing.entities';
export { RelocationNode } from './housing.types';
export { relocationById, relocationsByHouseholdId } from './housing.loaders';
export { HousingWriteService } from './housing-write.service';

import { HousingHouseholdResolver, RelocationResolver } from './housing.resolver';
import { HousingWriteResolver } from './housing-write.resolver';

/** Resolver classes of this module (facet edges on Household and Person, and its writes). */
export const housingResolvers: Function[] = [HousingHouseholdResolver, RelocationResolver, HousingWriteResolver];
