/**
 * The frames of the link between two gateways (ALPN `ndp-link/1` over mutual TLS): many exchanges
 * at once on one connection, each request and its response carrying the same stream number, so a
 * busy pair of gateways shares one TLS session and one write for whatever is ready in the same turn
 * of the event loop — not an HTTP parser, a connection pool and a TLS record per message.
 *
 *   u32 length of what follows · u32 stream · u8 kind · u32 head length · head (JSON) · body
 *
 * A request's head is `{ m: method, t: target, h: headers }`, a response's `{ s: status, h: headers }`.
 * Header names are lower case, values strings or lists of strings (as node:http gives them).
 */
export const LINK_PROTOCOL = 'ndp-link/1';
export const REQUEST = 1;
export const RESPONSE = 2;
const FIXED = 9; // stream, kind, head length

export type LinkHeaders = Record<string, string | string[]>;
export interface LinkRequest {
  method: string;
  target: string;
  headers: LinkHeaders;
  body: Buffer;
}
export interface LinkResponse {
  status: number;
  headers: LinkHeaders;
  body: Buffer;
}
export type Frame =
  | { stream: number; kind: typeof REQUEST; request: LinkRequest }
  | { stream: number; kind: typeof RESPONSE; response: LinkResponse };

/** A broken frame: the connection cannot be trusted to stay in step, so it is closed. */
export class LinkProtocolError extends Error {}

export function encodeRequest(stream: number, r: LinkRequest): Buffer {
  return encode(stream, REQUEST, JSON.stringify({ m: r.method, t: r.target, h: r.headers }), r.body);
}

export function encodeResponse(stream: number, r: LinkResponse): Buffer {
  return encode(stream, RESPONSE, JSON.stringify({ s: r.status, h: r.headers }), r.body);
}

function encode(stream: number, kind: number, head: string, body: Buffer): Buffer {
  const headLength = Buffer.byteLength(head);
  const frame = Buffer.allocUnsafe(4 + FIXED + headLength + body.length);
  frame.writeUInt32BE(FIXED + headLength + body.length, 0);
  frame.writeUInt32BE(stream, 4);
  frame[8] = kind;
  frame.writeUInt32BE(headLength, 9);
  frame.write(head, 13, 'utf8');
  body.copy(frame, 13 + headLength);
  return frame;
}

/**
 * Cuts a byte stream into frames. Chunks are kept as they come and joined once a whole frame is
 * there, so a large body arriving in many reads is copied once, not once per read.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  constructor(
    private readonly maxFrame: number,
    private readonly onFrame: (f: Frame) => void,
  ) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const first = this.chunks[0]!.length >= 4 ? this.chunks[0]! : this.join();
      const length = first.readUInt32BE(0);
      if (length < FIXED || length > this.maxFrame)
        throw new LinkProtocolError(`a frame of ${length} bytes (limit ${this.maxFrame})`);
      if (this.buffered < 4 + length) return;
      const data = this.chunks[0]!.length >= 4 + length ? this.chunks[0]! : this.join();
      const frame = data.subarray(0, 4 + length);
      const rest = data.subarray(4 + length);
      this.chunks = rest.length ? [rest, ...this.chunks.slice(1)] : this.chunks.slice(1);
      this.buffered -= 4 + length;
      this.onFrame(decode(frame));
    }
  }

  private join(): Buffer {
    const all = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [all];
    return all;
  }
}

function decode(frame: Buffer): Frame {
  const stream = frame.readUInt32BE(4);
  const kind = frame[8];
  const headLength = frame.readUInt32BE(9);
  if (13 + headLength > frame.length) throw new LinkProtocolError('a head longer than its frame');
  let head: Record<string, unknown>;
  try {
    head = JSON.parse(frame.toString('utf8', 13, 13 + headLength)) as Record<string, unknown>;
  } catch {
    throw new LinkProtocolError('a head that is not JSON');
  }
  if (head === null || typeof head !== 'object') throw new LinkProtocolError('a head that is not an object');
  const headers = checkHeaders(head.h);
  const body = frame.subarray(13 + headLength);
  if (kind === REQUEST) {
    if (
      typeof head.m !== 'string' ||
      !/^[A-Z]{1,16}$/.test(head.m) ||
      typeof head.t !== 'string' ||
      !head.t.startsWith('/') ||
      head.t.length > 8192
    )
      throw new LinkProtocolError('a request without a method and a target');
    return { stream, kind, request: { method: head.m, target: head.t, headers, body } };
  }
  if (kind === RESPONSE) {
    if (typeof head.s !== 'number' || !Number.isInteger(head.s) || head.s < 100 || head.s > 599)
      throw new LinkProtocolError('a response without a status');
    return { stream, kind, response: { status: head.s, headers, body } };
  }
  throw new LinkProtocolError(`a frame of unknown kind ${kind}`);
}

// the usual names pass a test; only others pay for a lower-cased copy to compare with
const LOWER_TOKEN = /^[a-z0-9-]+$/;
const notLowerCase = (name: string): boolean => !LOWER_TOKEN.test(name) && name !== name.toLowerCase();

function checkHeaders(h: unknown): LinkHeaders {
  if (h === null || typeof h !== 'object' || Array.isArray(h))
    throw new LinkProtocolError('headers that are not an object');
  for (const name in h) {
    const v = (h as Record<string, unknown>)[name];
    if (notLowerCase(name) || !(typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))))
      throw new LinkProtocolError(`a header “${name}” that is not a lower-case name with text`);
  }
  return h as LinkHeaders;
}
