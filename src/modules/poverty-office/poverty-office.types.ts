import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { HouseholdFacetNode } from '../../core/facet-types';
import { MeasureStage } from './measure-stage';
import { NoticeKind, ProjectStatus } from './project-stage';
import { Utility } from './utility';
import { DateTime, LocalDate } from '../../core/scalars';
import { Department, FundSource, MeasureKind, WorkStatus } from '../../core/vocab';

// Read shapes of the facts owned by 扶贫办 the poverty office (beyond the registry itself).

@ObjectType('Cadre', { description: '帮扶责任人 a pairing cadre and their work unit. Owned by 扶贫办 the poverty office.' })
export class CadreNode {
  @Field(() => ID, { description: 'Record id (记录编号).' })
  id!: string;

  @Field({ description: '姓名 name of the cadre.' })
  name!: string;

  @Field({ description: '帮扶单位 work unit.' })
  unit!: string;

  @Field(() => String, { nullable: true, description: '联系电话 work phone, as posted on the household\'s 明白卡; null when not recorded.' })
  phone!: string | null;
}

@ObjectType('Pairing', { description: '结对帮扶 a cadre paired with a household until it exits (不脱贫不脱钩). Owned by 扶贫办 the poverty office.' })
export class PairingNode extends HouseholdFacetNode {
  @Field(() => CadreNode, { description: '帮扶责任人 the paired cadre.' })
  cadre!: CadreNode;

  @Field(() => LocalDate, { description: '结对日期 first day of the pairing.' })
  startDate!: string;

  @Field(() => LocalDate, { nullable: true, description: '解除日期 last day of the pairing; null while current.' })
  endDate!: string | null;
}

@ObjectType('Measure', {
  description: '帮扶措施 a measure of one of the six kinds (六个到村到户) for a household or a village. Owned by 扶贫办 the poverty office.',
})
export class MeasureNode {
  @Field(() => ID, { description: 'Record id (记录编号).' })
  id!: string;

  @Field(() => Int, { description: 'Optimistic-concurrency version (版本号); send it back with updates.' })
  version!: number;

  @Field(() => ID, { nullable: true, description: 'Id of the household (所属户); null for a village measure.' })
  householdId!: string | null;

  @Field(() => String, { nullable: true, description: '村级措施 12-digit code of the village the measure is for; null for a household measure.' })
  villageCode!: string | null;

  @Field(() => MeasureKind, { description: '措施类别 kind of measure.' })
  kind!: MeasureKind;

  @Field(() => Department, { description: '实施部门 department that carries the measure out.' })
  department!: Department;

  @Field(() => WorkStatus, { description: '实施状态 status (a verified measure is COMPLETED; see `stage`).' })
  status!: WorkStatus;

  @Field(() => MeasureStage, { description: '措施进度 stage: PLANNED → IN_PROGRESS → COMPLETED → VERIFIED (or CANCELLED).' })
  stage!: MeasureStage;

  @Field(() => Float, { description: '投入金额 amount, yuan (元).' })
  amount!: number;

  @Field(() => Int, { description: '年度 plan year of the measure.' })
  year!: number;

  @Field({ description: '措施内容 description.' })
  description!: string;

  @Field(() => String, { nullable: true, description: '责任单位 the unit answerable for carrying it out.' })
  responsibleUnit!: string | null;

  @Field(() => String, { nullable: true, description: '佐证材料 evidence notes.' })
  evidence!: string | null;

  @Field(() => ID, { nullable: true, description: '资金来源 id of the fund allocation (of a project) that pays for it.' })
  fundAllocationId!: string | null;

  @Field(() => FundSource, { nullable: true, description: '资金来源 source of the funds (the allocation\'s); null when no allocation is named.' })
  fundSource!: FundSource | null;

  @Field(() => [Utility], { description: '六到农家 utilities the measure provides (infrastructure); set on its village and households when verified.' })
  utilities!: Utility[];

  @Field(() => [ID], { description: '受益户 ids of the households a village measure serves (empty for a household measure).' })
  beneficiaryHouseholdIds!: string[];

  @Field(() => DateTime, { nullable: true, description: '完成时间 when it was marked completed through this API.' })
  completedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: '验收时间 when it was verified.' })
  verifiedAt!: Date | null;
}

@ObjectType('Project', { description: '扶贫项目 a poverty-alleviation project in a village or township, publicly announced (公告公示). Owned by 扶贫办 the poverty office.' })
export class ProjectNode {
  @Field(() => ID, { description: 'Record id (记录编号).' })
  id!: string;

  @Field(() => Int, { description: 'Optimistic-concurrency version (版本号); send it back with updates.' })
  version!: number;

