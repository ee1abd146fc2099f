import 'reflect-metadata';
import { dataSource } from '../ormconfig';
import { connectAndMigrate } from '../src/core/database';
import { isSeeded, seedDatabase, SEED_SCALES, type SeedScale } from './index';

// npm run seed -- --scale demo|bench|test
// Migrates the database in DATABASE_URL, then loads the scale unless it already has households.

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--scale');
  const scale = (at >= 0 ? args[at + 1] : args.find((a) => a.startsWith('--scale='))?.slice(8)) ?? 'demo';
  if (!SEED_SCALES.includes(scale as SeedScale)) throw new Error(`--scale must be one of ${SEED_SCALES.join(', ')}`);
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to the database to seed');

  await connectAndMigrate(dataSource, url);
  await dataSource.destroy();
  if (await isSeeded(url)) {
    process.stdout.write('the database already has households: nothing to do\n');
    return;
  }
  const summary = await seedDatabase(url, scale as SeedScale, { log: (m) => process.stdout.write(`${m}\n`) });
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

main().catch((err) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
