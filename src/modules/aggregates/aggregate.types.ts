import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../../core/scalars';
import { RegionLevel } from '../../core/vocab';
import { ReportDimension, ReportMetric } from '../reports';

// GraphQL shapes of the approved-aggregate catalog, separate from storage (aggregate.entities.ts):
// the services copy fields one by one, so nothing reaches a caller by accident.

export enum AggregateEntryStatus {
  PROPOSED = 'proposed',
  APPROVED = 'approved',
  RETIRED = 'retired',
}

registerEnumType(AggregateEntryStatus, {
  name: 'AggregateEntryStatus',
  description: '条目状态 where a catalog entry is in its lifecycle.',
  valuesConfig: {
    PROPOSED: { description: '已提议 proposed by an analyst or coordinator, not published' },
    APPROVED: { description: '已批准 approved by the poverty office (扶贫办) and published' },
    RETIRED: { description: '已停用 retired: no longer published' },
  },
});

@ObjectType('AggregateEntry', { description: '公开统计目录条目 an entry of the approved-aggregate catalog: one count, its breakdown, levels and years, over one region.' })
export class AggregateEntryNode {
  @Field(() => ID, { description: 'Stable id.' })
  id!: string;

  @Field(() => String, { description: '代码 stable code (what an API key names).' })
  code!: string;

  @Field(() => AggregateEntryStatus, { description: '状态 lifecycle status.' })
  status!: AggregateEntryStatus;

  @Field(() => Int, { description: '版本 version: every change makes a new one (aggregateEntryVersions lists them).' })
  version!: number;

  @Field(() => String, { description: '区域 division-code prefix of the region the entry is published over.' })
  region!: string;

  @Field(() => ReportMetric, { description: '指标 the count published.' })
  metric!: ReportMetric;

  @Field(() => [ReportDimension], { description: '维度 the breakdown (besides the region level), 0 to 2 dimensions.' })
  dimensions!: ReportDimension[];

  @Field(() => [RegionLevel], { description: '发布层级 levels published at, coarse to fine (never finer than township 乡镇).' })
  levels!: RegionLevel[];

  @Field(() => [Int], { description: '年度 reference years (as of 31 December of each).' })
  years!: number[];

  @Field(() => String, { description: '中文说明 description in Chinese.' })
  descriptionZh!: string;

  @Field(() => String, { description: 'English description.' })
  descriptionEn!: string;

  proposedBy!: string;
  approvedBy!: string | null;

  @Field(() => DateTime, { nullable: true, description: '批准时间 when the current definition was approved.' })
  approvedAt!: Date | null;

  createdAt!: Date;
  updatedAt!: Date;
}

@ObjectType('AggregateEntryVersion', { description: '条目版本 one version of a catalog entry, kept for ever.' })
export class AggregateEntryVersionNode {
  @Field(() => Int, { description: '版本 version number.' })
  version!: number;

  @Field(() => String, { description: '操作 propose, approve, revise or retire.' })
  action!: string;

  @Field(() => AggregateEntryStatus, { description: '状态 status after the change.' })
  status!: AggregateEntryStatus;

  @Field(() => String, { description: '区域 region prefix.' })
  region!: string;

  @Field(() => ReportMetric, { description: '指标 metric.' })
  metric!: ReportMetric;

  @Field(() => [ReportDimension], { description: '维度 dimensions.' })
  dimensions!: ReportDimension[];

  @Field(() => [RegionLevel], { description: '发布层级 levels.' })
  levels!: RegionLevel[];

  @Field(() => [Int], { description: '年度 years.' })
  years!: number[];

  @Field(() => String, { description: '中文说明.' })
  descriptionZh!: string;

  @Field(() => String, { description: 'English description.' })
  descriptionEn!: string;

  @Field(() => String, { description: '变更人 who made the change (token subject).' })
  changedBy!: string;

  @Field(() => DateTime, { description: '变更时间 when.' })
  changedAt!: Date;
}

@ObjectType('AggregateRegion', { description: '区划 the region of a published cell (public reference data: code, name, level).' })
export class AggregateRegion {
  @Field(() => String, { description: '区划代码 12-digit division code.' })
  code!: string;

  @Field(() => String, { nullable: true, description: '名称 name.' })
  name!: string | null;

  @Field(() => RegionLevel, { description: '级别 level.' })
  level!: RegionLevel;
}

