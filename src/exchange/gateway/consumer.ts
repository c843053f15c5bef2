import { CONSENT_HEADER, consentIdOf, wellFormedConsent } from '../protocol/consent.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { X509Certificate, createHash, randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { LinkClient, LinkUnsupported } from './link-client.js';
import type { LinkRequest, LinkResponse } from './link-frames.js';
import type { ConfigView } from './config-holder.js';
import { userHash, type GatewayContext } from './context.js';
import { header, passThrough, readBody, repeatedHeader, repeatedHeaderError } from '../protocol/http-util.js';
import { UNKNOWN_SERVICE } from './metrics.js';
import {
  REPRESENTED_PARTY_RULE,
  REPRESENTED_PARTY_RULE_VI,
  USER_ID_RULE,
  USER_ID_RULE_VI,
  parseClientHeader,
  parseRepresentedParty,
  parseServiceUrl,
  serviceKey,
  validUserId,
  type ServiceCall,
} from '../protocol/identifiers.js';
import { certificateFingerprint, hashClientKey } from '../protocol/client-keys.js';
import {
  SEAL,
  formatSeal,
  parseSeal,
  requestBytes,
  requestHash,
  sha256b64,
  signRequest,
  verifyResponse,
  type SignedRequest,
} from '../protocol/signing.js';
import { XRoadError, sendXRoadError } from '../protocol/xroad-errors.js';
import { METASERVICES, metaLabel } from './metaservices.js';

/**
 * The consumer's side of a gateway: calls from the agency's own systems in X-Road's REST protocol.
 * The system is known by its API key; the request is signed and sent over mutual TLS to the
 * provider's gateway (its certificate chained to the CA and its key pinned); the response's
 * signature, body hash and request hash are checked before the system sees it.
 */
export class ProviderGateways {
  private pools = new Map<string, Pool>();
  private links = new Map<string, LinkClient>();
  /** peers that answered without the link protocol: HTTPS until the configuration changes */
  private httpsOnly = new Set<string>();
  private version = -1;
  constructor(
    private readonly ctx: GatewayContext,
    private readonly useLink = true,
  ) {}

  /** Sends a signed request to a provider's gateway: over the link when both speak it, else HTTPS. */
  async send(view: ConfigView, gatewayId: string, r: LinkRequest): Promise<LinkResponse> {
    if (view.c.version !== this.version) {
      this.close();
      this.version = view.c.version;
    }
    if (this.useLink && !this.httpsOnly.has(gatewayId)) {
      try {
        return await this.link(view, gatewayId).request(r);
      } catch (err) {
        if (!(err instanceof LinkUnsupported)) throw err;
        this.httpsOnly.add(gatewayId);
        this.links.get(gatewayId)?.close();
        this.links.delete(gatewayId);
      }
    }
    const res = await this.pool(view, gatewayId).request({
      method: r.method as 'GET',
      path: r.target,
      headers: r.headers,
      body: r.body.length ? r.body : undefined,
    });
    return {
      status: res.statusCode,
      headers: res.headers as LinkResponse['headers'],
      body: Buffer.from(await res.body.arrayBuffer()),
    };
  }

  private tls(view: ConfigView, gatewayId: string): ConnectionOptions {
    const pin = view.gateways.get(gatewayId)!.tlsPin;
    return {
      ca: view.c.ca,
      cert: view.self.certificate,
      key: this.ctx.tlsKeyPem,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
      // chained to the CA is not enough: the key must be the one the configuration pins for that gateway
      checkServerIdentity: (_host, cert) =>
        cert.raw && pinOfPeer(cert.raw) === pin
          ? undefined
          : new Error('the provider gateway’s key is not the one pinned in the configuration'),
    };
  }

  private link(view: ConfigView, gatewayId: string): LinkClient {
    let link = this.links.get(gatewayId);
    if (!link) {
      const address = new URL(view.gateways.get(gatewayId)!.address);
      link = new LinkClient({
        host: address.hostname.replace(/^\[|\]$/g, ''),
        port: Number(address.port || 443),
        tls: this.tls(view, gatewayId),
        timeoutMs: this.ctx.serviceTimeoutMs + 5_000,
        maxFrame: this.ctx.maxBodyBytes + MAX_HEAD,
      });
      this.links.set(gatewayId, link);
    }
    return link;
  }

