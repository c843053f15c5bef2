import type { TLSSocket } from 'node:tls';
import { createHash } from 'node:crypto';
import type { ConfigView } from './config-holder.js';
import { endpointMatches } from '../protocol/paths.js';
import { XRoadError } from '../protocol/xroad-errors.js';
import type { ConfiguredGrant } from '../protocol/configuration.js';

/** The provider side's two access decisions: which gateway calls, and which grant (if any) lets it. */
/** The calling gateway, by the key of the certificate it presented: chained to the CA and pinned in the configuration. */
export function peerGateway(view: ConfigView, socket: TLSSocket): string {
  if (!socket.authorized)
    throw new XRoadError(
      'Server.ServerProxy.SslAuthenticationFailed',
      socket.authorizationError ? String(socket.authorizationError) : undefined,
    );
  const cached = (socket as unknown as { ndpPeer?: string }).ndpPeer;
  if (cached && view.gateways.has(cached)) return cached;
  const cert = socket.getPeerX509Certificate();
  if (!cert) throw new XRoadError('Server.ServerProxy.SslAuthenticationFailed');
  const pin = createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  for (const g of view.gateways.values()) {
    if (g.tlsPin === pin) {
      (socket as unknown as { ndpPeer?: string }).ndpPeer = g.id;
      return g.id;
    }
  }
  throw new XRoadError(
    'Server.ServerProxy.SslAuthenticationFailed',
    'The certificate’s key is not pinned for any gateway in the configuration.',
  );
}

/** Deny by default: a live grant whose purposes include the request's and whose endpoints match the normalised path. */
export function pickGrant(
  grants: ConfiguredGrant[],
  declared: { method: string; path: string }[],
  method: string,
  path: string,
  purpose: string,
): ConfiguredGrant {
  if (!grants.length) throw new XRoadError('Server.ServerProxy.AccessDenied', 'No grant for this client and service.');
  const now = Date.now();
  // one pass, remembering how far the closest grant got, so the refusal says why
  let live = false;
  let forPurpose = false;
  for (const g of grants) {
    if (g.expiresAt && Date.parse(g.expiresAt) <= now) continue;
    live = true;
    if (g.purposes.length && !g.purposes.includes(purpose)) continue;
    forPurpose = true;
    if ((g.endpoints.length ? g.endpoints : declared).some((e) => endpointMatches(e, method, path))) return g;
  }
  if (!live) throw new XRoadError('Server.ServerProxy.AccessDenied', 'The grant has expired.');
  if (!forPurpose)
    throw new XRoadError(
      'Server.ServerProxy.AccessDenied',
      purpose
        ? `The purpose “${purpose}” is not one the grant allows.`
        : 'The grant requires a purpose (X-Ndp-Purpose).',
    );
  throw new XRoadError('Server.ServerProxy.AccessDenied', `${method} ${path} is not an endpoint the grant opens.`);
}
