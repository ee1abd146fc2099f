import { makeIdNumber } from '../src/core/id-number';
import { Gender, HealthCategory, LabourAbility, Relation, SchoolingStage, SchoolStatus } from '../src/core/vocab';
import { AS_OF, ageOn, dayNumber, isoDate } from './calendar';
import type { Random } from './random';
import { fullName, surname, givenName } from './vocabulary';

// Household members: who lives together (relation, gender and age consistent with each other),
// their health, labour ability and schooling, names and resident ID numbers.

export interface SchoolYearRecord {
  year: number;
  stage: SchoolingStage;
  /** Grade within the stage (小学 1–6, 初中 1–3, …). */
  grade: number;
  status: SchoolStatus;
}

export interface Member {
  /** Set when the row is written. */
  id: number;
  relation: Relation;
  gender: Gender;
  /** Completed years on AS_OF. */
  age: number;
  birthDate: string;
  name: string;
  idNumber: string;
  health: HealthCategory;
  disabilityLevel: number | null;
  labour: LabourAbility;
  /** Stage in the current school year (none when not enrolled). */
  stage: SchoolingStage;
  /** School years 2024 and 2025, when enrolled in them. */
  schooling: SchoolYearRecord[];
  /** A 6–15-year-old with no enrolment this school year (a deliberate 控辍保学 gap). */
  outOfSchool: boolean;
}

export const SCHOOL_YEARS = [2024, 2025] as const;

type Skeleton = Pick<Member, 'relation' | 'gender' | 'age'>;

const opposite = (g: Gender) => (g === Gender.MALE ? Gender.FEMALE : Gender.MALE);
const clampAge = (a: number) => Math.max(0, Math.min(97, a));
const randomGender = (rng: Random) => (rng.chance(0.52) ? Gender.MALE : Gender.FEMALE);

/**
 * Who lives in a household of `size`: a head, usually a spouse, then children, the head's
 * parents or (for older heads) a child's spouse and grandchildren, with ages that fit.
 * `elderly` asks for an aged head (households short of labour, 缺劳力).
 */
export function composeHousehold(rng: Random, size: number, elderly: boolean): Skeleton[] {
  const headGender = rng.chance(0.86) ? Gender.MALE : Gender.FEMALE;
  let headAge: number;
  if (size === 1) headAge = elderly || rng.chance(0.6) ? rng.int(62, 92) : rng.int(35, 61);
  else if (elderly) headAge = rng.int(60, 84);
  else if (size === 2) headAge = rng.chance(0.55) ? rng.int(58, 84) : rng.int(30, 57);
  else headAge = rng.chance(0.3) ? rng.int(52, 72) : rng.int(27, 51);
  const members: Skeleton[] = [{ relation: Relation.HEAD, gender: headGender, age: headAge }];
  const room = () => size - members.length;

  if (room() > 0 && rng.chance(size === 2 ? 0.75 : 0.88)) {
    const gap = rng.int(-2, 6);
    members.push({ relation: Relation.SPOUSE, gender: opposite(headGender), age: clampAge(headGender === Gender.MALE ? headAge - gap : headAge + gap) });
  }
  const youngestParent = Math.min(...members.map((m) => m.age));

  if (headAge >= 52 && room() > 0) {
    // Older heads: grown children, a child's spouse, grandchildren.
    const childMax = youngestParent - 20;
    const eldest: Skeleton = { relation: Relation.CHILD, gender: randomGender(rng), age: rng.int(Math.max(14, youngestParent - 38), childMax) };
    members.push(eldest);
    if (room() > 0 && eldest.age >= 22 && rng.chance(0.7)) {
      members.push({ relation: Relation.CHILD_IN_LAW, gender: opposite(eldest.gender), age: clampAge(Math.max(20, eldest.age + rng.int(-3, 3))) });
    }
    let age = Math.min(17, eldest.age - 20);
    while (room() > 0 && age >= 0) {
      const grandchild = rng.int(Math.max(0, age - 4), age);
      members.push({ relation: Relation.GRANDCHILD, gender: randomGender(rng), age: grandchild });
      age = grandchild - rng.int(1, 4);
    }
    while (room() > 0) members.push({ relation: Relation.CHILD, gender: randomGender(rng), age: rng.int(Math.max(14, childMax - 12), childMax) });
  } else if (room() > 0) {
    // Younger heads: maybe their parents (or a grandparent), then children.
    if (room() >= 2 && rng.chance(0.35) && headAge + 22 <= 95) {
      const fatherAge = clampAge(headAge + rng.int(22, Math.min(34, 95 - headAge)));
      members.push({ relation: Relation.PARENT, gender: Gender.MALE, age: fatherAge });
      if (room() >= 2 && rng.chance(0.5)) members.push({ relation: Relation.PARENT, gender: Gender.FEMALE, age: clampAge(fatherAge - rng.int(0, 4)) });
    } else if (room() >= 2 && headAge <= 38 && rng.chance(0.06)) {
      members.push({ relation: Relation.GRANDPARENT, gender: Gender.FEMALE, age: clampAge(headAge + rng.int(44, Math.min(55, 97 - headAge))) });
    }
    const childMax = youngestParent - 20;
    let age = childMax >= 0 ? rng.int(Math.max(0, childMax - 12), childMax) : -1;
    while (room() > 0 && age >= 0) {
      members.push({ relation: Relation.CHILD, gender: randomGender(rng), age });
      age -= rng.int(1, 5);
    }
    while (room() > 0) {
      const relation = rng.chance(0.7) ? Relation.SIBLING : Relation.OTHER;
      members.push({ relation, gender: randomGender(rng), age: clampAge(Math.max(16, headAge + rng.int(-10, 10))) });
    }
  }
  return members;
}

