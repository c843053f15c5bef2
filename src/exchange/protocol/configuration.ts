import { CompactSign, compactVerify } from 'jose';
import type { KeyObject } from 'node:crypto';
import type { GrantBasis } from './consent.js';
import type { Endpoint } from './paths.js';
import { ed25519FromRaw } from './pki.js';

/**
 * The exchange configuration: what a gateway needs to know of the network, signed by the registry
 * as a JWS (EdDSA, compact serialisation) and verified with the key of the anchor the gateway was
 * set up with. Each gateway gets its own copy: every gateway's address and pins, every service's
 * endpoints, but only its own services' internal addresses, its own systems' API key hashes and certificate pins, and
 * only the grants it enforces (to its services) or uses (from its systems).
 */
export interface Anchor {
  instance: string;
  registryUrl: string;
  signingKey: string;
}

export interface ConfiguredGateway {
  id: string;
  memberClass: string;
  memberCode: string;
  address: string;
  signingKey: string;
  tlsPin: string;
  certificate: string;
}
export interface ConfiguredService {
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
  serviceCode: string;
  title: string;
  endpoints: Endpoint[];
  gateway: string;
  baseUrl?: string;
  openapi?: unknown;
}
export interface ConfiguredGrant {
  id: string;
  client: { memberClass: string; memberCode: string; subsystemCode: string };
  service: { memberClass: string; memberCode: string; subsystemCode: string; serviceCode: string };
  endpoints: Endpoint[];
  purposes: string[];
  legalBasis: string | null;
  /** the basis as a code; 'consent': the provider gateway checks the person's consent artefact on every call (absent from older registries) */
  basis?: GrantBasis | null;
  ratePerSecond: number | null;
  dailyQuota: number | null;
  expiresAt: string | null;
}
export interface ExchangeConfiguration {
  instance: string;
  version: number;
  issuedAt: string;
  expiresAt: string;
  gateway: string;
  ca: string;
  members: { memberClass: string; memberCode: string; name: string; subsystems: { code: string; name: string }[] }[];
  gateways: ConfiguredGateway[];
  services: ConfiguredService[];
  grants: ConfiguredGrant[];
  /** the gateway's own systems: hashes of their API keys, pins of their client certificates (absent from older registries) */
  clients: { subsystemCode: string; keyHashes: string[]; certificates?: string[] }[];
  /** the key the registry will sign with next (raw Ed25519, base64): a gateway takes it up when configurations come signed with it */
  nextSigningKey?: string;
}

const TYP = 'ndp-exchange-configuration+json';

export async function signConfiguration(c: ExchangeConfiguration, key: KeyObject): Promise<string> {
  return new CompactSign(Buffer.from(JSON.stringify(c))).setProtectedHeader({ alg: 'EdDSA', typ: TYP }).sign(key);
}

/** Verifies a configuration against the anchor; throws saying what is wrong. Expiry is the caller's to judge. */
export async function openConfiguration(
  jws: string,
  anchor: Anchor,
  gatewayId: string,
): Promise<ExchangeConfiguration> {
  const { payload, protectedHeader } = await compactVerify(jws, ed25519FromRaw(anchor.signingKey), {
    algorithms: ['EdDSA'],
  });
  if (protectedHeader.typ !== TYP) throw new Error('not an exchange configuration');
  const c = JSON.parse(Buffer.from(payload).toString('utf8')) as ExchangeConfiguration;
  if (c.instance !== anchor.instance)
    throw new Error(`the configuration is for instance ${c.instance}, not ${anchor.instance}`);
  if (c.gateway !== gatewayId) throw new Error('the configuration was issued for another gateway');
  return c;
}
