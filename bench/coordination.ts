import 'reflect-metadata';
import pino from 'pino';
import { dataSource } from '../ormconfig';
import { Role } from '../src/core/auth';
import { createContext } from '../src/core/context';
import { Db } from '../src/core/db';
import { Department } from '../src/core/vocab';
import { asOf, CoordinationWorker, evaluateRules, GAPS_LOCK } from '../src/modules/coordination';
import { eventsSince, listenForEvents } from '../src/modules/events';
// The writes below are audited: loading the audit module registers its sink (core/audit-sink.ts).
import '../src/modules/audit';
import { RegistryWriteService } from '../src/modules/registry';

// Coordination benchmark (issue 12 §2): a full recompute over the whole database, then the
// latency from a committed write to the gap it opens or closes, through the real write pipeline
// and the incremental worker. DATABASE_URL=…/<a seeded bench database> npx ts-node --transpile-only
// bench/coordination.ts [writes, default 1000]. It changes the data (water utilities of some
// households, restored at the end) and the gaps: use a bench database, never a real one.

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to a seeded bench database');
  const writes = Number(process.argv[2] ?? 1000);
  dataSource.setOptions({ url, logging: false });
  await dataSource.initialize();
  const [{ households }] = await dataSource.query<Array<{ households: number }>>(`SELECT count(*)::int AS households FROM household`);
  console.log(`households: ${households}`);

  for (const run of ['first (opens everything)', 'second (steady state)']) {
    const started = Date.now();
    const result = await dataSource.transaction(async (tx) => {
      await tx.query(GAPS_LOCK);
      return evaluateRules(tx, { regionPrefix: '' }, asOf());
    });
    console.log(`full recompute, ${run}: ${((Date.now() - started) / 1000).toFixed(1)} s`, result);
  }

  // Follow from the end of the events as they stand.
  await dataSource.query(`INSERT INTO coordination_cursor (name, last_seq) SELECT 'coordination-gaps', coalesce(max(seq), 0) FROM change_event
    ON CONFLICT (name) DO UPDATE SET last_seq = EXCLUDED.last_seq`);
  const worker = new CoordinationWorker(dataSource, pino({ level: 'warn' }));
  const connection = { connectionString: url };
  await worker.start(connection);

  // Gap events as they arrive: household → time.
  let last = (await dataSource.query<Array<{ s: string }>>(`SELECT coalesce(max(seq), 0)::text AS s FROM change_event`))[0].s;
  const seen = new Map<string, number>();
  let reading = false;
  const read = async () => {
    if (reading) return;
    reading = true;
    try {
      for (;;) {
        const page = await eventsSince(dataSource, last, 1000);
        if (!page.length) break;
        const now = Date.now();
        for (const e of page) if (e.entity === 'CoordinationGap' && e.householdId) seen.set(e.householdId, now);
        last = page[page.length - 1].seq;
      }
    } finally {
      reading = false;
    }
  };
  const listener = await listenForEvents(connection, () => void read());

  const ctx = () => createContext(new Db(dataSource), {
    principal: { subject: 'bench-coordination', role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '' },
  });
  const picks: Array<{ id: string; version: number }> = await dataSource.query(
    `SELECT h.id::text AS id, h.version FROM household h WHERE h.has_water
        AND NOT EXISTS (SELECT 1 FROM coordination_gap g WHERE g.household_id = h.id AND g.rule_code = 'SAFE_WATER' AND g.status <> 'resolved')
      ORDER BY h.id LIMIT $1`,
    [Math.ceil(writes / 2)],
  );
  const utilities = (water: boolean) => ({ water, electricity: true, road: true, housing: true, network: true, environment: true });
  const latencies: number[] = [];
  const one = async (id: string, version: number, water: boolean) => {
    seen.delete(id);
    await RegistryWriteService.updateHousehold(ctx(), id, version, { utilities: utilities(water) });
    const committed = Date.now();
    for (;;) {
      const at = seen.get(id);
      if (at !== undefined) return latencies.push(Math.max(0, at - committed));
      if (Date.now() - committed > 10_000) throw new Error(`no gap event for household ${id} within 10 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const started = Date.now();
  for (const h of picks) {
    await one(h.id, h.version, false); // opens SAFE_WATER
    await one(h.id, h.version + 1, true); // resolves it
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`gap open/close after a committed write, ${latencies.length} writes in ${seconds.toFixed(1)} s: p50 ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms, max ${Math.max(...latencies)} ms`);
  await listener.close();
  await worker.stop();
  await dataSource.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