/** Health by age: chronic illness grows with age, serious illness and disability are rarer. */
export function baseHealth(rng: Random, age: number): [HealthCategory, number | null] {
  if (rng.chance(age < 16 ? 0.015 : age < 60 ? 0.045 : 0.08)) return [HealthCategory.DISABLED, disabilityLevel(rng)];
  if (rng.chance(age < 16 ? 0.005 : age < 45 ? 0.015 : age < 60 ? 0.035 : 0.05)) return [HealthCategory.SERIOUS, null];
  if (rng.chance(age < 30 ? 0.01 : age < 50 ? 0.07 : age < 65 ? 0.2 : 0.33)) return [HealthCategory.CHRONIC, null];
  return [HealthCategory.HEALTHY, null];
}

/** 残疾等级: 1 is the most severe. */
export const disabilityLevel = (rng: Random): number => rng.weighted([[1, 15], [2, 25], [3, 30], [4, 30]] as const);

/** Labour ability from age, schooling and health, as a village cadre would fill in the form. */
export function labourFor(rng: Random, age: number, inSchool: boolean, health: HealthCategory, level: number | null): LabourAbility {
  if (age < 16 || inSchool) return LabourAbility.NONE;
  if (health === HealthCategory.DISABLED) return (level ?? 4) <= 2 ? LabourAbility.LOST : LabourAbility.WEAK;
  if (health === HealthCategory.SERIOUS) return rng.chance(0.6) ? LabourAbility.LOST : LabourAbility.WEAK;
  if (age >= 70) return rng.weighted([[LabourAbility.NONE, 45], [LabourAbility.WEAK, 35], [LabourAbility.LOST, 20]] as const);
  if (age >= 60) {
    return health === HealthCategory.CHRONIC
      ? rng.weighted([[LabourAbility.WEAK, 60], [LabourAbility.LOST, 20], [LabourAbility.NONE, 20]] as const)
      : rng.weighted([[LabourAbility.ORDINARY, 30], [LabourAbility.WEAK, 50], [LabourAbility.NONE, 20]] as const);
  }
  if (health === HealthCategory.CHRONIC) return rng.weighted([[LabourAbility.ORDINARY, 50], [LabourAbility.WEAK, 45], [LabourAbility.LOST, 5]] as const);
  return rng.weighted([[LabourAbility.SKILLED, 22], [LabourAbility.ORDINARY, 68], [LabourAbility.WEAK, 10]] as const);
}

/** Which schooling a child is on, decided once so that 2024 and 2025 agree. */
interface Track {
  preschool: boolean;
  upper: SchoolingStage.SENIOR | SchoolingStage.VOCATIONAL;
  /** Leaves upper secondary after its first year. */
  leavesAt16: boolean;
  college: boolean;
}

function stageAt(age: number, t: Track): [SchoolingStage, number] | null {
  if (age >= 3 && age <= 5) return t.preschool ? [SchoolingStage.PRESCHOOL, age - 2] : null;
  if (age >= 6 && age <= 11) return [SchoolingStage.PRIMARY, age - 5];
  if (age >= 12 && age <= 14) return [SchoolingStage.JUNIOR, age - 11];
  // Everyone starts upper secondary at 15, so 6–15-year-olds are all in school unless a gap says otherwise.
  if (age === 15 || (age <= 17 && age >= 16 && !t.leavesAt16)) return [t.upper, age - 14];
  if (age >= 18 && age <= 21 && t.college && !t.leavesAt16) return [SchoolingStage.COLLEGE, age - 17];
  return null;
}

