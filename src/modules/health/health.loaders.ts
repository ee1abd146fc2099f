import { facetByIdLoader, facetEdge, facetLoader } from '../../core/facet-loader';
import type { RequestContext } from '../../core/context';
import type { LoaderFactory } from '../../core/loaders';
import { PERSON_FACET_ID_COLUMNS } from '../../core/facet-types';
import { fieldAccess } from '../../core/privacy';
import type { HealthConditionNode } from './health.types';

// Health conditions' loaders, by hand: the select list depends on the caller (clinical detail).
// Every other health facet's loaders derive from its declaration (health.facets.ts).

/** The clinical-detail fields of a condition under the privacy policy. */
export const CLINICAL_FIELDS = ['HealthCondition.diagnosis', 'HealthCondition.icd10Code'] as const;

const healthConditionColumns = (clinical: boolean) =>
  `${PERSON_FACET_ID_COLUMNS}, f.kind, f.diagnosed_on AS "diagnosedOn",
    ${clinical ? 'f.diagnosis, f.icd10_code AS "icd10Code"' : 'NULL::text AS diagnosis, NULL::text AS "icd10Code"'},
    (SELECT p.birth_date FROM person p WHERE p.id = f.person_id) AS "subjectBirthDate",
    ${clinical ? '(SELECT p.village_code FROM person p WHERE p.id = f.person_id)' : 'NULL::text'} AS "subjectVillageCode"`;

const healthConditionsWithClinical = facetLoader<HealthConditionNode>({
  table: 'health_condition',
  key: 'person_id',
  columns: healthConditionColumns(true),
  orderBy: 'f.diagnosed_on DESC, f.id DESC',
});

const healthConditionsWithoutClinical = facetLoader<HealthConditionNode>({
  table: 'health_condition',
  key: 'person_id',
  columns: healthConditionColumns(false),
  orderBy: 'f.diagnosed_on DESC, f.id DESC',
});

const healthConditionWithClinicalById = facetByIdLoader<HealthConditionNode>({ table: 'health_condition', columns: healthConditionColumns(true) });
const healthConditionWithoutClinicalById = facetByIdLoader<HealthConditionNode>({ table: 'health_condition', columns: healthConditionColumns(false) });

/**
 * healthConditionById: one condition (read back after a write), with clinical columns only for
 * callers the policy may show them to, as the list loader.
 */
export const healthConditionById: LoaderFactory<string, HealthConditionNode | null> = (ctx) =>
  (mayShowClinical(ctx) ? healthConditionWithClinicalById : healthConditionWithoutClinicalById)(ctx);

/**
 * healthConditionsByPersonId: person id → conditions, newest diagnosis first. Clinical detail
 * leaves the database only for callers the privacy policy may show it to (it is released per
 * field, per person, in health.resolver.ts); the person's birth date feeds the policy.
 */
export const healthConditionsByPersonId: LoaderFactory<string, HealthConditionNode[]> = (ctx) => healthConditionsFor(ctx)(ctx);

/** The condition loader for this caller: with clinical columns only when the policy may show them. */
function healthConditionsFor(ctx: RequestContext) {
  return mayShowClinical(ctx) ? healthConditionsWithClinical : healthConditionsWithoutClinical;
}

/** Whether the policy may show this caller any clinical field of anyone (adult or minor). */
function mayShowClinical(ctx: RequestContext): boolean {
  return [false, true].some((minor) => CLINICAL_FIELDS.some((field) => fieldAccess(ctx.principal, field, { minor }) !== 'hidden'));
}

// Read-ahead edges (core/prefetch): a household card or page fetches these with the members.
// Conditions are read with the same caller-dependent select list as their loader.
facetEdge('Person', ['healthConditions'], healthConditionsByPersonId, (ctx) => healthConditionsFor(ctx).spec);
