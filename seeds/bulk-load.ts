import type { Client } from 'pg';

// Loading millions of rows into tables that keep their secondary indexes and foreign keys
// costs an index insertion and a trigger-driven lookup per row and key. Inside the seed's
// transaction the tables are empty, so it is much cheaper to drop those, copy, and rebuild
// them once at the end (index builds sort; a foreign key is validated by one join). The
// definitions are read from the catalog and put back verbatim, so the schema afterwards is
// exactly what the migrations made; if anything fails, the rollback restores them too.

interface Saved {
  indexes: Array<{ name: string; definition: string }>;
  foreignKeys: Array<{ table: string; name: string; definition: string }>;
}

/** Drops the non-primary-key indexes and the foreign keys of `tables`; returns how to restore them. */
export async function dropSecondaryStructures(client: Client, tables: readonly string[]): Promise<Saved> {
  const fks = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c
      WHERE c.contype = 'f' AND c.conrelid = ANY($1::regclass[])
      ORDER BY c.conrelid::regclass::text, c.conname`,
    [tables],
  );
  // Foreign keys of other tables that point into these need their unique indexes: only
  // primary keys are referenced here, and those stay.
  const indexes = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY 1`,
    [tables],
  );
  for (const fk of fks.rows) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT "${fk.name}"`);
  for (const ix of indexes.rows) await client.query(`DROP INDEX ${ix.name}`);
  return { indexes: indexes.rows, foreignKeys: fks.rows };
}

/** Rebuilds what `dropSecondaryStructures` dropped: indexes first, so that validation can use them. */
export async function restoreSecondaryStructures(client: Client, saved: Saved): Promise<void> {
  await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  for (const ix of saved.indexes) await client.query(ix.definition);
  for (const fk of saved.foreignKeys) await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT "${fk.name}" ${fk.definition}`);
}
