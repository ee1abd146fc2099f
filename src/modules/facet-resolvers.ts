import { deriveFacet, type CustomReadSide, type DerivedFacet } from '../core/facet-schema';
import { dibaoEnrolmentById, DibaoEnrolmentNode } from './civil-affairs';
import { dropoutWatchById, DropoutWatchNode, schoolEnrolmentById, SchoolEnrolmentNode } from './education';
import { FACETS } from './facets';
import { HealthConditionNode, healthConditionById } from './health';
import { relocationById, RelocationNode } from './housing';

// The GraphQL surface of every declared facet, derived once at startup (core/facet-schema.ts).
// A facet whose read side is written by hand names it here: health conditions (clinical detail
// released per field; their writes are derived) and the facets whose writes have rules over other
// rows or tables (`mutations: 'custom'`: 低保, school enrolment, dropout watch, relocation), whose
// hand-written services return their hand-written types.

const CUSTOM_READ: Record<string, CustomReadSide> = {
  // Clinical detail is released per field, per person, and its reads audited (health.resolver.ts).
  'health-condition': { node: HealthConditionNode, byId: healthConditionById },
  'dibao-enrolment': { node: DibaoEnrolmentNode, byId: dibaoEnrolmentById },
  'school-enrolment': { node: SchoolEnrolmentNode, byId: schoolEnrolmentById },
  'dropout-watch': { node: DropoutWatchNode, byId: dropoutWatchById },
  relocation: { node: RelocationNode, byId: relocationById },
};

/** Every declared facet with what was derived from it. */
export const DERIVED_FACETS: readonly DerivedFacet[] = FACETS.map((facet) => deriveFacet(facet, CUSTOM_READ[facet.kind]));

/** The generated resolver classes (facet edges on Household and Person, and the derived writes). */
export const facetResolvers: Function[] = DERIVED_FACETS.flatMap((d) => d.resolvers);
