import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { resolvesPrivate } from '../../platform/private-address.js';

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
  try {
    return (await resolvesPrivate(url)) ? 'a private or local address' : null;
  } catch {
    return 'the host does not resolve';
  }
}
