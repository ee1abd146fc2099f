import { Length, Max, Min } from 'class-validator';
import { createUnionType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../../core/auth/roles';
import { Connection } from '../../core/pagination';
import { DateTime, LocalDate } from '../../core/scalars';
import { Department, HouseholdStatus, PovertyCause } from '../../core/vocab';
import { ExitBlockerNode } from '../coordination';
import { MonitoringSubject, ObjectionStatus, ProcedureKind, ProcedureStatus, ProcedureStep } from './procedure.entities';

// GraphQL shapes of the procedures (程序), kept apart from the entities: a plain row is mapped
// field by field in the service's SELECT lists. A business refusal of a step is a value of the
// result union (ProcedureStepRefused), not an error; bad input and records outside the scope
// stay typed errors (BAD_USER_INPUT, NOT_FOUND).

registerEnumType(ProcedureKind, {
  name: 'ProcedureKind',
  description: 'Which procedure (程序类型).',
  valuesConfig: {
    IDENTIFICATION: { description: '贫困户识别(纳入) identification: the household becomes registered.' },
    EXIT: { description: '贫困户退出 exit: the household becomes exited; county approval needs exit readiness.' },
    MONITORING: { description: '防返贫监测对象纳入 monitoring inclusion: the household becomes monitored; needs a subject type.' },
  },
});

registerEnumType(MonitoringSubject, {
  name: 'MonitoringSubject',
  description: 'Subject type of a 防返贫 monitoring inclusion (监测对象类别).',
  valuesConfig: {
    EXITED_UNSTABLE: { description: '脱贫不稳定户 exited but unstable: applies from EXITED.' },
    AT_RISK: { description: '边缘易致贫户 ordinary but at risk: applies from NONE.' },
    SUDDEN_HARDSHIP: { description: '突发严重困难户 sudden serious hardship: applies from NONE or EXITED.' },
  },
});

registerEnumType(ProcedureStep, {
  name: 'ProcedureStep',
  description: 'A step of a procedure (程序环节), in order; each is taken once, right after the one before it.',
  valuesConfig: {
    APPLICATION: { description: '农户申请 application, recorded by a poverty-office officer or a coordinator.' },
    VILLAGE_REVIEW: { description: '村民代表评议 village review: a poverty-office officer scoped to the village or township.' },
    VILLAGE_NOTICE: { description: '村公示 village public notice, at least PROCEDURE_NOTICE_DAYS (5) days: a poverty-office officer scoped to the village or township.' },
    TOWNSHIP_AUDIT: { description: '乡镇审核 township audit, once the notice is over and no objection is open: township-scoped poverty-office officer or coordinator.' },
    COUNTY_APPROVAL: { description: '县审批 county approval (an exit only when exit readiness is met): county-scoped poverty-office officer or coordinator.' },
    ANNOUNCEMENT: { description: '县公告 announcement: sets the household\'s registry status; county-scoped poverty-office officer or coordinator.' },
  },
});

registerEnumType(ProcedureStatus, {
  name: 'ProcedureStatus',
  description: 'Status of a procedure (程序状态).',
  valuesConfig: {
    OPEN: { description: '进行中 under way.' },
    COMPLETED: { description: '已公告 announced: the household has the outcome status.' },
    REJECTED: { description: '不予通过 ended by an upheld objection.' },
  },
});

registerEnumType(ObjectionStatus, {
  name: 'ObjectionStatus',
  description: 'Status of an objection raised during the village notice (异议状态).',
  valuesConfig: {
    OPEN: { description: '待核实 open: blocks the next step.' },
    DISMISSED: { description: '异议不成立 dismissed: the procedure goes on.' },
    UPHELD: { description: '异议成立 upheld: the procedure is rejected.' },
  },
});

/** Why a step (or an objection) was refused: the client branches on it. */
export enum ProcedureRefusalReason {
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  PROCEDURE_CLOSED = 'PROCEDURE_CLOSED',
  WRONG_LEVEL = 'WRONG_LEVEL',
  NOTICE_PERIOD_NOT_OVER = 'NOTICE_PERIOD_NOT_OVER',
  NOTICE_NOT_RUNNING = 'NOTICE_NOT_RUNNING',
  OBJECTION_OPEN = 'OBJECTION_OPEN',
  OBJECTION_ALREADY_RESOLVED = 'OBJECTION_ALREADY_RESOLVED',
  EXIT_NOT_READY = 'EXIT_NOT_READY',
  HOUSEHOLD_STATUS_MISMATCH = 'HOUSEHOLD_STATUS_MISMATCH',
  PROCEDURE_ALREADY_OPEN = 'PROCEDURE_ALREADY_OPEN',
}

registerEnumType(ProcedureRefusalReason, {
  name: 'ProcedureRefusalReason',
  description: 'Why a procedure step was refused (不予办理原因).',
  valuesConfig: {
    ILLEGAL_TRANSITION: { description: '环节顺序不符 the step is not the one that follows the last step taken (no step is skipped or repeated).' },
    PROCEDURE_CLOSED: { description: '程序已结束 the procedure is completed or rejected.' },
    WRONG_LEVEL: { description: '层级或角色不符 your role or level (scope) may not take this step.' },
    NOTICE_PERIOD_NOT_OVER: { description: '公示期未满 the village notice has not run its days yet; see allowedFrom.' },
    NOTICE_NOT_RUNNING: { description: '不在公示期 objections are raised only while the village notice runs.' },
    OBJECTION_OPEN: { description: '异议未处理 an objection raised during the notice is still open.' },
    OBJECTION_ALREADY_RESOLVED: { description: '异议已处理 the objection was resolved already.' },
    EXIT_NOT_READY: { description: '未达退出标准 exit readiness is not met for the procedure\'s year; see blockers.' },
    HOUSEHOLD_STATUS_MISMATCH: { description: '户状态不符 the household\'s registry status does not fit the procedure.' },
    PROCEDURE_ALREADY_OPEN: { description: '已有在办程序 the household has an open procedure already.' },
  },
});

export enum ObjectionOutcome {
  DISMISSED = 'dismissed',
  UPHELD = 'upheld',
}

registerEnumType(ObjectionOutcome, {
  name: 'ObjectionOutcome',
  description: 'How an objection is resolved (异议核实结果).',
  valuesConfig: {
    DISMISSED: { description: '异议不成立 dismissed: the procedure may go on.' },
    UPHELD: { description: '异议成立 upheld: the procedure ends as REJECTED.' },
  },
});

@ObjectType('ProcedureStepRecord', { description: '环节记录 one step taken: who, in which role, when, and the comment.' })
export class ProcedureStepRecordNode {
  @Field(() => ProcedureStep, { description: '环节 the step.' })
  step!: ProcedureStep;

  @Field({ description: '经办人 token subject of who took it.' })
  actor!: string;

  @Field(() => Role, { description: '角色 their role.' })
  actorRole!: Role;

  @Field(() => Department, { nullable: true, description: '部门 their department (officers).' })
  actorDepartment!: Department | null;

  @Field({ description: '层级 their scope (division-code prefix) when they took it.' })
  actorScope!: string;

  @Field(() => LocalDate, { description: '办理日 the service-calendar (Beijing) day it was taken.' })
  occurredOn!: string;

  @Field(() => DateTime, { description: '记录时间 when it was recorded.' })
  recordedAt!: Date;

  @Field({ description: '意见 the comment given with the step.' })
  comment!: string;

  procedureId!: string;
}

@ObjectType('ProcedureObjection', { description: '公示异议 an objection raised during the village notice, and its resolution.' })
export class ProcedureObjectionNode {
  @Field(() => ID, { description: 'Objection id (异议编号).' })
  id!: string;

  @Field(() => Int, { description: 'Version (版本号), for resolving.' })
  version!: number;

  @Field(() => ID, { description: '程序 the procedure.' })
  procedureId!: string;

  @Field(() => ObjectionStatus, { description: '状态 status.' })
  status!: ObjectionStatus;

  @Field({ description: '异议内容 what was objected, as recorded.' })
  content!: string;

  @Field({ description: '登记人 who recorded it.' })
  raisedBy!: string;

  @Field(() => Role, { description: '登记人角色 their role.' })
  raisedRole!: Role;

  @Field(() => LocalDate, { description: '登记日 the day it was raised.' })
  raisedOn!: string;

  @Field(() => String, { nullable: true, description: '核实人 who resolved it.' })
  resolvedBy!: string | null;

  @Field(() => Role, { nullable: true, description: '核实人角色 their role.' })
  resolvedRole!: Role | null;

  @Field(() => LocalDate, { nullable: true, description: '核实日 the day it was resolved.' })
  resolvedOn!: string | null;

  @Field(() => String, { nullable: true, description: '核实结论 the resolution.' })
  resolution!: string | null;
}

@ObjectType('Procedure', {
  description: '程序 an identification, exit or 防返贫 monitoring-inclusion procedure of a household, with its steps (申请→村评议→村公示→乡镇审核→县审批→公告).',
})
export class ProcedureNode {
  @Field(() => ID, { description: 'Procedure id (程序编号).' })
  id!: string;

  @Field(() => Int, { description: 'Version (版本号): pass it with the next step.' })
  version!: number;

  @Field(() => ProcedureKind, { description: '程序类型 which procedure.' })
  kind!: ProcedureKind;

  @Field(() => MonitoringSubject, { nullable: true, description: '监测对象类别 subject type of a monitoring inclusion; null otherwise.' })
  subjectType!: MonitoringSubject | null;

  @Field(() => Int, { description: '年度 the year the procedure is for (an exit\'s readiness is judged for it).' })
  year!: number;

  @Field(() => PovertyCause, { nullable: true, description: '主要致贫原因 recorded with an identification; null otherwise.' })
  mainCause!: PovertyCause | null;

  @Field(() => ProcedureStep, { description: '当前环节 the last step taken.' })
  step!: ProcedureStep;

  @Field(() => ProcedureStep, { nullable: true, description: '下一环节 the step that may follow; null once closed.' })
  nextStep!: ProcedureStep | null;

  @Field(() => ProcedureStatus, { description: '状态 open, completed or rejected.' })
  status!: ProcedureStatus;

  @Field(() => HouseholdStatus, { description: '结果状态 the registry status the announcement gives the household.' })
  outcome!: HouseholdStatus;

  @Field(() => ID, { description: '户 the household.' })
  householdId!: string;

  @Field({ description: '所在村 village code (12 digits) of the household.' })
  regionCode!: string;

  @Field(() => LocalDate, { description: '申请日 the day of the application.' })
  appliedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: '公示开始 first day of the village notice; null before it.' })
  noticeStartsOn!: string | null;

  @Field(() => LocalDate, { nullable: true, description: '公示结束 last day of the village notice; null before it.' })
  noticeEndsOn!: string | null;

  @Field(() => LocalDate, { nullable: true, description: '可审核日 first day the township audit may be taken (notice start + PROCEDURE_NOTICE_DAYS).' })
  townshipAuditFrom!: string | null;

  @Field(() => String, { nullable: true, description: '公示内容 the village notice as posted (no ID, phone, bank or health details); null before it.' })
  noticeText!: string | null;

  @Field(() => String, { nullable: true, description: '公告内容 the county announcement as posted; null before it.' })
  announcementText!: string | null;

  @Field(() => LocalDate, { nullable: true, description: '办结日 the day it was completed or rejected.' })
  closedOn!: string | null;

  countyCode!: string;
}

