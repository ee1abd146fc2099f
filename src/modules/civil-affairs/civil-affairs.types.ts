import { Field, Float, Int, ObjectType } from 'type-graphql';
import { HouseholdFacetNode } from '../../core/facet-types';
import { LocalDate } from '../../core/scalars';
import { DibaoCategory, EnrolmentStatus } from '../../core/vocab';

// Read shapes of the facets owned by 民政 civil affairs. Separate from the entities: only the
// fields declared here reach a client (civil-affairs.loaders.ts selects exactly these).

@ObjectType('DibaoEnrolment', { description: '低保 minimum-living allowance enrolment of a household. Owned by 民政 civil affairs.' })
export class DibaoEnrolmentNode extends HouseholdFacetNode {
  @Field(() => DibaoCategory, { description: '低保类别 classification (分类施保).' })
  category!: DibaoCategory;

  @Field(() => Float, { description: '月保障金 monthly allowance, yuan (元/月).' })
  monthlyAmount!: number;

  @Field(() => Int, { description: '保障人数 number of members covered.' })
  coveredPersons!: number;

  @Field(() => LocalDate, { description: '起始日期 first day of the enrolment.' })
  startDate!: string;

  @Field(() => LocalDate, { nullable: true, description: '终止日期 last day of the enrolment; null while open-ended.' })
  endDate!: string | null;

  @Field(() => EnrolmentStatus, { description: '享受状态 enrolment status.' })
  status!: EnrolmentStatus;
}
