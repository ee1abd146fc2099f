import { registerEnumType } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { derivedAccess } from '../../core/privacy';
import type { PersonFilter } from './registry.types';

// Ages where the birth date is hidden (core/privacy.ts, derived fields): a band in the
// service's current year, never an exact age and never on another date. The bands follow the
// policy ages: preschool, compulsory school (义务教育 6–15 starts at 6), minors, working age,
// elderly. A band is taken from the age reached in the current year (year of birth only), so
// it changes on 1 January for everyone born in a year: watching it day by day gives the year
// of birth, not the birthday (a band on the exact age would flip on the birthday itself).

/** 年龄段 an age band. */
export enum AgeBand {
  AGE_0_5 = 'AGE_0_5',
  AGE_6_14 = 'AGE_6_14',
  AGE_15_17 = 'AGE_15_17',
  AGE_18_59 = 'AGE_18_59',
  AGE_60_PLUS = 'AGE_60_PLUS',
}

registerEnumType(AgeBand, {
  name: 'AgeBand',
  description: '年龄段 an age band in whole years on the service\'s today.',
  valuesConfig: {
    AGE_0_5: { description: '学龄前 0–5' },
    AGE_6_14: { description: '6–14' },
    AGE_15_17: { description: '15–17' },
    AGE_18_59: { description: '18–59' },
    AGE_60_PLUS: { description: '60 and over (60岁以上)' },
  },
});

/** The bands' lower bounds, in order; a band ends where the next one starts. */
const BAND_STARTS: Array<[number, AgeBand]> = [
  [0, AgeBand.AGE_0_5], [6, AgeBand.AGE_6_14], [15, AgeBand.AGE_15_17], [18, AgeBand.AGE_18_59], [60, AgeBand.AGE_60_PLUS],
];

/** The age reached in `today`'s year by a person born on `birthDate` (year of birth only). */
export function yearAge(birthDate: string, today: string): number {
  return Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
}

/** The band of an age in whole years. */
export function bandOf(age: number): AgeBand {
  let band = AgeBand.AGE_0_5;
  for (const [start, b] of BAND_STARTS) if (age >= start) band = b;
  return band;
}

/** minAge values that fall on a band boundary (0, 6, 15, 18, 60). */
const MIN_BOUNDS = BAND_STARTS.map(([start]) => start);
/** maxAge values that fall on a band boundary (5, 14, 17, 59). */
const MAX_BOUNDS = BAND_STARTS.slice(1).map(([start]) => start - 1);

/** Whether the caller's age filters are by band (year of birth in the current year) rather than exact. */
export function ageFilterBanded(ctx: RequestContext): boolean {
  return derivedAccess(ctx.principal, 'PersonFilter.minAge', { minor: true }) === 'banded';
}

/**
 * Refuses the age part of a person filter beyond what the caller may see. A role that cannot
 * see minors' birth dates filters by band only: minAge and maxAge on band boundaries, counted
 * as `ageBand` counts (age reached this year), no asOf. Otherwise a filter bisected over ages
 * or dates gives a minor's birth date back.
 */
export function checkAgeFilter(ctx: RequestContext, filter: PersonFilter): void {
  const asOf = derivedAccess(ctx.principal, 'PersonFilter.asOf', { minor: true });
  const ages = derivedAccess(ctx.principal, 'PersonFilter.minAge', { minor: true });
  const uses = filter.asOf != null || filter.minAge != null || filter.maxAge != null;
  if (!uses) return;
  if (ages === 'hidden') throw badInput('filter.minAge', 'your role may not filter persons by age');
  if (filter.asOf != null && asOf !== 'full') {
    throw badInput('filter.asOf', 'your role sees the ages of minors only as bands on today: filter without asOf');
  }
  if (ages === 'banded') {
    if (filter.minAge != null && !MIN_BOUNDS.includes(filter.minAge)) {
      throw badInput('filter.minAge', `your role filters ages by band: minAge is one of ${MIN_BOUNDS.join(', ')}`);
    }
    if (filter.maxAge != null && !MAX_BOUNDS.includes(filter.maxAge)) {
      throw badInput('filter.maxAge', `your role filters ages by band: maxAge is one of ${MAX_BOUNDS.join(', ')}`);
    }
  }
}
