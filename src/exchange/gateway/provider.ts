import { CONSENT_HEADER } from '../protocol/consent.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { LinkHeaders, LinkRequest, LinkResponse } from './link-frames.js';
import { sealUser, userHash, type GatewayContext } from './context.js';
import { header, readBody, repeatedHeader, repeatedHeaderError } from '../protocol/http-util.js';
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
  subsystemKey,
  validUserId,
  type ServiceCall,
} from '../protocol/identifiers.js';
import { endpointMatches, namesPersonOfPath, normalisePath } from '../protocol/paths.js';
import {
  SEAL,
  formatSeal,
  parseSeal,
  requestBytes,
  requestHash,
  sha256b64,
  signResponse,
  verifyRequest,
  type SignedRequest,
} from '../protocol/signing.js';
import { RECORDED_REFUSALS, XRoadError, errorBody, type XRoadErrorType } from '../protocol/xroad-errors.js';
import { allowedMethods, getOpenAPI, listMethods, METASERVICES, metaLabel } from './metaservices.js';
import { peerGateway, pickGrant } from './provider-access.js';
import { callService, serviceHeaders } from './service-call.js';

/**
 * The provider's side of a gateway: requests from other gateways over mutual TLS. The calling
 * gateway is known by its certificate's key (chain from the CA and pin from the configuration), the
 * request by its signature; then the grant (deny by default, on the normalised path), the rate and
 * quota, the service call, and a signed response. Every outcome is written to the evidence log.
 */
/** Refusals made after a request's id was taken by the replay guard: a restarted gateway takes those ids again from its log. */
export const TAKEN_IDS: ReadonlySet<string> = new Set<XRoadErrorType>([
  'Server.ServerProxy.AccessDenied',
  'Server.ServerProxy.UnknownService',
  'Client.InvalidPath',
  'Server.ServerProxy.RateLimitExceeded',
  'Server.ServerProxy.QuotaExceeded',
  'Server.ServerProxy.ServiceFailed',
]);

/** A request from another gateway, by HTTPS or over the link; the body is read only once the caller is known. */
export interface Inbound {
  method: string;
  target: string;
  headers: LinkHeaders;
  socket: TLSSocket;
  body: () => Promise<Buffer>;
  /** a single header Node read more than once (HTTPS joins them; the link would carry an array) */
  repeated?: string;
}

/** HTTPS from another gateway (the link's fallback, and what a plain X-Road-style peer speaks). */
export async function handleProvider(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const r = await provideExchange(ctx, {
    method: req.method ?? 'GET',
    target: req.url ?? '',
    headers: req.headers as LinkHeaders,
    socket: req.socket as TLSSocket,
    body: () => readBody(req, ctx.maxBodyBytes, 'Server.ServerProxy.PayloadTooLarge'),
    repeated: repeatedHeader(req.headersDistinct),
  });
  res.sendDate = false;
  res.writeHead(r.status, { ...r.headers, 'content-length': r.body.length }).end(r.body);
}

/** A request over the link: its body came whole in its frame. */
export function handleLinkRequest(ctx: GatewayContext, r: LinkRequest, socket: TLSSocket): Promise<LinkResponse> {
  return provideExchange(ctx, {
    method: r.method,
    target: r.target,
    headers: r.headers,
    socket,
    body: async () => {
      if (r.body.length > ctx.maxBodyBytes) throw new XRoadError('Server.ServerProxy.PayloadTooLarge');
      return r.body;
    },
  });
}