@ObjectType('ProcedureStepRefused', { description: '不予办理 a step or objection refused by the procedure\'s rules, with the reason to branch on.' })
export class StepRefusedNode {
  @Field(() => ProcedureRefusalReason, { description: '原因 why.' })
  reason!: ProcedureRefusalReason;

  @Field({ description: '说明 a sentence saying why (for people; branch on `reason`).' })
  message!: string;

  @Field(() => ProcedureNode, { nullable: true, description: '程序 the procedure as it stands (unchanged by the refusal), when there is one.' })
  procedure!: ProcedureNode | null;

  procedureId!: string | null;

  @Field(() => ProcedureStep, { nullable: true, description: '所请环节 the step asked for.' })
  attemptedStep!: ProcedureStep | null;

  @Field(() => ProcedureStep, { nullable: true, description: '当前环节 the last step taken.' })
  currentStep!: ProcedureStep | null;

  @Field(() => ProcedureStep, { nullable: true, description: '应办环节 the step that may follow; null when closed.' })
  expectedStep!: ProcedureStep | null;

  @Field(() => LocalDate, { nullable: true, description: '可办日 NOTICE_PERIOD_NOT_OVER: the first day the step may be taken.' })
  allowedFrom!: string | null;

  @Field(() => [ExitBlockerNode], { description: '退出障碍 EXIT_NOT_READY: every blocking reason; empty otherwise.' })
  blockers!: ExitBlockerNode[];

