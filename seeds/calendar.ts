import type { Random } from './random';

// Dates in the seeds are ISO strings (what COPY and the `date` columns take), computed on UTC
// day numbers so that no time zone can shift a birth date and break an ID number.

/** The data's "today": the start of school year 2025. Ages, enrolments and statuses hold as of it. */
export const AS_OF = '2025-09-01';
export const CURRENT_YEAR = 2025;

/** Every created_at/updated_at: fixed, so that two seeds are byte-identical. */
export const RECORDED_AT = '2025-09-01 08:00:00+08';

const MS_PER_DAY = 86_400_000;

export const dayNumber = (iso: string): number =>
  Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;

export const isoDate = (day: number): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

export const addDays = (iso: string, days: number): string => isoDate(dayNumber(iso) + days);

/** A uniformly random day between two ISO dates, both inclusive. */
export const dateBetween = (rng: Random, from: string, to: string): string => isoDate(rng.int(dayNumber(from), dayNumber(to)));

/** A random day in `year`, months `fromMonth`–`toMonth` (1-based, inclusive). */
export function dateIn(rng: Random, year: number, fromMonth = 1, toMonth = 12): string {
  const from = Date.UTC(year, fromMonth - 1, 1) / MS_PER_DAY;
  const to = Date.UTC(year, toMonth, 1) / MS_PER_DAY - 1;
  return isoDate(rng.int(from, to));
}

/** Completed years between a birth date and `on`. */
export function ageOn(birth: string, on: string): number {
  let age = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  if (on.slice(5) < birth.slice(5)) age--;
  return age;
}

/** The earlier of two ISO dates. */
export const minDate = (a: string, b: string): string => (a < b ? a : b);

/** The later of two ISO dates. */
export const maxDate = (a: string, b: string): string => (a > b ? a : b);
