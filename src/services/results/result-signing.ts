import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import type { InvalidReason, PublicJwk, ResultPayload, ResultSigner } from './result.js';

/** The JWS `typ` of a result: a verifier can tell it from the exchange's other signed objects. */
export const RESULT_TYP = 'ndp-result+jws';

/** A new Ed25519 key: the public half as a JWK, the private half as PKCS#8 PEM (to be sealed). */
export function newResultKey(): { jwk: PublicJwk; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { x } = publicKey.export({ format: 'jwk' }) as { x: string };
  const kid = `r-${randomBytes(9).toString('base64url')}`;
  return {
    jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' },
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

export const publicKeyOf = (jwk: PublicJwk): KeyObject =>
  createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });

export function signResult(payload: ResultPayload, signer: ResultSigner): Promise<string> {
  return new CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: RESULT_TYP })
    .sign(signer.privateKey);
}

export type Checked = { ok: true; kid: string; payload: ResultPayload } | { ok: false; reason: InvalidReason };

/** Three base64url parts joined by dots: anything else was never a compact JWS. */
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Ed25519 signs in 64 bytes: a third part of another length was cut or padded on the way, not forged. */
const SIGNATURE_BYTES = 64;

/** A pasted JWS as copied from an e-mail or a PDF: its line breaks and spaces are never part of it. */
export const withoutWhitespace = (pasted: string): string => pasted.replace(/\s+/g, '');

const decodesToJson = (part: string): boolean => {
  try {
    JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return true;
  } catch {
    return false;
  }
};

/**
 * Checks a compact JWS with the key its header names; `keyOf` finds a published key (retired ones too). Only a
 * well-formed JWS whose signature fails is `signature` (altered); a truncated or foreign text is `malformed`.
 */
export async function checkJws(jws: string, keyOf: (kid: string) => Promise<KeyObject | undefined>): Promise<Checked> {
  const [head, body, signature] = COMPACT.test(jws) ? jws.split('.') : [];
  if (!head || !body || !signature) return { ok: false, reason: 'malformed' };
  if (Buffer.from(signature, 'base64url').length !== SIGNATURE_BYTES || !decodesToJson(body))
    return { ok: false, reason: 'malformed' };
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(jws);
    kid = typeof header.kid === 'string' ? header.kid : undefined;
    if (header.alg !== 'EdDSA' || header.typ !== RESULT_TYP) return { ok: false, reason: 'malformed' };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!kid) return { ok: false, reason: 'malformed' };
  const key = await keyOf(kid);
  if (!key) return { ok: false, reason: 'unknown_key' };
  try {
    const { payload } = await compactVerify(jws, key, { algorithms: ['EdDSA'] });
    const parsed = JSON.parse(Buffer.from(payload).toString('utf8')) as ResultPayload;
    if (parsed.kid !== kid) return { ok: false, reason: 'signature' };
    return { ok: true, kid, payload: parsed };
  } catch {
    return { ok: false, reason: 'signature' };
  }
}
