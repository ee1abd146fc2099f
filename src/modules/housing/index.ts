// Public surface of the housing module. Other modules import only from here.
export * from './housing.entities';

/** Resolver classes of this module (facet edges on Household and Person). */
export const housingResolvers: Function[] = [];
