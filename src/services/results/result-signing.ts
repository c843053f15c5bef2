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

/** Checks a compact JWS with the key its header names; `keyOf` finds a published key (retired ones too). */
export async function checkJws(jws: string, keyOf: (kid: string) => Promise<KeyObject | undefined>): Promise<Checked> {
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
