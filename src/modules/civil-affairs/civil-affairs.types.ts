import { Field, Float, Int, ObjectType } from 'type-graphql';
import { HouseholdFacetNode, PersonFacetNode } from '../../core/facet-types';
import { LocalDate } from '../../core/scalars';
import { CareMode, DibaoCategory, DisabilitySubsidyKind, EnrolmentStatus, LeftBehindKind } from '../../core/vocab';

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

@ObjectType('ExtremePovertySupport', { description: '特困供养 extreme-poverty support of a person. Owned by 民政 civil affairs.' })
export class ExtremePovertySupportNode extends PersonFacetNode {
  @Field(() => CareMode, { description: '供养方式 care mode: centralised or dispersed.' })
  careMode!: CareMode;

  @Field(() => Float, { description: '月供养金 monthly support, yuan (元/月).' })
  monthlyAmount!: number;

  @Field(() => LocalDate, { description: '起始日期 first day of support.' })
  startDate!: string;

  @Field(() => LocalDate, { nullable: true, description: '终止日期 last day of support; null while open-ended.' })
  endDate!: string | null;
}

@ObjectType('TemporaryAssistance', { description: '临时救助 temporary assistance payment to a household. Owned by 民政 civil affairs.' })
export class TemporaryAssistanceNode extends HouseholdFacetNode {
  @Field(() => LocalDate, { description: '发放日期 date paid.' })
  paidOn!: string;

  @Field(() => Float, { description: '救助金额 amount paid, yuan (元).' })
  amount!: number;

  @Field({ description: '救助事由 reason for the assistance.' })
  reason!: string;
}

@ObjectType('LeftBehindRecord', {
  description: '三留守 record of a left-behind child, woman or elderly person, with the one-to-one contact person. Owned by 民政 civil affairs.',
})
export class LeftBehindRecordNode extends PersonFacetNode {
  @Field(() => LeftBehindKind, { description: '留守类别 kind: child, woman or elderly.' })
  kind!: LeftBehindKind;

  @Field({ description: '联系人 the one-to-one contact person (一对一联系人).' })
  contactPerson!: string;

  @Field(() => LocalDate, { description: '登记日期 first day on the register.' })
  startDate!: string;

  @Field(() => LocalDate, { nullable: true, description: '退出日期 last day on the register; null while current.' })
  endDate!: string | null;
}

@ObjectType('DisabilitySubsidy', { description: '残疾人两项补贴 disability subsidy (living or nursing) of a person. Owned by 民政 civil affairs.' })
export class DisabilitySubsidyNode extends PersonFacetNode {
  @Field(() => DisabilitySubsidyKind, { description: '补贴类别 living subsidy or nursing subsidy.' })
  kind!: DisabilitySubsidyKind;

  @Field(() => Float, { description: '月补贴 monthly subsidy, yuan (元/月).' })
  monthlyAmount!: number;

  @Field(() => LocalDate, { description: '起始日期 first day of the subsidy.' })
  startDate!: string;

  @Field(() => LocalDate, { nullable: true, description: '终止日期 last day of the subsidy; null while open-ended.' })
  endDate!: string | null;
}
