// Public surface of the education module. Other modules import only from here.
export * from './education.entities';

/** Resolver classes of this module (facet edges on Household and Person). */
export const educationResolvers: Function[] = [];
