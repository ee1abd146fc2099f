import { AgeBand, bandOf, yearAge } from '../../src/modules/registry/age-band';

// The age band shown where a birth date is hidden (issue 7 §2) gives at most the year of birth:
// watched every day of a year, it does not change on the birthday.
describe('age band', () => {
  const days = (year: number) => {
    const out: string[] = [];
    for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d = new Date(d.getTime() + 86_400_000)) out.push(d.toISOString().slice(0, 10));
    return out;
  };

  it('does not change on the birthday, only on 1 January', () => {
    for (const birth of ['2014-09-10', '2008-02-29', '2020-12-31', '1966-01-01']) {
      for (const year of [2020, 2026, 2032]) {
        const bands = new Set(days(year).map((day) => bandOf(yearAge(birth, day))));
        expect({ birth, year, bands: bands.size }).toEqual({ birth, year, bands: 1 });
      }
    }
  });

  it('bands by the age reached this year', () => {
    expect(bandOf(yearAge('2014-09-10', '2026-01-01'))).toBe(AgeBand.AGE_6_14);
    expect(bandOf(yearAge('2020-12-31', '2026-01-01'))).toBe(AgeBand.AGE_6_14);
    expect(bandOf(yearAge('2021-01-01', '2026-12-31'))).toBe(AgeBand.AGE_0_5);
    expect(bandOf(yearAge('2009-06-01', '2026-03-01'))).toBe(AgeBand.AGE_15_17);
    expect(bandOf(yearAge('2008-06-01', '2026-03-01'))).toBe(AgeBand.AGE_18_59);
    expect(bandOf(yearAge('1966-12-31', '2026-01-01'))).toBe(AgeBand.AGE_60_PLUS);
  });
});
