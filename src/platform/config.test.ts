import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has safe defaults: port 3000, embedded database under ./.ndp-data', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('.ndp-data')).toBe(true);
    expect(c.baseUrl).toBe('http://localhost:3000');
    expect(c.maxUploadBytes).toBe(1024 ** 3);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        NDP_BASE_URL: 'ftp://x',
        NDP_LOG_LEVEL: 'loud',
        NDP_EXCHANGE_KEY_ENCRYPTION_KEY: 'c2hvcnQ=',
      });
      expect.fail('should throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'NDP_BASE_URL', 'NDP_LOG_LEVEL', 'NDP_EXCHANGE_KEY_ENCRYPTION_KEY'])
        expect(problems).toContain(name);
    }
  });

  it('trusts no proxy unless told which (NDP_TRUST_PROXY: addresses or CIDRs)', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ NDP_TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1,loopback' }).trustProxy).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      '::1',
      'loopback',
    ]);
    for (const bad of ['true', '2', '10.0.0.0/33', 'proxy.local'])
      expect(() => loadConfig({ NDP_TRUST_PROXY: bad }), bad).toThrow(/NDP_TRUST_PROXY/);
  });

  it('is documented in the README, variable by variable', () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const v of CONFIG_VARIABLES) expect(readme).toContain(`\`${v.name}\``);
  });
});
