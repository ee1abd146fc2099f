import type { FacetDeclaration } from '../core/facet-declaration';
import { civilAffairsFacets } from './civil-affairs/civil-affairs.facets';
import { educationFacets } from './education/education.facets';
import { healthFacets } from './health/health.facets';
import { housingFacets } from './housing/housing.facets';

// Every declared department facet (core/facet-declaration.ts). The GraphQL surface, the import
// and export specs and the README's column tables derive from this list.

export const FACETS: readonly FacetDeclaration[] = [...civilAffairsFacets, ...healthFacets, ...educationFacets, ...housingFacets];

/** The declaration of an import/export kind ('insurance-enrolment'), or undefined. */
export function facetByKind(kind: string): FacetDeclaration | undefined {
  return FACETS.find((f) => f.kind === kind);
}
