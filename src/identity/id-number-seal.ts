import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A level-2 session's id number, sealed under its own cookie secret. The server keeps only the secret's SHA-256
 * (`public_sessions.id_hash`); the key is HKDF-SHA256 of the secret itself, so the row opens only while the person's
 * browser presents the cookie — a copy of the database, or a log of it, gives no id number away.
 */
const VERSION = 'v1';
const SALT = Buffer.from('ndp/public-session/id-number');
const INFO = Buffer.from('AES-256-GCM key for the CCCD of one public session');

const keyOf = (sessionSecret: string) => Buffer.from(hkdfSync('sha256', sessionSecret, SALT, INFO, 32));

/** `idHash` (the row's key) is bound in as associated data: a sealed value moved to another row does not open. */
export function sealIdNumber(idNumber: string, sessionSecret: string, idHash: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(sessionSecret), iv);
  cipher.setAAD(Buffer.from(idHash));
  const body = Buffer.concat([cipher.update(idNumber, 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    body.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

/** The id number, or undefined when the value does not open with this secret (another session's, or altered). */
export function openIdNumber(sealed: string, sessionSecret: string, idHash: string): string | undefined {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== VERSION || !iv || !body || !tag) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(sessionSecret), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(idHash));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
