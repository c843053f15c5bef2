import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The registry's secret keys at rest (the key configurations are signed with, the CA's, the key of the
 * keyed hash that stands for a person), sealed with a key-encryption key the operator gives in
 * NDP_EXCHANGE_KEY_ENCRYPTION_KEY (AES-256-GCM, what the key is for bound in as associated data, so a
 * CA key put in the configuration key's place does not open): a copy of the database alone does not give them away.
 * Without that key they are kept as they are, as before; a key kept in the clear is sealed the first
 * time the registry reads it with one. The place where a KMS or an HSM would take over.
 */
const PREFIX = 'ndp-sealed:v1:';

export class KeyVaultError extends Error {}

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

export function sealKey(plain: string, kek: Buffer | undefined, purpose: string): string {
  if (!kek) return plain;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function openKey(stored: string, kek: Buffer | undefined, purpose: string): string {
  if (!isSealed(stored)) return stored;
  if (!kek)
    throw new KeyVaultError(
      'the registry’s keys are sealed: start it with the NDP_EXCHANGE_KEY_ENCRYPTION_KEY they were sealed with',
    );
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new KeyVaultError(
      'the registry’s keys do not open with this NDP_EXCHANGE_KEY_ENCRYPTION_KEY: it is not the key they were sealed with',
    );
  }
}
