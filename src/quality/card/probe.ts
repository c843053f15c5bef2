import { resolvesPrivate } from '../../platform/private-address.js';

/**
 * Probing a link for availability: does it answer 2xx, within a deadline,
 * following at most five redirects. The platform fetches URLs publishers
 * typed, from inside the network it runs in, so every hop's host must resolve
 * to public addresses only (no loopback, private, link-local or metadata
 * addresses) unless the operator allows private ones (a closed government
 * network, tests). Only http and https.
 */
export interface ProbeResult {
  ok: boolean;
  status: number | null;
  latency_ms: number;
  error: string | null;
}

const MAX_REDIRECTS = 5;

async function allowedHost(url: URL, allowPrivate: boolean): Promise<string | null> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol} is not probed`;
  if (allowPrivate) return null;
  return (await resolvesPrivate(url)) ? `${url.hostname} is a private or local address` : null;
}

export async function probe(
  target: string,
  opts: { timeoutMs?: number; allowPrivate?: boolean } = {},
): Promise<ProbeResult> {
  const started = Date.now();
  const done = (ok: boolean, status: number | null, error: string | null): ProbeResult => ({
    ok,
    status,
    latency_ms: Date.now() - started,
    error,
  });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return done(false, null, 'not a URL');
  }
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const refused = await allowedHost(url, opts.allowPrivate ?? false);
      if (refused) return done(false, null, refused);
      // HEAD first; servers that refuse it are asked for the first byte only
      let res = await fetch(url, { method: 'HEAD', redirect: 'manual', signal });
      if (res.status === 405 || res.status === 501)
        res = await fetch(url, { method: 'GET', headers: { range: 'bytes=0-0' }, redirect: 'manual', signal });
      await res.body?.cancel();
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        url = new URL(res.headers.get('location')!, url);
        continue;
      }
      return done(res.status >= 200 && res.status < 300, res.status, null);
    }
    return done(false, null, 'too many redirects');
  } catch (err) {
    return done(
      false,
      null,
      (err as Error).name === 'TimeoutError' ? 'no answer within the deadline' : String((err as Error).message ?? err),
    );
  }
}
