import { ConfigError, describeConfig, loadConfig, queryLimits, waitLimits } from '../../src/core/config';
import { DEFAULT_WAIT_LIMITS } from '../../src/core/db-limits';
import { DEFAULT_LIMITS } from '../../src/core/limits';

describe('config', () => {
  it('defaults the query limits to the numbers the tests are written against', () => {
    expect(queryLimits(loadConfig({}))).toEqual(DEFAULT_LIMITS);
  });

  it('reads limits from the environment and refuses nonsense at boot', () => {
    expect(queryLimits(loadConfig({ QUERY_MAX_DEPTH: '7' })).maxDepth).toBe(7);
    expect(() => loadConfig({ QUERY_MAX_DEPTH: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('never prints secrets', () => {
    const described = JSON.stringify(describeConfig(loadConfig({ DATABASE_URL: 'postgres://u:pw@h:5432/d', AUTH_JWT_SECRET: 's'.repeat(40) })));
    expect(described).not.toMatch(/pw@|sss/);
    const audit = JSON.stringify(describeConfig(loadConfig({ APP_DATABASE_URL: 'postgres://app:apppw@h:5432/d', AUDIT_CHECKPOINT_KEY: 'k'.repeat(40) })));
    expect(audit).not.toMatch(/apppw|kkk/);
  });
});

describe('config: bounded waits', () => {
  it('defaults the waits to the documented numbers, and the server falls back to the same', () => {
    expect(waitLimits(loadConfig({}))).toEqual(DEFAULT_WAIT_LIMITS);
    expect(DEFAULT_WAIT_LIMITS).toMatchObject({ acquireTimeoutMs: 5000, statementTimeoutMs: 15000, lockTimeoutMs: 5000, idleInTransactionTimeoutMs: 30000 });
  });

  it('reads the waits from the environment and refuses nonsense at boot', () => {
    expect(waitLimits(loadConfig({ DB_LOCK_TIMEOUT_MS: '750', WS_MAX_CONNECTIONS_PER_IP: '3' }))).toMatchObject({ lockTimeoutMs: 750, wsMaxConnectionsPerIp: 3 });
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: '0' })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
    expect(() => loadConfig({ WS_MAX_OPERATIONS_PER_CONNECTION: 'many' })).toThrow(ConfigError);
  });
});

describe('config: change-event retention', () => {
  it('keeps events 90 days by default, reads whole days, and refuses less than one', () => {
    expect(loadConfig({}).EVENT_RETENTION_DAYS).toBe(90);
    expect(loadConfig({ EVENT_RETENTION_DAYS: '30' }).EVENT_RETENTION_DAYS).toBe(30);
    expect(() => loadConfig({ EVENT_RETENTION_DAYS: '0' })).toThrow(/EVENT_RETENTION_DAYS/);
    expect(() => loadConfig({ EVENT_RETENTION_DAYS: '1.5' })).toThrow(ConfigError);
  });
});
