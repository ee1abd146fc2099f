import { HealthCategory, HouseholdStatus, IdentificationStandard, LabourAbility, PovertyCause, SchoolingStage } from '../src/core/vocab';
import { CURRENT_YEAR, dateIn } from './calendar';
import type { SeedContext } from './context';
import {
  baseHealth, birthDateFor, compulsoryAge, composeHousehold, disabilityLevel, labourFor, nameMembers, schoolingFor, type Member,
} from './people';
import { Random } from './random';
import type { VillageDivision } from './regions';
import { villageFacts, type VillageFacts } from './villages';

// One household of the 建档立卡 registry: status and its history, poverty causes, income by
// year, and the members. Facets are derived from this model afterwards, so that every
// department's rows agree with who the members are.

export interface HouseholdModel {
  /** Set when the row is written. */
  id: number;
  rng: Random;
  number: string;
  village: VillageDivision;
  villageFacts: VillageFacts;
  countyCode: string;
  prefecture: string;
  status: HouseholdStatus;
  identificationYear: number | null;
  standard: IdentificationStandard | null;
  mainCause: PovertyCause | null;
  secondaryCauses: PovertyCause[];
  identifiedOn: string | null;
  exitedOn: string | null;
  monitoredOn: string | null;
  members: Member[];
  /** Per-capita net income by year (yuan). */
  incomes: Array<[number, number]>;
  /** Income of the last full year, 2024. */
  latestIncome: number;
  /** No member can work (skilled or ordinary labour): candidates for 低保 when income is low. */
  noLabour: boolean;
  /** Registered, exited or monitored: the households poverty policies reach. */
  poor: boolean;
}

const STATUS_POVERTY_VILLAGE = [[HouseholdStatus.REGISTERED, 42], [HouseholdStatus.EXITED, 33], [HouseholdStatus.MONITORED, 10], [HouseholdStatus.NONE, 15]] as const;
const STATUS_OTHER_VILLAGE = [[HouseholdStatus.REGISTERED, 27], [HouseholdStatus.EXITED, 35], [HouseholdStatus.MONITORED, 10], [HouseholdStatus.NONE, 28]] as const;
const STATUS_COMMUNITY = [[HouseholdStatus.REGISTERED, 15], [HouseholdStatus.EXITED, 25], [HouseholdStatus.MONITORED, 10], [HouseholdStatus.NONE, 50]] as const;

/** Main causes: illness, disability and lack of labour dominate, as in the national registry. */
const MAIN_CAUSES = [
  [PovertyCause.ILLNESS, 40], [PovertyCause.DISABILITY, 14], [PovertyCause.LABOUR, 13], [PovertyCause.SKILLS, 9], [PovertyCause.CAPITAL, 8],
  [PovertyCause.SCHOOLING, 6], [PovertyCause.DISASTER, 3], [PovertyCause.LAND, 2], [PovertyCause.TRANSPORT, 2], [PovertyCause.WATER, 1],
  [PovertyCause.DRIVE, 1], [PovertyCause.OTHER, 1],
] as const;

const SIZES = [[1, 12], [2, 20], [3, 19], [4, 22], [5, 14], [6, 8], [7, 5]] as const;
const SIZES_NON_POOR = [[1, 5], [2, 15], [3, 22], [4, 27], [5, 17], [6, 9], [7, 5]] as const;
const SIZES_SHORT_OF_LABOUR = [[1, 35], [2, 45], [3, 12], [4, 8]] as const;

const INCOME_YEARS = [2020, 2021, 2022, 2023, 2024] as const;

const WORKING = new Set([LabourAbility.SKILLED, LabourAbility.ORDINARY]);

/** Builds household `seq` (1-based) of a village. Everything random comes from its own stream. */
export function buildHousehold(ctx: SeedContext, village: VillageDivision, seq: number): HouseholdModel {
  const number = `${village.code}${String(seq).padStart(4, '0')}`;
  const rng = new Random(`household:${number}`);
  const facts = villageFacts(village);
  const countyCode = village.code.slice(0, 6);
  const status = rng.weighted(!village.rural ? STATUS_COMMUNITY : facts.isPovertyVillage ? STATUS_POVERTY_VILLAGE : STATUS_OTHER_VILLAGE);
  const poor = status !== HouseholdStatus.NONE;
  const mainCause = poor ? rng.weighted(MAIN_CAUSES) : null;
  const shortOfLabour = mainCause === PovertyCause.LABOUR;
  const size = rng.weighted(shortOfLabour ? SIZES_SHORT_OF_LABOUR : poor ? SIZES : SIZES_NON_POOR);
  const members = buildMembers(ctx, rng, village, size, shortOfLabour, mainCause);
  if (shortOfLabour) {
    // 缺劳力: whoever is of working age is weak or ill.
    for (const m of members) if (WORKING.has(m.labour)) m.labour = LabourAbility.WEAK;
  }
  const noLabour = !members.some((m) => WORKING.has(m.labour));

  const h: HouseholdModel = {
    id: 0, rng, number, village, villageFacts: facts, countyCode, prefecture: countyCode.slice(0, 4), status,
    identificationYear: null, standard: null, mainCause, secondaryCauses: [], identifiedOn: null, exitedOn: null, monitoredOn: null,
    members, incomes: [], latestIncome: 0, noLabour, poor,
  };
  planStatusHistory(h);
  if (mainCause) h.secondaryCauses = secondaryCauses(rng, h);
  planIncome(h);
  return h;
}

