import { Field, Float, Int, ObjectType } from 'type-graphql';
import { HouseholdFacetNode } from '../../core/facet-types';
import { LocalDate } from '../../core/scalars';
import { CareMode, Department, HousingGrade, WorkStatus } from '../../core/vocab';

// Read shapes of the facets owned by 住建 housing.

@ObjectType('HousingAppraisal', { description: '房屋安全鉴定 housing safety appraisal of a household, grades A–D (C and D are 危房). Owned by 住建 housing.' })
export class HousingAppraisalNode extends HouseholdFacetNode {
  @Field(() => HousingGrade, { description: '鉴定等级 grade.' })
  grade!: HousingGrade;

  @Field(() => LocalDate, { description: '鉴定日期 date of the appraisal.' })
  appraisedOn!: string;

  @Field({ description: '鉴定单位 appraiser (body or person).' })
  appraiser!: string;
}

@ObjectType('RenovationProject', {
  description: '危房改造 dilapidated-house renovation of a household, with the department that funds it. Owned by 住建 housing.',
})
export class RenovationProjectNode extends HouseholdFacetNode {
  @Field(() => Department, { description: '资金来源部门 department that funds the renovation.' })
  fundingDepartment!: Department;

  @Field(() => Float, { description: '补助金额 subsidy, yuan (元).' })
  subsidyAmount!: number;

  @Field(() => WorkStatus, { description: '实施状态 status.' })
  status!: WorkStatus;

  @Field(() => LocalDate, { description: '开工日期 start date.' })
  startDate!: string;

  @Field(() => LocalDate, { nullable: true, description: '竣工日期 completion date; null until completed.' })
  completedOn!: string | null;
}

@ObjectType('Relocation', { description: '易地扶贫搬迁 relocation of a household. Owned by 住建 housing.' })
export class RelocationNode extends HouseholdFacetNode {
  @Field({ description: '安置点区划代码 12-digit division code of the destination.' })
  destinationCode!: string;

  @Field(() => CareMode, { description: '安置方式 settlement mode: centralised or dispersed.' })
  settlementMode!: CareMode;

  @Field(() => Int, { description: '计划搬迁年度 planned year.' })
  plannedYear!: number;

  @Field(() => LocalDate, { nullable: true, description: '搬迁入住日期 date moved in; null until moved.' })
  movedOn!: string | null;

  @Field(() => Float, { description: '搬迁补助 subsidy, yuan (元).' })
  subsidyAmount!: number;

  @Field(() => WorkStatus, { description: '实施状态 status.' })
  status!: WorkStatus;
}
