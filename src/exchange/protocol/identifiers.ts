/**
 * X-Road identifiers as the REST protocol writes them: a client is
 * `INSTANCE/CLASS/MEMBER[/SUBSYSTEM]`, a service `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`,
 * each part percent-encoded on its own (PR-REST §4.2).
 */
export interface SubsystemId {
  instance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
}
export interface ServiceId extends SubsystemId {
  serviceCode: string;
}

// X-Road allows almost anything in a part; we refuse control characters, slashes left after decoding and overlong parts.
const PART = /^[^\u0000-\u001f\u007f/\\]{1,255}$/u;
// a part of unreserved characters only reads the same encoded and decoded: nearly every identifier, on every exchange
const PLAIN = /^[A-Za-z0-9._~-]{1,255}$/;

function decodePart(raw: string): string | undefined {
  if (PLAIN.test(raw)) return raw !== '.' && raw !== '..' ? raw : undefined;
  let part: string;
  try {
    part = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  return PART.test(part) && part !== '.' && part !== '..' ? part : undefined;
}

export const encodePart = (part: string): string => (PLAIN.test(part) ? part : encodeURIComponent(part));

export function formatSubsystem(id: SubsystemId): string {
  return `${encodePart(id.instance)}/${encodePart(id.memberClass)}/${encodePart(id.memberCode)}/${encodePart(id.subsystemCode)}`;
}
export function formatService(id: ServiceId): string {
  return `${formatSubsystem(id)}/${encodePart(id.serviceCode)}`;
}
export const subsystemKey = (id: SubsystemId): string =>
  `${id.instance}/${id.memberClass}/${id.memberCode}/${id.subsystemCode}`;
export const serviceKey = (id: ServiceId): string => `${subsystemKey(id)}/${id.serviceCode}`;

/** The `X-Road-Client` header. A client without a subsystem is refused: grants are given to subsystems. */
export function parseClientHeader(value: string | undefined): (SubsystemId & { text: string }) | undefined {
  if (!value || value.length > 1024) return undefined;
  const parts = value.trim().split('/');
  if (parts.length !== 4) return undefined;
  const instance = decodePart(parts[0]!);
  const memberClass = decodePart(parts[1]!);
  const memberCode = decodePart(parts[2]!);
  const subsystemCode = decodePart(parts[3]!);
  if (instance === undefined || memberClass === undefined || memberCode === undefined || subsystemCode === undefined)
    return undefined;
  const id = { instance, memberClass, memberCode, subsystemCode, text: '' };
  id.text = formatSubsystem(id);
  return id;
}

/**
 * `X-Road-Represented-Party` (PR-REST §4.3): the party a client acts for, `[CLASS/]MEMBER`, each part percent-encoded
 * UTF-8 (raw UTF-8, which arrives as Latin-1 mojibake, is understood too: `fromRawUtf8`).
 * Its canonical text (each part decoded and encoded again); '' when the header is absent; undefined when malformed.
 */
export function parseRepresentedParty(value: string): string | undefined {
  if (value === '') return '';
  if (value.length > 512) return undefined;
  const parts = fromRawUtf8(value).trim().split('/');
  if (parts.length > 2) return undefined;
  const decoded = parts.map(decodePart);
  return decoded.every((p) => p !== undefined) ? (decoded as string[]).map(encodePart).join('/') : undefined;
}
/**
 * The party as a person reads it (`COM/Nguyễn Thị Ánh`): each part of the canonical text decoded. A value recorded
 * before raw UTF-8 was understood (UTF-8 bytes read as Latin-1, then encoded) is read back as the UTF-8 it was.
 */
export function readableRepresentedParty(canonical: string): string {
  return canonical
    .split('/')
    .map((p) => {
      try {
        return fromRawUtf8(decodeURIComponent(p));
      } catch {
        return p;
      }
    })
    .join('/');
}

/**
 * HTTP header values are Latin-1 bytes, so a client that sends UTF-8 raw (`Nguyễn`) is read as mojibake (`NguyÃ¡Â»Â…n`).
 * The header's encoding is percent-encoded UTF-8 (PR-REST); raw UTF-8 is still understood: a value whose characters
 * are all bytes and which decodes as valid UTF-8 is taken as that UTF-8 (Latin-1 text that is not valid UTF-8, such
 * as `Müller` sent as one byte per letter, stays as it came).
 */
export function fromRawUtf8(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  try {
    return utf8.decode(Uint8Array.from(value, (c) => c.charCodeAt(0)));
  } catch {
    return value;
  }
}
const utf8 = new TextDecoder('utf-8', { fatal: true });

export const REPRESENTED_PARTY_RULE =
  'X-Road-Represented-Party must be CLASS/MEMBER or MEMBER (e.g. GOV/000.00.00.H01), each part percent-encoded.';
export const REPRESENTED_PARTY_RULE_VI =
  'X-Road-Represented-Party phải có dạng CLASS/MEMBER hoặc MEMBER (ví dụ GOV/000.00.00.H01), mỗi phần được mã hoá phần trăm.';

/** A call's service, its canonical text (`formatService`, made once), and the rest of its URL. */
export interface ServiceCall {
  service: ServiceId;
  serviceText: string;
  path: string;
  query: string;
}

/**
 * `/r1/{INSTANCE}/{CLASS}/{MEMBER}/{SUBSYSTEM}/{SERVICE}[/path][?query]` — the path after the service
 * is returned raw (still encoded): `paths.ts` normalises it before any grant sees it.
 */
export function parseServiceUrl(url: string): ServiceCall | undefined {
  if (url.length > 4096 || !url.startsWith('/r1/')) return undefined;
  const q = url.indexOf('?');
  const end = q === -1 ? url.length : q;
  // the five parts of the service identifier, each up to the next slash (the last may end the path)
  const parts: string[] = [];
  let at = 4;
  for (let i = 0; i < 5; i++) {
    const slash = url.indexOf('/', at);
    const stop = slash === -1 || slash > end ? end : slash;
    if (i < 4 && stop === end) return undefined;
    const part = decodePart(url.slice(at, stop));
    if (part === undefined) return undefined;
    parts.push(part);
    at = stop + 1;
  }
  const [instance, memberClass, memberCode, subsystemCode, serviceCode] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  const service = { instance, memberClass, memberCode, subsystemCode, serviceCode };
  return {
    service,
    serviceText: formatService(service),
    path: at <= end ? url.slice(at - 1, end) : '/',
    query: q === -1 ? '' : url.slice(q),
  };
}

/**
 * X-Road-UserId: the person the call is about or made for (`VN` + CCCD here, any identifier in X-Road), 3 to 64
 * visible characters. Checked by both gateways: the provider's access record of it goes to the registry, which takes
 * no other, and one record the registry refused would have held every later report back.
 */
export const USER_ID_RULE =
  'X-Road-UserId must be 3 to 64 characters with no control characters (e.g. VN001090000001).';
export const USER_ID_RULE_VI =
  'X-Road-UserId phải dài từ 3 đến 64 ký tự, không có ký tự điều khiển (ví dụ VN001090000001).';
export const validUserId = (userId: string): boolean =>
  userId.length >= 3 && userId.length <= 64 && !/[\u0000-\u001f\u007f]/.test(userId);
