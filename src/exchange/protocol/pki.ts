import * as x509 from '@peculiar/x509';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  webcrypto,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';

/**
 * Keys and certificates of the exchange. Each gateway holds an Ed25519 key that signs messages and
 * log checkpoints, and a P-256 key for TLS whose certificate the registry issues from its internal
 * CA. Both public keys are pinned in the signed configuration: TLS checks chain and pin, so no
 * OCSP or CRL is ever fetched on the hot path; a gateway dropped from the configuration is out.
 */
x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface GatewayKeys {
  signing: KeyObject;
  signingPublic: string;
  tlsKeyPem: string;
  tlsPublicPem: string;
}

/** The raw 32-byte Ed25519 public key, base64: what the configuration and signed notes carry. */
export function rawEd25519(key: KeyObject): Buffer {
  const der = (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}
export function ed25519FromRaw(raw: string | Buffer): KeyObject {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'base64') : raw;
  if (bytes.length !== 32) throw new Error('an Ed25519 public key has 32 bytes');
  return createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), bytes]),
    format: 'der',
    type: 'spki',
  });
}

/** SHA-256 of a public key's SubjectPublicKeyInfo, base64: the TLS pin. */
export const spkiPin = (key: KeyObject | string): string =>
  createHash('sha256')
    .update(
      (typeof key === 'string' || key.type === 'private' ? createPublicKey(key) : key).export({
        type: 'spki',
        format: 'der',
      }),
    )
    .digest('base64');

export async function generateTlsKey(): Promise<{ keyPem: string; publicPem: string }> {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** Creates the key files of a gateway in `dir` unless they exist, and returns them. */
export async function gatewayKeys(dir: string): Promise<GatewayKeys> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const signingFile = path.join(dir, 'signing.key');
  const tlsFile = path.join(dir, 'tls.key');
  let signingPem: string;
  let tlsKeyPem: string;
  try {
    signingPem = await readFile(signingFile, 'utf8');
  } catch {
    signingPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await writeFile(signingFile, signingPem, { mode: 0o600, flag: 'wx' });
  }
  try {
    tlsKeyPem = await readFile(tlsFile, 'utf8');
  } catch {
    tlsKeyPem = (await generateTlsKey()).keyPem;
    await writeFile(tlsFile, tlsKeyPem, { mode: 0o600, flag: 'wx' });
  }
  const signing = createPrivateKey(signingPem);
  return {
    signing,
    signingPublic: rawEd25519(signing).toString('base64'),
    tlsKeyPem,
    tlsPublicPem: createPublicKey(tlsKeyPem).export({ type: 'spki', format: 'pem' }) as string,
  };
}

async function toCryptoKey(pem: string, kind: 'private' | 'public'): Promise<CryptoKey> {
  const der =
    kind === 'private'
      ? createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' })
      : createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return webcrypto.subtle.importKey(
    kind === 'private' ? 'pkcs8' : 'spki',
    der,
    { name: 'ECDSA', namedCurve: 'P-256' },
    true,
    kind === 'private' ? ['sign'] : ['verify'],
  ) as Promise<CryptoKey>;
}

const serial = () =>
  createHash('sha256')
    .update(webcrypto.getRandomValues(new Uint8Array(16)))
    .digest('hex')
    .slice(0, 30);

/**
 * The name of the registry's CA: during a rotation gateways trust two CAs at once, and OpenSSL picks a certificate's
 * issuer by name and key identifier without checking signatures, so the name carries the key's own short id (two
 * CAs made the same day are told apart) as the certificates carry key identifiers.
 */
export const caName = (instance: string, caKeyPem: string, at = new Date()): string =>
  `ndp exchange CA ${instance} ${at.toISOString().slice(0, 10)} ${Buffer.from(spkiPin(caKeyPem), 'base64').subarray(0, 4).toString('hex')}`;

/** A self-signed CA certificate over a P-256 key, with its key identifier. */
export async function createCaCertificate(caKeyPem: string, name: string, days: number): Promise<string> {
  const keys = {
    privateKey: await toCryptoKey(caKeyPem, 'private'),
    publicKey: await toCryptoKey(createPublicKey(caKeyPem).export({ type: 'spki', format: 'pem' }) as string, 'public'),
  };
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + days * 86_400_000),
    keys,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return cert.toString('pem');
}

/** A gateway's TLS certificate: for server and client use, named by its host (IP or DNS name). */
export async function issueGatewayCertificate(o: {
  caKeyPem: string;
  caCertPem: string;
  gatewayId: string;
  host: string;
  publicKeyPem: string;
  days: number;
}): Promise<string> {
  const ca = new x509.X509Certificate(o.caCertPem);
  const altName = isIP(o.host) ? { type: 'ip' as const, value: o.host } : { type: 'dns' as const, value: o.host };
  const publicKey = await toCryptoKey(o.publicKeyPem, 'public');
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${o.gatewayId}`,
    issuer: ca.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + o.days * 86_400_000),
    publicKey,
    signingKey: await toCryptoKey(o.caKeyPem, 'private'),
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([altName]),
      // names its CA by key (RFC 5280 §4.2.1.1): an older CA without a key identifier still matches by name alone
      await x509.AuthorityKeyIdentifierExtension.create(await ca.publicKey.export()),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
  return cert.toString('pem');
}

export const certificatePin = (pem: string): string => spkiPin(new X509Certificate(pem).publicKey);