  private pool(view: ConfigView, gatewayId: string): Pool {
    let pool = this.pools.get(gatewayId);
    if (!pool) {
      pool = new Pool(view.gateways.get(gatewayId)!.address, {
        connections: 64,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: this.ctx.serviceTimeoutMs + 5_000,
        bodyTimeout: this.ctx.serviceTimeoutMs + 5_000,
        connect: this.tls(view, gatewayId),
      });
      this.pools.set(gatewayId, pool);
    }
    return pool;
  }

  close(): void {
    for (const p of this.pools.values()) void p.close();
    for (const l of this.links.values()) l.close();
    this.pools.clear();
    this.links.clear();
    this.httpsOnly.clear();
  }
}

/** Room for a frame's head (headers) beyond the largest body a gateway takes. */
export const MAX_HEAD = 1024 * 1024;

/** The pin of a peer's certificate: SHA-256 of its SubjectPublicKeyInfo (tls gives only the raw EC point). */
export function pinOfPeer(certRaw: Buffer): string {
  return createHash('sha256')
    .update(new X509Certificate(certRaw).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}

export async function handleConsumer(
  ctx: GatewayContext,
  gateways: ProviderGateways,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const id = header(req.headers, 'x-road-id') || randomUUID();
  let call: ServiceCall | undefined;
  let signed: SignedRequest | undefined;
  let error: string | undefined;
  let status = 0;
  let responseBody: string | null = null;
  let hash = '';
  // the two seals, kept in the log entry: what the consumer can show later that each gateway signed
  let requestSeal: string | null = null;
  let responseSeal: string | null = null;
  // figures are kept per service only for services the configuration knows, asked for by a system that signed in:
  // a label taken from any URL would let anyone grow /metrics and the reports without bound
  let label = UNKNOWN_SERVICE;
  // the answer is made here and sent only once the exchange's entry is on the disk
  let reply: () => void;
  try {
    const view = ctx.holder.current();
    if (!view) throw new XRoadError('Server.ClientProxy.OutdatedGlobalConf');
    if (!ctx.log.accepting) throw new XRoadError('Server.ClientProxy.LoggingFailed');
    call = parseServiceUrl(req.url ?? '');
    const client = parseClientHeader(header(req.headers, 'x-road-client'));
    if (!call || !client)
      throw new XRoadError(
        'Client.BadRequest',
        !call
          ? 'The path is not /r1/{instance}/{class}/{member}/{subsystem}/{service}[/path].'
          : 'X-Road-Client must be instance/class/member/subsystem.',
      );
    if (id.length > 200) throw new XRoadError('Client.BadRequest', 'X-Road-Id is longer than 200 characters.');
    const repeated = repeatedHeader(req.headersDistinct);
    if (repeated) throw repeatedHeaderError(repeated);
    authenticate(view, client, req);
    const provider = call.service;
    let gatewayId: string | undefined;
    if (METASERVICES.has(provider.serviceCode) && call.path === '/') {
      gatewayId = [...view.gateways.values()].find(
        (g) => g.memberCode === provider.memberCode && g.memberClass === provider.memberClass,
      )?.id;
    } else {
      gatewayId = view.services.get(serviceKey(provider))?.gateway;
    }
    if (provider.instance !== view.c.instance || !gatewayId || !view.gateways.has(gatewayId))
      throw new XRoadError('Server.ClientProxy.UnknownService');
    // a metaservice is asked of a subsystem the configuration need not list: its label names the member only
    label = METASERVICES.has(provider.serviceCode) && call.path === '/' ? metaLabel(provider) : call.serviceText;
    const body = await readBody(req, ctx.maxBodyBytes, 'Server.ClientProxy.PayloadTooLarge');
    signed = {
      method: req.method ?? 'GET',
      target: req.url ?? '',
      client: client.text,
      service: call.serviceText,
      id,
      userId: header(req.headers, 'x-road-userid'),
      issue: header(req.headers, 'x-road-issue'),
      purpose: header(req.headers, 'x-ndp-purpose'),
      timestamp: new Date().toISOString(),
      bodyHash: sha256b64(body),
      gateway: view.self.id,
    };
    if (signed.userId && !validUserId(signed.userId))
      throw new XRoadError('Client.BadRequest', USER_ID_RULE, undefined, USER_ID_RULE_VI);
    const represented = parseRepresentedParty(header(req.headers, 'x-road-represented-party'));
    if (represented === undefined)
      throw new XRoadError('Client.BadRequest', REPRESENTED_PARTY_RULE, undefined, REPRESENTED_PARTY_RULE_VI);
    if (represented) signed.representedParty = represented;
    const consent = header(req.headers, CONSENT_HEADER);
    if (consent) {
      if (!wellFormedConsent(consent))
        throw new XRoadError(
          'Client.BadRequest',
          'X-Ndp-Consent must hold one consent artefact as the registry signed it (a compact JWS).',
          undefined,
          'X-Ndp-Consent phải chứa đúng một văn bản đồng ý do hệ thống đăng ký ký (JWS dạng rút gọn).',
        );
      signed.consent = consent;
    }
    const text = requestBytes(signed);
    // built in place, not spread: the request's header object is a dictionary, and copying it again costs per exchange
    const headers = passThrough(req.headers);
    headers['x-road-client'] = signed.client;
    headers['x-road-id'] = id;
    headers[SEAL] = requestSeal = formatSeal({
      gateway: view.self.id,
      timestamp: signed.timestamp,
      signature: await signRequest(signed, ctx.signer, text),
    });
    if (signed.userId) headers['x-road-userid'] = signed.userId;
    if (signed.issue) headers['x-road-issue'] = signed.issue;
    if (signed.purpose) headers['x-ndp-purpose'] = signed.purpose;
    if (represented) headers['x-road-represented-party'] = represented;
    if (signed.consent) headers[CONSENT_HEADER] = signed.consent;
    let r;
    try {
      r = await gateways.send(view, gatewayId, { method: signed.method, target: signed.target, headers, body });
    } catch (err) {
      throw new XRoadError('Server.ClientProxy.NetworkError', (err as Error).message);
    }
    const out = r.body;
    const h = r.headers;
    const provGw = view.gateways.get(gatewayId)!;
    hash = requestHash(signed, body, text);
    const bodyHash = sha256b64(out);
    const seal = parseSeal(header(h, SEAL));
    if (seal) responseSeal = formatSeal(seal);
    const response = {
      id,
      status: r.status,
      requestHash: header(h, 'x-road-request-hash'),
      bodyHash,
      timestamp: seal?.timestamp ?? '',
      gateway: seal?.gateway ?? '',
    };
    if (
      !seal ||
      response.gateway !== provGw.id ||
      !verifyResponse(response, seal.signature, ctx.verifier, provGw.messageKey, provGw.id)
    ) {
      throw new XRoadError('Server.ClientProxy.InvalidSignature');
    }
    // an error the provider's gateway made may come before it could read the request; otherwise the request hash must be ours
    const xroadError = header(h, 'x-road-error');
    if (!(xroadError && response.requestHash === '') && response.requestHash !== hash)
      throw new XRoadError('Server.ClientProxy.InvalidSignature', 'The response answers another request.');
    status = r.status;
    error = xroadError || undefined;
    responseBody = bodyHash;
    const resHeaders: Record<string, string | string[] | number> = passThrough(h);
    resHeaders['content-length'] = out.length;
    resHeaders['x-road-id'] = id;
    resHeaders['x-road-client'] = signed.client;
    resHeaders['x-road-service'] = signed.service;
    resHeaders['x-road-request-id'] = id;
    if (response.requestHash)
      resHeaders['x-road-request-hash'] = Buffer.from(response.requestHash, 'base64').length
        ? response.requestHash
        : hash;
    if (xroadError) resHeaders['x-road-error'] = xroadError;
    const retry = header(h, 'retry-after');
    if (retry) resHeaders['retry-after'] = retry;
    reply = () => res.writeHead(status, resHeaders).end(out);
  } catch (err) {
    const e =
      err instanceof XRoadError ? err : new XRoadError('Server.ClientProxy.NetworkError', (err as Error).message);
    status = e.status;
    error = e.type;
    reply = () => sendXRoadError(res, e, id);
  }
  const ms = performance.now() - started;
  const service = call ? call.serviceText : '';
  ctx.metrics.observe('consumer', label, ms, error, status);
  const index = ctx.log.append({
    v: 1,
    side: 'consumer',
    at: new Date().toISOString(),
    id,
    client: signed?.client ?? header(req.headers, 'x-road-client'),
    service,
    method: req.method ?? null,
    path: call?.path ?? null,
    purpose: signed?.purpose || null,
    user: signed ? userHash(ctx, signed.userId) : null,
    issue: signed?.issue || null,
    represented: signed?.representedParty || undefined,
    /* JSON leaves it out when undefined */ consent: signed?.consent ? consentIdOf(signed.consent) : undefined,
    status,
    error: error ?? null,
    requestBody: signed?.bodyHash ?? null,
    requestHash: hash || null,
    responseBody,
    ms: Math.round(ms * 100) / 100,
    target: signed?.target ?? null,
    seals: { request: requestSeal, response: responseSeal },
  });
  try {
    await ctx.log.durable(index);
  } catch {
    // an answer the log could not keep is not given: the system is told, as X-Road's proxy tells it
    reply = () => sendXRoadError(res, new XRoadError('Server.ClientProxy.LoggingFailed'), id);
  }
  reply();
}

/** The calling system must be a subsystem of this gateway's member, with one of its client certificates (over HTTPS) or API keys. */
function authenticate(
  view: ConfigView,
  client: { instance: string; memberClass: string; memberCode: string; subsystemCode: string },
  req: IncomingMessage,
): void {
  const fail = (detail: string) => new XRoadError('Server.ClientProxy.ClientAuthenticationFailed', detail);
  if (
    client.instance !== view.c.instance ||
    client.memberCode !== view.self.memberCode ||
    client.memberClass !== view.self.memberClass
  )
    throw fail('The client is not a subsystem of this gateway’s member.');
  const pin = (req.socket as TLSSocket).encrypted ? clientCertificatePin(req.socket as TLSSocket) : undefined;
  if (pin && view.clientCertificates.get(client.subsystemCode)?.has(pin)) return;
  const keys = view.clientKeys.get(client.subsystemCode);
  const auth = header(req.headers, 'authorization');
  const key = header(req.headers, 'x-ndp-api-key') || (auth.startsWith('Bearer ') ? auth.slice(7) : '');
  if (!keys || !key || key.length > 200 || !keys.has(keyHash(key))) {
    throw fail(
      pin
        ? 'The client certificate is not registered for this subsystem (or has expired), and no valid API key was sent.'
        : 'Send the subsystem’s API key in X-Ndp-Api-Key, or call over HTTPS with its registered client certificate.',
    );
  }
}

/** The pin of the certificate a system presented, when it is in date; worked out once per connection. */
function clientCertificatePin(socket: TLSSocket): string | undefined {
  const held = socket as TLSSocket & { ndpClientPin?: { pin: string; validFrom: number; validTo: number } | null };
  if (held.ndpClientPin === undefined) {
    const cert = socket.getPeerX509Certificate();
    held.ndpClientPin = cert
      ? {
          pin: certificateFingerprint(cert.raw),
          validFrom: Date.parse(cert.validFrom),
          validTo: Date.parse(cert.validTo),
        }
      : null;
  }
  const c = held.ndpClientPin;
  const now = Date.now();
  return c && c.validFrom <= now && now <= c.validTo ? c.pin : undefined;
}

// the same few keys arrive on every call: their hashes are remembered (a bounded map, emptied when full)
const keyHashes = new Map<string, string>();
function keyHash(key: string): string {
  let h = keyHashes.get(key);
  if (h === undefined) {
    if (keyHashes.size >= 1000) keyHashes.clear();
    h = hashClientKey(key);
    keyHashes.set(key, h);
  }
  return h;
}
