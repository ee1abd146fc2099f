import type { SqlRunner } from '../audit';
import { POVERTY_CAUSE_NAMES, PovertyCause } from '../../core/vocab';
import { MonitoringSubject, ProcedureKind } from './procedure.entities';

// The texts posted for a procedure: the village notice (村公示) and the county announcement
// (县公告). What a notice may show is what the published 公示 forms show: the head of household's
// name, the village, the number of people and the reason category (致贫原因, 监测对象类别). The
// facts are read by one statement that selects exactly these columns, so an ID number, a phone
// number, a bank account or any health detail (a category, a diagnosis) never reaches the text.
// A head of household under 18 is not named: a minor's name is hidden from the poverty office and
// coordinators (core/privacy.ts), and a text derived from it would show it to them.

export const KIND_ZH: Record<ProcedureKind, string> = {
  [ProcedureKind.IDENTIFICATION]: '贫困户识别',
  [ProcedureKind.EXIT]: '贫困户退出',
  [ProcedureKind.MONITORING]: '防返贫监测对象纳入',
};

export const SUBJECT_ZH: Record<MonitoringSubject, string> = {
  [MonitoringSubject.EXITED_UNSTABLE]: '脱贫不稳定户',
  [MonitoringSubject.AT_RISK]: '边缘易致贫户',
  [MonitoringSubject.SUDDEN_HARDSHIP]: '突发严重困难户',
};

/** The facts a notice may show, and nothing else. */
export interface NoticeFacts {
  /** Null when the household has no members, or its head is a minor. */
  headName: string | null;
  headIsMinor: boolean;
  householdSize: number;
  villageName: string;
  townshipName: string;
  countyName: string;
}

/**
 * Reads the notice facts of household `householdId` (inside the step's transaction) on `today`
 * (the service calendar's day). The head is the member recorded as head (户主), else the first member.
 */
export async function noticeFacts(tx: SqlRunner, householdId: string, today: string): Promise<NoticeFacts> {
  const rows = (await tx.query(
    `SELECT CASE WHEN head.minor THEN NULL ELSE head.name END AS "headName", coalesce(head.minor, false) AS "headIsMinor",
            (SELECT count(*)::int FROM person p WHERE p.household_id = h.id) AS "householdSize",
            coalesce(v.name, h.village_code) AS "villageName",
            coalesce(t.name, left(h.village_code, 9)) AS "townshipName",
            coalesce(c.name, h.county_code) AS "countyName"
       FROM household h
       LEFT JOIN LATERAL (SELECT p.name, p.birth_date > ($2::date - interval '18 years') AS minor FROM person p WHERE p.household_id = h.id
                           ORDER BY (p.relation = 'head') DESC, p.id LIMIT 1) head ON true
       LEFT JOIN region v ON v.code = h.village_code
       LEFT JOIN region t ON t.code = left(h.village_code, 9) || '000'
       LEFT JOIN region c ON c.code = h.county_code || '000000'
      WHERE h.id = $1`,
    [householdId, today],
  )) as NoticeFacts[];
  return rows[0];
}

/** What the procedure is about, for the texts. */
export interface NoticeSubject {
  kind: ProcedureKind;
  subjectType: MonitoringSubject | null;
  mainCause: string | null;
}

function reasonLine(s: NoticeSubject): string {
  if (s.kind === ProcedureKind.MONITORING && s.subjectType) return `监测对象类别：${SUBJECT_ZH[s.subjectType]}`;
  if (s.kind === ProcedureKind.EXIT) return '退出类别：稳定实现“两不愁三保障”，收入达到退出标准';
  const cause = s.mainCause ? POVERTY_CAUSE_NAMES[s.mainCause as PovertyCause] : null;
  return `主要致贫原因：${cause ?? '其他'}`;
}

function subjectLine(f: NoticeFacts, s: NoticeSubject): string {
  const head = f.headIsMinor ? '（未成年人，不公示姓名）' : (f.headName ?? '（未登记）');
  return `户主：${head}；家庭人口：${f.householdSize}人；${reasonLine(s)}；所在村：${f.townshipName}${f.villageName}。`;
}

/** The village notice (村公示) posted on `startsOn` until `endsOn` (both Beijing days). */
export function villageNoticeText(f: NoticeFacts, s: NoticeSubject, startsOn: string, endsOn: string, days: number): string {
  return [
    `${f.villageName}${KIND_ZH[s.kind]}公示`,
    `根据${KIND_ZH[s.kind]}工作程序，经农户申请、村民代表评议，现将拟${s.kind === ProcedureKind.EXIT ? '退出' : '纳入'}对象公示如下：`,
    subjectLine(f, s),
    `公示期：${startsOn}至${endsOn}（${days}日）。如有异议，请在公示期内向村民委员会或乡镇人民政府书面或当面反映。`,
    `${f.villageName}村民委员会\u3000${startsOn}`,
  ].join('\n');
}

/** The county announcement (县公告) of `announcedOn`. */
export function announcementText(f: NoticeFacts, s: NoticeSubject, announcedOn: string): string {
  return [
    `${f.countyName}${KIND_ZH[s.kind]}公告`,
    `经村民代表评议、村公示、乡镇审核、县审批，以下农户${s.kind === ProcedureKind.EXIT ? '退出贫困户' : s.kind === ProcedureKind.MONITORING ? '纳入防返贫监测对象' : '识别为贫困户'}，现予公告：`,
    subjectLine(f, s),
    `${f.countyName}扶贫开发领导小组办公室\u3000${announcedOn}`,
  ].join('\n');
}
