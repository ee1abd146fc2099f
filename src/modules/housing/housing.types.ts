import { Field, Float, Int, ObjectType } from 'type-graphql';
import { HouseholdFacetNode } from '../../core/facet-types';
import { LocalDate } from '../../core/scalars';
import { CareMode, WorkStatus } from '../../core/vocab';

// Read shapes of the facets owned by 住建 housing.

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
