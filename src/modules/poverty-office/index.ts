// Public surface of the poverty-office module. Other modules import only from here.
export * from './poverty-office.entities';
export { CadreNode, FundAllocationNode, MeasureNode, PairingNode, ProjectNode } from './poverty-office.types';
export { fundAllocationsByProjectId, measuresByHouseholdId, pairingsByHouseholdId, projectsByRegionPrefix } from './poverty-office.loaders';

import {
  PovertyOfficeHouseholdResolver, ProjectResolver, RegionProjectsResolver, VillageProjectsResolver,
} from './poverty-office.resolver';

/** Resolver classes of this module (facet edges on Household, Region and Village, and Project's own edges). */
export const povertyOfficeResolvers: Function[] = [PovertyOfficeHouseholdResolver, RegionProjectsResolver, VillageProjectsResolver, ProjectResolver];
