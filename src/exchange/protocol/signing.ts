import * as crypto from 'node:crypto';
import { sign, verify, type KeyObject } from 'node:crypto';
import type { BatchSigner, BatchVerifier } from './batch-signing.js';

/**
 * What gateways sign. A request's signature covers its method, path and query as sent, the client,
 * the message id, user, issue, purpose and represented party, the time and the body's SHA-256 — so a changed body, a
 * moved path or a swapped client no longer verifies. The response's covers its status, the hash of
 * the request it answers and its own body's hash, over a newline-joined canonical text.
 */
export interface SignedRequest {
  method: string;
  target: string;
  client: string;
  service: string;
  id: string;
  userId: string;
  issue: string;
  purpose: string;
  timestamp: string;
  bodyHash: string;
  gateway: string;
  /** X-Road-Represented-Party, canonical; '' or absent when the client acts for itself */
  representedParty?: string;
  /** the person's consent artefact (JWS), when the call relies on one */
  consent?: string;
}
export interface SignedResponse {
  id: string;
  status: number;
  requestHash: string;
  bodyHash: string;
  timestamp: string;
  gateway: string;
}

// crypto.hash (Node ≥ 20.12) hashes without making a Hash object; every message is hashed several times
const oneShot = (crypto as unknown as { hash?: (alg: string, data: Uint8Array, enc: string) => string | Buffer }).hash;
const digest = (alg: 'sha256' | 'sha512', data: Uint8Array): Buffer =>
  oneShot ? (oneShot(alg, data, 'buffer') as Buffer) : crypto.createHash(alg).update(data).digest();
// straight to text where text is wanted: a Buffer made only to be encoded cost more than the hash of a small message
const digestText = (alg: 'sha256' | 'sha512', data: Uint8Array, enc: 'base64' | 'base64url'): string =>
  oneShot ? (oneShot(alg, data, enc) as string) : crypto.createHash(alg).update(data).digest(enc);
const EMPTY_SHA256 = digestText('sha256', new Uint8Array(), 'base64url');
export const sha256b64 = (body: Uint8Array): string =>
  body.length === 0 ? EMPTY_SHA256 : digestText('sha256', body, 'base64url');

// the represented party is a line of its own only when there is one: a request without it signs the same text as before it existed
const requestText = (r: SignedRequest): Buffer =>
  Buffer.from(
    [
      'ndp-request-v1',
      r.method,
      r.target,
      r.client,
      r.service,
      r.id,
      r.userId,
      r.issue,
      r.purpose,
      r.timestamp,
      r.bodyHash,
      r.gateway,
      ...(r.representedParty ? [`represented:${r.representedParty}`] : []),
      ...(r.consent ? [`consent:${r.consent}`] : []),
    ].join('\n'),
  );
const responseText = (r: SignedResponse): Buffer =>
  Buffer.from(
    ['ndp-response-v1', r.id, String(r.status), r.requestHash, r.bodyHash, r.timestamp, r.gateway].join('\n'),
  );

// Messages are signed with the gateway's certificate key (ECDSA P-256 over SHA-256): the key the registry
// certified and pinned — a third faster to verify than Ed25519 here — in batches (`batch-signing.ts`). The
// "ndp-request-v1" / "ndp-response-v1" prefixes keep these signatures apart from TLS's own use of the key.
export const requestBytes = requestText;
export const responseBytes = responseText;
// a request's text is both signed (or verified) and hashed for X-Road-Request-Hash: callers may pass it in, made once
export const signRequest = (r: SignedRequest, signer: BatchSigner, text = requestText(r)): Promise<string> =>
  signer.sign(text);
export const verifyRequest = (
  r: SignedRequest,
  signature: string,
  verifier: BatchVerifier,
  key: KeyObject,
  signerId: string,
  text = requestText(r),
): boolean => verifier.verify(text, signature, key, signerId);
export const signResponse = (r: SignedResponse, signer: BatchSigner): Promise<string> => signer.sign(responseText(r));
export const verifyResponse = (
  r: SignedResponse,
  signature: string,
  verifier: BatchVerifier,
  key: KeyObject,
  signerId: string,
): boolean => verifier.verify(responseText(r), signature, key, signerId);

function safeVerify(text: Buffer, signature: string, key: KeyObject): boolean {
  const sig = Buffer.from(signature, 'base64url');
  if (sig.length !== 64) return false;
  try {
    return verify(null, text, key, sig);
  } catch {
    return false;
  }
}

/**
 * X-Road-Request-Hash as PR-REST §4.3 defines it: base64 SHA-512(SHA-512(headers) ‖ SHA-512(body)),
 * or SHA-512(headers) without a body; "headers" here is the signed request text, which holds every
 * header that matters.
 */
export function requestHash(r: SignedRequest, body: Uint8Array, text = requestText(r)): string {
  if (body.length === 0) return digestText('sha512', text, 'base64');
  return digestText('sha512', Buffer.concat([digest('sha512', text), digest('sha512', body)]), 'base64');
}

/** A gateway's own calls to the registry (fetching its configuration, reporting) are signed the same way. */
export const registryCallText = (method: string, path: string, timestamp: string, bodyHash: string): Buffer =>
  Buffer.from(['ndp-registry-v1', method, path, timestamp, bodyHash].join('\n'));
export const signRegistryCall = (
  method: string,
  path: string,
  timestamp: string,
  body: Uint8Array,
  key: KeyObject,
): string => sign(null, registryCallText(method, path, timestamp, sha256b64(body)), key).toString('base64url');
export const verifyRegistryCall = (
  method: string,
  path: string,
  timestamp: string,
  body: Uint8Array,
  signature: string,
  key: KeyObject,
): boolean => safeVerify(registryCallText(method, path, timestamp, sha256b64(body)), signature, key);

/**
 * The seal one gateway puts on a message to another, in one header: `x-ndp-seal: gateway;timestamp;signature`.
 * The body's hash is not sent: the receiver hashes what it received, and a changed body fails the signature.
 */
export interface Seal {
  gateway: string;
  timestamp: string;
  signature: string;
}
export const SEAL = 'x-ndp-seal';
export const formatSeal = (s: Seal): string => `${s.gateway};${s.timestamp};${s.signature}`;
export function parseSeal(value: string): Seal | undefined {
  const [gateway, timestamp, signature, ...rest] = value.split(';');
  if (
    rest.length ||
    !gateway ||
    !timestamp ||
    !signature ||
    gateway.length > 64 ||
    timestamp.length > 40 ||
    signature.length > 1000
  )
    return undefined;
  return { gateway, timestamp, signature };
}
