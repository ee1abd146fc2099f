import {
  CareMode, DibaoCategory, DisabilitySubsidyKind, EnrolmentStatus, Gender, HealthCategory, HouseholdStatus, LabourAbility, LeftBehindKind,
  Relation,
} from '../src/core/vocab';
import { addDays, dateBetween, dateIn, maxDate, minDate } from './calendar';
import type { SeedContext } from './context';
import type { HouseholdModel } from './households';
import type { Member } from './people';
import { fullName, TEMPORARY_ASSISTANCE_REASONS } from './vocabulary';

// 民政 civil affairs: 低保, 特困供养, 临时救助, 三留守, 残疾人两项补贴.

export interface CivilAffairsOutcome {
  /** Category of the 低保 enrolment active on AS_OF, if any. */
  dibao: DibaoCategory | null;
  /** Members under 特困供养. */
  extremePoverty: Set<Member>;
}

/** Rural 低保 standard per covered person and month (yuan), by province, class A; B and C get less. */
const DIBAO_MONTHLY: Record<string, number> = { '43': 420, '36': 520, '42': 480, '45': 440 };
/** 特困 basic living standard per month (yuan), by province. */
const EXTREME_MONTHLY: Record<string, number> = { '43': 560, '36': 700, '42': 650, '45': 590 };

/** The annual income under which a household without labour should get 低保 anywhere in the four provinces. */
export const DIBAO_INCOME_LINE = 5_000;

const NO_LABOUR = new Set([LabourAbility.LOST, LabourAbility.NONE]);

export function writeCivilAffairs(ctx: SeedContext, h: HouseholdModel): CivilAffairsOutcome {
  const { sink } = ctx;
  const r = h.rng;
  const province = h.countyCode.slice(0, 2);
  const outcome: CivilAffairsOutcome = { dibao: null, extremePoverty: new Set() };
  const personRow = (m: Member) => [h.countyCode, h.id, m.id];

  // 特困: a single person who is old or disabled, cannot work and has no one to support them.
  const alone = h.members.length === 1 ? h.members[0] : null;
  if (alone && h.noLabour && (alone.age >= 60 || alone.health === HealthCategory.DISABLED) && r.chance(h.poor ? 0.7 : 0.3)) {
    outcome.extremePoverty.add(alone);
    const start = dateIn(r, r.int(2015, 2023));
    sink.insert('extreme_poverty_support', [
      ...personRow(alone), r.chance(0.15) ? CareMode.CENTRALISED : CareMode.DISPERSED, r.amount(EXTREME_MONTHLY[province] * 0.9, EXTREME_MONTHLY[province] * 1.1, 10).toFixed(2), start, null,
    ]);
  }

  // 低保: 应保尽保 for households that cannot work and live under the line, less often otherwise.
  // A few strictly labourless low-income households are deliberately left out (the 应保尽保 gap).
  const strictlyNoLabour = h.members.every((m) => NO_LABOUR.has(m.labour));
  let enrol: boolean;
  if (outcome.extremePoverty.size) enrol = false;
  else if (strictlyNoLabour && h.latestIncome < DIBAO_INCOME_LINE) enrol = !ctx.gaps.take('noDibao', r, 0.05);
  else if (h.noLabour && h.latestIncome < DIBAO_INCOME_LINE) enrol = r.chance(0.9);
  else enrol = r.chance({ registered: 0.22, monitored: 0.18, exited: 0.08, none: 0.01 }[h.status]);
  if (enrol) outcome.dibao = writeDibao(ctx, h, strictlyNoLabour);

  if (r.chance(h.poor ? 0.05 : 0.015)) {
    for (let i = r.int(1, 2); i > 0; i--) {
      sink.insert('temporary_assistance', [h.countyCode, h.id, dateBetween(r, '2023-01-01', '2025-08-31'), r.amount(500, 5_000, 100).toFixed(2), r.pick(TEMPORARY_ASSISTANCE_REASONS)]);
    }
  }

  writeLeftBehind(ctx, h);

  for (const m of h.members) {
    if (m.health !== HealthCategory.DISABLED) continue;
    const from = maxDate('2016-01-01', m.birthDate);
    if ((h.poor || outcome.dibao) && r.chance(0.85)) {
      sink.insert('disability_subsidy', [...personRow(m), DisabilitySubsidyKind.LIVING, r.amount(70, 100, 5).toFixed(2), dateBetween(r, from, '2025-06-30'), null]);
    }
    if ((m.disabilityLevel ?? 4) <= 2 && r.chance(0.9)) {
      sink.insert('disability_subsidy', [...personRow(m), DisabilitySubsidyKind.NURSING, r.amount(80, 110, 5).toFixed(2), dateBetween(r, from, '2025-06-30'), null]);
    }
  }
  return outcome;
}