@ObjectType('AggregateCategory', { description: '分类 one dimension\'s value of a cell; a dimension the cell does not list is totalled over.' })
export class AggregateCategory {
  @Field(() => ReportDimension, { description: '维度 dimension.' })
  dimension!: string;

  @Field(() => String, { nullable: true, description: '取值 the value as stored (e.g. registered, illness); null: none recorded (无).' })
  value!: string | null;
}

@ObjectType('AggregateCell', { description: '发布单元格 one published figure: a count at one region and category combination.' })
export class AggregateCellNode {
  @Field(() => AggregateRegion, { description: '区划 region.' })
  region!: AggregateRegion;

  @Field(() => [AggregateCategory], { description: '分类 categories (none: the region\'s total).' })
  categories!: AggregateCategory[];

  @Field(() => Float, { nullable: true, description: '数值 the count; null when suppressed (抑制).' })
  value!: number | null;

  @Field(() => Boolean, { description: '已抑制 hidden by disclosure control: a small count, or one that would let a small count be recovered.' })
  suppressed!: boolean;
}

@ObjectType('ApprovedAggregate', { description: '公开统计 an approved entry\'s published cells for one year and level, from the latest frozen release.' })
export class ApprovedAggregate {
  @Field(() => AggregateEntryNode, { description: '条目 the entry.' })
  entry!: AggregateEntryNode;

  @Field(() => Int, { description: '年度 reference year.' })
  year!: number;

  @Field(() => RegionLevel, { description: '层级 level of the cells.' })
  level!: RegionLevel;

  @Field(() => String, { description: '区域 12-digit code of the region asked for (cells lie inside it).' })
  region!: string;

  @Field(() => ID, { nullable: true, description: '发布批次 the release the cells come from (none yet: no cells).' })
  releaseId!: string | null;

  @Field(() => DateTime, { nullable: true, description: '发布时间 when that release was computed.' })
  releasedAt!: Date | null;

  @Field(() => Int, { nullable: true, description: '阈值 the small-cell threshold applied (counts 1 … minCell − 1 are suppressed).' })
  minCell!: number | null;

  @Field(() => [AggregateCellNode], { description: '单元格 the cells, by region then categories.' })
  cells!: AggregateCellNode[];
}

@ObjectType('AggregateRelease', { description: '发布批次 one computation of every approved entry, frozen once written.' })
export class AggregateReleaseNode {
  @Field(() => ID, { description: 'Release id.' })
  id!: string;

  @Field(() => DateTime, { description: '计算时间 when computed.' })
  computedAt!: Date;

  @Field(() => Int, { description: '阈值 threshold applied.' })
  minCell!: number;

  @Field(() => Int, { description: '单元格数 distinct cells (a cell two entries share counts once).' })
  cells!: number;

  @Field(() => Int, { description: '一次抑制 cells suppressed as small (or hidden by an earlier release).' })
  suppressedPrimary!: number;

  @Field(() => Int, { description: '二次抑制 cells suppressed so that the small ones cannot be recovered.' })
  suppressedComplementary!: number;

  @Field(() => Int, { description: '耗时 milliseconds the computation and suppression took.' })
  millis!: number;
}

@ObjectType('AggregateEntryChange', { description: '条目变更结果 the entry as changed and the release written with the change.' })
export class AggregateEntryChange {
  @Field(() => AggregateEntryNode, { description: '条目 the entry.' })
  entry!: AggregateEntryNode;

  @Field(() => AggregateReleaseNode, { description: '发布批次 the new release.' })
  release!: AggregateReleaseNode;
}

@InputType('AggregateEntryInput', { description: '条目定义 what an entry publishes (checked against the report catalog).' })
export class AggregateEntryInput {
  @Field(() => ReportMetric, { description: '指标 a count: households, persons, 低保 households, insured persons, children, measures.' })
  metric!: ReportMetric;

  @Field(() => [ReportDimension], { description: '维度 0 to 2 non-region dimensions (not YEAR: years are `years`).' })
  dimensions!: ReportDimension[];

  @Field(() => [RegionLevel], { description: '发布层级 province, city, county and/or township, none coarser than `region`.' })
  levels!: RegionLevel[];

  @Field(() => [Int], { description: '年度 reference years (as of 31 December), up to 10.' })
  years!: number[];

  @Field(() => String, { description: '区域 division-code prefix (2, 4, 6 or 9 digits) inside your scope.' })
  region!: string;

  @Field(() => String, { description: '中文说明 description in Chinese.' })
  descriptionZh!: string;

  @Field(() => String, { description: 'English description.' })
  descriptionEn!: string;
}
