// Public surface of the poverty-office module. Other modules import only from here.
export * from './poverty-office.entities';

/** Resolver classes of this module (facet edges on Household and Person). */
export const povertyOfficeResolvers: Function[] = [];
