import path from 'node:path';
import type { App } from '../app.js';
import type { User } from '../accounts/principal.js';
import type { Logger } from '../platform/logger.js';
import { Gateway } from '../exchange/gateway/gateway.js';
import { gatewayKeys } from '../exchange/protocol/pki.js';
import type { GrantCreate, ServiceCreate } from '../exchange/registry/registry.schema.js';
import type { GrantRow } from '../exchange/registry/registry.rows.js';

/**
 * What the demo network and the demo registers share: a member's subsystem, service, gateway and grants registered
 * once and found again on every later start (so `npm start` is idempotent), and a gateway started on loopback.
 */
export interface DemoMember {
  agency: string;
  subsystem: string;
  name: string;
}

type Registry = App['services']['registry'];

export async function demoSubsystem(registry: Registry, system: User, who: DemoMember) {
  return (
    (await registry.subsystemByCode(who.agency, who.subsystem)) ??
    registry.createSubsystem(system, { agency: who.agency, code: who.subsystem, name: who.name })
  );
}

/** The subsystem's service of this code, made or moved to `baseUrl` (and given the fields it declares). */
export async function demoService(
  registry: Registry,
  system: User,
  sub: { id: string; agency_id: string },
  body: Omit<ServiceCreate, 'subsystem'>,
) {
  const existing = (await registry.listServices(sub.agency_id)).find(
    (v) => v.subsystem_id === sub.id && v.code === body.code,
  );
  return existing
    ? registry.updateService(system, existing.id, {
        baseUrl: body.baseUrl,
        ...(body.fields ? { fields: body.fields } : {}),
      })
    : registry.createService(system, { subsystem: sub.id, ...body });
}

/** The agency's gateway as registered, with keys kept under `dir/name`; registered again only when its key or address moved. */
export async function registerDemoGateway(
  app: App,
  system: User,
  dir: string,
  o: { agency: string; name: string; peerPort: number },
): Promise<{ id: string; dir: string }> {
  const { registry, masterData } = app.services;
  const gdir = path.join(dir, o.name);
  const keys = await gatewayKeys(path.join(gdir, 'keys'));
  const agencyId = (await masterData.agency(o.agency)).id;
  const address = `https://127.0.0.1:${o.peerPort}`;
  const active = await registry.activeGateway(agencyId);
  if (active && active.signing_key === keys.signingPublic && active.address === address)
    return { id: active.id, dir: gdir };
  const g = await registry.registerGateway(system, {
    agency: o.agency,
    address,
    signingKey: keys.signingPublic,
    tlsPublicKey: keys.tlsPublicPem,
  });
  return { id: g.id, dir: gdir };
}

export async function startDemoGateway(
  registration: { id: string; dir: string },
  o: {
    anchor: Awaited<ReturnType<Registry['anchor']>>;
    consumerPort: number;
    peerPort: number;
    logger: Logger;
  },
): Promise<Gateway> {
  return Gateway.start({
    dir: registration.dir,
    anchor: o.anchor,
    gatewayId: registration.id,
    consumer: { host: '127.0.0.1', port: o.consumerPort },
    provider: { host: '127.0.0.1', port: o.peerPort },
    configIntervalMs: 30_000,
    onEvent: (e) => o.logger[e.level]({ part: 'demo-network' }, e.msg),
  });
}

/** Makes the grant unless an approved one already matches (`same`). */
export async function demoGrant(
  registry: Registry,
  system: User,
  providerAgencyId: string,
  same: (g: GrantRow) => boolean,
  body: GrantCreate,
): Promise<void> {
  const grants = await registry.listGrants(system, providerAgencyId);
  if (!grants.some((g) => g.status === 'approved' && same(g))) await registry.createGrant(system, body);
}
