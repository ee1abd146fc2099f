import { DIBAO, facetSelection, HOUSEHOLD_FACETS, HOUSING_APPRAISALS, MEASURES, PERSON_FACETS, pick } from './facets';

// The three questions of the bench, as GraphQL documents. The baseline (baseline-sql.ts)
// answers the same questions with one SQL statement each and must return the same `data`.

/** Q2's slices of the facets: what a village dashboard shows per household. */
export const DASHBOARD_DIBAO = pick(DIBAO, ['category', 'monthlyAmount', 'startDate', 'endDate', 'status']);
export const DASHBOARD_APPRAISAL = pick(HOUSING_APPRAISALS, ['grade', 'appraisedOn']);
export const DASHBOARD_MEASURES = pick(MEASURES, ['kind', 'status', 'year', 'amount']);

/** Q0: the fixed cost of a request (token, context, limits, Apollo), with no data to read. */
export const Q0_TYPENAME = '{ __typename }';

/** Q1 household card: one household with all its members and every facet. */
export const Q1_HOUSEHOLD_CARD = `query HouseholdCard($id: ID!) {
  household(id: $id) {
    id number villageCode countyCode status identificationYear identificationStandard mainCause version
    secondaryCauses
    utilities { water electricity road housing network environment }
    incomes { year perCapitaNetIncome }
    statusEvents { fromStatus toStatus occurredOn reason }
    village { code name isPovertyVillage }
    ${HOUSEHOLD_FACETS.map((f) => facetSelection(f)).join('\n    ')}
    ${facetSelection(HOUSING_APPRAISALS, 'latestHousingAppraisal')}
    members {
      id name idNumber gender birthDate age relation labourAbility healthCategory disabilityLevel schoolingStage version
      ${PERSON_FACETS.map((f) => facetSelection(f)).join('\n      ')}
    }
  }
}`;

/** Q2 village dashboard: one village with its households (up to 100), members, 低保, latest appraisal and measures. */
export const Q2_VILLAGE_DASHBOARD = `query VillageDashboard($code: DivisionCode!) {
  village(code: $code) {
    code name countyCode isPovertyVillage broadbandMbps
    indicators { year povertyIncidence perCapitaIncome collectiveIncome }
    utilities { water electricity road housing network environment }
    households(first: 100) {
      totalCount
      edges { node {
        id number status mainCause
        members { id name gender age relation labourAbility healthCategory schoolingStage }
        ${facetSelection(DASHBOARD_DIBAO)}
        ${facetSelection(DASHBOARD_APPRAISAL, 'latestHousingAppraisal')}
        ${facetSelection(DASHBOARD_MEASURES)}
      } }
    }
  }
}`;

/** Q3 county rollup: per township, households by status, registered by main cause, 低保 households, share of C/D houses. */
export const Q3_COUNTY_ROLLUP = `query CountyRollup($code: DivisionCode!) {
  region(code: $code) {
    code name
    children {
      code name
      summary {
        householdsByStatus { status households }
        registeredByMainCause { cause households }
        dibaoHouseholds
        dilapidatedHousingShare
      }
    }
  }
}`;
