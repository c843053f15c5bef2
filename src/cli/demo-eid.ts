import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { App } from '../app.js';
import type { Config } from '../platform/config.js';
import type { Database } from '../platform/database.js';
import { startStandInEid, type StandInEid } from '../identity/stand-in/stand-in-eid.js';
import { DEMO_CITIZEN, demoPopulation } from './demo-citizens.js';

const CLIENT_ID = 'ndp-portal';

/**
 * The stand-in e-ID `npm start` brings up beside the demo exchange network (a demo with no NDP_OIDC_ISSUER): an
 * OpenID provider on its own port whose people are the demo population register's citizens, with this platform
 * registered as its client (a new secret each start; its signing keys kept under the data folder). Returns what to
 * print: where it is and how to sign in.
 */
export async function startDemoEid(
  app: App,
  database: Database,
  config: Config,
): Promise<{ standIn: StandInEid; howTo: string }> {
  const people = await demoPopulation(database.db);
  const clientSecret = randomBytes(24).toString('base64url');
  const standIn = await startStandInEid({
    issuer: config.identity.demoEidUrl,
    host: config.host,
    people: [...people.values()].map((p) => ({
      id: p.id,
      fullName: p.fullName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
    })),
    clients: [{ clientId: CLIENT_ID, clientSecret, redirectUris: [`${config.baseUrl}/auth/eid/callback`] }],
    acrLevels: config.identity.oidcAcrLevels,
    keysDir: path.join(config.dataDir, 'stand-in-eid'),
    demo: true,
  });
  app.identity.useEid({ issuer: standIn.issuer, clientId: CLIENT_ID, clientSecret, ownStandIn: true });
  const citizen = people.get(DEMO_CITIZEN);
  const howTo = `open ${config.baseUrl}/auth and choose "Đăng nhập bằng VNeID": the stand-in e-ID lets you pick a demo citizen (e.g. ${citizen?.fullName ?? ''}, ${DEMO_CITIZEN}) and level 1 or 2`;
  return { standIn, howTo };
}
