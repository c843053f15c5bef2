import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { XRoadError, type XRoadErrorType } from './xroad-errors.js';

/** Reads a whole body up to `limit` bytes; past it, the given error. */
const EMPTY = Buffer.alloc(0);

export async function readBody(req: IncomingMessage, limit: number, tooLarge: XRoadErrorType): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new XRoadError(tooLarge);
  // most exchanges are GETs without a body: no need to wait for the stream's end
  if (declared === 0 && req.headers['transfer-encoding'] === undefined) return EMPTY;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new XRoadError(tooLarge);
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

// PR-REST §4.3: hop-by-hop headers and those that leak the origin host are not passed on
const FILTERED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'user-agent',
  'server',
  'content-length',
  'expect',
  'authorization',
  'x-ndp-api-key',
  'x-road-request-hash',
  'x-road-error',
]);

/** The headers passed through, without hop-by-hop ones, our own `x-ndp-*` and the `x-road-*` the gateways set. */
export function passThrough(
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  // node:http and undici give header names in lower case
  for (const n in headers) {
    const value = headers[n];
    if (value === undefined || FILTERED.has(n) || n.startsWith('x-ndp-') || n.startsWith('x-road-')) continue;
    out[n] = value;
  }
  return out;
}

/**
 * Headers that name one thing — who calls, for whom, which message, why — and must come once: Node joins a repeated
 * one into `A, B`, which would pass for a single value (a person `A, B`).
 */
export const SINGLE_HEADERS = [
  'x-road-client',
  'x-road-id',
  'x-road-userid',
  'x-road-issue',
  'x-road-represented-party',
  'x-ndp-purpose',
  'x-ndp-api-key',
  'authorization',
] as const;
const SHOWN: Record<string, string> = {
  'x-road-userid': 'X-Road-UserId',
  'x-road-id': 'X-Road-Id',
  'x-ndp-purpose': 'X-Ndp-Purpose',
  'x-ndp-api-key': 'X-Ndp-Api-Key',
  authorization: 'Authorization',
};
const shown = (name: string) =>
  SHOWN[name] ?? name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

/** The first single header given more than once (its usual spelling), in a request as Node read it or as the link carried it. */
export function repeatedHeader(
  headers: IncomingMessage['headersDistinct'] | Record<string, string | string[] | undefined>,
): string | undefined {
  for (const name of SINGLE_HEADERS) {
    const v = headers[name];
    if (Array.isArray(v) && v.length > 1) return shown(name);
  }
  return undefined;
}

/** Client.BadRequest for a header given twice, in both languages. */
export const repeatedHeaderError = (name: string) =>
  new XRoadError(
    'Client.BadRequest',
    `${name} was sent more than once; send it once.`,
    undefined,
    `${name} được gửi nhiều lần; chỉ gửi một lần.`,
  );

export const header = (
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
  name: string,
): string => {
  const v = headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};
