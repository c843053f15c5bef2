import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import net from 'node:net';

/**
 * Webhooks are signed as Standard Webhooks (standardwebhooks.com) say, so its libraries verify them: the headers
 * `webhook-id` (the delivery's id, the same on every retry), `webhook-timestamp` (Unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the base64 part of `whsec_…`.
 */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** A receiver's check (the tests', and a model for subscribers): any of the space-separated v1 signatures. */
export function verify(secret: string, headers: Record<string, string | undefined>, body: string): boolean {
  const id = headers['webhook-id'];
  const ts = Number(headers['webhook-timestamp']);
  if (!id || !Number.isInteger(ts)) return false;
  const want = Buffer.from(sign(secret, id, ts, body));
  return (headers['webhook-signature'] ?? '').split(' ').some((s) => {
    const got = Buffer.from(s);
    return got.length === want.length && timingSafeEqual(got, want);
  });
}

/**
 * Why a hook's address is refused, or null. https only; the platform posts from inside its network, so an address
 * must resolve to public addresses only (as the quality part's link probes require), unless the operator allows
 * private ones (`NDP_PROBE_PRIVATE_LINKS`: a closed network, tests), which also allows plain http.
 */
export async function refusedAddress(raw: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'credentials in the address';
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'https only';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  try {
    const addresses = net.isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
    return addresses.some(privateAddress) ? 'a private or local address' : null;
  } catch {
    return 'the host does not resolve';
  }
}

function privateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a >= 224
    );
  }
  const v = ip.toLowerCase();
  if (v.startsWith('::ffff:')) return privateAddress(v.slice(7));
  return (
    v === '::1' || v === '::' || v.startsWith('fc') || v.startsWith('fd') || v.startsWith('fe80') || v.startsWith('ff')
  );
}
