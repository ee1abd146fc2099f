import { Random } from './random';
import type { RowSink } from './copy';
import type { RegionTree, VillageDivision } from './regions';

// Village-level facts (行政村): the poverty-village flag with its 一高一低一无 indicators and the
// six utilities. Every village of the four prefectures gets a row, whatever the scale, so that
// dashboards over a prefecture are complete even where no household is seeded.

export interface VillageFacts {
  isPovertyVillage: boolean;
  water: boolean;
  electricity: boolean;
  road: boolean;
  safeHousing: boolean;
  network: boolean;
  sanitation: boolean;
}

/** Share of villages identified as poverty villages, by prefecture (Huaihua: 1,237 of about 2,800). */
const POVERTY_VILLAGE_SHARE: Record<string, number> = { '4312': 0.42, '3607': 0.3, '4228': 0.38, '4510': 0.35 };

/** Rural per-capita income around 2015 (yuan a year), by province; poverty villages sit below 60% of it. */
const PROVINCE_RURAL_INCOME: Record<string, number> = { '43': 10_060, '36': 10_120, '42': 10_850, '45': 8_680 };

export const INDICATOR_YEAR = 2015;

const factsCache = new Map<string, VillageFacts>();

/** The facts of one village: a pure function of its code. */
export function villageFacts(village: VillageDivision): VillageFacts {
  const cached = factsCache.get(village.code);
  if (cached) return cached;
  const rng = new Random(`village:${village.code}`);
  const poor = village.rural && rng.chance(POVERTY_VILLAGE_SHARE[village.code.slice(0, 4)] ?? 0.3);
  const p = (poorP: number, otherP: number) => rng.chance(poor ? poorP : otherP);
  const facts: VillageFacts = {
    isPovertyVillage: poor,
    water: p(0.72, 0.93),
    electricity: p(0.97, 1),
    road: p(0.6, 0.9),
    safeHousing: p(0.55, 0.85),
    network: p(0.5, 0.88),
    sanitation: p(0.35, 0.7),
  };
  factsCache.set(village.code, facts);
  return facts;
}

export function writeVillages(sink: RowSink, tree: RegionTree): void {
  for (const village of tree.villages) {
    const facts = villageFacts(village);
    const rng = new Random(`village-indicators:${village.code}`);
    const average = PROVINCE_RURAL_INCOME[village.code.slice(0, 2)] ?? 10_000;
    const poor = facts.isPovertyVillage;
    // 一高一低一无: high incidence, low income, no collective-economy income.
    const incidence = poor ? rng.amount(10, 30, 0.01) : rng.amount(1, 9.5, 0.01);
    const income = poor ? rng.amount(0.3 * average, 0.58 * average, 10) : rng.amount(0.65 * average, 1.3 * average, 10);
    const collective = poor ? (rng.chance(0.85) ? 0 : rng.amount(2_000, 20_000, 100)) : rng.amount(20_000, 300_000, 100);
    const broadband = poor ? rng.pick([0, 0, 4, 4, 12]) : rng.pick([4, 12, 20, 50, 100]);
    sink.add('village', [
      village.code, village.code.slice(0, 6), poor, INDICATOR_YEAR, incidence.toFixed(2), income.toFixed(2), collective.toFixed(2), broadband,
      facts.water, facts.electricity, facts.road, facts.safeHousing, facts.network, facts.sanitation,
    ]);
  }
}
