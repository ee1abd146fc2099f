import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTime, DivisionCode, LocalDate } from '../../core/scalars';
import {
  Department, Gender, HouseholdStatus, HousingGrade, LabourAbility, MeasureKind, PovertyCause, RegionLevel, SchoolingStage,
} from '../../core/vocab';
import { AgeBand } from '../registry';
import { ReportDimension, ReportMetric } from './report-catalog';

// One class for the filter as asked (input) and as a saved report shows it (output).
@ObjectType('ReportFilterValues', { description: '报表筛选 the filter of a saved report definition (as ReportFilter).' })
@InputType('ReportFilter', { description: '报表筛选 what a report counts: every list keeps only rows whose value is in it (the list\'s dimension must exist on every metric\'s grain).' })
export class ReportFilter {
  @Field(() => DivisionCode, { nullable: true, description: '区划 only this region, inside your scope (outside it: nothing).' })
  regionCode?: string | null;

  @Field(() => [HouseholdStatus], { nullable: true, description: '识别状态 registration statuses.' })
  statuses?: HouseholdStatus[] | null;

  @Field(() => [PovertyCause], { nullable: true, description: '主要致贫原因 main causes.' })
  mainCauses?: PovertyCause[] | null;

  @Field(() => [MeasureKind], { nullable: true, description: '措施类型 measure (or project) kinds.' })
  measureKinds?: MeasureKind[] | null;

  @Field(() => [Department], { nullable: true, description: '部门 departments carrying out the measure.' })
  departments?: Department[] | null;

  @Field(() => [Int], { nullable: true, description: '年度 years (see the YEAR dimension for what the year is per grain).' })
  years?: number[] | null;

  @Field(() => [HousingGrade], { nullable: true, description: '住房安全等级 latest housing grade on asOf.' })
  housingGrades?: HousingGrade[] | null;

  @Field(() => [AgeBand], { nullable: true, description: '年龄段 age bands (by year of birth in asOf\'s year).' })
  ageBands?: AgeBand[] | null;

  @Field(() => [Gender], { nullable: true, description: '性别 genders.' })
  genders?: Gender[] | null;

  @Field(() => [LabourAbility], { nullable: true, description: '劳动能力 labour abilities.' })
  labourAbilities?: LabourAbility[] | null;

  @Field(() => [SchoolingStage], { nullable: true, description: '在校生状况 schooling stages.' })
  schoolingStages?: SchoolingStage[] | null;
}

@ObjectType({ description: '报表区划 the region of a report row, cut to the level asked.' })
export class ReportRegion {
  @Field(() => DivisionCode, { description: '区划代码 the 12-digit code of the region at the level asked.' })
  code!: string;

  @Field(() => String, { nullable: true, description: '名称 name; null for a code with no division at that level (a project placed above it).' })
  name!: string | null;

  @Field(() => RegionLevel, { description: '级别 level.' })
  level!: RegionLevel;
}

@ObjectType({ description: '指标值 one metric of a report row.' })
export class ReportValue {
  @Field(() => ReportMetric, { description: '指标 the metric.' })
  metric!: ReportMetric;

  @Field(() => Float, { nullable: true, description: '值 the value: a count, an amount in yuan, or a share 0–1 (null when its denominator is 0).' })
  value!: number | null;
}

/**
 * One row of a report: a cell of the dimensions asked, or a subtotal over some of them, or the
 * grand total. It carries dimension values and figures only: never a name, an ID number or a
 * household number.
 */
@ObjectType({ description: '报表行 one row of a report: dimension values (null where the row is a total over that dimension, or where the value is unknown) and the metrics.' })
export class ReportRow {
  @Field(() => [ReportDimension], {
    description: '合计维度 the dimensions this row is a total over (小计/合计): empty for a detail row, every dimension for the grand total (总计). ' +
      'A null dimension value outside this list means "not recorded" (no main cause, never appraised).',
  })
  totalOver!: ReportDimension[];

