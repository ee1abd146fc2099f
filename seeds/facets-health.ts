import { ConditionKind, DibaoCategory, Gender, HealthCategory, HouseholdStatus, InsuranceScheme, LabourAbility } from '../src/core/vocab';
import { addDays, dateBetween, maxDate } from './calendar';
import type { SeedContext } from './context';
import type { CivilAffairsOutcome } from './facets-civil-affairs';
import type { HouseholdModel } from './households';
import type { Member } from './people';
import {
  CHILD_CHRONIC_CONDITIONS, CHILD_SERIOUS_CONDITIONS, CHRONIC_CONDITIONS, FEMALE_ONLY_ICD10, fullName, SERIOUS_CONDITIONS,
} from './vocabulary';

// 卫健/医保 health: yearly insurance, conditions with diagnoses, medical-assistance claims and
// the yearly cap they count against, family-doctor contracts.

export const INSURANCE_YEARS = [2023, 2024, 2025] as const;

/** Individual contribution to the resident scheme (城乡居民医保个人缴费), yuan a year. */
const RESIDENT_PREMIUM: Record<number, number> = { 2023: 380, 2024: 400, 2025: 400 };

export function writeHealth(ctx: SeedContext, h: HouseholdModel, civil: CivilAffairsOutcome): void {
  const { sink } = ctx;
  const r = h.rng;
  const clinic = r.chance(0.7) ? `${h.village.township.name}卫生院` : `${h.village.name}卫生室`;
  const doctor = fullName(r, r.chance(0.5) ? Gender.MALE : Gender.FEMALE, 1980, h.prefecture);

  for (const m of h.members) {
    const row = [h.countyCode, h.id, m.id];
    writeInsurance(ctx, h, m, civil);

    const conditions = conditionsOf(h, m);
    for (const [kind, [diagnosis, icd10], diagnosedOn] of conditions) {
      sink.insert('health_condition', [...row, kind, diagnosis, icd10, diagnosedOn]);
    }
    // 医疗救助 reaches the poor (and 低保/特困 people): basic insurance, critical-illness
    // insurance and assistance together leave them about a tenth of the bill.
    if (conditions.length && (h.poor || civil.dibao || civil.extremePoverty.has(m))) {
      const serious = conditions.some(([k]) => k === ConditionKind.SERIOUS);
      const claims = serious ? r.int(2, 4) : r.chance(0.45) ? r.int(1, 2) : 0;
      const since = maxDate('2023-01-01', conditions[0][2]);
      const reimbursedByYear = new Map<number, number>();
      for (let i = 0; i < claims && since <= '2025-08-31'; i++) {
        const totalFen = serious ? r.int(1_500_000, 12_000_000) : r.int(60_000, 600_000);
        const ratio = h.status === HouseholdStatus.EXITED ? 0.75 + r.next() * 0.1 : 0.85 + r.next() * 0.07;
        const reimbursedFen = Math.round(totalFen * ratio);
        const claimDate = dateBetween(r, since, '2025-08-31');
        sink.insert('medical_assistance_claim', [...row, claimDate, fen(totalFen), fen(reimbursedFen), fen(totalFen - reimbursedFen)]);
        const year = Number(claimDate.slice(0, 4));
        reimbursedByYear.set(year, (reimbursedByYear.get(year) ?? 0) + reimbursedFen);
      }
      // 医疗救助年度封顶: the assistance part of what was reimbursed (about a fifth; insurance
      // paid the rest) counts against the year's cap, higher for 低保 and 特困 people. No draws
      // of the generator here, so every other table seeds as before.
      const capFen = civil.dibao || civil.extremePoverty.has(m) ? 6_000_000 : 4_000_000;
      for (const [year, reimbursedFen] of [...reimbursedByYear].sort(([a], [b]) => a - b)) {
        sink.insert('medical_assistance_cap', [...row, year, fen(capFen), fen(Math.min(capFen, Math.round(reimbursedFen * 0.2)))]);
      }
    }
    // 家庭医生签约: every member of a poor household; elsewhere the key groups (old, ill, small children).
    const keyGroup = m.age >= 65 || m.age <= 6 || m.health !== HealthCategory.HEALTHY;
    if (r.chance(h.poor ? 0.92 : keyGroup ? 0.7 : 0.1)) {
      const start = maxDate(dateBetween(r, '2025-01-01', '2025-03-31'), m.birthDate);
      sink.insert('family_doctor_contract', [...row, doctor, clinic, start, addDays(`${Number(start.slice(0, 4)) + 1}${start.slice(4)}`, -1)]);
    }
  }
}

