import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { ed25519FromRaw, rawEd25519 } from './pki.js';

/**
 * Log checkpoints in the C2SP formats: a `tlog-checkpoint` body (origin, tree size, base64 root)
 * carried in a `signed-note` with Ed25519 signature lines (`— name base64(keyhash ‖ sig)`), the
 * key hash being the first four bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key). Any tool of the
 * transparency-log ecosystem can read and check them.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

const ED25519 = 0x01;
const keyHash = (name: string, publicRaw: Buffer): Buffer =>
  createHash('sha256')
    .update(name)
    .update('\n')
    .update(Buffer.from([ED25519]))
    .update(publicRaw)
    .digest()
    .subarray(0, 4);

/** The verifier key string of signed-note: `name+hexkeyhash+base64(0x01 ‖ key)`. */
export function verifierKey(name: string, signing: KeyObject): string {
  const raw = rawEd25519(signing);
  return `${name}+${keyHash(name, raw).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), raw]).toString('base64')}`;
}

export function parseVerifierKey(vkey: string): { name: string; key: KeyObject; hash: Buffer } {
  // name+hash+key, where the base64 key may itself hold '+'
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(vkey.trim());
  const [, name = '', hex = '', b64 = ''] = m ?? [];
  const bytes = Buffer.from(b64, 'base64');
  if (!m || bytes.length !== 33 || bytes[0] !== ED25519) throw new Error('not an Ed25519 signed-note verifier key');
  const raw = bytes.subarray(1);
  if (!keyHash(name, raw).equals(Buffer.from(hex, 'hex')))
    throw new Error('the verifier key’s hash does not match its name and key');
  return { name, key: ed25519FromRaw(raw), hash: Buffer.from(hex, 'hex') };
}

export function checkpointBody(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;
}

export function signCheckpoint(c: Checkpoint, name: string, key: KeyObject): string {
  const body = checkpointBody(c);
  const sig = sign(null, Buffer.from(body), key);
  return `${body}\n\u2014 ${name} ${Buffer.concat([keyHash(name, rawEd25519(key)), sig]).toString('base64')}\n`;
}

/** Parses a signed checkpoint and checks its signature by `vkey`; throws saying what is wrong. */
export function openCheckpoint(note: string, vkey: string): Checkpoint {
  const { name, key, hash } = parseVerifierKey(vkey);
  const split = note.indexOf('\n\n');
  if (split === -1) throw new Error('the note has no signature block');
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  if (lines.length < 4) throw new Error('the checkpoint has fewer than three lines');
  const [origin = '', sizeText = '', rootText = ''] = lines;
  if (!/^\d+$/.test(sizeText)) throw new Error('the checkpoint’s tree size is not a number');
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32) throw new Error('the checkpoint’s root is not a SHA-256 hash');
  const signatures = note
    .slice(split + 2)
    .split('\n')
    .filter(Boolean);
  for (const line of signatures) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const bytes = Buffer.from(m[2]!, 'base64');
    if (bytes.length !== 68 || !bytes.subarray(0, 4).equals(hash)) continue;
    if (verify(null, Buffer.from(body), key, bytes.subarray(4))) return { origin, size: Number(sizeText), root };
    throw new Error(`the signature of ${name} does not verify`);
  }
  throw new Error(`the checkpoint carries no signature by ${name}`);
}
