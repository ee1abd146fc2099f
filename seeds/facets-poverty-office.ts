import { padCode } from '../src/core/scope';
import { CareMode, Department, FundSource, Gender, HouseholdStatus, HousingGrade, MeasureKind, WorkStatus } from '../src/core/vocab';
import { addDays, dateBetween, dateIn, maxDate } from './calendar';
import { HOUSEHOLDS_PER_CADRE, type CountyContext, type SeedContext } from './context';
import type { RowSink } from './copy';
import type { EducationOutcome } from './facets-education';
import type { HousingPlan } from './facets-housing';
import type { HouseholdModel } from './households';
import { Random } from './random';
import type { County, VillageDivision } from './regions';
import type { VillageQuota } from './scales';
import { villageFacts } from './villages';
import { NoticeKind, ProjectStatus } from '../src/modules/poverty-office';
import { CADRE_UNITS, fullName, INDUSTRIES, INFRASTRUCTURE_ITEMS, OUTSIDE_UNITS } from './vocabulary';

// 扶贫办 poverty office: pairing cadres (结对帮扶), measures of the six kinds, projects and the
// fund allocations that follow them (资金跟着项目走, every allocation announced).

/** Writes a county's cadres (enough for every poor household, five each) and returns its context. */
export function writeCadres(sink: RowSink, county: County, households: number): CountyContext {
  const rng = new Random(`cadres:${county.code}`);
  const count = Math.max(1, Math.ceil((households * 0.9) / HOUSEHOLDS_PER_CADRE));
  const cadreBase = sink.lastId('cadre') + 1;
  for (let i = 0; i < count; i++) {
    const unit = rng.chance(0.85) ? `${county.name}${rng.pick(CADRE_UNITS)}` : `${county.cityName}${rng.pick(OUTSIDE_UNITS)}`;
    const phone = `1${rng.pick(['38', '39', '58', '59', '80', '87', '36', '35', '77'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
    sink.insert('cadre', [county.code, fullName(rng, rng.chance(0.7) ? Gender.MALE : Gender.FEMALE, 1978, county.code.slice(0, 4)), unit, rng.chance(0.95) ? phone : null]);
  }
  const seat = county.townships[0];
  const resettlementCode = seat.villages.find((v) => !v.rural)?.code ?? padCode(seat.code);
  return { county, cadreBase, cadreCount: count, resettlementCode, households: 0, villageMeasures: new Map() };
}

/**
 * Pairing and measures of one household. `index` is the household's position in its county:
 * consecutive households (neighbours in one village) share a cadre.
 */
export function writePovertyOffice(ctx: SeedContext, h: HouseholdModel, county: CountyContext, index: number, housing: HousingPlan, education: EducationOutcome): void {
  if (!h.poor) return;
  const { sink } = ctx;
  const r = h.rng;
  const cadre = (offset: number) => county.cadreBase + ((Math.floor(index / HOUSEHOLDS_PER_CADRE) + offset) % county.cadreCount);
  const pair = (cadreId: number, start: string, end: string | null) => sink.insert('pairing', [h.countyCode, h.id, cadreId, start, end]);
  const measure = (kind: MeasureKind, department: Department, status: WorkStatus, amount: number, year: number, description: string) =>
    sink.insert('measure', [h.countyCode, h.id, kind, department, status, amount.toFixed(2), year, description, null, '{}']);

  // 不脱贫不脱钩: a registered household keeps a cadre until it exits; a few have none (the gap).
  let pairedSince: string | null = null;
  if (h.identifiedOn && !(h.status === HouseholdStatus.REGISTERED && ctx.gaps.take('unpaired', r, 0.03))) {
    pairedSince = addDays(h.identifiedOn, r.int(20, 120));
    // The pairing ends with the exit (a few cadres keep visiting through the transition period).
    const end = h.exitedOn && (h.monitoredOn || r.chance(0.9)) ? h.exitedOn : null;
    let start = pairedSince;
    if (r.chance(0.2)) {
      // Cadres rotate: the first one handed over to a colleague.
      const handover = maxDate(addDays(start, 200), dateBetween(r, '2017-06-01', '2021-12-31'));
      if (!end || handover < addDays(end, -30)) {
        pair(cadre(7), start, addDays(handover, -1));
        start = handover;
      }
    }
    const current = pair(cadre(0), start, end);
    // 帮扶走访: a visit a season in the pairing's first year (no personal details in the notes).
    for (let i = 0; i < VISIT_NOTES.length; i++) {
      const on = addDays(start, 30 + 90 * i);
      if ((end && on > end) || on > '2025-10-31') break;
      sink.insert('cadre_visit', [h.countyCode, h.id, current, on, VISIT_KINDS[i % VISIT_KINDS.length], VISIT_NOTES[i]]);
    }
  }
  if (h.monitoredOn && r.chance(0.85)) {
    pairedSince ??= addDays(h.monitoredOn, 10);
    pair(cadre(0), addDays(h.monitoredOn, r.int(10, 60)), null);
  }
  const statusFor = (year: number) => (year < 2025 ? WorkStatus.COMPLETED : r.chance(0.7) ? WorkStatus.UNDERWAY : WorkStatus.PLANNED);
  const firstYear = Number((h.identifiedOn ?? h.monitoredOn ?? '2016').slice(0, 4));

  if (pairedSince) {
    measure(MeasureKind.PAIRING, Department.POVERTY_OFFICE, h.status === HouseholdStatus.EXITED ? WorkStatus.COMPLETED : WorkStatus.UNDERWAY, 0,
      Number(pairedSince.slice(0, 4)), '结对帮扶：帮扶责任人定期走访，制定“一户一策”帮扶计划');
  }
  if (r.chance(0.75)) {
    for (let i = r.chance(0.3) ? 2 : 1; i > 0; i--) {
      const year = r.int(Math.max(2016, firstYear), 2025);
      measure(MeasureKind.INDUSTRY, Department.POVERTY_OFFICE, statusFor(year), r.amount(2_000, 6_000, 100), year,
        `产业扶持：${r.pick(INDUSTRIES[h.prefecture])}，发放种苗及产业奖补`);
    }
  }
  if (education.aid > 0) {
    measure(MeasureKind.EDUCATION_TRAINING, Department.EDUCATION, WorkStatus.UNDERWAY, education.aid, 2025, '教育扶贫：学生资助与雨露计划补助');
  }
  for (const p of housing.renovations) {
    const grade = housing.appraisals[0]?.[0];
    measure(MeasureKind.HOUSING_RENOVATION, p.department, p.status, p.subsidy, Number(p.start.slice(0, 4)),
      grade === HousingGrade.D ? '危房改造：D级危房拆除重建' : '危房改造：C级危房修缮加固');
  }
  if (housing.relocation) {
    const m = housing.relocation;
    measure(MeasureKind.RELOCATION, Department.POVERTY_OFFICE, m.status, m.subsidy, m.plannedYear, `易地扶贫搬迁：${m.mode === CareMode.CENTRALISED ? '集中' : '分散'}安置`);
  }
  if (r.chance(0.3)) {
    const year = r.int(Math.max(2016, firstYear), 2024);
    measure(MeasureKind.INFRASTRUCTURE, Department.POVERTY_OFFICE, statusFor(year), r.amount(800, 3_000, 100), year,
      `基础设施到户：${r.pick(['入户道路硬化', '自来水入户', '农村改厕', '入户电线改造', '广电宽带入户'])}`);
  }
  // 村级基础设施: each village with poor households has a road and water works (completed, awaiting
  // verification) serving every poor household of it.
  let villageMeasure = county.villageMeasures.get(h.village.code);
  if (villageMeasure === undefined) {
    villageMeasure = sink.insert('measure', [h.countyCode, null, MeasureKind.INFRASTRUCTURE, Department.POVERTY_OFFICE, WorkStatus.COMPLETED, '180000.00', 2019,
      '村级基础设施：通组道路硬化及安全饮水巩固提升', h.village.code, '{road,water}']);
    county.villageMeasures.set(h.village.code, villageMeasure);
  }
  sink.add('measure_beneficiary', [villageMeasure, h.id, h.countyCode]);
  // 帮扶计划 “一户一策”: this year's plan of every paired household still registered or monitored.
  if (pairedSince && (h.status === HouseholdStatus.REGISTERED || h.status === HouseholdStatus.MONITORED)) {
    sink.insert('support_plan', [h.countyCode, h.id, 2025, h.status === HouseholdStatus.REGISTERED
      ? '2025年帮扶目标：人均纯收入稳定超过贫困线，“两不愁三保障”全部达标，具备脱贫条件'
      : '2025年帮扶目标：消除返贫风险，收入稳定在监测线以上']);
  }
}

const SOURCES = [[FundSource.CENTRAL, 40], [FundSource.PROVINCIAL, 25], [FundSource.CITY, 10], [FundSource.COUNTY, 20], [FundSource.SOCIAL, 5]] as const;

/** Village projects (more in poverty villages) and one township project each, with their funds. */
export function writeProjects(sink: RowSink, quotas: readonly VillageQuota[]): void {
  const townships = new Set<string>();
  for (const { village } of quotas) {
    const rng = new Random(`projects:${village.code}`);
    if (!townships.has(village.township.code)) {
      townships.add(village.township.code);
      const year = rng.int(2016, 2025);
      const relocation = rng.chance(0.3);
      writeProject(sink, rng, village, padCode(village.township.code), relocation ? MeasureKind.RELOCATION : MeasureKind.HOUSING_RENOVATION, year,
        relocation ? `${village.township.name}${year}年易地扶贫搬迁安置点配套设施` : `${village.township.name}${year}年农村危房改造`);
    }
    if (!village.rural) continue;
    const count = villageFacts(village).isPovertyVillage ? rng.int(2, 4) : rng.chance(0.5) ? 1 : 0;
    for (let i = 0; i < count; i++) {
      const year = rng.int(2016, 2025);
      const kind = rng.weighted([[MeasureKind.INFRASTRUCTURE, 45], [MeasureKind.INDUSTRY, 35], [MeasureKind.EDUCATION_TRAINING, 10], [MeasureKind.PAIRING, 10]] as const);
      const name = {
        [MeasureKind.INFRASTRUCTURE]: () => `${village.name}${rng.pick(INFRASTRUCTURE_ITEMS)}`,
        [MeasureKind.INDUSTRY]: () => (rng.chance(0.2) ? `${village.name}村级光伏扶贫电站` : `${village.name}${rng.pick(INDUSTRIES[village.code.slice(0, 4)])}基地`),
        [MeasureKind.EDUCATION_TRAINING]: () => `${village.name}${year}年雨露计划实用技术培训`,
        [MeasureKind.PAIRING]: () => `${village.name}驻村帮扶工作队工作经费`,
      }[kind]();
      writeProject(sink, rng, village, village.code, kind, year, name);
    }
  }
}

const BUDGET: Record<MeasureKind, [number, number]> = {
  [MeasureKind.INFRASTRUCTURE]: [100_000, 2_000_000],
  [MeasureKind.INDUSTRY]: [50_000, 800_000],
  [MeasureKind.EDUCATION_TRAINING]: [20_000, 200_000],
  [MeasureKind.PAIRING]: [20_000, 50_000],
  [MeasureKind.HOUSING_RENOVATION]: [200_000, 2_000_000],
  [MeasureKind.RELOCATION]: [500_000, 5_000_000],
};

const VISIT_KINDS = ['home_visit', 'phone_call', 'home_visit', 'meeting'] as const;
const VISIT_NOTES = ['入户走访，填写帮扶手册，了解家庭生产生活情况', '电话回访，宣讲产业奖补政策', '入户核实收入，商定年度帮扶措施', '参加村民座谈，介绍就业培训信息'];

/** 实施单位 of a project, by kind. */
const IMPLEMENTING_UNIT: Record<MeasureKind, string> = {
  [MeasureKind.INFRASTRUCTURE]: '县交通运输局',
  [MeasureKind.INDUSTRY]: '县农业农村局',
  [MeasureKind.EDUCATION_TRAINING]: '县人力资源和社会保障局',
  [MeasureKind.PAIRING]: '驻村帮扶工作队',
  [MeasureKind.HOUSING_RENOVATION]: '县住房和城乡建设局',
  [MeasureKind.RELOCATION]: '县发展和改革局',
};

function writeProject(sink: RowSink, rng: Random, village: VillageDivision, regionCode: string, kind: MeasureKind, year: number, name: string): void {
  const [min, max] = BUDGET[kind];
  const budget = rng.amount(min, max, 1_000);
  const work =
    year < 2024 ? (rng.chance(0.95) ? WorkStatus.COMPLETED : WorkStatus.CANCELLED)
      : year === 2024 ? (rng.chance(0.6) ? WorkStatus.COMPLETED : WorkStatus.UNDERWAY)
        : rng.chance(0.6) ? WorkStatus.UNDERWAY : WorkStatus.PLANNED;
  const county = village.code.slice(0, 6);
  // Funds follow the project: all of it once completed, part while underway, at most an advance once approved.
  const share = { completed: 1, underway: 0.5 + rng.next() * 0.3, planned: rng.chance(0.5) ? 0.3 : 0, cancelled: 0 }[work];
  // A planned project with an advance has been approved; the older completed ones are accepted (验收).
  const status = work === WorkStatus.PLANNED && share > 0 ? ProjectStatus.APPROVED
    : work === WorkStatus.COMPLETED && year < 2024 ? ProjectStatus.ACCEPTED : (work as string as ProjectStatus);
  const allocations: Array<{ source: FundSource; fen: number; allocatedOn: string; announcedOn: string | null }> = [];
  let remainingFen = Math.round(budget * share) * 100;
  if (remainingFen) {
    const pool = SOURCES.map(([s, w]) => [s, w] as [FundSource, number]);
    const parts = rng.int(1, 3);
    for (let i = 0; i < parts && remainingFen > 0; i++) {
      const source = rng.weighted(pool);
      pool.splice(pool.findIndex(([s]) => s === source), 1);
      const fen = i === parts - 1 ? remainingFen : Math.round(remainingFen * (0.3 + rng.next() * 0.4));
      remainingFen -= fen;
      const allocatedOn = dateIn(rng, year, 2, year === 2025 ? 8 : 11);
      // 公告公示: announced within days; a few are not yet (a finding for whoever checks).
      const announcedOn = rng.chance(0.97) ? addDays(allocatedOn, rng.int(3, 15)) : null;
      allocations.push({ source, fen, allocatedOn, announcedOn });
    }
  }
  const sources = allocations.length ? [...new Set(allocations.map((a) => a.source))] : [FundSource.COUNTY];
  const unit = IMPLEMENTING_UNIT[kind];
  const [start, end] = [`${year}-03-01`, `${year}-11-30`];
  const beneficiaries = regionCode === village.code ? rng.int(10, 120) : rng.int(50, 600);
  const projectId = sink.insert('project', [county, regionCode, name, kind, year, budget.toFixed(2), status, unit, start, end, beneficiaries, `{${sources.join(',')}}`]);
  // Notices (公告公示) as the notice board shows them: project facts, never a person.
  const notice = (kind_: NoticeKind, allocationId: number | null, amountFen: number | null, totalFen: number, noticeSources: FundSource[], on: string) =>
    sink.insert('public_notice', [county, projectId, allocationId, kind_, regionCode, name, kind, budget.toFixed(2), amountFen === null ? null : (amountFen / 100).toFixed(2),
      (totalFen / 100).toFixed(2), `{${noticeSources.join(',')}}`, unit, start, end, beneficiaries, on]);
  if (status !== ProjectStatus.PLANNED && status !== ProjectStatus.CANCELLED) notice(NoticeKind.APPROVAL, null, null, 0, sources, `${year}-01-20`);
  let totalFen = 0;
  for (const a of allocations) {
    const allocationId = sink.insert('fund_allocation', [county, projectId, a.source, (a.fen / 100).toFixed(2), a.allocatedOn, a.announcedOn]);
    totalFen += a.fen;
    if (a.announcedOn) notice(NoticeKind.ALLOCATION, allocationId, a.fen, totalFen, [a.source], a.announcedOn);
  }
  if (status === ProjectStatus.ACCEPTED) notice(NoticeKind.ACCEPTANCE, null, null, totalFen, sources, `${year}-12-20`);
}
