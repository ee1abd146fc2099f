import { deriveFacet, type CustomReadSide, type DerivedFacet } from '../core/facet-schema';
import { FACETS } from './facets';
import { HealthConditionNode, healthConditionById } from './health';

// The GraphQL surface of every declared facet, derived once at startup (core/facet-schema.ts).
// A facet whose read side is written by hand (clinical masking) names it here; only its writes
// are derived.

const CUSTOM_READ: Record<string, CustomReadSide> = {
  // Clinical detail is released per field, per person, and its reads audited (health.resolver.ts).
  'health-condition': { node: HealthConditionNode, byId: healthConditionById },
};

/** Every declared facet with what was derived from it. */
export const DERIVED_FACETS: readonly DerivedFacet[] = FACETS.map((facet) => deriveFacet(facet, CUSTOM_READ[facet.kind]));

/** The generated resolver classes (facet edges on Household and Person, and the derived writes). */
export const facetResolvers: Function[] = DERIVED_FACETS.flatMap((d) => d.resolvers);
