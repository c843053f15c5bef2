import type { ConfigView } from './config-holder.js';
import { serviceKey, subsystemKey, type SubsystemId } from '../protocol/identifiers.js';
import type { Endpoint } from '../protocol/paths.js';

/**
 * X-Road's metaservices in their REST form (PR-MREST, PR-META): `listClients` at the consumer's
 * gateway, `listMethods`, `allowedMethods` and `getOpenAPI` answered by the provider's gateway
 * for one of its subsystems.
 */
export const METASERVICES = new Set(['listMethods', 'allowedMethods', 'getOpenAPI']);

export function listClients(view: ConfigView) {
  const { instance } = view.c;
  const member: unknown[] = [];
  for (const m of view.c.members) {
    member.push({
      id: { member_class: m.memberClass, member_code: m.memberCode, object_type: 'MEMBER', xroad_instance: instance },
      name: m.name,
    });
    for (const s of m.subsystems)
      member.push({
        id: {
          member_class: m.memberClass,
          member_code: m.memberCode,
          subsystem_code: s.code,
          object_type: 'SUBSYSTEM',
          xroad_instance: instance,
        },
        name: s.name,
      });
  }
  return { member };
}

const describe = (
  instance: string,
  s: { memberClass: string; memberCode: string; subsystemCode: string; serviceCode: string },
  endpoints: Endpoint[],
) => ({
  member_class: s.memberClass,
  member_code: s.memberCode,
  object_type: 'SERVICE',
  service_code: s.serviceCode,
  service_type: 'OPENAPI',
  subsystem_code: s.subsystemCode,
  xroad_instance: instance,
  endpoint_list: endpoints.map((e) => ({ method: e.method, path: e.path })),
});

const ofProvider = (view: ConfigView, provider: SubsystemId) =>
  view.c.services.filter(
    (s) =>
      s.memberCode === provider.memberCode &&
      s.subsystemCode === provider.subsystemCode &&
      s.memberClass === provider.memberClass,
  );

export function listMethods(view: ConfigView, provider: SubsystemId) {
  return { service: ofProvider(view, provider).map((s) => describe(view.c.instance, s, s.endpoints)) };
}

/** The services and endpoints the client's live grants open, each grant's own endpoints or the service's. */
export function allowedMethods(view: ConfigView, provider: SubsystemId, client: SubsystemId, now: number) {
  const out = [];
  for (const s of ofProvider(view, provider)) {
    const grants = view
      .grantsFor(subsystemKey(client), serviceKey({ instance: view.c.instance, ...s }))
      .filter((g) => !g.expiresAt || Date.parse(g.expiresAt) > now);
    if (!grants.length) continue;
    const endpoints = new Map<string, Endpoint>();
    for (const g of grants)
      for (const e of g.endpoints.length ? g.endpoints : s.endpoints) endpoints.set(`${e.method} ${e.path}`, e);
    out.push(describe(view.c.instance, s, [...endpoints.values()]));
  }
  return { service: out };
}

export function getOpenAPI(view: ConfigView, provider: SubsystemId, serviceCode: string): unknown | undefined {
  return ofProvider(view, provider).find((s) => s.serviceCode === serviceCode)?.openapi;
}

/** A metaservice's figures are counted per member (its subsystem, any the caller writes, would make labels without bound). */
export const metaLabel = (s: { instance: string; memberClass: string; memberCode: string; serviceCode: string }) =>
  `${s.instance}/${s.memberClass}/${s.memberCode}/${s.serviceCode}`;
