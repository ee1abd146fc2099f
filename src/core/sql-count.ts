import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, QueryRunner } from 'typeorm';

/** Counts the SQL statements issued on behalf of one request (tests and the bench read it). */
export interface SqlCounter {
  statements: number;
}

export const sqlCounterStorage = new AsyncLocalStorage<SqlCounter>();

export function countStatement(): void {
  const counter = sqlCounterStorage.getStore();
  if (counter) counter.statements += 1;
}

// Transaction control is not a data statement; counting it would make counts depend on
// whether a read happened to run inside a transaction.
const CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|SET )/i;

/** TypeORM logger that counts every statement TypeORM sends, and logs only errors. */
export class SqlCountingLogger implements Logger {
  logQuery(query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    if (!CONTROL.test(query)) countStatement();
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
