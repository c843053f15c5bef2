import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCheckpoint, verifierKey } from './checkpoint.js';
import { inclusionProof, rootOf } from './merkle.js';
import { frontierSizes, windowInclusion, windowRoot, type ProofWindow } from './proof-window.js';
import { verifyRecordProof, type RecordProof } from './record-proof.js';

// the browser's verifier, run here on Node's WebCrypto: the same file the page loads (a plain script, untyped)
const browserModule: string = new URL('../../web/assets/record-proof.js', import.meta.url).href;
const { verifyRecordProof: verifyInBrowser } = (await import(browserModule)) as {
  verifyRecordProof: (p: unknown, pinnedKey?: string) => Promise<ReturnType<typeof verifyRecordProof>>;
};

const leaves = (n: number) => Array.from({ length: n }, () => randomBytes(32));
const frontierOf = (all: Buffer[], from: number): Buffer[] => {
  let lo = 0;
  return frontierSizes(from).map((size) => {
    const r = rootOf(all.slice(lo, lo + size));
    lo += size;
    return r;
  });
};
const windowOf = (all: Buffer[], from: number, to: number): ProofWindow => ({
  from,
  frontier: frontierOf(all, from),
  leaves: all.slice(from, to),
});

describe('proof windows', () => {
  it('build every inclusion proof of their entries from the frontier and their leaves alone (frontierCovers)', async () => {
    // every sibling lying wholly before the window is a frontier root: windowInclusion throws otherwise
    for (let size = 1; size <= 24; size++) {
      const all = leaves(size);
      for (let from = 0; from < size; from++) {
        const w = windowOf(all, from, size);
        expect(windowRoot(w)).toEqual(rootOf(all));
        for (let i = from; i < size; i++) expect(await windowInclusion(w, i)).toEqual(inclusionProof(all, i));
      }
    }
  });

  it('over a large tree, at awkward starts', async () => {
    const all = leaves(5000);
    for (const from of [0, 1, 1023, 1024, 2047, 4095, 4096, 4999]) {
      const w = windowOf(all, from, 5000);
      expect(windowRoot(w)).toEqual(rootOf(all));
      expect(await windowInclusion(w, 4999)).toEqual(inclusionProof(all, 4999));
      expect(await windowInclusion(w, from)).toEqual(inclusionProof(all, from));
    }
  });

  it('refuse a frontier that does not fit the start, and an entry outside', async () => {
    const all = leaves(10);
    expect(windowRoot({ from: 5, frontier: frontierOf(all, 4), leaves: all.slice(5) })).toBeUndefined();
    expect(() => windowInclusion(windowOf(all, 5, 10), 4)).toThrow(RangeError);
  });
});

function proofVector() {
  const { privateKey } = generateKeyPairSync('ed25519');
  const name = 'gw.example.vn';
  const all = leaves(77);
  const index = 41;
  const p: RecordProof = {
    gateway: '00000000-0000-4000-8000-000000000001',
    index,
    leaf: all[index]!.toString('base64'),
    treeSize: all.length,
    proof: inclusionProof(all, index).map((h) => h.toString('base64')),
    checkpoint: signCheckpoint({ origin: name, size: all.length, root: rootOf(all) }, name, privateKey),
    verifierKey: verifierKey(name, privateKey),
  };
  return p;
}

const other = () => verifierKey('gw.example.vn', generateKeyPairSync('ed25519').privateKey);
const flip = (b64: string) => {
  const b = Buffer.from(b64, 'base64');
  b[0] = b[0]! ^ 1;
  return b.toString('base64');
};

describe('verifyRecordProof (Node, and the browser module on WebCrypto)', () => {
  const good = proofVector();
  const cases: [string, (p: RecordProof) => RecordProof, string][] = [
    ['a changed leaf', (p) => ({ ...p, leaf: flip(p.leaf) }), 'do not lead to the root'],
    ['a changed path', (p) => ({ ...p, proof: [flip(p.proof[0]!), ...p.proof.slice(1)] }), 'do not lead to the root'],
    ['a path cut short', (p) => ({ ...p, proof: p.proof.slice(1) }), 'does not fit'],
    ['another index', (p) => ({ ...p, index: p.index + 1 }), 'do not lead to the root'],
    ['a changed checkpoint', (p) => ({ ...p, checkpoint: p.checkpoint.replace('\n77\n', '\n78\n') }), 'signature'],
    ['a changed size', (p) => ({ ...p, treeSize: 78 }), 'is not the checkpoint’s'],
    ['another gateway’s key', (p) => ({ ...p, verifierKey: other() }), 'signature'],
    [
      'a broken key',
      (p) => ({ ...p, verifierKey: p.verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+') }),
      'verifier key',
    ],
    ['not a proof', () => ({}) as RecordProof, 'expected form'],
  ];

  it('accepts a good proof, both ways', async () => {
    expect(verifyRecordProof(good)).toEqual({ ok: true });
    expect(await verifyInBrowser(good)).toEqual({ ok: true });
    expect(await verifyInBrowser(JSON.stringify(good))).toEqual({ ok: true });
    expect(verifyRecordProof(good, good.verifierKey)).toEqual({ ok: true });
  });

  for (const [what, tamper, reason] of cases)
    it(`refuses ${what}, with the same reason both ways`, async () => {
      const node = verifyRecordProof(tamper(good));
      const browser = await verifyInBrowser(tamper(good));
      expect(node.ok).toBe(false);
      expect(browser).toEqual(node);
      if (!node.ok) {
        expect(node.reason.en).toContain(reason);
        expect(node.reason.vi.length).toBeGreaterThan(10);
      }
    });

  it('refuses a proof naming a key other than the one pinned', async () => {
    const pinned = other();
    const node = verifyRecordProof(good, pinned);
    expect(node.ok).toBe(false);
    expect(await verifyInBrowser(good, pinned)).toEqual(node);
  });
});
