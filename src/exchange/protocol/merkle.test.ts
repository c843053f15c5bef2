import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

// RFC 6962's eight test leaves, and vectors from transparency-dev/merkle (test/fixtures/merkle/SOURCES.md).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (h) => leafHash(Buffer.from(h, 'hex')),
);
const fixture = (name: string) =>
  JSON.parse(fs.readFileSync(new URL(`../../../test/fixtures/merkle/${name}.json`, import.meta.url), 'utf8'));
const b64 = (s: string) => Buffer.from(s, 'base64');

describe("the evidence log's Merkle tree (RFC 6962 / 9162)", () => {
  it('hashes the RFC 6962 test leaves to their known roots', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(rootOf(LEAVES.slice(0, 1)).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(rootOf(LEAVES).toString('hex')).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
    expect(rootOf(LEAVES.slice(0, 7)).toString('base64')).toBe(fixture('consistency-4-happy-path').root2);
    expect(rootOf(LEAVES.slice(0, 6)).toString('base64')).toBe(fixture('consistency-4-happy-path').root1);
  });

  it('verifies the reference inclusion vectors, and refuses the wrong leaf', () => {
    for (const [name, ok] of [
      ['inclusion-1-happy-path', true],
      ['inclusion-1-wrong-leaf', false],
    ] as const) {
      const v = fixture(name);
      expect(verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash), v.proof.map(b64), b64(v.root))).toBe(ok);
      expect(v.wantErr).toBe(!ok);
    }
    const v = fixture('inclusion-1-happy-path');
    expect(inclusionProof(LEAVES, 0).map((x) => x.toString('base64'))).toEqual(v.proof);
  });

  it('verifies the reference consistency vectors, and refuses swapped roots', () => {
    for (const [name, ok] of [
      ['consistency-1-happy-path', true],
      ['consistency-4-happy-path', true],
      ['consistency-1-swapped-roots', false],
    ] as const) {
      const v = fixture(name);
      expect(verifyConsistency(v.size1, v.size2, b64(v.root1), b64(v.root2), v.proof.map(b64))).toBe(ok);
    }
    const v = fixture('consistency-4-happy-path');
    expect(consistencyProof(LEAVES.slice(0, 7), 6).map((x) => x.toString('base64'))).toEqual(v.proof);
  });

  it('proves every leaf and every prefix of trees up to 40 leaves, and catches any changed hash', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    for (let n = 1; n <= leaves.length; n++) {
      const tree = leaves.slice(0, n);
      const root = rootOf(tree);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(tree, m);
        expect(verifyInclusion(m, n, tree[m]!, proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash(Buffer.from('forged')), proof, root)).toBe(false);
        if (proof.length) {
          const bent = proof.map((p, i) => (i === 0 ? Buffer.from(p.map((b, j) => (j === 0 ? b ^ 1 : b))) : p));
          expect(verifyInclusion(m, n, tree[m]!, bent, root)).toBe(false);
        }
      }
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(tree, m);
        expect(verifyConsistency(m, n, rootOf(tree.slice(0, m)), root, proof)).toBe(true);
        if (m > 0 && m < n) expect(verifyConsistency(m, n, rootOf(leaves.slice(1, m + 1)), root, proof)).toBe(false); // a rewritten history
      }
    }
    expect(verifyInclusion(5, 5, LEAVES[0]!, [], rootOf(LEAVES))).toBe(false);
    expect(verifyConsistency(8, 7, rootOf(LEAVES), rootOf(LEAVES.slice(0, 7)), [])).toBe(false);
  });
});