function buildMembers(ctx: SeedContext, rng: Random, village: VillageDivision, size: number, elderly: boolean, cause: PovertyCause | null): Member[] {
  const skeleton = composeHousehold(rng, size, elderly);
  const members: Member[] = skeleton.map((s) => {
    const [health, level] = baseHealth(rng, s.age);
    return {
      ...s, id: 0, birthDate: birthDateFor(rng, s.age), name: '', idNumber: '', health, disabilityLevel: level,
      labour: LabourAbility.NONE, stage: SchoolingStage.NONE, schooling: [], outOfSchool: false,
    };
  });
  // The main cause shows in the members: someone ill for 因病, someone disabled for 因残.
  if (cause === PovertyCause.ILLNESS && !members.some((m) => m.health === HealthCategory.CHRONIC || m.health === HealthCategory.SERIOUS)) {
    const adults = members.filter((m) => m.age >= 18);
    const target = adults.length ? adults[rng.int(0, Math.min(1, adults.length - 1))] : members[0];
    target.health = rng.chance(0.4) ? HealthCategory.SERIOUS : HealthCategory.CHRONIC;
    target.disabilityLevel = null;
  }
  if (cause === PovertyCause.DISABILITY && !members.some((m) => m.health === HealthCategory.DISABLED)) {
    const target = rng.pick(members.filter((m) => m.age >= 3).length ? members.filter((m) => m.age >= 3) : members);
    target.health = HealthCategory.DISABLED;
    target.disabilityLevel = disabilityLevel(rng);
  }
  for (const m of members) {
    const gap = compulsoryAge(m.age) && m.age >= 7 && ctx.gaps.take('unenrolled', rng, 0.02);
    m.schooling = schoolingFor(rng, m.birthDate, gap);
    m.outOfSchool = gap;
    const current = m.schooling.find((r) => r.year === CURRENT_YEAR);
    m.stage = current ? current.stage : SchoolingStage.NONE;
    m.labour = labourFor(rng, m.age, m.stage !== SchoolingStage.NONE, m.health, m.disabilityLevel);
  }
  const names = nameMembers(rng, members, village.code.slice(0, 4));
  members.forEach((m, i) => {
    m.name = names[i];
    m.idNumber = ctx.ids.issue(village.code.slice(0, 6), m.birthDate, m.gender);
  });
  return members;
}

/** Identification in 2014–2016 (most in the 2014 drive), exit 2016–2020, monitoring from 2021. */
function planStatusHistory(h: HouseholdModel): void {
  const { rng, status } = h;
  if (status === HouseholdStatus.NONE) return;
  const newlyMonitored = status === HouseholdStatus.MONITORED && rng.chance(0.4);
  if (!newlyMonitored) {
    h.identificationYear = rng.weighted([[2014, 70], [2015, 15], [2016, 15]] as const);
    h.identifiedOn = dateIn(rng, h.identificationYear, 4, 10);
    // Jiangxi identified against its own, higher line (4,600 by 2020) more often than the others.
    h.standard = rng.chance(h.countyCode.startsWith('36') ? 0.3 : 0.05) ? IdentificationStandard.PROVINCIAL : IdentificationStandard.NATIONAL;
  }
  if (status === HouseholdStatus.EXITED || (status === HouseholdStatus.MONITORED && !newlyMonitored)) {
    const exitYear = Math.max(h.identificationYear! + 1, rng.weighted([[2016, 10], [2017, 20], [2018, 25], [2019, 30], [2020, 15]] as const));
    h.exitedOn = dateIn(rng, exitYear, 10, 12);
  }
  if (status === HouseholdStatus.MONITORED) h.monitoredOn = dateIn(rng, rng.int(2021, 2024), 3, 11);
}

function secondaryCauses(rng: Random, h: HouseholdModel): PovertyCause[] {
  const has = (c: HealthCategory) => h.members.some((m) => m.health === c);
  const candidates: Array<readonly [PovertyCause, number]> = [
    [PovertyCause.ILLNESS, has(HealthCategory.CHRONIC) || has(HealthCategory.SERIOUS) ? 30 : 2],
    [PovertyCause.DISABILITY, has(HealthCategory.DISABLED) ? 25 : 0],
    [PovertyCause.LABOUR, h.noLabour ? 25 : 4],
    [PovertyCause.SCHOOLING, h.members.some((m) => m.stage === SchoolingStage.SENIOR || m.stage === SchoolingStage.VOCATIONAL || m.stage === SchoolingStage.COLLEGE) ? 20 : 0],
    [PovertyCause.SKILLS, 14], [PovertyCause.CAPITAL, 14], [PovertyCause.TRANSPORT, 6], [PovertyCause.LAND, 3], [PovertyCause.WATER, 2],
    [PovertyCause.DISASTER, 2],
  ];
  const pool = candidates.filter(([c, w]) => c !== h.mainCause && w > 0);
  const count = rng.weighted([[0, 30], [1, 45], [2, 25]] as const);
  const picked: PovertyCause[] = [];
  while (picked.length < count && pool.length) {
    const c = rng.weighted(pool);
    picked.push(c);
    pool.splice(pool.findIndex(([x]) => x === c), 1);
  }
  return picked;
}

