import { describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { BatchSigner, BatchVerifier } from './batch-signing.js';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicKey = createPublicKey(privateKey);
const msg = (i: number) =>
  Buffer.from(`ndp-request-v1\nGET\n/r1/VN/GOV/M/S/citizens/citizens/${String(i).padStart(12, '0')}`);

describe('batch signatures', () => {
  it('signs the messages of one turn with one signature, each with its own proof, and verifies each', async () => {
    const signer = new BatchSigner(privateKey);
    const sigs = await Promise.all(Array.from({ length: 7 }, (_, i) => signer.sign(msg(i))));
    expect(new Set(sigs.map((s) => s.split('.')[0])).size).toBe(1); // one signature
    expect(sigs.map((s) => s.split('.').slice(1, 3).join('/'))).toEqual([
      '0/7',
      '1/7',
      '2/7',
      '3/7',
      '4/7',
      '5/7',
      '6/7',
    ]);
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
    for (const junk of ['', 'x', 'a.b.c', `${sig}.0.65`, `${sig}.-1.4`])
      expect(verifier.verify(msg(2), junk, publicKey, 'gw'), junk).toBe(false);
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
    expect([
      verifier.verify(msg(1), sigs[1]!, publicKey, 'gw'),
      verifier.verify(msg(7), sigs[1]!, publicKey, 'gw'),
    ]).toEqual([true, false]);
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

describe('when a batch is signed', () => {
  const nextTurn = () => new Promise<void>((r) => setImmediate(r));

  it('waits while each turn of the event loop brings more messages, and signs them together once a turn brings none', async () => {
    const signer = new BatchSigner(privateKey, 1_000);
    const sigs: Promise<string>[] = [];
    for (let i = 0; i < 6; i++) {
      sigs.push(signer.sign(msg(i)));
      await nextTurn();
    }
    const all = await Promise.all(sigs);
    expect(new Set(all.map((s) => s.split('.')[0])).size).toBe(1);
    expect([signer.signatures, signer.messages]).toEqual([1, 6]);
    const verifier = new BatchVerifier();
    for (const [i, s] of all.entries()) expect(verifier.verify(msg(i), s, publicKey, 'gw')).toBe(true);
  });

  it('signs a lone message after one quiet turn, without waiting for its time limit', async () => {
    const signer = new BatchSigner(privateKey, 60_000);
    const late = new Promise((r) => setTimeout(() => r('timer'), 50));
    expect(await Promise.race([signer.sign(msg(1)), late])).not.toBe('timer');
  });

  it('does not wait past its limit for a stream of messages that never goes quiet, nor past a full batch', async () => {
    const signer = new BatchSigner(privateKey, 2);
    const sigs: Promise<string>[] = [];
    const until = performance.now() + 60;
    let firstSigned = -1;
    while (performance.now() < until) {
      const p = signer.sign(msg(sigs.length));
      if (sigs.length === 0)
        void p.then(() => {
          firstSigned = sigs.length;
        });
      sigs.push(p);
      await nextTurn();
    }
    await Promise.all(sigs);
    expect(firstSigned).toBeGreaterThan(0);
    expect(firstSigned).toBeLessThan(sigs.length); // the first was signed while messages still came
    expect(signer.signatures).toBeGreaterThan(1);
    // 200 messages in one turn: batches of at most 64, each whole
    const one = new BatchSigner(privateKey);
    const many = await Promise.all(Array.from({ length: 200 }, (_, i) => one.sign(msg(i))));
    expect(many.map((s) => Number(s.split('.')[2])).sort((a, b) => b - a)[0]).toBe(64);
    expect(one.messages).toBe(200);
    const verifier = new BatchVerifier();
    for (const [i, s] of many.entries()) expect(verifier.verify(msg(i), s, publicKey, 'gw'), `message ${i}`).toBe(true);
  });
});

describe('batch proofs', () => {
  it('are the RFC 6962 audit paths merkle.ts computes, for every batch size', async () => {
    const { inclusionProof, leafHash } = await import('./merkle.js');
    for (const n of [1, 2, 3, 5, 8, 13, 64]) {
      const signer = new BatchSigner(privateKey);
      const sigs = await Promise.all(Array.from({ length: n }, (_, i) => signer.sign(msg(i))));
      const leaves = Array.from({ length: n }, (_, i) => leafHash(msg(i)));
      for (const [i, s] of sigs.entries()) {
        expect(s.split('.').slice(3), `${i} of ${n}`).toEqual(
          n > 1 ? inclusionProof(leaves, i).map((p) => p.toString('base64url')) : [],
        );
      }
    }
  });
});
