/**
 * The one normal form of a request path, used both to match grants and to call the service, so that
 * what was checked is what is called. X-Road's CVE of 7.7.1 was a grant matched on `/a/%2e%2e/b`
 * while the service saw `/b`; here the path is decoded once, its dot segments resolved (RFC 3986
 * §5.2.4), and anything that could be read two ways is refused.
 */
export type NormalisedPath = { ok: true; path: string } | { ok: false; reason: string };

export function normalisePath(raw: string): NormalisedPath {
  if (!raw.startsWith('/')) return { ok: false, reason: 'the path must start with /' };
  const out: string[] = [];
  const segments = raw.split('/').slice(1);
  for (let i = 0; i < segments.length; i++) {
    let segment: string;
    try {
      segment = decodeURIComponent(segments[i]!);
    } catch {
      return { ok: false, reason: 'the path has a broken percent-encoding' };
    }
    // an encoded slash or backslash would be a second separator after decoding; an encoded % a second round of decoding
    if (/[/\\%\u0000-\u001f\u007f]/u.test(segment))
      return { ok: false, reason: 'the path holds an encoded slash, backslash, percent sign or control character' };
    if (segment === '.' || (segment === '' && i < segments.length - 1)) continue;
    if (segment === '..') {
      if (out.length === 0) return { ok: false, reason: 'the path climbs above its root' };
      out.pop();
      continue;
    }
    out.push(segment);
  }
  return { ok: true, path: `/${out.map(encodeSegment).join('/')}` };
}

const encodeSegment = (s: string): string =>
  encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%40/g, '@').replace(/%2C/gi, ',');

export interface Endpoint {
  method: string;
  path: string;
  /**
   * The path segment (0 = the first after `/`) that holds the id of the person whose data the endpoint returns: a
   * path parameter the service's OpenAPI document marks `x-ndp-person: true`. A call to it must name that person.
   */
  person?: number;
}

/**
 * X-Road's endpoint patterns: a method or `*`, and a path where `*` stands for exactly one segment
 * and a trailing `**` for any rest (including none). Matched against a normalised path.
 */
export function endpointMatches(endpoint: Endpoint, method: string, path: string): boolean {
  if (endpoint.method !== '*' && endpoint.method.toUpperCase() !== method.toUpperCase()) return false;
  const want = endpoint.path.split('/').slice(1);
  const have = path.split('/').slice(1);
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '**' && i === want.length - 1) return true;
    if (i >= have.length) return false;
    if (want[i] !== '*' && want[i] !== have[i]) return false;
    if (want[i] === '*' && have[i] === '') return false;
  }
  return want.length === have.length;
}

/** The endpoints an OpenAPI document declares, `{param}` read as one segment (`*`), with their person segment. */
export function endpointsOf(openapi: unknown): Endpoint[] {
  const paths = (openapi as { paths?: Record<string, Record<string, unknown>> } | undefined)?.paths ?? {};
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  const out: Endpoint[] = [];
  for (const [p, item] of Object.entries(paths)) {
    for (const m of Object.keys(item ?? {})) {
      if (!methods.includes(m)) continue;
      const endpoint: Endpoint = { method: m.toUpperCase(), path: p.replace(/\{[^}/]+\}/g, '*') };
      const person = personParameter(item, (item as Record<string, unknown>)[m]);
      const at = person ? p.split('/').slice(1).indexOf(`{${person}}`) : -1;
      if (at >= 0) endpoint.person = at;
      out.push(endpoint);
    }
  }
  return out;
}

type Parameter = { name?: unknown; in?: unknown; 'x-ndp-person'?: unknown };
/** The name of the path parameter marked `x-ndp-person: true`, on the operation or its path item. */
function personParameter(item: unknown, operation: unknown): string | undefined {
  const params = [
    ...((item as { parameters?: Parameter[] })?.parameters ?? []),
    ...((operation as { parameters?: Parameter[] })?.parameters ?? []),
  ];
  const p = params.find((x) => x && x.in === 'path' && x['x-ndp-person'] === true && typeof x.name === 'string');
  return p?.name as string | undefined;
}

/**
 * Whether a call may read the path's person: the segment equals the person the call names (`X-Road-UserId`), with or
 * without its two-letter country prefix (`VN001090000001` names `001090000001`).
 */
export function namesPersonOfPath(endpoint: Endpoint, path: string, userId: string | undefined): boolean {
  if (endpoint.person === undefined) return true;
  const segment = decodeURIComponent(path.split('/').slice(1)[endpoint.person] ?? '');
  if (!userId || !segment) return false;
  return segment === userId || (/^[A-Z]{2}/.test(userId) && segment === userId.slice(2));
}
