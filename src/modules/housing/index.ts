// Public surface of the housing module. Other modules import only from here.
export * from './housing.entities';
export { HousingAppraisalNode, RelocationNode, RenovationProjectNode } from './housing.types';
export { housingAppraisalsByHouseholdId, relocationsByHouseholdId, renovationProjectsByHouseholdId } from './housing.loaders';

import { HousingHouseholdResolver, RelocationResolver } from './housing.resolver';

/** Resolver classes of this module (facet edges on Household and Person). */
export const housingResolvers: Function[] = [HousingHouseholdResolver, RelocationResolver];
