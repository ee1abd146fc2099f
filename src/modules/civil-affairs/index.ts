// Public surface of the civil-affairs module. Other modules import only from here.
export * from './civil-affairs.entities';

/** Resolver classes of this module (facet edges on Household and Person). */
export const civilAffairsResolvers: Function[] = [];
