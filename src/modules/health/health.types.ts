import { Field, ObjectType } from 'type-graphql';
import { PersonFacetNode } from '../../core/facet-types';
import { LocalDate } from '../../core/scalars';
import { ConditionKind } from '../../core/vocab';

// Read shapes of the facets owned by 卫健/医保 health and medical insurance.

@ObjectType('HealthCondition', {
  description:
    '慢病/大病 a chronic or serious condition of a person. Owned by 卫健/医保 health; the diagnosis and ICD-10 code are clinical detail, shown to health only.',
})
export class HealthConditionNode extends PersonFacetNode {
  @Field(() => ConditionKind, { description: '病种类别 chronic or serious.' })
  kind!: ConditionKind;

  @Field(() => LocalDate, { description: '确诊日期 date of diagnosis.' })
  diagnosedOn!: string;

  // diagnosis and icd10Code are resolved under the privacy policy (health.resolver.ts).
  // Both are null when the caller may never see clinical detail (health.loaders.ts).
  diagnosis!: string | null;

  icd10Code!: string | null;

  /** The person's birth date, for the privacy policy's minor rule; never a field. */
  subjectBirthDate!: string;

  /** The person's village, for the audit record of a clinical read; null when not loaded. */
  subjectVillageCode!: string | null;
}
