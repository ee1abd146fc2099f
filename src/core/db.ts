import { types, type Pool, type QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { countStatement } from './sql-count';

// Dates stay strings ('2024-03-01'): a DATE has no time zone, and turning it into a JS Date
// at local midnight shifts it by a day for callers in another zone.
types.setTypeParser(1082, (v: string) => v);

/**
 * The request's handle on PostgreSQL. Reads go straight to the pg pool as plain rows (no
 * entity hydration: see DESIGN §4a); writes use TypeORM inside `transaction`. Every statement
 * is counted for the request.
 */
export class Db {
  private readonly pool: Pool;

  constructor(readonly dataSource: DataSource) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
  }

  /** Runs one parameterised read and returns plain rows. `name` makes it a prepared statement. */
  async query<R extends QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = [], name?: string): Promise<R[]> {
    countStatement();
    const result = await this.pool.query<R>(name ? { name, text, values: params } : { text, values: params });
    return result.rows;
  }

  /** Runs `work` in one transaction; everything it writes commits or nothing does. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
