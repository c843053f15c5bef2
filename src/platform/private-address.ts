import { lookup } from 'node:dns/promises';
import net from 'node:net';

/**
 * Whether an IP address is loopback, private, link-local, shared (CGNAT), multicast or unspecified. The platform
 * fetches and posts to addresses people typed (link probes, webhooks) from inside the network it runs in: such an
 * address would reach that network, not the public one.
 */
export function privateAddress(ip: string): boolean {
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

/** Whether a URL's host is, or resolves to, any private address (a lookup failure throws). */
export async function resolvesPrivate(url: URL): Promise<boolean> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  return addresses.some(privateAddress);
}