export async function provideExchange(ctx: GatewayContext, req: Inbound): Promise<LinkResponse> {
  const started = performance.now();
  const id = header(req.headers, 'x-road-id');
  let outcome: Outcome;
  let signed: SignedRequest | undefined;
  let reqBody: Buffer = Buffer.alloc(0);
  let peer: string | undefined;
  let call: ServiceCall | undefined;
  let legalBasis: string | null = null;
  let text: Buffer | undefined;
  let requestSeal: string | null = null;
  // figures per service only for this gateway's own services (and metaservices), once the caller's signature held
  let label = UNKNOWN_SERVICE;
  try {
    const view = ctx.holder.current();
    if (!view) throw new XRoadError('Server.ServerProxy.OutdatedGlobalConf');
    if (!ctx.log.accepting) throw new XRoadError('Server.ServerProxy.LoggingFailed');
    peer = peerGateway(view, req.socket);
    call = parseServiceUrl(req.target);
    const client = parseClientHeader(header(req.headers, 'x-road-client'));
    if (!call || !client || !id) throw new XRoadError('Client.BadRequest');
    reqBody = await req.body();
    const seal = parseSeal(header(req.headers, SEAL));
    if (seal) requestSeal = formatSeal(seal);
    signed = {
      method: req.method,
      target: req.target,
      client: client.text,
      service: call.serviceText,
      id,
      userId: header(req.headers, 'x-road-userid'),
      issue: header(req.headers, 'x-road-issue'),
      purpose: header(req.headers, 'x-ndp-purpose'),
      timestamp: seal?.timestamp ?? '',
      bodyHash: sha256b64(reqBody),
      gateway: peer,
    };
    const repeated = req.repeated ?? repeatedHeader(req.headers);
    if (repeated) throw repeatedHeaderError(repeated);
    const represented = parseRepresentedParty(header(req.headers, 'x-road-represented-party'));
    if (represented) signed.representedParty = represented;
    const consent = header(req.headers, CONSENT_HEADER);
    if (consent) signed.consent = consent;
    const gw = view.gateways.get(peer)!;
    if (!seal) throw new XRoadError('Server.ServerProxy.InvalidSignature', 'The request carries no seal.');
    if (seal.gateway !== peer)
      throw new XRoadError(
        'Server.ServerProxy.SslAuthenticationFailed',
        'The gateway named in the request is not the one whose certificate was presented.',
      );
    text = requestBytes(signed);
    if (!verifyRequest(signed, seal.signature, ctx.verifier, gw.messageKey, gw.id, text))
      throw new XRoadError('Server.ServerProxy.InvalidSignature');
    const sent = Date.parse(signed.timestamp);
    const now = Date.now();
    if (!(Math.abs(now - sent) <= ctx.clockSkewMs))
      throw new XRoadError('Server.ServerProxy.InvalidSignature', 'The request’s time is too far from ours.');
    // a request that could first have arrived before the guard's memory reaches back cannot be told from a replay
    const covered = ctx.replay.coveredSince;
    if (sent - ctx.clockSkewMs < covered)
      throw new XRoadError('Server.ServerProxy.Overloaded', undefined, (covered + ctx.clockSkewMs - now) / 1000);
    if (!ctx.replay.fresh(peer, id, now)) throw new XRoadError('Server.ServerProxy.ReplayedRequest');
    if (signed.userId && !validUserId(signed.userId))
      throw new XRoadError('Client.BadRequest', USER_ID_RULE, undefined, USER_ID_RULE_VI);
    if (represented === undefined)
      throw new XRoadError('Client.BadRequest', REPRESENTED_PARTY_RULE, undefined, REPRESENTED_PARTY_RULE_VI);
    // a gateway speaks only for its own member's systems
    if (
      client.instance !== view.c.instance ||
      client.memberCode !== gw.memberCode ||
      client.memberClass !== gw.memberClass
    )
      throw new XRoadError(
        'Server.ServerProxy.AccessDenied',
        'The client is not a subsystem of the calling gateway’s member.',
      );
    const clientKey = subsystemKey(client);
    if (!view.subsystems.has(clientKey))
      throw new XRoadError('Server.ServerProxy.AccessDenied', 'The client subsystem is not registered.');

    const provider = call.service;
    if (METASERVICES.has(provider.serviceCode) && call.path === '/') {
      if (provider.memberCode !== view.self.memberCode) throw new XRoadError('Server.ServerProxy.UnknownService');
      const json =
        provider.serviceCode === 'listMethods'
          ? listMethods(view, provider)
          : provider.serviceCode === 'allowedMethods'
            ? allowedMethods(view, provider, client, Date.now())
            : getOpenAPI(view, provider, new URLSearchParams(call.query.slice(1)).get('serviceCode') ?? '');
      label = metaLabel(provider);
      if (json === undefined)
        throw new XRoadError('Server.ServerProxy.UnknownService', 'No such service code for getOpenAPI.');
      outcome = {
        status: 200,
        body: Buffer.from(JSON.stringify(json)),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      };
    } else {
      const key = serviceKey(provider);
      const service = view.services.get(key);
      const target = view.serviceTargets.get(key);
      if (!service || service.gateway !== view.self.id || !target)
        throw new XRoadError('Server.ServerProxy.UnknownService');
      label = call.serviceText;
      const normal = normalisePath(call.path);
      if (!normal.ok) throw new XRoadError('Client.InvalidPath', normal.reason);
      const grant = pickGrant(
        view.grantsFor(clientKey, key),
        service.endpoints,
        signed.method,
        normal.path,
        signed.purpose,
      );
      legalBasis = grant.legalBasis;
      // under a grant whose basis is consent, an endpoint that returns one person's data (its OpenAPI marks the path's
      // person) is read only for the person the call names: the consent checked below, and the access record, are
      // that person's, never a stranger's. Other grants keep X-Road's looser reading of X-Road-UserId for now
      const method = signed.method;
      const personal =
        grant.basis === 'consent' && signed.userId
          ? service.endpoints.find((e) => e.person !== undefined && endpointMatches(e, method, normal.path))
          : undefined;
      if (personal && !namesPersonOfPath(personal, normal.path, signed.userId))
        throw new XRoadError('Server.ServerProxy.PersonMismatch');
      const consentId =
        grant.basis === 'consent'
          ? await ctx.consents.check(signed.consent, {
              personId: signed.userId,
              client,
              service: key,
              purpose: signed.purpose,
              registryKeys: ctx.holder.registryKeys,
            })
          : undefined;
      const limit = ctx.limits.take(grant.id, grant.ratePerSecond, grant.dailyQuota);
      if (!limit.ok)
        throw new XRoadError(
          limit.kind === 'rate' ? 'Server.ServerProxy.RateLimitExceeded' : 'Server.ServerProxy.QuotaExceeded',
          undefined,
          limit.retryAfterSeconds,
        );
      outcome = {
        ...(await callService(
          ctx,
          target,
          signed.method,
          normal.path + call.query,
          serviceHeaders(req.headers, signed),
          reqBody,
        )),
        grant: grant.id,
        path: normal.path,
        consent: consentId,
      };
    }
  } catch (err) {
    outcome = refusal(
      err instanceof XRoadError ? err : new XRoadError('Server.ServerProxy.ServiceFailed', (err as Error).message),
      id,
    );
    if (err instanceof XRoadError && err.consent) outcome.consent = err.consent;
  }
  outcome.label = label;
  return respond(ctx, outcome, signed, text, reqBody, id, call, peer, legalBasis, started, requestSeal);
}

