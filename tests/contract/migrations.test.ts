import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { dataSource } from '../../ormconfig';
import { migrations } from '../../migrations';
import { recreateDatabase, TEST_DB_NAME } from '../support/test-database';

// Entities and migrations must agree: on a database built by the migrations alone, TypeORM's
// schema builder finds nothing to change. And every migration can be undone.

describe('migrations', () => {
  const dir = path.resolve(__dirname, '../../migrations');

  it('are all registered in migrations/index.ts and named <epochMs>-<VerbNoun>.ts', () => {
    const files = fs.readdirSync(dir).filter((f) => f !== 'index.ts' && f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f).toMatch(/^\d{13}-[A-Z][A-Za-z]+\.ts$/);
    const names = migrations.map((m) => m.name);
    const expected = files.map((f) => f.replace(/^(\d+)-(\w+)\.ts$/, '$2$1'));
    expect(names).toEqual(expected.sort((a, b) => Number(a.match(/\d+$/)![0]) - Number(b.match(/\d+$/)![0])));
  });

  it('give the schema the entities describe, and undo cleanly', async () => {
    const url = await recreateDatabase(process.env.TEST_SERVER_URL as string, `${TEST_DB_NAME}_migrations`);
    dataSource.setOptions({ url });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'all' });
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);

      // Every foreign key states its ON DELETE (no implicit NO ACTION).
      const client = new Client({ connectionString: url });
      await client.connect();
      const fks = await client.query(`SELECT conname, confdeltype FROM pg_constraint WHERE contype = 'f' AND confdeltype = 'a'`);
      await client.end();
      expect(fks.rows).toEqual([]);

      for (let i = 0; i < migrations.length; i++) await dataSource.undoLastMigration({ transaction: 'all' });
      const left = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations'`);
      expect(left).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
