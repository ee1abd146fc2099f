// Public surface of the education module. Other modules import only from here.
export * from './education.entities';
export { DropoutWatchNode, SchoolEnrolmentNode, StudentAidNode, YuluTrainingNode } from './education.types';
export { dropoutWatchesByPersonId, schoolEnrolmentsByPersonId, studentAidByPersonId, yuluTrainingsByPersonId } from './education.loaders';

import { EducationPersonResolver } from './education.resolver';

/** Resolver classes of this module (facet edges on Household and Person). */
export const educationResolvers: Function[] = [EducationPersonResolver];