const FINAL_GRADE: Partial<Record<SchoolingStage, number>> = {
  [SchoolingStage.JUNIOR]: 3, [SchoolingStage.SENIOR]: 3, [SchoolingStage.VOCATIONAL]: 3, [SchoolingStage.COLLEGE]: 4,
};

/**
 * Enrolments in school years 2024 and 2025 for someone born on `birthDate`. With `gap`, a
 * compulsory-age child (6–15 this year) has dropped out: 2024 ends dropped_out, 2025 has no row.
 */
export function schoolingFor(rng: Random, birthDate: string, gap: boolean): SchoolYearRecord[] {
  const track: Track = {
    preschool: rng.chance(0.85),
    upper: rng.chance(0.6) ? SchoolingStage.SENIOR : SchoolingStage.VOCATIONAL,
    leavesAt16: rng.chance(0.1),
    college: rng.chance(0.4),
  };
  const records: SchoolYearRecord[] = [];
  for (const year of SCHOOL_YEARS) {
    const s = stageAt(ageOn(birthDate, `${year}-09-01`), track);
    if (!s) continue;
    if (gap && year === 2025) continue;
    records.push({ year, stage: s[0], grade: s[1], status: SchoolStatus.ENROLLED });
  }
  const last = records.find((r) => r.year === 2024);
  if (last && !records.some((r) => r.year === 2025)) {
    last.status = gap ? SchoolStatus.DROPPED_OUT : last.grade === FINAL_GRADE[last.stage] ? SchoolStatus.GRADUATED : SchoolStatus.DROPPED_OUT;
  }
  return records;
}

/** Compulsory education age (6–15) on AS_OF: who the 控辍保学 rules look at. */
export const compulsoryAge = (age: number) => age >= 6 && age <= 15;

const BIRTH_EPOCH = dayNumber('1925-01-01');
const BIRTH_DAYS = dayNumber('2026-01-01') - BIRTH_EPOCH;

/**
 * Hands out resident ID numbers: the county's own division code, the birth date, a sequence
 * unique per county, date and sex (odd for men), and the GB 11643 check character.
 */
export class IdNumberIssuer {
  private readonly counters: Uint16Array;
  private readonly index: Map<string, number>;

  constructor(counties: readonly string[]) {
    this.index = new Map(counties.map((c, i) => [c, i]));
    this.counters = new Uint16Array(counties.length * BIRTH_DAYS * 2);
  }

  issue(county: string, birthDate: string, gender: Gender): string {
    const day = dayNumber(birthDate) - BIRTH_EPOCH;
    const slot = ((this.index.get(county)! * BIRTH_DAYS + day) << 1) | (gender === Gender.MALE ? 1 : 0);
    const k = this.counters[slot]++;
    if (k >= 500) throw new Error(`more than 500 ${gender} people born on ${birthDate} in ${county}`);
    // Start each day at a different place so that sequences do not all read 001, 003, …
    const start = (day * 37 + this.index.get(county)! * 101) % 500;
    const sequence = ((start + k) % 500) * 2 + (gender === Gender.MALE ? 1 : 0);
    return makeIdNumber(county, birthDate, sequence);
  }
}

/** A birth date that makes someone `age` on AS_OF. */
export function birthDateFor(rng: Random, age: number): string {
  const anniversary = dayNumber(`${Number(AS_OF.slice(0, 4)) - age}${AS_OF.slice(4)}`);
  return isoDate(anniversary - rng.int(0, 364));
}

/**
 * Names: the head's lineage (children, grandchildren, the head's father, siblings) shares one
 * family surname; spouses, mothers and in-laws bring their own.
 */
export function nameMembers(rng: Random, members: Array<Pick<Member, 'relation' | 'gender' | 'birthDate'>>, prefecture: string): string[] {
  const family = surname(rng, prefecture);
  const head = members[0];
  const lineage = (m: (typeof members)[number]) =>
    m.relation === Relation.CHILD || m.relation === Relation.GRANDCHILD || m.relation === Relation.SIBLING ||
    (m.relation === Relation.PARENT && m.gender === Gender.MALE) || (m.relation === Relation.HEAD && head.gender === Gender.MALE);
  const taken = new Set<string>();
  return members.map((m) => {
    const year = Number(m.birthDate.slice(0, 4));
    let name = '';
    // Two brothers are not both called 杨博文.
    for (let attempt = 0; attempt < 5 && (!name || taken.has(name)); attempt++) {
      name = lineage(m) ? family + givenName(rng, m.gender, year) : fullName(rng, m.gender, year, prefecture);
    }
    taken.add(name);
    return name;
  });
}
