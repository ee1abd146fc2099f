// Public surface of the 建档立卡 registry module: households and persons.
export * from './registry.entities';
export { HouseholdNode, PersonNode, HouseholdFilter, PersonFilter, HouseholdConnection, PersonConnection } from './registry.types';
export { householdById, membersByHouseholdId, personById } from "./registry.loaders-public";
export { HouseholdService } from './household.service';
export { RegistryWriteService } from './registry-write.service';
export { ageOn } from './person.resolver';
export { DUPLICATE_ELSEWHERE_COUNT_SQL, duplicateElsewhereLimit, setDuplicateElsewhereLimit } from './duplicate-check';
export { AgeBand, bandOf } from './age-band';

// Side effect: declares the registry's read-ahead edges (core/prefetch).
import './household.edges';
import { HouseholdResolver, RegionHouseholdsResolver, VillageHouseholdsResolver } from './household.resolver';
import { NodeResolver } from './node.resolver';
import { PersonResolver } from './person.resolver';
import { RegistryWriteResolver } from './registry-write.resolver';
export const registryResolvers = [HouseholdResolver, RegionHouseholdsResolver, VillageHouseholdsResolver, PersonResolver, RegistryWriteResolver, NodeResolver] as const;