  @Field(() => Boolean, { description: '总计 whether this is the grand total (a total over every dimension).' })
  grandTotal!: boolean;

  @Field(() => ReportRegion, { nullable: true, description: '区划 the region (REGION_* dimension).' })
  region!: ReportRegion | null;

  @Field(() => HouseholdStatus, { nullable: true, description: '识别状态 (STATUS).' })
  status!: HouseholdStatus | null;

  @Field(() => PovertyCause, { nullable: true, description: '主要致贫原因 (MAIN_CAUSE).' })
  mainCause!: PovertyCause | null;

  @Field(() => MeasureKind, { nullable: true, description: '措施类型 (MEASURE_KIND).' })
  measureKind!: MeasureKind | null;

  @Field(() => Department, { nullable: true, description: '部门 (DEPARTMENT).' })
  department!: Department | null;

  @Field(() => Int, { nullable: true, description: '年度 (YEAR).' })
  year!: number | null;

  @Field(() => HousingGrade, { nullable: true, description: '住房安全等级 (HOUSING_GRADE).' })
  housingGrade!: HousingGrade | null;

  @Field(() => AgeBand, { nullable: true, description: '年龄段 (AGE_BAND).' })
  ageBand!: AgeBand | null;

  @Field(() => Gender, { nullable: true, description: '性别 (GENDER).' })
  gender!: Gender | null;

  @Field(() => LabourAbility, { nullable: true, description: '劳动能力 (LABOUR_ABILITY).' })
  labourAbility!: LabourAbility | null;

  @Field(() => SchoolingStage, { nullable: true, description: '在校生状况 (SCHOOLING_STAGE).' })
  schoolingStage!: SchoolingStage | null;

  @Field(() => [ReportValue], { description: '指标值 the metrics, in the order asked.' })
  values!: ReportValue[];
}

@ObjectType({ description: '统计报表 a report: figures by the dimensions asked, with every subtotal and the grand total, inside your scope.' })
export class Report {
  @Field(() => LocalDate, { description: '基准日 the reference date the figures are as of.' })
  asOf!: string;

  @Field(() => [ReportDimension], { description: '维度 the dimensions, in the order asked.' })
  dimensions!: ReportDimension[];

  @Field(() => [ReportMetric], { description: '指标 the metrics, in the order asked (each row\'s values follow it).' })
  metrics!: ReportMetric[];

  @Field(() => [ReportRow], { description: '行 detail rows, then subtotals, then the grand total, ordered by the dimensions.' })
  rows!: ReportRow[];
}

// One class for a definition as saved (input) and as read back (output).
@ObjectType('ReportDefinition', { description: '报表定义 what a saved report asks: dimensions, metrics and filter.' })
@InputType('ReportDefinitionInput', { description: '报表定义 a report definition to save: dimensions, metrics and filter, checked as `report` checks them.' })
export class ReportDefinitionInput {
  @Field(() => [ReportDimension], { description: '维度 at most 3 dimensions.' })
  dimensions!: ReportDimension[];

  @Field(() => [ReportMetric], { description: '指标 metrics.' })
  metrics!: ReportMetric[];

  @Field(() => ReportFilter, { nullable: true, description: '筛选 filter.' })
  filter?: ReportFilter | null;
}

@ObjectType('SavedReport', { description: '已保存报表 a report definition saved by you (visible to you alone), runnable by id.' })
export class SavedReportNode {
  @Field(() => ID, { description: 'Identifier.' })
  id!: string;

  @Field(() => String, { description: '名称 name, unique among your saved reports.' })
  name!: string;

  @Field(() => ReportDefinitionInput, { description: '定义 the definition.' })
  definition!: ReportDefinitionInput;

  @Field(() => Int, { description: '版本 version: send it back to change or delete the report (optimistic concurrency).' })
  version!: number;

  @Field(() => DateTime, { description: '创建时间 created at.' })
  createdAt!: Date;

  @Field(() => DateTime, { description: '更新时间 last changed at.' })
  updatedAt!: Date;
}
