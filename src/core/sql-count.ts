import type { Logger, QueryRunner } from 'typeorm';

/**
 * Counts the SQL statements issued on behalf of one request (tests and the bench read it as
 * `x-sql-statements`). It lives on the request's Db handle (core/db.ts), not in an
 * AsyncLocalStorage: on Node 20 an active AsyncLocalStorage puts async_hooks on every promise,
 * about a tenth of a village dashboard's CPU.
 */
export interface SqlCounter {
  statements: number;
}

/** Where a write's query runner carries the counter of the request it runs for (QueryRunner.data). */
export interface CountedRunnerData {
  sqlCounter?: SqlCounter;
}

// Transaction control is not a data statement; counting it would make counts depend on
// whether a read happened to run inside a transaction.
const CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|SET )/i;

/** TypeORM logger that counts every statement TypeORM sends for a request, and logs only errors. */
export class SqlCountingLogger implements Logger {
  logQuery(query: string, _parameters?: unknown[], queryRunner?: QueryRunner): void {
    const counter = (queryRunner?.data as CountedRunnerData | undefined)?.sqlCounter;
    if (counter && !CONTROL.test(query)) counter.statements += 1;
  }
  logQueryError(error: string | Error, query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    // Errors surface through the request's error handling; log the statement text for operators.
    if (process.env.LOG_SQL_ERRORS === 'true') console.error('SQL error', error, query);
  }
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
