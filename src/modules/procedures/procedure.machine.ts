import { Role, type Principal } from '../../core/auth/roles';
import { Department, HouseholdStatus } from '../../core/vocab';
import { MonitoringSubject, ProcedureKind, ProcedureStep } from './procedure.entities';

// The one state machine of the three procedures (识别、退出、防返贫监测纳入), as data and pure
// functions: the order of the steps, who may take each one, which registry status a household
// must have to apply and which one the announcement gives it, and the notice calendar. The
// service (procedure.service.ts) runs these checks inside the step's transaction.

/** The steps in order: each is taken once, and only right after the one before it. */
export const STEP_ORDER: readonly ProcedureStep[] = [
  ProcedureStep.APPLICATION,
  ProcedureStep.VILLAGE_REVIEW,
  ProcedureStep.VILLAGE_NOTICE,
  ProcedureStep.TOWNSHIP_AUDIT,
  ProcedureStep.COUNTY_APPROVAL,
  ProcedureStep.ANNOUNCEMENT,
];

/** The step that may follow `step`; null after the announcement. */
export function nextStep(step: ProcedureStep): ProcedureStep | null {
  const i = STEP_ORDER.indexOf(step);
  return STEP_ORDER[i + 1] ?? null;
}

/** Default length of the village notice (公示), in days; PROCEDURE_NOTICE_DAYS overrides it. */
export const DEFAULT_NOTICE_DAYS = 5;
let noticeDays = DEFAULT_NOTICE_DAYS;

/** Sets the notice length (config PROCEDURE_NOTICE_DAYS, validated there: at least 5). */
export function setProcedureNoticeDays(days: number): void {
  if (!Number.isInteger(days) || days < 1) throw new Error('PROCEDURE_NOTICE_DAYS must be a whole number of days');
  noticeDays = days;
}

export function procedureNoticeDays(): number {
  return noticeDays;
}

/** `day` (an ISO date) plus `n` days, as an ISO date: calendar arithmetic, no time zone involved. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The notice posted on `start` runs `days` whole Beijing days, start included: it ends on
 * start + days − 1, and the township audit may be taken from start + days on.
 */
export function noticeWindow(start: string, days = noticeDays): { startsOn: string; endsOn: string; auditFrom: string } {
  return { startsOn: start, endsOn: addDays(start, days - 1), auditFrom: addDays(start, days) };
}

/**
 * Who may take each step, by role and by the length of the scope they hold (the level they work
 * at). Region scope itself (the household inside the caller's prefix) is checked in SQL.
 * - application: a poverty-office officer at any level, or a coordinator (records the household's
 *   request, 农户申请);
 * - village review and village notice: a poverty-office officer scoped to the village or the
 *   township (村民代表评议 and 村公示 are organised by the village committee with the township's
 *   poverty-office staff);
 * - township audit: a poverty-office officer or a coordinator scoped to the township (乡镇审核);
 * - county approval and the announcement: a poverty-office officer or a coordinator scoped to
 *   the county (县审批, 县公告).
 * Objections are recorded by anyone who may take a step on the procedure, and resolved at the
 * township or village level (乡镇/村核实).
 */
export const STEP_ACTORS: Record<ProcedureStep, { roles: readonly Role[]; scopeLengths: readonly number[]; zh: string }> = {
  [ProcedureStep.APPLICATION]: { roles: [Role.OFFICER, Role.COORDINATOR], scopeLengths: [2, 4, 6, 9, 12], zh: '农户申请' },
  [ProcedureStep.VILLAGE_REVIEW]: { roles: [Role.OFFICER], scopeLengths: [9, 12], zh: '村民代表评议' },
  [ProcedureStep.VILLAGE_NOTICE]: { roles: [Role.OFFICER], scopeLengths: [9, 12], zh: '村公示' },
  [ProcedureStep.TOWNSHIP_AUDIT]: { roles: [Role.OFFICER, Role.COORDINATOR], scopeLengths: [9], zh: '乡镇审核' },
  [ProcedureStep.COUNTY_APPROVAL]: { roles: [Role.OFFICER, Role.COORDINATOR], scopeLengths: [6], zh: '县审批' },
  [ProcedureStep.ANNOUNCEMENT]: { roles: [Role.OFFICER, Role.COORDINATOR], scopeLengths: [6], zh: '县公告' },
};

/** Levels at which an objection is resolved (乡镇或村核实). */
export const OBJECTION_RESOLVER_SCOPE_LENGTHS: readonly number[] = [9, 12];

/** Whether `p` works at a level and in a role that may take `step` (officers: the poverty office only). */
export function mayTakeStep(p: Principal, step: ProcedureStep): boolean {
  const rule = STEP_ACTORS[step];
  if (!rule.roles.includes(p.role)) return false;
  if (p.role === Role.OFFICER && p.department !== Department.POVERTY_OFFICE) return false;
  return rule.scopeLengths.includes(p.scope.length);
}

/** Whether `p` may resolve an objection (the township or the village, poverty office or coordinator). */
export function mayResolveObjection(p: Principal): boolean {
  if (p.role === Role.OFFICER && p.department !== Department.POVERTY_OFFICE) return false;
  if (p.role !== Role.OFFICER && p.role !== Role.COORDINATOR) return false;
  return OBJECTION_RESOLVER_SCOPE_LENGTHS.includes(p.scope.length);
}

/** The registry statuses a household may apply from, per procedure (and monitoring subject). */
export function statusesToApplyFrom(kind: ProcedureKind, subject: MonitoringSubject | null): readonly HouseholdStatus[] {
  switch (kind) {
    case ProcedureKind.IDENTIFICATION:
      return [HouseholdStatus.NONE];
    case ProcedureKind.EXIT:
      return [HouseholdStatus.REGISTERED];
    case ProcedureKind.MONITORING:
      if (subject === MonitoringSubject.EXITED_UNSTABLE) return [HouseholdStatus.EXITED];
      if (subject === MonitoringSubject.AT_RISK) return [HouseholdStatus.NONE];
      return [HouseholdStatus.NONE, HouseholdStatus.EXITED];
  }
}

/** The registry status the announcement gives the household. */
export function outcomeOf(kind: ProcedureKind): HouseholdStatus {
  switch (kind) {
    case ProcedureKind.IDENTIFICATION:
      return HouseholdStatus.REGISTERED;
    case ProcedureKind.EXIT:
      return HouseholdStatus.EXITED;
    case ProcedureKind.MONITORING:
      return HouseholdStatus.MONITORED;
  }
}
