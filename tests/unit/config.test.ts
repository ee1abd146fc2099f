import { ConfigError, describeConfig, loadConfig, queryLimits } from '../../src/core/config';
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
