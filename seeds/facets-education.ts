import { DropoutWatchStatus, HouseholdStatus, LabourAbility, SchoolingStage, SchoolStatus, StudentAidKind, WorkStatus } from '../src/core/vocab';
import { addDays, dateBetween, maxDate } from './calendar';
import type { SeedContext } from './context';
import type { HouseholdModel } from './households';
import type { Member, SchoolYearRecord } from './people';
import { COLLEGES, DROPOUT_REASONS, SHORT_COURSES } from './vocabulary';

// 教育 education: enrolments (学籍) that follow each child's schooling plan, 控辍保学 cases,
// student aid and 雨露计划 training.

export interface EducationOutcome {
  /** Student aid and 雨露计划 subsidies this household received (yuan), for the measures. */
  aid: number;
}

export function writeEducation(ctx: SeedContext, h: HouseholdModel): EducationOutcome {
  const { sink } = ctx;
  const r = h.rng;
  let aid = 0;
  for (const m of h.members) {
    const row = [h.countyCode, h.id, m.id];
    const college = r.pick(COLLEGES[h.countyCode.slice(0, 2)]);
    // 高职 (vocational college) students qualify for 雨露计划 like 中职 students.
    const higherVocational = r.chance(0.5);
    for (const s of m.schooling) {
      sink.insert('school_enrolment', [...row, s.year, s.stage, schoolName(h, s, college), s.grade, s.status]);
      if (h.poor) aid += writeAid(ctx, h, m, s, higherVocational);
      else if (s.stage === SchoolingStage.VOCATIONAL) {
        // 中职免学费 is universal, not means-tested.
        sink.insert('student_aid', [...row, StudentAidKind.TUITION_WAIVER, s.year, '2000.00']);
      }
    }
    if (m.outOfSchool) {
      // 劝返: most dropouts are known and being worked on; the rest are the gap.
      if (r.chance(0.6)) {
        sink.insert('dropout_watch', [...row, dateBetween(r, '2025-03-01', '2025-08-31'), r.pick(DROPOUT_REASONS), DropoutWatchStatus.OPEN, null]);
      }
    } else if (m.schooling.some((s) => s.year === 2025 && s.status === SchoolStatus.ENROLLED) && m.age >= 7 && m.age <= 15 && r.chance(0.006)) {
      // A child who dropped out last year and was brought back (已劝返), or a closed case.
      const opened = dateBetween(r, '2024-03-01', '2024-11-30');
      const returned = r.chance(0.7);
      sink.insert('dropout_watch', [
        ...row, opened, r.pick(DROPOUT_REASONS), returned ? DropoutWatchStatus.RETURNED : DropoutWatchStatus.CLOSED, addDays(opened, r.int(20, 200)),
      ]);
    }
    // 雨露计划 short courses for working-age members of households still in the programme.
    if ((h.status === HouseholdStatus.REGISTERED || h.status === HouseholdStatus.MONITORED) && m.age >= 17 && m.age <= 45 &&
        m.labour !== LabourAbility.NONE && m.labour !== LabourAbility.LOST && r.chance(0.05)) {
      const start = maxDate(dateBetween(r, '2019-03-01', '2025-06-30'), addDays(m.birthDate, 16 * 366));
      const subsidy = r.amount(800, 2_000, 100);
      aid += subsidy;
      const done = start < '2025-06-01';
      sink.insert('yulu_training', [
        ...row, `雨露计划·短期技能培训（${r.pick(SHORT_COURSES)}）`, start, done ? addDays(start, r.int(15, 45)) : null, subsidy.toFixed(2),
        done ? WorkStatus.COMPLETED : WorkStatus.UNDERWAY,
      ]);
    }
  }
  return { aid };
}

function schoolName(h: HouseholdModel, s: SchoolYearRecord, college: string): string {
  const township = h.village.township.name;
  const county = h.village.township.county.name;
  switch (s.stage) {
    case SchoolingStage.PRESCHOOL:
      return `${township}中心幼儿园`;
    case SchoolingStage.PRIMARY:
      return `${township}中心小学`;
    case SchoolingStage.JUNIOR:
      return `${township}中学`;
    case SchoolingStage.SENIOR:
      return `${county}第一中学`;
    case SchoolingStage.VOCATIONAL:
      return `${county}职业中等专业学校`;
    default:
      return college;
  }
}

/**
 * Aid for a student of a poor household in one school year: 两免一补 in compulsory school,
 * grants and tuition waivers above it, a student loan at college, 雨露计划 for 中职/高职.
 * Returns the yuan paid.
 */
function writeAid(ctx: SeedContext, h: HouseholdModel, m: Member, s: SchoolYearRecord, higherVocational: boolean): number {
  const r = h.rng;
  const row = [h.countyCode, h.id, m.id];
  let total = 0;
  const aid = (kind: StudentAidKind, amount: number) => {
    ctx.sink.insert('student_aid', [...row, kind, s.year, amount.toFixed(2)]);
    total += amount;
  };
  switch (s.stage) {
    case SchoolingStage.PRIMARY:
      aid(StudentAidKind.TWO_EXEMPTIONS_ONE_SUBSIDY, 1_000);
      break;
    case SchoolingStage.JUNIOR:
      aid(StudentAidKind.TWO_EXEMPTIONS_ONE_SUBSIDY, 1_250);
      break;
    case SchoolingStage.SENIOR:
      aid(StudentAidKind.NATIONAL_GRANT, 2_000);
      if (r.chance(0.7)) aid(StudentAidKind.TUITION_WAIVER, r.amount(1_200, 1_800, 100));
      break;
    case SchoolingStage.VOCATIONAL:
      aid(StudentAidKind.NATIONAL_GRANT, 2_000);
      aid(StudentAidKind.TUITION_WAIVER, 2_000);
      break;
    case SchoolingStage.COLLEGE:
      if (r.chance(0.8)) aid(StudentAidKind.NATIONAL_GRANT, 3_300);
      if (r.chance(0.5)) aid(StudentAidKind.STUDENT_LOAN, r.amount(8_000, 12_000, 500));
      break;
    default:
      break;
  }
  if (s.stage === SchoolingStage.VOCATIONAL || (s.stage === SchoolingStage.COLLEGE && higherVocational)) {
    const label = s.stage === SchoolingStage.VOCATIONAL ? '中职（中技）' : '高职（专科）';
    const finished = s.year < 2025;
    ctx.sink.insert('yulu_training', [
      ...row, `雨露计划·${label}学历教育补助`, `${s.year}-09-01`, `${s.year + 1}-07-15`, '3000.00', finished ? WorkStatus.COMPLETED : WorkStatus.UNDERWAY,
    ]);
    total += 3_000;
  }
  return total;
}