/**
 * Per-capita net income: under the line (2,300 yuan at 2010 prices, about 2,800 in 2014) in the
 * identification year; by 2024 exited households are well above it, registered and monitored
 * ones close to it, and households without labour lowest of all.
 */
function planIncome(h: HouseholdModel): void {
  const { rng } = h;
  let latest: number;
  switch (h.status) {
    case HouseholdStatus.REGISTERED:
      latest = h.noLabour ? rng.amount(2_800, 4_800, 10) : rng.amount(3_600, 6_200, 10);
      break;
    case HouseholdStatus.EXITED:
      latest = h.noLabour ? rng.amount(4_500, 7_500, 10) : rng.amount(7_000, 16_000, 10);
      break;
    case HouseholdStatus.MONITORED:
      latest = h.noLabour ? rng.amount(3_500, 5_800, 10) : rng.amount(4_800, 7_800, 10);
      break;
    default:
      latest = h.noLabour ? rng.amount(5_000, 9_000, 10) : rng.amount(9_000, 22_000, 10);
  }
  const growth = 1 + rng.amount(0.03, 0.1, 0.001);
  const incomes: Array<[number, number]> = [];
  if (h.identificationYear) incomes.push([h.identificationYear, rng.amount(1_600, 2_750, 10)]);
  for (const year of INCOME_YEARS) {
    const amount = year === 2024 ? latest : Math.round((latest / growth ** (2024 - year)) * (0.96 + rng.next() * 0.08));
    incomes.push([year, amount]);
  }
  h.incomes = incomes;
  h.latestIncome = latest;
}

const EVENT_REASONS = {
  identified: '建档立卡识别：农户申请、村民代表评议、两公示一公告',
  exited: '脱贫退出：人均纯收入稳定超过扶贫标准，实现“两不愁三保障”，经公示公告',
  relapseRisk: '纳入防返贫监测：脱贫不稳定户',
  edgeRisk: '纳入防返贫监测：边缘易致贫户',
  recorded: '农户基础信息采集',
};

/** Writes the household, its incomes, causes, status events and members; sets the ids. */
export function writeHousehold(ctx: SeedContext, h: HouseholdModel, safeHousing: boolean): void {
  const { sink } = ctx;
  const u = h.villageFacts;
  const r = h.rng;
  h.id = sink.insert('household', [
    h.countyCode, h.number, h.village.code, h.status, h.identificationYear, h.standard, h.mainCause,
    r.chance(u.water ? 0.97 : 0.75), r.chance(u.electricity ? 0.995 : 0.9), r.chance(u.road ? 0.93 : 0.7), safeHousing,
    r.chance(u.network ? 0.9 : 0.6), r.chance(u.sanitation ? 0.85 : 0.5),
  ]);
  for (const [year, amount] of h.incomes) sink.add('household_income', [h.id, year, h.countyCode, amount.toFixed(2)]);
  for (const cause of h.secondaryCauses) sink.add('household_secondary_cause', [h.id, cause, h.countyCode]);

  const event = (from: HouseholdStatus | null, to: HouseholdStatus, on: string, reason: string) =>
    sink.insert('household_status_event', [h.id, h.countyCode, from, to, on, reason, `${on} 10:00:00+08`]);
  if (h.status === HouseholdStatus.NONE) event(null, HouseholdStatus.NONE, dateIn(r, r.int(2014, 2019)), EVENT_REASONS.recorded);
  if (h.identifiedOn) event(null, HouseholdStatus.REGISTERED, h.identifiedOn, EVENT_REASONS.identified);
  if (h.exitedOn) event(HouseholdStatus.REGISTERED, HouseholdStatus.EXITED, h.exitedOn, EVENT_REASONS.exited);
  if (h.monitoredOn) {
    const from = h.exitedOn ? HouseholdStatus.EXITED : null;
    event(from, HouseholdStatus.MONITORED, h.monitoredOn, from ? EVENT_REASONS.relapseRisk : EVENT_REASONS.edgeRisk);
  }

  for (const m of h.members) {
    m.id = sink.insert('person', [
      h.countyCode, h.id, h.village.code, m.relation, m.name, m.idNumber, m.gender, m.birthDate, m.labour, m.health, m.disabilityLevel, m.stage,
    ]);
  }
}
