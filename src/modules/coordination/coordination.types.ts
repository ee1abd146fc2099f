import { GraphQLScalarType } from 'graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../core/pagination';
import { DateTime } from '../../core/scalars';
import { Department } from '../../core/vocab';
import { GapStatus } from './coordination.entities';
import { RuleCode } from './coordination.rules';
import { ExitBlockerReason } from './exit-readiness';

/** The facts of a gap or an exit blocker: a JSON object (named apart from ingest's JSONObject input rows). */
export const FactsObject = new GraphQLScalarType({
  ...GraphQLJSONObject.toConfig(),
  name: 'Facts',
  description: '触发事实 a JSON object of field names and values that fired a coordination rule, e.g. {"grade":"D","renovation":null}; never a name or ID number.',
});

registerEnumType(GapStatus, {
  name: 'GapStatus',
  description: 'Status of a coordination gap (缺口状态).',
  valuesConfig: {
    OPEN: { description: '待处理 open: the rule fires and nobody has acknowledged it yet.' },
    ACKNOWLEDGED: { description: '已认领 acknowledged by the owning department or a coordinator; still firing.' },
    RESOLVED: { description: '已解决 resolved: the facts changed and the rule no longer fires.' },
  },
});

@ObjectType('CoordinationGap', {
  description: '协调缺口 a coordination rule firing for a household (or one of its members), with the facts that triggered it.',
})
export class GapNode {
  @Field(() => ID, { description: 'Gap id (缺口编号).' })
  id!: string;

  @Field(() => Int, { description: 'Version (版本号), for acknowledging.' })
  version!: number;

  @Field(() => RuleCode, { description: '规则代码 the rule that fired.' })
  rule!: RuleCode;

  @Field(() => Int, { description: '规则版本 version of the rule that fired.' })
  ruleVersion!: number;

  @Field({ description: '规则名称 the rule\'s Chinese name.' })
  ruleName!: string;

  @Field({ description: '严重程度 severity: high, medium or low.' })
  severity!: string;

  @Field(() => Department, { description: '责任部门 the department that owns the gap.' })
  department!: Department;

  @Field(() => ID, { description: '户 the household.' })
  householdId!: string;

  @Field(() => ID, { nullable: true, description: '成员 the member the gap is about; null for a household-level gap.' })
  personId!: string | null;

  @Field({ description: '所在村 village code (12 digits) of the household.' })
  regionCode!: string;

  @Field(() => FactsObject, {
    description: '触发事实 the facts that fired, as field names and values; never a name, ID number or other identifier.',
  })
  facts!: Record<string, unknown>;

  @Field(() => GapStatus, { description: '状态 status.' })
  status!: GapStatus;

  @Field(() => DateTime, { description: '发现时间 when the gap opened.' })
  openedAt!: Date;

  @Field(() => DateTime, { nullable: true, description: '认领时间 when it was acknowledged; null if not.' })
  acknowledgedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: '解决时间 when the facts resolved it; null while live.' })
  resolvedAt!: Date | null;
}

export const GapConnection = Connection(GapNode, 'CoordinationGap', '协调缺口');

@InputType('CoordinationGapFilter', { description: 'Which coordination gaps to list (缺口筛选).' })
export class GapFilter {
  @Field({ nullable: true, description: '区划代码 region (2–12 digits) to list under; default your whole scope.' })
  regionCode?: string;

  @Field(() => RuleCode, { nullable: true, description: '规则 only this rule.' })
  rule?: RuleCode;

  @Field(() => Department, { nullable: true, description: '责任部门 only gaps this department owns.' })
  department?: Department;

  @Field(() => GapStatus, { nullable: true, description: '状态 only this status; default every status.' })
  status?: GapStatus;
}

@ObjectType('CoordinationGapCount', { description: '缺口统计 number of gaps of one rule in one region.' })
export class GapCountNode {
  @Field({ description: '区划代码 the region (12 digits, padded).' })
  regionCode!: string;

  @Field(() => RuleCode, { description: '规则 the rule.' })
  rule!: RuleCode;

  @Field(() => Int, { description: '数量 number of gaps.' })
  count!: number;
}

@ObjectType('CoordinationRecomputeResult', { description: '重算结果 what a full recompute changed.' })
export class RecomputeResult {
  @Field(() => Int, { description: '新发现 gaps opened.' })
  opened!: number;

  @Field(() => Int, { description: '已解决 gaps resolved.' })
  resolved!: number;

  @Field(() => Int, { description: '事实更新 live gaps whose facts changed.' })
  updated!: number;
}

registerEnumType(ExitBlockerReason, {
  name: 'ExitBlockerReason',
  description: 'Why a household may not exit yet (退出障碍, 两不愁三保障).',
  valuesConfig: {
    INCOME_BELOW_LINE: { description: '收入未达标 latest per-capita income under the poverty line.' },
    INCOME_NOT_RECORDED: { description: '收入未登记 no per-capita income recorded for the year or before.' },
    COMPULSORY_EDUCATION: { description: '义务教育保障 a member aged 6–15 not enrolled, or on an open dropout watch.' },
    MEDICAL_INSURANCE: { description: '基本医疗保障 a member without medical insurance that year.' },
    HOUSING_SAFETY: { description: '住房安全保障 a C/D house with no renovation or relocation.' },
    SAFE_WATER: { description: '饮水安全 no safe drinking water (the household\'s current utilities).' },
  },
});

@ObjectType('ExitBlocker', { description: '退出障碍 one reason a household may not exit, with the facts behind it.' })
export class ExitBlockerNode {
  @Field(() => ExitBlockerReason, { description: '原因 the reason.' })
  reason!: ExitBlockerReason;

  @Field(() => ID, { nullable: true, description: '成员 the member it is about; null for the household.' })
  personId!: string | null;

  @Field(() => FactsObject, { description: '事实 field names and values behind it; never a name or ID number.' })
  facts!: Record<string, unknown>;
}

@ObjectType('ExitReadiness', { description: '退出评估 whether a household is ready to exit (两不愁三保障) in a year, and every blocking reason.' })
export class ExitReadinessNode {
  @Field(() => Int, { description: '年度 the year judged.' })
  year!: number;

  @Field({ description: '评估日 the day the facts were read as of: today for the current year, else 31 December.' })
  asOf!: string;

  @Field({ description: '是否达标 true when nothing blocks the exit.' })
  ready!: boolean;

  @Field(() => [ExitBlockerNode], { description: '障碍 every blocking reason.' })
  blockers!: ExitBlockerNode[];
}
