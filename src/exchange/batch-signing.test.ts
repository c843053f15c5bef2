import { describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { BatchSigner, BatchVerifier } from './batch-signing.js';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicKey = createPublicKey(privateKey);
const msg = (i: number) => Buffer.from(`ndp-request-v1\nGET\n/r1/VN/GOV/M/S/citizens/citizens/${String(i).padStart(12, '0')}`);

describe('batch signatures', () => {
  it('signs the messages of one turn with one signature, each with its own proof, and verifies each', async () => {
    const signer = new BatchSigner(privateKey);
    const sigs = await Promise.all(Array.from({ length: 7 }, (_, i) => signer.sign(msg(i))));
    expect(new Set(sigs.map((s) => s.split('.')[0])).size).toBe(1); // one signature
    expect(sigs.map((s) => s.split('.').slice(1, 3).join('/'))).toEqual(['0/7', '1/7', '2/7', '3/7', '4/7', '5/7', '6/7']);
    const verifier = new BatchVerifier();
    for (const [i, s] of sigs.entries()) expect(verifier.verify(msg(i), s, publicKey, 'gw'), `message ${i}`).toBe(true);
    expect([verifier.checks, verifier.messages]).toEqual([1, 7]);
    // a fresh verifier (nothing remembered) agrees
    expect(new BatchVerifier().verify(msg(3), sigs[3]!, publicKey, 'gw')).toBe(true);
  });

  it('refuses a changed message, a proof of another message, another key, and a mangled signature', async () => {
    const signer = new BatchSigner(privateKey);
    const sigs = await Promise.all([0, 1, 2, 3].map((i) => signer.sign(msg(i))));
    const verifier = new BatchVerifier();
    expect(verifier.verify(msg(0), sigs[0]!, publicKey, 'gw')).toBe(true); // its root is now remembered
    expect(verifier.verify(msg(9), sigs[0]!, publicKey, 'gw')).toBe(false);
    expect(verifier.verify(msg(1), sigs[0]!, publicKey, 'gw')).toBe(false);
    const other = createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    expect(new BatchVerifier().verify(msg(1), sigs[1]!, other, 'gw')).toBe(false);
    // what is remembered is per signer: another gateway presenting the same signature is checked afresh
    expect(verifier.verify(msg(1), sigs[1]!, other, 'gw2')).toBe(false);
    const [sig, , , ...proof] = sigs[2]!.split('.');
    expect(verifier.verify(msg(2), [sig, 2, 3, ...proof].join('.'), publicKey, 'gw')).toBe(false); // wrong size
    expect(verifier.verify(msg(2), [sig, 2, 4].join('.'), publicKey, 'gw')).toBe(false); // proof dropped
    expect(verifier.verify(msg(2), `${sig!.slice(0, -2)}AA.2.4.${proof.join('.')}`, publicKey, 'gw')).toBe(false);
    for (const junk of ['', 'x', 'a.b.c', `${sig}.0.65`, `${sig}.-1.4`]) expect(verifier.verify(msg(2), junk, publicKey, 'gw'), junk).toBe(false);
  });

  it('checks a batch once for all its messages, and counts what it saved', async () => {
    const signer = new BatchSigner(privateKey);
    const sigs = await Promise.all(Array.from({ length: 5 }, (_, i) => signer.sign(msg(i))));
    expect([signer.signatures, signer.messages]).toEqual([1, 5]);
    const verifier = new BatchVerifier();
    const results = sigs.map((s, i) => verifier.verify(msg(i), s, publicKey, 'gw'));
    expect(results).toEqual([true, true, true, true, true]);
    expect([verifier.checks, verifier.messages]).toEqual([1, 5]);
    // a message that is not in the batch is refused, its root being another
    expect([verifier.verify(msg(1), sigs[1]!, publicKey, 'gw'), verifier.verify(msg(7), sigs[1]!, publicKey, 'gw')]).toEqual([true, false]);
  });

  it('signs a lone message on its own', async () => {
    const s = await new BatchSigner(privateKey).sign(msg(5));
    expect(s.split('.')).toHaveLength(3);
    const verifier = new BatchVerifier();
    expect(verifier.verify(msg(5), s, publicKey, 'gw')).toBe(true);
    // nothing else shares its signature, so nothing is kept to save a later check: the same one again is checked again
    expect(verifier.verify(msg(5), s, publicKey, 'gw')).toBe(true);
    expect(verifier.verify(msg(6), s, publicKey, 'gw')).toBe(false);
    expect([verifier.checks, verifier.messages]).toEqual([3, 2]);
  });
});

describe('batch proofs', () => {
  it('are the RFC 6962 audit paths merkle.ts computes, for every batch size', async () => {
    const { inclusionProof, leafHash } = await import('./merkle.js');
    for (const n of [1, 2, 3, 5, 8, 13, 64]) {
      const signer = new BatchSigner(privateKey);
      const sigs = await Promise.all(Array.from({ length: n }, (_, i) => signer.sign(msg(i))));
      const leaves = Array.from({ length: n }, (_, i) => leafHash(msg(i)));
      sigs.forEach((s, i) => expect(s.split('.').slice(3), `${i} of ${n}`).toEqual(n > 1 ? inclusionProof(leaves, i).map((p) => p.toString('base64url')) : []));
    }
  });
});
