/**
 * X-Road identifiers as the REST protocol writes them: a client is
 * `INSTANCE/CLASS/MEMBER[/SUBSYSTEM]`, a service `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`,
 * each part percent-encoded on its own (PR-REST §4.2).
 */
export interface SubsystemId { instance: string; memberClass: string; memberCode: string; subsystemCode: string }
export interface ServiceId extends SubsystemId { serviceCode: string }

// X-Road allows almost anything in a part; we refuse control characters, slashes left after decoding and overlong parts.
const PART = /^[^\u0000-\u001f\u007f/\\]{1,255}$/u;

function decodePart(raw: string): string | undefined {
  let part: string;
  try { part = decodeURIComponent(raw); } catch { return undefined; }
  return PART.test(part) && part !== '.' && part !== '..' ? part : undefined;
}

export const encodePart = (part: string): string => encodeURIComponent(part);

export function formatSubsystem(id: SubsystemId): string {
  return [id.instance, id.memberClass, id.memberCode, id.subsystemCode].map(encodePart).join('/');
}
export function formatService(id: ServiceId): string {
  return `${formatSubsystem(id)}/${encodePart(id.serviceCode)}`;
}
export const subsystemKey = (id: SubsystemId): string => `${id.instance}/${id.memberClass}/${id.memberCode}/${id.subsystemCode}`;
export const serviceKey = (id: ServiceId): string => `${subsystemKey(id)}/${id.serviceCode}`;

/** The `X-Road-Client` header. A client without a subsystem is refused: grants are given to subsystems. */
export function parseClientHeader(value: string | undefined): SubsystemId | undefined {
  if (!value || value.length > 1024) return undefined;
  const parts = value.trim().split('/');
  if (parts.length !== 4) return undefined;
  const decoded = parts.map(decodePart);
  if (decoded.some((p) => p === undefined)) return undefined;
  const [instance, memberClass, memberCode, subsystemCode] = decoded as [string, string, string, string];
  return { instance, memberClass, memberCode, subsystemCode };
}

export interface ServiceCall { service: ServiceId; path: string; query: string }

/**
 * `/r1/{INSTANCE}/{CLASS}/{MEMBER}/{SUBSYSTEM}/{SERVICE}[/path][?query]` — the path after the service
 * is returned raw (still encoded): `paths.ts` normalises it before any grant sees it.
 */
export function parseServiceUrl(url: string): ServiceCall | undefined {
  if (url.length > 4096) return undefined;
  const q = url.indexOf('?');
  const pathPart = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q);
  const segments = pathPart.split('/');
  // ['', 'r1', instance, class, member, subsystem, service, ...path]
  if (segments.length < 7 || segments[0] !== '' || segments[1] !== 'r1') return undefined;
  const decoded = segments.slice(2, 7).map(decodePart);
  if (decoded.some((p) => p === undefined)) return undefined;
  const [instance, memberClass, memberCode, subsystemCode, serviceCode] = decoded as [string, string, string, string, string];
  const rest = segments.slice(7);
  return { service: { instance, memberClass, memberCode, subsystemCode, serviceCode }, path: rest.length ? `/${rest.join('/')}` : '/', query };
}
