import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAtStandIn } from '../../../test/eid.js';
import { freePort } from '../../../test/ports.js';
import { RelyingParty } from '../relying-party.js';
import { startStandInEid, type DemoPerson, type StandInEid } from './stand-in-eid.js';

const PEOPLE: DemoPerson[] = [
  { id: '001090000001', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-03-14', sex: 'nam' },
  { id: '079195000002', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1995-11-02', sex: 'nữ' },
];
const LEVELS: [string, string] = ['urn:ndp:loa:1', 'urn:ndp:loa:2'];

describe('the stand-in e-ID', () => {
  let eid: StandInEid;
  const rp = (client: 'portal' | 'other') =>
    new RelyingParty({
      issuer: eid.issuer,
      clientId: client,
      clientSecret: `${client} secret`,
      redirectUri: `http://${client}.test/cb`,
      allowHttp: true,
    });
  async function signIn(client: 'portal' | 'other', scope: string, person = PEOPLE[1]!.id) {
    const party = rp(client);
    const checks = RelyingParty.newChecks();
    const url = await party.authorizationUrl(checks, { scope, acrValues: LEVELS });
    const back = await signInAtStandIn(url.href, { person, level: 2, redirectBase: `http://${client}.test/cb` });
    return party.complete(new URL(back), checks);
  }

  beforeAll(async () => {
    eid = await startStandInEid({
      issuer: `http://127.0.0.1:${await freePort()}`,
      people: PEOPLE,
      clients: (['portal', 'other'] as const).map((c) => ({
        clientId: c,
        clientSecret: `${c} secret`,
        redirectUris: [`http://${c}.test/cb`],
      })),
      acrLevels: LEVELS,
      demo: true,
    });
  });
  afterAll(() => eid?.close());

  it('refuses to start outside a demo', async () => {
    await expect(
      startStandInEid({ issuer: 'http://127.0.0.1:0', people: PEOPLE, clients: [], acrLevels: LEVELS, demo: false }),
    ).rejects.toThrow(/only in a demo/);
  });

  it('announces PKCE S256 only, the two levels and pairwise subjects', async () => {
    const d = await (await fetch(`${eid.issuer}/.well-known/openid-configuration`)).json();
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.acr_values_supported).toEqual(LEVELS);
    expect(d.subject_types_supported).toEqual(['pairwise']);
    expect(d.scopes_supported).toContain('cccd');
  });

  it('gives each client its own subject for the same person, and the id number only under the cccd scope', async () => {
    const a = await signIn('portal', 'openid profile cccd');
    const b = await signIn('other', 'openid profile');
    expect(a.subject).not.toBe(b.subject);
    expect(a.subject).not.toContain(PEOPLE[1]!.id);
    expect(a.acr).toBe(LEVELS[1]);
    expect(a.claims).toMatchObject({ name: 'Trần Thị Bích Ngọc', birthdate: '1995-11-02', gender: 'female' });
    expect(a.claims.cccd).toBe(PEOPLE[1]!.id);
    expect(b.claims.cccd).toBeUndefined();
    expect(b.claims.name).toBe('Trần Thị Bích Ngọc');
    // the same person at the same client again: the same subject
    expect((await signIn('portal', 'openid profile')).subject).toBe(a.subject);
  });

  it('accepts no one outside the demo population register', async () => {
    const checks = RelyingParty.newChecks();
    const url = await rp('portal').authorizationUrl(checks, { scope: 'openid' });
    await expect(
      signInAtStandIn(url.href, { person: '001099999999', level: 1, redirectBase: 'http://portal.test/cb' }),
    ).rejects.toThrow(/stand-in answered 400/);
  });
});