interface Outcome {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[]>;
  error?: string;
  grant?: string;
  path?: string;
  /** the consent the call relied on */
  consent?: string;
  /** the service its figures are counted under */
  label?: string;
}

function refusal(e: XRoadError, id: string): Outcome {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-road-error': e.type,
  };
  if (e.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(e.retryAfterSeconds)));
  return { status: e.status, body: Buffer.from(JSON.stringify(errorBody(e, id || undefined))), headers, error: e.type };
}

/** Signs the response (its seal goes in its headers) and returns the seal, its time and the body's hash. */
async function seal(ctx: GatewayContext, o: Outcome, id: string, rHash: string) {
  const view = ctx.holder.current();
  const timestamp = new Date().toISOString();
  const bodyHash = sha256b64(o.body);
  // the consumer's gateway sets X-Road-Id, -Client and -Service for its system; only what it must check travels back
  if (rHash) o.headers['x-road-request-hash'] = rHash; // made for this response alone: added to, not copied
  const responseSeal = view
    ? formatSeal({
        gateway: view.self.id,
        timestamp,
        signature: await signResponse(
          { id, status: o.status, requestHash: rHash, bodyHash, timestamp, gateway: view.self.id },
          ctx.signer,
        ),
      })
    : null;
  if (responseSeal) o.headers[SEAL] = responseSeal;
  return { timestamp, bodyHash, responseSeal };
}

async function respond(
  ctx: GatewayContext,
  o: Outcome,
  signed: SignedRequest | undefined,
  text: Buffer | undefined,
  reqBody: Buffer,
  id: string,
  call: ServiceCall | undefined,
  peer: string | undefined,
  legalBasis: string | null,
  started: number,
  requestSeal: string | null,
): Promise<LinkResponse> {
  const rHash = signed && text ? requestHash(signed, reqBody, text) : '';
  const { timestamp, bodyHash, responseSeal } = await seal(ctx, o, id, rHash);
  // an access record is made of a call that names a person and was answered, or refused for want of a right to the
  // person's data (the person sees the attempt); not of calls that failed for other reasons (limits, the service down)
  const recorded = Boolean(signed?.userId && (!o.error || RECORDED_REFUSALS.has(o.error)));
  const ms = performance.now() - started;
  const service = call ? call.serviceText : '';
  ctx.metrics.observe('provider', o.label ?? UNKNOWN_SERVICE, ms, o.error, o.status);
  const index = ctx.log.append({
    v: 1,
    side: 'provider',
    at: timestamp,
    id,
    peer: peer ?? null,
    client: signed?.client ?? null,
    service,
    method: signed?.method ?? null,
    path: o.path ?? call?.path ?? null,
    purpose: signed?.purpose || null,
    user: signed ? userHash(ctx, signed.userId) : null,
    issue: signed?.issue || null,
    represented: signed?.representedParty || undefined,
    /* JSON leaves it out when undefined */ consent: o.consent,
    grant: o.grant ?? null,
    status: o.status,
    error: o.error ?? null,
    requestBody: signed?.bodyHash ?? null,
    requestHash: rHash || null,
    responseBody: bodyHash,
    ms: Math.round(ms * 100) / 100,
    target: signed?.target ?? null,
    seals: { request: requestSeal, response: responseSeal },
    legalBasis,
    // what a restart needs to rebuild the access record the registry may not have yet (JSON leaves it out when undefined)
    userSealed: recorded ? sealUser(ctx.sealKey, signed!.userId) : undefined,
  });
  if (recorded && signed) {
    ctx.accessRecords.push({
      subject: signed.userId,
      at: timestamp,
      id,
      index,
      client: signed.client,
      service,
      purpose: signed.purpose || null,
      legalBasis,
      status: o.status,
      representedParty: signed.representedParty || null,
      consent: o.consent ?? null,
    });
  }
  // the answer goes out only once its entry is on the disk; if it cannot be, the caller is told so instead
  try {
    await ctx.log.durable(index);
  } catch {
    const failed = refusal(new XRoadError('Server.ServerProxy.LoggingFailed'), id);
    await seal(ctx, failed, id, rHash);
    return { status: failed.status, headers: failed.headers, body: failed.body };
  }
  return { status: o.status, headers: o.headers, body: o.body };
}