  @Field(() => [ID], { description: '未处理异议 OBJECTION_OPEN: ids of the open objections; empty otherwise.' })
  openObjectionIds!: string[];
}

export const ProcedureStepResult = createUnionType({
  name: 'ProcedureStepResult',
  description: '环节结果 the procedure after the step, or why the step was refused.',
  types: () => [ProcedureNode, StepRefusedNode] as const,
  resolveType: (value) => (value instanceof StepRefusedNode ? StepRefusedNode : ProcedureNode),
});

export const ObjectionResult = createUnionType({
  name: 'ProcedureObjectionResult',
  description: '异议结果 the objection as recorded or resolved, or why it was refused.',
  types: () => [ProcedureObjectionNode, StepRefusedNode] as const,
  resolveType: (value) => (value instanceof StepRefusedNode ? StepRefusedNode : ProcedureObjectionNode),
});

export const ProcedureConnection = Connection(ProcedureNode, 'Procedure', '程序');

@InputType({ description: 'Which procedures to list (程序筛选).' })
export class ProcedureFilter {
  @Field({ nullable: true, description: '区划代码 region (2–12 digits) to list under; default your whole scope.' })
  regionCode?: string;

  @Field(() => ProcedureKind, { nullable: true, description: '程序类型 only this kind.' })
  kind?: ProcedureKind;

