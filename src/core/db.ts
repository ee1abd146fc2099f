import { createHash } from 'node:crypto';
import { types, type Pool, type PoolClient, type QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { CountedRunnerData, SqlCounter } from './sql-count';

// Dates stay strings ('2024-03-01'): a DATE has no time zone, and turning it into a JS Date
// at local midnight shifts it by a day for callers in another zone.
types.setTypeParser(1082, (v: string) => v);

/**
 * The request's handle on PostgreSQL. Reads go straight to the pg pool as plain rows (no
 * entity hydration: see DESIGN §4a); writes use TypeORM inside `transaction`. Every statement
 * is counted for the request (`sqlCounter`): the server holds one Db and gives each request
 * its own handle with `forRequest`, sharing the pool and the prepared-statement names.
 */
export class Db {
  private readonly pool: Pool;
  /** Statements sent through this handle (x-sql-statements). */
  readonly sqlCounter: SqlCounter = { statements: 0 };

  constructor(
    readonly dataSource: DataSource,
    shared?: Db,
  ) {
    this.pool = shared ? shared.pool : (dataSource.driver as unknown as { master: Pool }).master;
    if (!shared) guardConnections(this.pool);
    this.names = shared ? shared.names : new Map<string, string>();
  }

  /** A handle for one request: the same pool and statement names, a count of its own. */
  forRequest(): Db {
    return new Db(this.dataSource, this);
  }

  /**
   * Runs one parameterised read and returns plain rows. Reads are prepared statements named by
   * their text: each pooled connection sends and parses a text once and PostgreSQL can keep its
   * plan, where an unnamed statement is sent, parsed and planned on every call (a household card
   * with its relations read ahead is one long statement: that cost about as much as running it).
   */
  async query<R extends QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = [], name?: string): Promise<R[]> {
    this.sqlCounter.statements += 1;
    const statement = name ?? this.statementName(text);
    const result = await this.pool.query<R>(statement ? { name: statement, text, values: params } : { text, values: params });
    return result.rows;
  }

  // Statement texts come from code, but read-ahead builds one per combination of selected
  // relations: past this many distinct texts, new ones run unnamed, so that no client can grow
  // the prepared statements a server connection holds without bound.
  private static readonly MAX_PREPARED = 500;
  private readonly names: Map<string, string>;

  private statementName(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < Db.MAX_PREPARED) {
      name = `hg_${createHash('sha1').update(text).digest('base64url')}`;
      this.names.set(text, name);
    }
    return name;
  }

  /**
   * A pooled connection of the caller's own, for a long read that needs one snapshot and a
   * server-side cursor (a streamed export, modules/exports). The caller releases it.
   */
  connect(): Promise<PoolClient> {
    return this.pool.connect();
  }

  /** Runs `work` in one transaction; everything it writes commits or nothing does. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    // The runner carries this request's counter to the TypeORM logger (core/sql-count.ts).
    const runner = this.dataSource.createQueryRunner();
    (runner.data as CountedRunnerData).sqlCounter = this.sqlCounter;
    try {
      return await runner.manager.transaction(work);
    } finally {
      await runner.release();
    }
  }
}

const GUARDED = Symbol('household-graph: connection errors guarded');

/**
 * A connection that breaks while checked out and between queries (PostgreSQL restarted or
 * stopped) emits 'error' with nobody listening, which would crash the process; the query in
 * progress, if any, already fails with it, and the pool drops the connection on release. Set on
 * every pool: the migrating one (connectAndMigrate) and the one the server serves from, whichever
 * re-initialisation (wait limits, app role) made it.
 */
export function guardConnections(pool: Pool): void {
  const marked = pool as Pool & { [GUARDED]?: true };
  if (marked[GUARDED]) return;
  marked[GUARDED] = true;
  pool.on('connect', (client) => client.on('error', () => {}));
}
