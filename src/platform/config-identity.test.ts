import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('sign-in configuration', () => {
  it('has safe defaults: no e-ID of its own, the stand-in beside a demo at PORT+70, links to the log', () => {
    const c = loadConfig({ PORT: '3000' }).identity;
    expect(c.oidcIssuer).toBeUndefined();
    expect(c.staffOidcIssuer).toBeUndefined();
    expect(c.smtpUrl).toBeUndefined();
    expect(c.oidcAcrLevels).toEqual(['urn:ndp:loa:1', 'urn:ndp:loa:2']);
    expect(c.demoEid).toBe(true);
    expect(c.demoEidUrl).toBe('http://localhost:3070');
    expect(c.publicSessionTtlHours).toBe(8);
    expect(c.mailFrom).toBe('ndp <no-reply@localhost>');
  });

  it('takes a production e-ID with its client and its own acr values', () => {
    const c = loadConfig({
      NDP_OIDC_ISSUER: 'https://sso.dancuquocgia.gov.vn/',
      NDP_OIDC_CLIENT_ID: 'ndp',
      NDP_OIDC_CLIENT_SECRET: 's3cret',
      NDP_OIDC_ACR_VALUES: 'vneid:level1, vneid:level2',
    }).identity;
    expect(c.oidcIssuer).toBe('https://sso.dancuquocgia.gov.vn');
    expect(c.oidcAcrLevels).toEqual(['vneid:level1', 'vneid:level2']);
  });

  it('reports an issuer without its client, bad acr values, a bad SMTP URL and a bad switch, all at once', () => {
    try {
      loadConfig({
        NDP_OIDC_ISSUER: 'https://eid.example',
        NDP_STAFF_OIDC_ISSUER: 'not a url',
        NDP_OIDC_ACR_VALUES: 'only-one',
        NDP_SMTP_URL: 'http://mail.example',
        NDP_DEMO_EID: 'yes',
      });
      expect.fail('should throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of [
        'NDP_OIDC_CLIENT_ID',
        'NDP_STAFF_OIDC_ISSUER',
        'NDP_OIDC_ACR_VALUES',
        'NDP_SMTP_URL',
        'NDP_DEMO_EID',
      ])
        expect(problems).toContain(name);
    }
  });
});