/** Writes the 低保 enrolment (and sometimes an earlier, ended one); returns the active category. */
function writeDibao(ctx: SeedContext, h: HouseholdModel, strictlyNoLabour: boolean): DibaoCategory | null {
  const r = h.rng;
  const severe = h.members.some((m) => m.health === HealthCategory.SERIOUS || (m.health === HealthCategory.DISABLED && (m.disabilityLevel ?? 4) <= 2));
  const unwell = h.members.some((m) => m.health !== HealthCategory.HEALTHY);
  const category = strictlyNoLabour || severe ? DibaoCategory.CLASS_A : unwell ? DibaoCategory.CLASS_B : DibaoCategory.CLASS_C;
  const base = DIBAO_MONTHLY[h.countyCode.slice(0, 2)];
  const perPerson = { class_a: base, class_b: base * 0.75, class_c: base * 0.5 }[category];
  const covered = category === DibaoCategory.CLASS_A ? h.members.length : r.int(1, h.members.length);
  const earliest = h.identifiedOn ?? '2015-01-01';
  const start = dateBetween(r, maxDate(earliest, '2015-01-01'), '2024-12-31');

  // Renewals re-assess the category: an earlier enrolment ended the day before this one began.
  if (start >= '2018-01-01' && r.chance(0.2)) {
    const earlier = dateBetween(r, '2015-01-01', addDays(start, -400));
    ctx.sink.insert('dibao_enrolment', [
      h.countyCode, h.id, DibaoCategory.CLASS_C, (base * 0.5 * covered).toFixed(2), covered, earlier, addDays(start, -1), EnrolmentStatus.ENDED,
    ]);
  }
  let status = EnrolmentStatus.ACTIVE;
  let end: string | null = null;
  if (h.status === HouseholdStatus.EXITED && r.chance(0.4)) {
    status = EnrolmentStatus.ENDED;
    end = minDate(addDays(start, r.int(180, 2000)), '2025-08-31');
  } else if (r.chance(0.02)) {
    status = EnrolmentStatus.SUSPENDED;
  }
  ctx.sink.insert('dibao_enrolment', [h.countyCode, h.id, category, (perPerson * covered).toFixed(2), covered, start, end, status]);
  return status === EnrolmentStatus.ACTIVE ? category : null;
}

/**
 * 三留守: where both parents work away, their children under 16 (and the grandparents caring
 * for them) are left behind; where the husband works away, the wife. Old people living alone
 * are left-behind elderly. Each has a one-to-one contact person.
 */
function writeLeftBehind(ctx: SeedContext, h: HouseholdModel): void {
  const r = h.rng;
  const record = (m: Member, kind: LeftBehindKind) =>
    ctx.sink.insert('left_behind_record', [
      h.countyCode, h.id, m.id, kind, fullName(r, r.chance(0.6) ? Gender.MALE : Gender.FEMALE, 1975, h.prefecture),
      maxDate(dateBetween(r, '2017-01-01', '2024-12-31'), m.birthDate), null,
    ]);
  const children = h.members.filter((m) => m.age < 16 && (m.relation === Relation.CHILD || m.relation === Relation.GRANDCHILD));
  const head = h.members[0];
  const spouse = h.members.find((m) => m.relation === Relation.SPOUSE);
  if (children.length && head.age <= 55) {
    const mode = r.weighted([['both', 20], ['husband', 10], ['home', 70]] as const);
    if (mode === 'both') {
      for (const c of children) record(c, LeftBehindKind.CHILD);
      for (const m of h.members) if (m.age >= 60 && r.chance(0.5)) record(m, LeftBehindKind.ELDERLY);
    } else if (mode === 'husband' && spouse && spouse.gender === Gender.FEMALE && spouse.age <= 55) {
      record(spouse, LeftBehindKind.WOMAN);
    }
  } else if (h.members.length === 1 && head.age >= 65 && r.chance(0.25)) {
    record(head, LeftBehindKind.ELDERLY);
  }
}
