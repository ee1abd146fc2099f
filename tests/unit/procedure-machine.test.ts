import { Role } from '../../src/core/auth';
import { Department, HouseholdStatus } from '../../src/core/vocab';
import { MonitoringSubject, ProcedureKind, ProcedureStep } from '../../src/modules/procedures';
import { addDays, mayResolveObjection, mayTakeStep, nextStep, noticeWindow, statusesToApplyFrom } from '../../src/modules/procedures/procedure.machine';
import { announcementText, villageNoticeText } from '../../src/modules/procedures/procedure-notice';

// The procedures' state machine without a database (the end-to-end rules: tests/e2e/procedures.test.ts).

const officer = (scope: string, department = Department.POVERTY_OFFICE) => ({ subject: 's', role: Role.OFFICER, department, scope });
const coordinator = (scope: string) => ({ subject: 's', role: Role.COORDINATOR, department: null, scope });

describe('procedure state machine', () => {
  it('orders the six steps and ends after the announcement', () => {
    expect(nextStep(ProcedureStep.APPLICATION)).toBe(ProcedureStep.VILLAGE_REVIEW);
    expect(nextStep(ProcedureStep.VILLAGE_NOTICE)).toBe(ProcedureStep.TOWNSHIP_AUDIT);
    expect(nextStep(ProcedureStep.ANNOUNCEMENT)).toBeNull();
  });

  it('counts the notice in whole days across month and year ends', () => {
    expect(noticeWindow('2024-12-29', 5)).toEqual({ startsOn: '2024-12-29', endsOn: '2025-01-02', auditFrom: '2025-01-03' });
    expect(addDays('2024-02-27', 3)).toBe('2024-03-01');
  });

  it('lets each step be taken at its level only, officers of the poverty office only', () => {
    expect(mayTakeStep(officer('993501001001'), ProcedureStep.VILLAGE_REVIEW)).toBe(true);
    expect(mayTakeStep(officer('993501'), ProcedureStep.VILLAGE_REVIEW)).toBe(false);
    expect(mayTakeStep(coordinator('993501001'), ProcedureStep.VILLAGE_NOTICE)).toBe(false);
    expect(mayTakeStep(coordinator('993501001'), ProcedureStep.TOWNSHIP_AUDIT)).toBe(true);
    expect(mayTakeStep(officer('993501', Department.HEALTH), ProcedureStep.COUNTY_APPROVAL)).toBe(false);
    expect(mayTakeStep(coordinator('9935'), ProcedureStep.COUNTY_APPROVAL)).toBe(false);
    expect(mayTakeStep(coordinator('9935'), ProcedureStep.APPLICATION)).toBe(true);
    expect(mayResolveObjection(officer('993501'))).toBe(false);
    expect(mayResolveObjection(coordinator('993501001'))).toBe(true);
  });

  it('applies from the statuses each procedure and subject type fits', () => {
    expect(statusesToApplyFrom(ProcedureKind.EXIT, null)).toEqual([HouseholdStatus.REGISTERED]);
    expect(statusesToApplyFrom(ProcedureKind.MONITORING, MonitoringSubject.SUDDEN_HARDSHIP)).toEqual([HouseholdStatus.NONE, HouseholdStatus.EXITED]);
  });

  it('writes notices from the facts it is given and nothing else', () => {
    const facts = { headName: '张三', headIsMinor: false, householdSize: 4, villageName: '红星村', townshipName: '城关镇', countyName: '某县' };
    const subject = { kind: ProcedureKind.MONITORING, subjectType: MonitoringSubject.AT_RISK, mainCause: null };
    expect(villageNoticeText(facts, subject, '2024-10-08', '2024-10-12', 5)).toBe([
      '红星村防返贫监测对象纳入公示',
      '根据防返贫监测对象纳入工作程序，经农户申请、村民代表评议，现将拟纳入对象公示如下：',
      '户主：张三；家庭人口：4人；监测对象类别：边缘易致贫户；所在村：城关镇红星村。',
      '公示期：2024-10-08至2024-10-12（5日）。如有异议，请在公示期内向村民委员会或乡镇人民政府书面或当面反映。',
      '红星村村民委员会　2024-10-08',
    ].join('\n'));
    expect(announcementText(facts, { kind: ProcedureKind.IDENTIFICATION, subjectType: null, mainCause: 'disability' }, '2024-10-20')).toContain('主要致贫原因：因残');
    const minor = villageNoticeText({ ...facts, headName: null, headIsMinor: true }, subject, '2024-10-08', '2024-10-12', 5);
    expect(minor).toContain('户主：（未成年人，不公示姓名）；');
  });
});
