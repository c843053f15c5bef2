import tls from 'node:tls';
import { X509Certificate, createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { caName, createCaCertificate, generateTlsKey, issueGatewayCertificate } from './pki.js';

/** A TLS handshake to a server holding `cert`, trusting `cas`: the error OpenSSL gives, or null. */
async function handshake(cert: string, key: string, cas: string[]): Promise<string | null> {
  const server = tls.createServer({ cert, key }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    return await new Promise<string | null>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca: cas }, () => {
        socket.destroy();
        resolve(null);
      });
      socket.on('error', (err) => resolve(err.message));
    });
  } finally {
    server.close();
  }
}

describe('the exchange CA', () => {
  // During a rotation gateways trust the CA in force and its successor at once. Two CAs made the same day had the
  // same name and no key identifiers, so OpenSSL could take either for the issuer of a certificate, and a
  // gateway's certificate from one was refused half the time as signed by the other ("certificate signature failure").
  it('lets a certificate from either of two CAs trusted side by side be verified, whichever is listed first', async () => {
    for (let round = 0; round < 4; round++) {
      const caKeys = [await generateTlsKey(), await generateTlsKey()];
      const day = new Date('2026-11-25T08:00:00Z');
      const cas = await Promise.all(
        caKeys.map((k) => createCaCertificate(k.keyPem, caName('VN', k.keyPem, day), 3650)),
      );
      expect(new X509Certificate(cas[0]!).subject).not.toBe(new X509Certificate(cas[1]!).subject);
      const gw = await generateTlsKey();
      for (const signer of [0, 1]) {
        const cert = await issueGatewayCertificate({
          caKeyPem: caKeys[signer]!.keyPem,
          caCertPem: cas[signer]!,
          gatewayId: 'g1',
          host: '127.0.0.1',
          publicKeyPem: gw.publicPem,
          days: 1,
        });
        expect(new X509Certificate(cert).checkIssued(new X509Certificate(cas[signer]!))).toBe(true);
        expect(new X509Certificate(cert).checkIssued(new X509Certificate(cas[1 - signer]!))).toBe(false);
        expect(await handshake(cert, gw.keyPem, cas)).toBeNull();
        expect(await handshake(cert, gw.keyPem, [...cas].reverse())).toBeNull();
      }
    }
  });

  it('still issues certificates that verify under a CA made before key identifiers (as registries set up earlier hold)', async () => {
    const caKey = await generateTlsKey();
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = {
      privateKey: await webcrypto.subtle.importKey(
        'pkcs8',
        createPrivateKey(caKey.keyPem).export({ type: 'pkcs8', format: 'der' }),
        alg,
        true,
        ['sign'],
      ),
      publicKey: await webcrypto.subtle.importKey(
        'spki',
        createPublicKey(caKey.keyPem).export({ type: 'spki', format: 'der' }),
        alg,
        true,
        ['verify'],
      ),
    };
    const legacy = (
      await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: '01',
        name: 'CN=ndp exchange CA VN 2026-01-01',
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + 86_400_000),
        keys,
        signingAlgorithm: alg,
        extensions: [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
        ],
      })
    ).toString('pem');
    const gw = await generateTlsKey();
    const cert = await issueGatewayCertificate({
      caKeyPem: caKey.keyPem,
      caCertPem: legacy,
      gatewayId: 'g1',
      host: '127.0.0.1',
      publicKeyPem: gw.publicPem,
      days: 1,
    });
    expect(await handshake(cert, gw.keyPem, [legacy])).toBeNull();
  });
});
