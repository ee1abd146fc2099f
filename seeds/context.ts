import type { RowSink } from './copy';
import type { IdNumberIssuer } from './people';
import type { Random } from './random';
import type { County } from './regions';

// What the household generators share while a scale is generated.

/**
 * The deliberate gaps coordination rules should find (应保尽保, 基本医疗, 控辍保学, 住房安全,
 * 结对帮扶). Each happens at a small rate, and the first household that qualifies always gets
 * one, so that even the tiny test scale has every kind.
 */
export type GapKind = 'uninsured' | 'unenrolled' | 'unrenovated' | 'unpaired' | 'noDibao';

export class GapTracker {
  readonly counts: Record<GapKind, number> = { uninsured: 0, unenrolled: 0, unrenovated: 0, unpaired: 0, noDibao: 0 };

  /** Whether this qualifying case becomes a gap. */
  take(kind: GapKind, rng: Random, rate: number): boolean {
    const yes = this.counts[kind] === 0 || rng.chance(rate);
    if (yes) this.counts[kind]++;
    return yes;
  }
}

export interface CountyContext {
  county: County;
  /** First cadre id of the county and how many there are. */
  cadreBase: number;
  cadreCount: number;
  /** Resettlement site (易地扶贫搬迁安置点): a community in the county seat. */
  resettlementCode: string;
  /** Households generated so far in the county (pairs consecutive households with one cadre). */
  households: number;
  /** Per village: the id of its village infrastructure measure (村级基础设施), once written. */
  villageMeasures: Map<string, number>;
}

export interface SeedContext {
  sink: RowSink;
  ids: IdNumberIssuer;
  gaps: GapTracker;
  counties: Map<string, CountyContext>;
}

/** Households each cadre is paired with, at most. */
export const HOUSEHOLDS_PER_CADRE = 5;
