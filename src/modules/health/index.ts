// Public surface of the health module. Other modules import only from here.
export * from './health.entities';

/** Resolver classes of this module (facet edges on Household and Person). */
export const healthResolvers: Function[] = [];
