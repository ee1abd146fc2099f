// Public surface of the health module. Other modules import only from here.
export * from './health.entities';
export { HealthConditionNode } from './health.types';
export { healthConditionById, healthConditionsByPersonId } from './health.loaders';

import { HealthConditionResolver, HealthPersonResolver } from './health.resolver';

/**
 * Resolver classes of this module: the hand-written read side of health conditions (clinical
 * detail). Every other health facet, and the conditions' writes, derive from health.facets.ts.
 */
export const healthResolvers: Function[] = [HealthPersonResolver, HealthConditionResolver];