const fen = (n: number) => (n / 100).toFixed(2);

/**
 * One row a year from the year of birth. Members of registered households are occasionally
 * missing this year (the 基本医疗保障 gap); the subsidy (资助参保) follows the household's status.
 */
function writeInsurance(ctx: SeedContext, h: HouseholdModel, m: Member, civil: CivilAffairsOutcome): void {
  const r = h.rng;
  const employee = m.labour === LabourAbility.SKILLED && m.age >= 20 && m.age <= 55 && !h.poor && r.chance(0.3);
  const lapsedThisYear = h.status === HouseholdStatus.REGISTERED ? ctx.gaps.take('uninsured', r, 0.02) : r.chance(0.03);
  for (const year of INSURANCE_YEARS) {
    if (Number(m.birthDate.slice(0, 4)) > year) continue;
    if (year === 2025 && lapsedThisYear) continue;
    if (year < 2025 && r.chance(0.01)) continue;
    if (employee) {
      ctx.sink.insert('insurance_enrolment', [h.countyCode, h.id, m.id, year, InsuranceScheme.EMPLOYEE, r.amount(2_400, 4_200, 10).toFixed(2), '0.00']);
      continue;
    }
    const premium = RESIDENT_PREMIUM[year];
    let share = 0;
    if (civil.extremePoverty.has(m) || civil.dibao === DibaoCategory.CLASS_A) share = 1;
    else if (civil.dibao) share = 0.7;
    else if (h.status === HouseholdStatus.REGISTERED || h.status === HouseholdStatus.MONITORED) share = 0.5;
    else if (h.status === HouseholdStatus.EXITED) share = year === 2023 ? 0.5 : 0.3;
    ctx.sink.insert('insurance_enrolment', [h.countyCode, h.id, m.id, year, InsuranceScheme.RESIDENT, premium.toFixed(2), (premium * share).toFixed(2)]);
  }
}

type Condition = [ConditionKind, readonly [string, string], string];

const SERIOUS_FOR_MEN = SERIOUS_CONDITIONS.filter(([[, icd10]]) => !FEMALE_ONLY_ICD10.has(icd10));

/** The chronic or serious conditions behind a member's health category. */
function conditionsOf(h: HouseholdModel, m: Member): Condition[] {
  const r = h.rng;
  if (m.health !== HealthCategory.CHRONIC && m.health !== HealthCategory.SERIOUS) return [];
  const earliest = maxDate('2008-01-01', addDays(m.birthDate, 30));
  const diagnosed = () => dateBetween(r, earliest, '2025-06-30');
  const child = m.age < 18;
  const chronic = child ? CHILD_CHRONIC_CONDITIONS : CHRONIC_CONDITIONS;
  if (m.health === HealthCategory.SERIOUS) {
    const pool = child ? CHILD_SERIOUS_CONDITIONS : m.gender === Gender.FEMALE ? SERIOUS_CONDITIONS : SERIOUS_FOR_MEN;
    const list: Condition[] = [[ConditionKind.SERIOUS, r.weighted(pool), diagnosed()]];
    if (!child && r.chance(0.25)) list.push([ConditionKind.CHRONIC, r.weighted(chronic), diagnosed()]);
    return list;
  }
  const first = r.weighted(chronic);
  const list: Condition[] = [[ConditionKind.CHRONIC, first, diagnosed()]];
  if (m.age >= 45 && r.chance(0.2)) {
    const second = r.weighted(chronic);
    if (second !== first) list.push([ConditionKind.CHRONIC, second, diagnosed()]);
  }
  return list;
}
