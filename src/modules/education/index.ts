// Public surface of the education module. Other modules import only from here.
export * from './education.entities';
export { DropoutWatchNode, SchoolEnrolmentNode } from './education.types';
export { dropoutWatchById, dropoutWatchesByPersonId, schoolEnrolmentById, schoolEnrolmentsByPersonId } from './education.loaders';
export { EducationWriteService } from './education-write.service';

import { EducationPersonResolver } from './education.resolver';
import { EducationWriteResolver } from './education-write.resolver';

/** Resolver classes of this module (facet edges on Household and Person, and its writes). */
export const educationResolvers: Function[] = [EducationPersonResolver, EducationWriteResolver];
