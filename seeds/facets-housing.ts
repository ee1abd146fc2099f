import { CareMode, Department, HouseholdStatus, HousingGrade, WorkStatus } from '../src/core/vocab';
import { addDays, dateBetween, dateIn } from './calendar';
import type { SeedContext } from './context';
import type { HouseholdModel } from './households';

// 住建 housing: safety appraisals A–D, 危房改造 for C/D houses (10,000–15,000 yuan), and
// 易地扶贫搬迁 where a place cannot sustain its people. Planned before the household row is
// written, because the household's "safe housing" utility follows from it.

interface Renovation {
  department: Department;
  subsidy: number;
  status: WorkStatus;
  start: string;
  completedOn: string | null;
}

interface Relocation {
  mode: CareMode;
  plannedYear: number;
  movedOn: string | null;
  subsidy: number;
  status: WorkStatus;
}

export interface HousingPlan {
  appraisals: Array<[HousingGrade, string]>;
  renovations: Renovation[];
  relocation: Relocation | null;
  /** 住房安全有保障 after all of the above. */
  safe: boolean;
}

const GRADES_POVERTY_VILLAGE = [[HousingGrade.A, 25], [HousingGrade.B, 38], [HousingGrade.C, 22], [HousingGrade.D, 15]] as const;
const GRADES_POOR = [[HousingGrade.A, 32], [HousingGrade.B, 42], [HousingGrade.C, 16], [HousingGrade.D, 10]] as const;
const GRADES_OTHER = [[HousingGrade.A, 60], [HousingGrade.B, 30], [HousingGrade.C, 7], [HousingGrade.D, 3]] as const;

const NEGLECT_RATE: Record<HouseholdStatus, number> = { registered: 0.06, exited: 0.015, monitored: 0.06, none: 0.4 };

/** The 易地扶贫搬迁 housing subsidy per person (yuan). */
const RELOCATION_PER_PERSON = 20_000;

export function planHousing(ctx: SeedContext, h: HouseholdModel): HousingPlan {
  const r = h.rng;
  const plan: HousingPlan = { appraisals: [], renovations: [], relocation: null, safe: false };
  // Relocation also reaches some households whose houses are sound but whose land is not (一方水土养不活一方人).
  const farFromEverything = h.poor && h.villageFacts.isPovertyVillage && !h.villageFacts.road && r.chance(0.08);

  if (r.chance(h.poor ? 0.8 : 0.12)) {
    const grade = r.weighted(!h.poor ? GRADES_OTHER : h.villageFacts.isPovertyVillage ? GRADES_POVERTY_VILLAGE : GRADES_POOR);
    const appraisedOn = dateBetween(r, '2016-03-01', '2018-12-31');
    plan.appraisals.push([grade, appraisedOn]);
    if (grade === HousingGrade.C || grade === HousingGrade.D) {
      const relocate = farFromEverything || (grade === HousingGrade.D && h.villageFacts.isPovertyVillage && r.chance(0.25)) || r.chance(0.04);
      // 住房安全保障 gap: a registered household left in a C/D house with nothing underway.
      // Safe housing was an exit condition, so exited households are rarely left; households
      // outside the programme are left most often.
      const neglected = !relocate && (h.status === HouseholdStatus.REGISTERED ? ctx.gaps.take('unrenovated', r, 0.06) : r.chance(NEGLECT_RATE[h.status]));
      if (relocate) plan.relocation = relocation(h);
      else if (!neglected) {
        const renovation = renovate(h, grade, appraisedOn);
        plan.renovations.push(renovation);
        // 重复资助: now and then the poverty office funds a house housing already funds.
        if (renovation.status === WorkStatus.COMPLETED && r.chance(0.008)) {
          plan.renovations.push({ ...renovation, department: Department.POVERTY_OFFICE, subsidy: r.amount(5_000, 10_000, 100) });
        }
        if (renovation.completedOn) plan.appraisals.push([r.chance(0.55) ? HousingGrade.A : HousingGrade.B, addDays(renovation.completedOn, r.int(10, 60))]);
      }
    }
  } else if (farFromEverything) {
    plan.relocation = relocation(h);
  }

  const latest = plan.appraisals[plan.appraisals.length - 1]?.[0];
  const moved = plan.relocation?.status === WorkStatus.COMPLETED;
  plan.safe = moved || (latest ? latest === HousingGrade.A || latest === HousingGrade.B : r.chance(h.villageFacts.safeHousing ? 0.95 : 0.8));
  return plan;
}

function renovate(h: HouseholdModel, grade: HousingGrade, appraisedOn: string): Renovation {
  const r = h.rng;
  const department = r.chance(0.9) ? Department.HOUSING : Department.POVERTY_OFFICE;
  // D (whole house dangerous) is rebuilt, C repaired: the subsidy follows.
  const subsidy = grade === HousingGrade.D ? r.amount(13_000, 15_000, 100) : r.amount(10_000, 12_000, 100);
  const status = r.weighted([[WorkStatus.COMPLETED, 88], [WorkStatus.UNDERWAY, 7], [WorkStatus.PLANNED, 5]] as const);
  if (status === WorkStatus.COMPLETED) {
    const start = addDays(appraisedOn, r.int(30, 700));
    return { department, subsidy, status, start, completedOn: addDays(start, r.int(60, 240)) };
  }
  const start = status === WorkStatus.UNDERWAY ? dateBetween(h.rng, '2025-03-01', '2025-08-15') : dateBetween(h.rng, '2025-10-01', '2025-12-31');
  return { department, subsidy, status, start, completedOn: null };
}

function relocation(h: HouseholdModel): Relocation {
  const r = h.rng;
  const status = r.weighted([[WorkStatus.COMPLETED, 92], [WorkStatus.UNDERWAY, 5], [WorkStatus.PLANNED, 3]] as const);
  // The 2016–2019 drive moved most; what is still open belongs to this year's plan.
  const plannedYear = status === WorkStatus.COMPLETED ? r.int(2016, 2019) : 2025;
  return {
    mode: r.chance(0.8) ? CareMode.CENTRALISED : CareMode.DISPERSED,
    plannedYear,
    movedOn: status === WorkStatus.COMPLETED ? dateIn(r, plannedYear + r.int(0, 1), 3, 12) : null,
    subsidy: RELOCATION_PER_PERSON * h.members.length,
    status,
  };
}

const APPRAISERS = ['房屋安全鉴定站', '住房和城乡建设局'];

export function writeHousing(ctx: SeedContext, h: HouseholdModel, plan: HousingPlan, resettlementCode: string): void {
  const { sink } = ctx;
  const county = h.village.township.county.name;
  for (const [grade, on] of plan.appraisals) sink.insert('housing_appraisal', [h.countyCode, h.id, grade, on, `${county}${h.rng.pick(APPRAISERS)}`]);
  for (const p of plan.renovations) {
    sink.insert('renovation_project', [h.countyCode, h.id, p.department, p.subsidy.toFixed(2), p.status, p.start, p.completedOn]);
  }
  const m = plan.relocation;
  if (m) {
    sink.insert('relocation', [h.countyCode, h.id, resettlementCode, m.mode, m.plannedYear, m.movedOn, m.subsidy.toFixed(2), m.status]);
  }
}
