import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { BASE, startHarness, type Harness } from '../../test/harness.js';
import { signInAtStandIn } from '../../test/eid.js';
import { loadConfig } from '../platform/config.js';
import type { StandInEid } from '../identity/stand-in/stand-in-eid.js';
import { DEMO_CITIZEN, demoPopulation } from './demo-citizens.js';
import { startDemoEid } from './demo-eid.js';

describe('the demo brings up the stand-in e-ID and points sign-in at it', () => {
  let h: Harness;
  let standIn: StandInEid;
  let howTo = '';

  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    const config = loadConfig({
      NDP_DATA_DIR: h.dataDir,
      NDP_BASE_URL: BASE,
      NDP_DEMO_EID_URL: 'http://127.0.0.1:0',
      HOST: '127.0.0.1',
    });
    ({ standIn, howTo } = await startDemoEid(h.app, h.database, config));
  });
  afterAll(async () => {
    await standIn?.close();
    await h?.close();
  });

  it('says how to sign in, and the demo register’s citizen signs in at level 2', async () => {
    const person = (await demoPopulation(h.db)).get(DEMO_CITIZEN)!;
    expect(howTo).toContain(`${BASE}/auth`);
    expect(howTo).toContain(DEMO_CITIZEN);
    expect(howTo).toContain(person.fullName);
    const start = await h.inject({ method: 'GET', url: '/auth/eid?level=2' });
    expect(String(start.headers.location).startsWith(`${standIn.issuer}/authorize?`)).toBe(true);
    const back = await signInAtStandIn(String(start.headers.location), {
      person: DEMO_CITIZEN,
      level: 2,
      redirectBase: `${BASE}/auth/eid/callback`,
    });
    const cookie = String(start.headers['set-cookie']).split(';')[0]!;
    const res = await h.inject({ method: 'GET', url: back.slice(BASE.length), headers: { cookie } });
    expect(res.statusCode).toBe(303);
    const session = ([] as string[])
      .concat(res.headers['set-cookie'] as string[])
      .find((c) => c.startsWith('ndp_public='))!;
    const me = await h.inject({ method: 'GET', url: '/api/v1/public/me', headers: { cookie: session.split(';')[0]! } });
    expect(me.json().user).toMatchObject({ name: person.fullName, level: 2, kind: 'citizen' });
  });
});
