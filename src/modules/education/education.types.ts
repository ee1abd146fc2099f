import { Field, Int, ObjectType } from 'type-graphql';
import { PersonFacetNode } from '../../core/facet-types';
import { LocalDate } from '../../core/scalars';
import { DropoutWatchStatus, SchoolingStage, SchoolStatus } from '../../core/vocab';

// Read shapes of the facets owned by 教育 education.

@ObjectType('SchoolEnrolment', { description: '学籍 school enrolment of a person in one school year. Owned by 教育 education.' })
export class SchoolEnrolmentNode extends PersonFacetNode {
  @Field(() => Int, { description: '学年 the year the school year starts (2024 = 2024–25).' })
  schoolYear!: number;

  @Field(() => SchoolingStage, { description: '学段 stage (preschool … college).' })
  stage!: SchoolingStage;

  @Field({ description: '学校名称 school name.' })
  schoolName!: string;

  @Field(() => Int, { description: '年级 grade within the stage.' })
  grade!: number;

  @Field(() => SchoolStatus, { description: '学籍状态 enrolment status.' })
  status!: SchoolStatus;
}

@ObjectType('DropoutWatch', { description: '控辍保学 dropout-watch case of a school-age person. Owned by 教育 education.' })
export class DropoutWatchNode extends PersonFacetNode {
  @Field(() => LocalDate, { description: '立案日期 date the case was opened.' })
  openedOn!: string;

  @Field({ description: '辍学原因 reason the child left school.' })
  reason!: string;

  @Field(() => DropoutWatchStatus, { description: '劝返状态 case status.' })
  status!: DropoutWatchStatus;

  @Field(() => LocalDate, { nullable: true, description: '销号日期 date the case was closed; null while open.' })
  closedOn!: string | null;
}