  @Field(() => ProcedureStep, { nullable: true, description: '当前环节 only procedures whose last step is this one.' })
  step?: ProcedureStep;

  @Field(() => ProcedureStatus, { nullable: true, description: '状态 only this status.' })
  status?: ProcedureStatus;
}

const COMMENT = { min: 1, max: 2000 };

@InputType({ description: 'An application (农户申请) that opens a procedure for a household.' })
export class ApplyForProcedureInput {
  @Field(() => ProcedureKind, { description: '程序类型 which procedure.' })
  kind!: ProcedureKind;

  @Field(() => MonitoringSubject, { nullable: true, description: '监测对象类别 required for MONITORING, refused otherwise.' })
  subjectType?: MonitoringSubject | null;

  @Field(() => Int, { nullable: true, description: '年度 the year it is for, 2010 to the current year; default the current year.' })
  @Min(2010)
  @Max(2100)
  year?: number | null;

  @Field(() => PovertyCause, { nullable: true, description: '主要致贫原因 IDENTIFICATION only: default the household\'s recorded cause; one of the two is required.' })
  mainCause?: PovertyCause | null;

  @Field({ description: '申请说明 what the household asks and why (1–2,000 characters; no ID, phone or health details).' })
  @Length(COMMENT.min, COMMENT.max)
  comment!: string;
}

@InputType({ description: 'Taking the next step of a procedure (办理环节).' })
export class AdvanceProcedureInput {
  @Field(() => ProcedureStep, { description: '环节 the step you take: it must be the procedure\'s next step.' })
  step!: ProcedureStep;

  @Field({ description: '意见 the comment (评议/审核/审批意见), 1–2,000 characters.' })
  @Length(COMMENT.min, COMMENT.max)
  comment!: string;
}

@InputType({ description: 'An objection received during the village notice (公示异议登记).' })
export class RaiseObjectionInput {
  @Field({ description: '异议内容 what was objected, 1–2,000 characters.' })
  @Length(COMMENT.min, COMMENT.max)
  content!: string;
}

@InputType({ description: 'The resolution of an objection (异议核实).' })
export class ResolveObjectionInput {
  @Field(() => ObjectionOutcome, { description: '结果 DISMISSED lets the procedure go on; UPHELD rejects it.' })
  outcome!: ObjectionOutcome;

  @Field({ description: '核实结论 the finding, 1–2,000 characters.' })
  @Length(COMMENT.min, COMMENT.max)
  resolution!: string;
}
