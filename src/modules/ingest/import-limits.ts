import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './import-engine';

/** The import limits of a config (IMPORT_*), defaults for what it leaves out. */
export function importLimitsOf(config: { IMPORT_MAX_BYTES?: number; IMPORT_MAX_ROWS?: number; IMPORT_MAX_JSON_ROWS?: number; IMPORT_STATEMENT_TIMEOUT_MS?: number }): ImportLimits {
  return {
    maxBytes: config.IMPORT_MAX_BYTES ?? DEFAULT_IMPORT_LIMITS.maxBytes,
    maxRows: config.IMPORT_MAX_ROWS ?? DEFAULT_IMPORT_LIMITS.maxRows,
    maxJsonRows: config.IMPORT_MAX_JSON_ROWS ?? DEFAULT_IMPORT_LIMITS.maxJsonRows,
    statementTimeoutMs: config.IMPORT_STATEMENT_TIMEOUT_MS ?? DEFAULT_IMPORT_LIMITS.statementTimeoutMs,
  };
}

// The GraphQL mutation reads the limits of the server that built the schema (one per process
// in production; tests that start several servers with other limits use the HTTP route).
let current: ImportLimits = DEFAULT_IMPORT_LIMITS;

export function useImportLimits(limits: ImportLimits): void {
  current = limits;
}

export const importLimits = (): ImportLimits => current;
