import { badInput } from '../../core/errors';
import { RegionLevel } from '../../core/vocab';
import { ReportDimension, ReportMetric } from '../reports';
import { checkDefinition } from '../reports';

// What an approved-aggregate catalog entry (公开统计目录条目) may be: one count metric of the
// report catalog, at most two non-region dimensions of it, the region levels it is published at
// (never finer than township: 乡镇), the reference years it covers, over one region. An entry
// is checked here on proposal and on revision; the report engine (modules/reports) computes it.

/** Metrics an entry may publish: counts only, so that one small-cell threshold applies to every cell. */
export const PUBLISHABLE_METRICS: readonly ReportMetric[] = [
  ReportMetric.HOUSEHOLDS, ReportMetric.PERSONS, ReportMetric.DIBAO_HOUSEHOLDS, ReportMetric.INSURED_PERSONS,
  ReportMetric.SCHOOL_AGE_CHILDREN, ReportMetric.ENROLLED_CHILDREN, ReportMetric.MEASURES, ReportMetric.MEASURES_PLANNED,
  ReportMetric.MEASURES_UNDERWAY, ReportMetric.MEASURES_COMPLETED, ReportMetric.MEASURES_CANCELLED,
];

/** Levels an entry may be published at, coarse to fine, with the report dimension and code length of each. */
export const PUBLISHABLE_LEVELS: ReadonlyArray<{ level: RegionLevel; dimension: ReportDimension; length: number }> = [
  { level: RegionLevel.PROVINCE, dimension: ReportDimension.REGION_PROVINCE, length: 2 },
  { level: RegionLevel.CITY, dimension: ReportDimension.REGION_CITY, length: 4 },
  { level: RegionLevel.COUNTY, dimension: ReportDimension.REGION_COUNTY, length: 6 },
  { level: RegionLevel.TOWNSHIP, dimension: ReportDimension.REGION_TOWNSHIP, length: 9 },
];

const levelLength = (level: RegionLevel): number => {
  const found = PUBLISHABLE_LEVELS.find((l) => l.level === level);
  if (!found) throw badInput('levels', `${level} is finer than township: the catalog publishes province, city, county and township cells only`);
  return found.length;
};

/** Dimensions per entry, at most (the region level is the third report dimension). */
const MAX_ENTRY_DIMENSIONS = 2;
/** Reference years per entry, at most, and their range. */
const MAX_ENTRY_YEARS = 10;

/** An entry's definition: everything a version fixes. */
export interface EntryDefinition {
  metric: ReportMetric;
  dimensions: ReportDimension[];
  levels: RegionLevel[];
  years: number[];
  /** Division-code prefix of the region the entry publishes over (2, 4, 6 or 9 digits). */
  region: string;
  descriptionZh: string;
  descriptionEn: string;
}

const REGION_DIMENSIONS = new Set(PUBLISHABLE_LEVELS.map((l) => l.dimension).concat(ReportDimension.REGION_VILLAGE));

/** Refuses a definition the catalog cannot publish; answers it normalised (levels coarse to fine, years ascending). */
export function checkEntryDefinition(def: EntryDefinition, today: string): EntryDefinition {
  if (!PUBLISHABLE_METRICS.includes(def.metric)) {
    throw badInput('metric', `${def.metric} is not a count; the catalog publishes ${PUBLISHABLE_METRICS.join(', ')}`);
  }
  if (def.dimensions.length > MAX_ENTRY_DIMENSIONS) throw badInput('dimensions', `at most ${MAX_ENTRY_DIMENSIONS} dimensions besides the region level`);
  for (const d of def.dimensions) {
    if (REGION_DIMENSIONS.has(d)) throw badInput('dimensions', `${d}: region levels are listed in \`levels\`, not as dimensions`);
    // Years are the entry's reference years (as of 31 December); a YEAR breakdown would cut them again.
    if (d === ReportDimension.YEAR) throw badInput('dimensions', 'YEAR: an entry covers `years` (as of 31 December of each); it is not a dimension');
  }
  if (new Set(def.dimensions).size !== def.dimensions.length) throw badInput('dimensions', 'a dimension is listed twice');
  // The report engine's own rules: every dimension exists on the metric's grain.
  checkDefinition({ dimensions: def.dimensions, metrics: [def.metric] });

  if (!/^(\d{2}|\d{4}|\d{6}|\d{9})$/.test(def.region)) throw badInput('region', 'a province, city, county or township code (2, 4, 6 or 9 digits)');
  if (!def.levels.length) throw badInput('levels', 'name at least one region level');
  if (new Set(def.levels).size !== def.levels.length) throw badInput('levels', 'a level is listed twice');
  for (const level of def.levels) {
    // A cell of a level coarser than the entry's region would count only part of that region.
    if (levelLength(level) < def.region.length) throw badInput('levels', `${level} is coarser than the entry's region ${def.region}`);
  }
  const levels = PUBLISHABLE_LEVELS.filter((l) => def.levels.includes(l.level)).map((l) => l.level);

  const lastYear = Number(today.slice(0, 4));
  if (!def.years.length || def.years.length > MAX_ENTRY_YEARS) throw badInput('years', `1 to ${MAX_ENTRY_YEARS} years`);
  if (new Set(def.years).size !== def.years.length) throw badInput('years', 'a year is listed twice');
  for (const y of def.years) if (!Number.isInteger(y) || y < 2010 || y > lastYear) throw badInput('years', `years run from 2010 to ${lastYear}`);

  const descriptionZh = def.descriptionZh.trim();
  const descriptionEn = def.descriptionEn.trim();
  if (!descriptionZh || descriptionZh.length > 2000) throw badInput('descriptionZh', '1 to 2000 characters');
  if (!descriptionEn || descriptionEn.length > 2000) throw badInput('descriptionEn', '1 to 2000 characters');
  return { ...def, levels, years: [...def.years].sort((a, b) => a - b), descriptionZh, descriptionEn };
}

/** An entry's code: stable, what API keys name. */
export function checkCode(code: string): string {
  if (!/^[a-z][a-z0-9_.-]{2,63}$/.test(code)) throw badInput('code', '3 to 64 characters: lower-case letters, digits, "_", "." or "-", starting with a letter');
  return code;
}
