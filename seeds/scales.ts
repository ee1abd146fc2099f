import { Random } from './random';
import { villagesUnder, type RegionTree, type VillageDivision } from './regions';

// How much to generate, and where. Household counts are spread over the real villages of the
// chosen counties (or township) with stable per-village weights, so a village keeps its share
// whatever else changes.

export type SeedScale = 'test' | 'demo' | 'bench';
export const SEED_SCALES: readonly SeedScale[] = ['test', 'demo', 'bench'];

interface ScaleSpec {
  /** County (6-digit) or township (9-digit) prefixes whose villages get households. */
  regions: readonly string[];
  households: number;
}

export const SCALES: Record<SeedScale, ScaleSpec> = {
  // One township: 锦和镇, the seat of 麻阳苗族自治县. Small enough for a test to seed twice.
  test: { regions: ['431226101'], households: 300 },
  // 麻阳苗族自治县 (Huaihua, Hunan), the county the demo tokens are scoped to.
  demo: { regions: ['431226'], households: 20_000 },
  // Three counties in each prefecture; 1M+ people.
  bench: {
    regions: [
      '431226', '431224', '431230', // 麻阳, 溆浦, 通道 (怀化)
      '360730', '360731', '360734', // 宁都, 于都, 寻乌 (赣州)
      '422802', '422823', '422825', // 利川, 巴东, 宣恩 (恩施)
      '451026', '451028', '451031', // 那坡, 乐业, 隆林 (百色)
    ],
    households: 310_000,
  },
};

export interface VillageQuota {
  village: VillageDivision;
  households: number;
}

/**
 * Households per village: urban communities (居委会) hold few registered households, rural
 * villages more, each with a stable weight; rounding on the running total keeps the sum exact.
 */
export function allocateHouseholds(tree: RegionTree, scale: SeedScale): VillageQuota[] {
  const spec = SCALES[scale];
  const villages = villagesUnder(tree, spec.regions);
  if (!villages.length) throw new Error(`scale ${scale}: no villages under ${spec.regions.join(', ')}`);
  const weights = villages.map((v) => (v.rural ? 0.6 + new Random(`weight:${v.code}`).next() * 0.8 : 0.2));
  const total = weights.reduce((a, b) => a + b, 0);
  let running = 0;
  let assigned = 0;
  return villages.map((village, i) => {
    running += weights[i];
    const upTo = Math.round((running / total) * spec.households);
    const households = upTo - assigned;
    assigned = upTo;
    return { village, households };
  });
}
