import { X509Certificate, createHash } from 'node:crypto';

/** API keys of agency systems are random and long: a plain SHA-256 is the right hash (no password stretching needed). */
export const hashClientKey = (key: string): string => createHash('sha256').update(key).digest('base64url');

/** A client certificate's pin: SHA-256 of the whole certificate (DER), as X-Road pins internal TLS certificates. */
export const certificateFingerprint = (der: Buffer): string => createHash('sha256').update(der).digest('base64url');

/** A certificate an agency's system may sign in with: a readable one, in date, with a key of today's strength. */
export function readClientCertificate(
  pem: string,
  now = new Date(),
): { fingerprint: string; subject: string; notAfter: Date } | { problem: { vi: string; en: string } } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return {
      problem: {
        vi: 'Không đọc được chứng thư (cần dạng PEM: -----BEGIN CERTIFICATE-----).',
        en: 'The certificate cannot be read (PEM expected: -----BEGIN CERTIFICATE-----).',
      },
    };
  }
  const notAfter = new Date(cert.validTo);
  if (!(notAfter > now))
    return {
      problem: { vi: `Chứng thư đã hết hạn (${cert.validTo}).`, en: `The certificate has expired (${cert.validTo}).` },
    };
  const key = cert.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType === 'rsa' && (bits ?? 0) < 2048)
    return {
      problem: {
        vi: 'Khóa RSA của chứng thư ngắn hơn 2048 bit.',
        en: 'The certificate’s RSA key is shorter than 2048 bits.',
      },
    };
  if (!['rsa', 'ec', 'ed25519', 'ed448'].includes(key.asymmetricKeyType ?? ''))
    return {
      problem: { vi: 'Loại khóa của chứng thư không được hỗ trợ.', en: 'The certificate’s key type is not supported.' },
    };
  return {
    fingerprint: certificateFingerprint(cert.raw),
    subject: cert.subject.replace(/\n/g, ', ').slice(0, 500),
    notAfter,
  };
}