  @Field({ description: '项目所在区划 12-digit division code of the village or township the project is in.' })
  regionCode!: string;

  @Field({ description: '6-digit county code (所属县).' })
  countyCode!: string;

  @Field({ description: '项目名称 name.' })
  name!: string;

  @Field(() => MeasureKind, { description: '项目类别 kind (六个到村到户).' })
  kind!: MeasureKind;

  @Field(() => Int, { description: '项目年度 year.' })
  year!: number;

  @Field(() => Float, { description: '项目预算 budget, yuan (元).' })
  budget!: number;

  @Field(() => ProjectStatus, { description: '项目状态 status: PLANNED → APPROVED → UNDERWAY → COMPLETED → ACCEPTED (验收).' })
  status!: ProjectStatus;

  @Field(() => String, { nullable: true, description: '实施单位 the unit carrying the project out.' })
  implementingUnit!: string | null;

  @Field(() => LocalDate, { nullable: true, description: '实施期限 planned first day.' })
  startDate!: string | null;

  @Field(() => LocalDate, { nullable: true, description: '实施期限 planned last day.' })
  endDate!: string | null;

  @Field(() => Int, { nullable: true, description: '受益户数 number of households that benefit.' })
  beneficiaryHouseholds!: number | null;

  @Field(() => [FundSource], { description: '资金来源 sources the project is funded from.' })
  fundSources!: FundSource[];

  @Field(() => Float, { description: '已拨付 total allocated so far, yuan (元); never more than the budget.' })
  allocatedTotal!: number;
}

@ObjectType('FundAllocation', { description: '资金拨付 an allocation of funds to a project, publicly announced (公告公示). Owned by 扶贫办 the poverty office.' })
export class FundAllocationNode {
  @Field(() => ID, { description: 'Record id (记录编号).' })
  id!: string;

  @Field(() => Int, { description: 'Optimistic-concurrency version (版本号); send it back with updates.' })
  version!: number;

  @Field(() => ID, { description: 'Id of the project (所属项目).' })
  projectId!: string;

  @Field(() => FundSource, { description: '资金来源 source of funds.' })
  source!: FundSource;

  @Field(() => Float, { description: '拨付金额 amount, yuan (元).' })
  amount!: number;

  @Field(() => LocalDate, { description: '拨付日期 date allocated.' })
  allocatedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: '公告日期 date publicly announced (公告公示); null until announced.' })
  announcedOn!: string | null;
}

@ObjectType('PublicNotice', {
  description:
    '公告公示 a public notice of a project\'s approval, a fund allocation or its acceptance, as published (frozen). It names the project and its village or township, never a person. Readable by staff in scope and by third parties (aggregate:read).',
})
export class PublicNoticeNode {
  @Field(() => ID, { description: 'Notice id (公告编号).' })
  id!: string;

  @Field(() => NoticeKind, { description: '公告类别 what is announced.' })
  kind!: NoticeKind;

  @Field(() => LocalDate, { description: '公告日期 date published.' })
  publishedOn!: string;

  @Field(() => ID, { description: 'Id of the project (项目编号).' })
  projectId!: string;

  @Field({ description: '项目名称 name of the project.' })
  projectName!: string;

  @Field(() => MeasureKind, { description: '项目类别 kind (六个到村到户).' })
  projectKind!: MeasureKind;

  @Field({ description: '项目所在区划 12-digit code of the village or township.' })
  regionCode!: string;

  @Field({ description: '区划名称 name of the village or township.' })
  regionName!: string;

  @Field(() => Float, { description: '项目预算 budget, yuan (元).' })
  budget!: number;

  @Field(() => Float, { nullable: true, description: '拨付金额 the allocation announced, yuan (元); null on approval and acceptance notices.' })
  amount!: number | null;

  @Field(() => Float, { description: '累计拨付 total allocated to the project when published, yuan (元).' })
  allocatedTotal!: number;

  @Field(() => [FundSource], { description: '资金来源 fund sources (an allocation notice: the allocation\'s own).' })
  fundSources!: FundSource[];

  @Field(() => String, { nullable: true, description: '实施单位 implementing unit.' })
  implementingUnit!: string | null;

  @Field(() => LocalDate, { nullable: true, description: '实施期限 first day.' })
  periodStart!: string | null;

  @Field(() => LocalDate, { nullable: true, description: '实施期限 last day.' })
  periodEnd!: string | null;

  @Field(() => Int, { nullable: true, description: '受益户数 number of beneficiary households (a count, never names).' })
  beneficiaryHouseholds!: number | null;
}
