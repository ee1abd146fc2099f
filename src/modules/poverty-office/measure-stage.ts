import { registerEnumType } from 'type-graphql';
import { WorkStatus } from '../../core/vocab';

// The state machine of a measure (帮扶措施): planned → in progress → completed → verified, or
// cancelled before completion. Storage keeps the shared WorkStatus (reports and coordination
// rules count by it) plus the verification stamp; the stage is derived from both in SQL
// (MEASURE_STAGE_SQL), so the two can never disagree.

/** Where a measure stands (措施进度). */
export enum MeasureStage {
  PLANNED = 'planned',
  IN_PROGRESS = 'in_progress',
  COMPLETED = 'completed',
  VERIFIED = 'verified',
  CANCELLED = 'cancelled',
}

registerEnumType(MeasureStage, {
  name: 'MeasureStage',
  description: '措施进度 where a measure stands: PLANNED → IN_PROGRESS → COMPLETED → VERIFIED; CANCELLED from PLANNED or IN_PROGRESS.',
  valuesConfig: {
    PLANNED: { description: '计划 planned' },
    IN_PROGRESS: { description: '实施中 being carried out (status UNDERWAY)' },
    COMPLETED: { description: '已完成 completed, awaiting verification' },
    VERIFIED: { description: '已验收 verified by someone other than who completed it' },
    CANCELLED: { description: '已取消 cancelled' },
  },
});

/** The legal next stages of each stage. */
export const MEASURE_TRANSITIONS: Readonly<Record<MeasureStage, readonly MeasureStage[]>> = {
  [MeasureStage.PLANNED]: [MeasureStage.IN_PROGRESS, MeasureStage.CANCELLED],
  [MeasureStage.IN_PROGRESS]: [MeasureStage.COMPLETED, MeasureStage.CANCELLED],
  [MeasureStage.COMPLETED]: [MeasureStage.VERIFIED],
  [MeasureStage.VERIFIED]: [],
  [MeasureStage.CANCELLED]: [],
};

/** The stored status of a stage (VERIFIED is COMPLETED plus the verification stamp). */
export const STATUS_OF_STAGE: Readonly<Record<MeasureStage, WorkStatus>> = {
  [MeasureStage.PLANNED]: WorkStatus.PLANNED,
  [MeasureStage.IN_PROGRESS]: WorkStatus.UNDERWAY,
  [MeasureStage.COMPLETED]: WorkStatus.COMPLETED,
  [MeasureStage.VERIFIED]: WorkStatus.COMPLETED,
  [MeasureStage.CANCELLED]: WorkStatus.CANCELLED,
};

/** The stage of a stored status before verification. */
export const STAGE_OF_STATUS: Readonly<Record<WorkStatus, MeasureStage>> = {
  [WorkStatus.PLANNED]: MeasureStage.PLANNED,
  [WorkStatus.UNDERWAY]: MeasureStage.IN_PROGRESS,
  [WorkStatus.COMPLETED]: MeasureStage.COMPLETED,
  [WorkStatus.CANCELLED]: MeasureStage.CANCELLED,
};

/** SQL: the stage of measure row `f`. */
export const MEASURE_STAGE_SQL = `CASE WHEN f.verified_at IS NOT NULL THEN 'verified' WHEN f.status = 'underway' THEN 'in_progress' ELSE f.status::text END`;

export const isLegalMeasureMove = (from: MeasureStage, to: MeasureStage): boolean => MEASURE_TRANSITIONS[from].includes(to);

