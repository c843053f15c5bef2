import type { Kysely } from 'kysely';
import type { CustomFetch } from 'openid-client';
import type { IdentityConfig } from '../platform/config-identity.js';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import { EidSignIn } from './eid.service.js';
import { identityRoutes } from './identity.routes.js';
import { IdentityService } from './identity.service.js';
import { createMailer, type Mailer } from './mailer.js';
import { registerPublicAuth } from './public-auth.hook.js';
import { RelyingParty } from './relying-party.js';
import { StaffSso, type StaffSessions } from './staff-sso.service.js';
import { staffSsoRoutes } from './staff-sso.routes.js';

export interface ProviderClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** how the provider is reached (tests only) */
  fetch?: CustomFetch;
  /** plain http allowed whatever the host: the stand-in e-ID, which `ndp serve` runs itself */
  ownStandIn?: boolean;
}

export interface IdentityPart {
  service: IdentityService;
  /** points e-ID sign-in at a provider: `ndp serve` gives the stand-in's in a demo, tests theirs */
  useEid(client: ProviderClient): void;
  /** whether agency staff may sign in through SSO (the staff sign-in page shows the button) */
  staffSso: boolean;
}

/** Plain http is for a provider on this machine (the stand-in, tests); any other must speak https. */
const loopbackHttp = (issuer: string): boolean => {
  const u = new URL(issuer);
  return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
};

const relyingParty = (c: ProviderClient, redirectUri: string) =>
  new RelyingParty({ ...c, redirectUri, allowHttp: !!c.ownStandIn || loopbackHttp(c.issuer) });

/**
 * Builds identity: the public users' service, the hook that knows them on every request, the e-ID sign-in (when a
 * provider is configured, or given later by `useEid`), e-mailed links and staff SSO. Call right after the staff
 * hook (`registerAuth`) and before any page, so every page knows its public user; `routes` mounts the pages.
 */
export function buildIdentity(
  app: Server,
  o: {
    db: Kysely<any>;
    config: IdentityConfig;
    baseUrl: string;
    secureCookies: boolean;
    logger: Logger;
    staff: StaffSessions;
    subjectHashes(xRoadUserId: string): Promise<string[]>;
    mailer?: Mailer;
  },
): IdentityPart & { routes(): void } {
  const c = o.config;
  const service = new IdentityService({
    db: o.db,
    baseUrl: o.baseUrl,
    publicSessionTtlHours: c.publicSessionTtlHours,
    mailer: o.mailer ?? createMailer({ smtpUrl: c.smtpUrl, from: c.mailFrom, logger: o.logger }),
    subjectHashes: o.subjectHashes,
  });
  registerPublicAuth(app, service);
  let eid: EidSignIn | null = null;
  const useEid = (client: ProviderClient) => {
    eid = new EidSignIn(relyingParty(client, `${o.baseUrl}/auth/eid/callback`), service, c.oidcAcrLevels);
  };
  if (c.oidcIssuer && c.oidcClientId && c.oidcClientSecret)
    useEid({ issuer: c.oidcIssuer, clientId: c.oidcClientId, clientSecret: c.oidcClientSecret });
  const staffSso =
    c.staffOidcIssuer && c.staffOidcClientId && c.staffOidcClientSecret
      ? new StaffSso(
          relyingParty(
            { issuer: c.staffOidcIssuer, clientId: c.staffOidcClientId, clientSecret: c.staffOidcClientSecret },
            `${o.baseUrl}/signin/sso/callback`,
          ),
          service,
          o.staff,
        )
      : null;
  return {
    service,
    useEid,
    staffSso: !!staffSso,
    routes() {
      identityRoutes(
        app,
        { identity: service, eid: () => eid },
        { baseUrl: o.baseUrl, secureCookies: o.secureCookies },
      );
      if (staffSso) staffSsoRoutes(app, staffSso, { baseUrl: o.baseUrl, secureCookies: o.secureCookies });
    },
  };
}
