import type { LinkHeaders } from './link-frames.js';
import { servicePool, type GatewayContext } from './context.js';
import { passThrough } from '../protocol/http-util.js';
import type { SignedRequest } from '../protocol/signing.js';
import { XRoadError } from '../protocol/xroad-errors.js';

/**
 * What the provider's service is told (PR-REST §4.3), from the request as signed and checked: who calls (X-Road-Client),
 * which service, the message id, the user, the issue and the party represented, and the purpose (X-Ndp-Purpose) —
 * a service may keep its own record of who asked, or answer a represented party differently. Whatever the consumer's
 * system sent under these names was replaced by the consumer's gateway; `Accept` defaults to JSON.
 */
export function serviceHeaders(reqHeaders: LinkHeaders, signed: SignedRequest): LinkHeaders {
  const headers = passThrough(reqHeaders);
  if (headers.accept === undefined) headers.accept = 'application/json';
  headers['x-road-client'] = signed.client;
  headers['x-road-service'] = signed.service;
  headers['x-road-id'] = signed.id;
  if (signed.userId) headers['x-road-userid'] = signed.userId;
  if (signed.issue) headers['x-road-issue'] = signed.issue;
  if (signed.representedParty) headers['x-road-represented-party'] = signed.representedParty;
  if (signed.purpose) headers['x-ndp-purpose'] = signed.purpose;
  return headers;
}

/** Calls the provider's service through its pool; an answer past the body limit is refused. */
export async function callService(
  ctx: GatewayContext,
  target: { origin: string; prefix: string },
  method: string,
  pathAndQuery: string,
  toService: LinkHeaders,
  body: Buffer,
) {
  let r;
  try {
    r = await servicePool(ctx, target.origin).request({
      method: method as 'GET',
      path: target.prefix + pathAndQuery,
      headers: toService,
      body: body.length ? body : undefined,
    });
  } catch (err) {
    throw new XRoadError('Server.ServerProxy.ServiceFailed', (err as Error).message);
  }
  const buf = Buffer.from(await r.body.arrayBuffer());
  if (buf.length > ctx.maxBodyBytes) throw new XRoadError('Server.ServerProxy.PayloadTooLarge');
  const headers = passThrough(r.headers as Record<string, string | string[]>);
  return { status: r.statusCode, body: buf, headers };
}
