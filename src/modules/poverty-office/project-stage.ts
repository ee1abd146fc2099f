import { registerEnumType } from 'type-graphql';

// The state machine of a project (扶贫项目): planned → approved → under way → completed →
// accepted (验收), cancelled before work starts. Approval and acceptance are announced
// (公告公示, public-notice.service.ts), as is every fund allocation.

/** Where a project stands (项目状态). The stored value of UNDERWAY is 'underway', as for WorkStatus. */
export enum ProjectStatus {
  PLANNED = 'planned',
  APPROVED = 'approved',
  UNDERWAY = 'underway',
  COMPLETED = 'completed',
  ACCEPTED = 'accepted',
  CANCELLED = 'cancelled',
}

registerEnumType(ProjectStatus, {
  name: 'ProjectStatus',
  description: '项目状态 PLANNED → APPROVED → UNDERWAY → COMPLETED → ACCEPTED (验收); CANCELLED from PLANNED or APPROVED.',
  valuesConfig: {
    PLANNED: { description: '计划 planned (项目库)' },
    APPROVED: { description: '已批复 approved; announced' },
    UNDERWAY: { description: '实施中 under way' },
    COMPLETED: { description: '已完工 completed, awaiting acceptance' },
    ACCEPTED: { description: '已验收 accepted; announced' },
    CANCELLED: { description: '已取消 cancelled' },
  },
});

export const PROJECT_TRANSITIONS: Readonly<Record<ProjectStatus, readonly ProjectStatus[]>> = {
  [ProjectStatus.PLANNED]: [ProjectStatus.APPROVED, ProjectStatus.CANCELLED],
  [ProjectStatus.APPROVED]: [ProjectStatus.UNDERWAY, ProjectStatus.CANCELLED],
  [ProjectStatus.UNDERWAY]: [ProjectStatus.COMPLETED],
  [ProjectStatus.COMPLETED]: [ProjectStatus.ACCEPTED],
  [ProjectStatus.ACCEPTED]: [],
  [ProjectStatus.CANCELLED]: [],
};

/** Statuses in which funds may be allocated: approved and not yet accepted. */
export const FUNDABLE: readonly ProjectStatus[] = [ProjectStatus.APPROVED, ProjectStatus.UNDERWAY, ProjectStatus.COMPLETED];

/** Notices (公告公示) a project produces. */
export enum NoticeKind {
  APPROVAL = 'approval',
  ALLOCATION = 'allocation',
  ACCEPTANCE = 'acceptance',
}

registerEnumType(NoticeKind, {
  name: 'NoticeKind',
  description: '公告类别 what a public notice announces.',
  valuesConfig: {
    APPROVAL: { description: '项目批复公告 project approval' },
    ALLOCATION: { description: '资金拨付公示 fund allocation' },
    ACCEPTANCE: { description: '项目验收公告 project acceptance' },
  },
});
