import type { ConfigVariable } from './config.js';

/** Sign-in settings: the national e-ID and agency SSO (OpenID Connect), e-mail for reusers, the stand-in e-ID. */
export interface IdentityConfig {
  /** the citizens' OpenID provider (VNeID in production); unset: the stand-in e-ID in a demo, else no e-ID sign-in */
  oidcIssuer: string | undefined;
  oidcClientId: string | undefined;
  oidcClientSecret: string | undefined;
  /** the provider's `acr` values meaning assurance level 1 and level 2 */
  oidcAcrLevels: [string, string];
  /** agency staff's OpenID provider (SSO), mapped to existing accounts by e-mail; unset: passwords only */
  staffOidcIssuer: string | undefined;
  staffOidcClientId: string | undefined;
  staffOidcClientSecret: string | undefined;
  /** smtp:// or smtps:// URL of the server that sends sign-in links; unset: links are written to the log */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** lifetime of a public user's (citizen's or reuser's) session */
  publicSessionTtlHours: number;
  /** whether `ndp serve` with its demo also runs the stand-in e-ID */
  demoEid: boolean;
  /** where the stand-in e-ID listens and what it calls itself (its issuer) */
  demoEidUrl: string;
}

export const IDENTITY_VARIABLES: ConfigVariable[] = [
  {
    name: 'NDP_OIDC_ISSUER',
    default: '(unset: the stand-in e-ID in a demo)',
    description:
      "Issuer URL of the citizens' OpenID Connect provider (the national e-ID, VNeID, in production); unset, a demo signs in with the stand-in e-ID and other deployments have no e-ID sign-in",
  },
  { name: 'NDP_OIDC_CLIENT_ID', default: '(unset)', description: 'Client id ndp is registered under at that provider' },
  {
    name: 'NDP_OIDC_CLIENT_SECRET',
    default: '(unset)',
    description: 'Client secret for that provider (sent with HTTP Basic to its token endpoint)',
  },
  {
    name: 'NDP_OIDC_ACR_VALUES',
    default: 'urn:ndp:loa:1,urn:ndp:loa:2',
    description:
      "The provider's `acr` values for assurance level 1 and level 2, comma-separated (level 2 is needed to see one's own personal-data records)",
  },
  {
    name: 'NDP_STAFF_OIDC_ISSUER',
    default: '(unset: passwords only)',
    description:
      'Issuer URL of an OpenID Connect provider agency staff may sign in with (SSO); a verified `email` claim is matched to an existing staff account, passwords keep working',
  },
  { name: 'NDP_STAFF_OIDC_CLIENT_ID', default: '(unset)', description: 'Client id at the staff provider' },
  { name: 'NDP_STAFF_OIDC_CLIENT_SECRET', default: '(unset)', description: 'Client secret at the staff provider' },
  {
    name: 'NDP_SMTP_URL',
    default: '(unset: links written to the log)',
    description:
      "smtp:// or smtps:// URL (with user and password if needed) of the server that sends reusers' sign-up and sign-in links; unset, each link is written to the log instead (development)",
  },
  {
    name: 'NDP_MAIL_FROM',
    default: 'ndp <no-reply@HOST of NDP_BASE_URL>',
    description: 'Sender of those e-mails',
  },
  {
    name: 'NDP_PUBLIC_SESSION_TTL_HOURS',
    default: '8',
    description: "Lifetime of a public user's session (citizens and reusers; staff have NDP_SESSION_TTL_HOURS)",
  },
  {
    name: 'NDP_DEMO_EID',
    default: 'true',
    description:
      'With the demo data and no NDP_OIDC_ISSUER, also start the stand-in e-ID (demo citizens, levels 1 and 2)',
  },
  {
    name: 'NDP_DEMO_EID_URL',
    default: 'http://HOST of NDP_BASE_URL:$PORT+70',
    description: 'Issuer URL of the stand-in e-ID; it listens on HOST at this port',
  },
];

const httpUrl = (raw: string): boolean => {
  try {
    const u = new URL(raw);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash;
  } catch {
    return false;
  }
};

export function parseIdentityConfig(
  env: NodeJS.ProcessEnv,
  o: { port: number; baseUrl: string; int: (name: string, fallback: number, min: number, max: number) => number },
  problems: string[],
): IdentityConfig {
  const url = (name: string): string | undefined => {
    const raw = env[name] || undefined;
    if (raw !== undefined && !httpUrl(raw)) problems.push(`${name}=${JSON.stringify(raw)} must be an http(s) URL`);
    return raw?.replace(/\/+$/, '');
  };
  const oidcIssuer = url('NDP_OIDC_ISSUER');
  const staffOidcIssuer = url('NDP_STAFF_OIDC_ISSUER');
  const pair = (issuer: string | undefined, prefix: string) => {
    const id = env[`${prefix}_CLIENT_ID`] || undefined;
    const secret = env[`${prefix}_CLIENT_SECRET`] || undefined;
    if (issuer && (!id || !secret))
      problems.push(`${prefix}_ISSUER needs ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET`);
    return { id, secret };
  };
  const citizens = pair(oidcIssuer, 'NDP_OIDC');
  const staff = pair(staffOidcIssuer, 'NDP_STAFF_OIDC');
  const acr = (env.NDP_OIDC_ACR_VALUES || 'urn:ndp:loa:1,urn:ndp:loa:2').split(',').map((s) => s.trim());
  if (acr.length !== 2 || acr.some((a) => !a) || acr[0] === acr[1])
    problems.push('NDP_OIDC_ACR_VALUES must be two different acr values, level 1 then level 2, comma-separated');
  const smtpUrl = env.NDP_SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/]+/.test(smtpUrl)) problems.push('NDP_SMTP_URL must be an smtp:// or smtps:// URL');
  const demoRaw = env.NDP_DEMO_EID ?? 'true';
  if (demoRaw !== 'true' && demoRaw !== 'false') problems.push('NDP_DEMO_EID must be true or false');
  let host = 'localhost';
  try {
    host = new URL(o.baseUrl).hostname;
  } catch {
    // reported with NDP_BASE_URL
  }
  const demoEidUrl = url('NDP_DEMO_EID_URL') ?? `http://${host}:${o.port ? o.port + 70 : 0}`;
  return {
    oidcIssuer,
    oidcClientId: citizens.id,
    oidcClientSecret: citizens.secret,
    oidcAcrLevels: [acr[0] ?? '', acr[1] ?? ''],
    staffOidcIssuer,
    staffOidcClientId: staff.id,
    staffOidcClientSecret: staff.secret,
    smtpUrl,
    mailFrom: env.NDP_MAIL_FROM || `ndp <no-reply@${host}>`,
    publicSessionTtlHours: o.int('NDP_PUBLIC_SESSION_TTL_HOURS', 8, 1, 24 * 30),
    demoEid: demoRaw === 'true',
    demoEidUrl,
  };
}
