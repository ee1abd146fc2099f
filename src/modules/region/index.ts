// Public surface of the region module: divisions, villages and their loaders.
export { Region } from './region.entity';
export { Village } from './village.entity';
export { Utilities as UtilitiesColumns } from './utilities.embedded';
export { RegionNode, VillageNode, Utilities, VillageIndicators } from './region.types';
export { regionByCode, childrenByParentCode, villageByCode, VILLAGE_COLUMNS } from './region.loaders';
export { RegionResolver, VillageResolver } from './region.resolver';

import { RegionResolver, VillageResolver } from './region.resolver';
export const regionResolvers = [RegionResolver, VillageResolver] as const;
