import { CompactRange, nodeHash, rootOf } from './merkle.js';

/**
 * A proof window: what the registry keeps of a provider gateway's log so that it can build the inclusion proof of
 * any entry in [from, from + leaves) against the gateway's signed checkpoint of size `from + leaves`, without ever
 * asking the gateway. It holds the leaf hashes of the window and the frontier at `from` — the roots of the maximal
 * complete subtrees covering [0, from), largest first, at most 64 of them (as many as `from` has one bits). Every
 * sibling in such a proof that lies wholly before `from` is one of those frontier roots; the rest are built from the
 * window's leaves (`frontierCovers` in the test checks the claim over every leaf of many trees).
 */
export interface ProofWindow {
  from: number;
  /** the frontier at `from`, largest subtree first */
  frontier: Buffer[];
  /** leaf hashes from `from` on; the window's tree size is from + leaves.length */
  leaves: Buffer[];
}

/** The sizes of the frontier's subtrees at `from`: its one bits, largest first. */
export function frontierSizes(from: number): number[] {
  const sizes: number[] = [];
  for (let bit = 2 ** Math.floor(Math.log2(Math.max(1, from))); bit >= 1; bit /= 2)
    if (Math.floor(from / bit) % 2 === 1) sizes.push(bit);
  return sizes;
}

/** The root of the tree of `from + leaves.length` leaves, from the window alone; undefined when the frontier does not fit `from`. */
export function windowRoot(w: ProofWindow): Buffer | undefined {
  const range = new CompactRange();
  if (!range.restore(w.from, w.frontier)) return undefined;
  for (const leaf of w.leaves) range.append(leaf);
  return range.root();
}

const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/**
 * MTH of the `n` leaves from `lo` as the window knows them: frontier roots before `from`, the window's leaves after,
 * both across it. Synchronous and without copying the leaves: a page of 50 proofs is built on the request's path.
 */
export function windowSubtreeRoot(w: ProofWindow): (lo: number, n: number) => Buffer {
  const frontierAt = new Map<number, { size: number; hash: Buffer }>();
  let start = 0;
  for (const [i, size] of frontierSizes(w.from).entries()) {
    frontierAt.set(start, { size, hash: w.frontier[i]! });
    start += size;
  }
  const fromLeaves = (lo: number, n: number): Buffer => {
    if (n === 1) return w.leaves[lo - w.from]!;
    const k = split(n);
    return nodeHash(fromLeaves(lo, k), fromLeaves(lo + k, n - k));
  };
  const root = (lo: number, n: number): Buffer => {
    if (lo >= w.from) return n === 0 ? rootOf([]) : fromLeaves(lo, n);
    if (lo + n <= w.from) {
      const kept = frontierAt.get(lo);
      if (!kept || kept.size !== n)
        throw new Error(`the subtree of ${n} leaves at ${lo} is not in the window’s frontier`);
      return kept.hash;
    }
    const k = split(n);
    return nodeHash(root(lo, k), root(lo + k, n - k));
  };
  return root;
}

/** The audit path of entry `index` in the window's tree (RFC 9162 §2.1.3.1 order, PATH(m, D[n])). */
export function windowInclusion(w: ProofWindow, index: number): Buffer[] {
  const size = w.from + w.leaves.length;
  if (!Number.isSafeInteger(index) || index < w.from || index >= size)
    throw new RangeError(`entry ${index} is not in the window [${w.from}, ${size})`);
  const root = windowSubtreeRoot(w);
  const path: Buffer[] = [];
  const walk = (m: number, n: number, lo: number): void => {
    if (n === 1) return;
    const k = split(n);
    if (m < k) {
      walk(m, k, lo);
      path.push(root(lo + k, n - k));
    } else {
      walk(m - k, n - k, lo + k);
      path.push(root(lo, k));
    }
  };
  walk(index, size, 0);
  return path;
}

/** Leaf hashes packed as one buffer of 32-byte hashes (how the registry stores them) and back. */
export const packHashes = (hashes: readonly Buffer[]): Buffer => Buffer.concat(hashes);
export function unpackHashes(packed: Uint8Array): Buffer[] {
  const b = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  if (b.length % 32 !== 0) throw new Error('packed hashes are not a whole number of SHA-256 hashes');
  return Array.from({ length: b.length / 32 }, (_, i) => b.subarray(i * 32, i * 32 + 32));
}
