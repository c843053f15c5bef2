import { CompactRange, inclusionProofOf, nodeHash, rootOf, type SubtreeRoot } from './merkle.js';

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

/** Subtree roots as the window knows them: frontier roots before `from`, the window's leaves after, both across it. */
export function windowSubtreeRoot(w: ProofWindow): SubtreeRoot {
  const frontierAt = new Map<string, Buffer>();
  let lo = 0;
  for (const [i, size] of frontierSizes(w.from).entries()) {
    frontierAt.set(`${lo}/${size}`, w.frontier[i]!);
    lo += size;
  }
  const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));
  const root = (lo: number, n: number): Buffer => {
    if (lo >= w.from) return rootOf(w.leaves.slice(lo - w.from, lo - w.from + n));
    if (lo + n <= w.from) {
      const kept = frontierAt.get(`${lo}/${n}`);
      if (!kept) throw new Error(`the subtree of ${n} leaves at ${lo} is not in the window’s frontier`);
      return kept;
    }
    const k = split(n);
    return nodeHash(root(lo, k), root(lo + k, n - k));
  };
  return async (lo, n) => root(lo, n);
}

/** The audit path of entry `index` in the window's tree (RFC 9162 §2.1.3.1 order). */
export async function windowInclusion(w: ProofWindow, index: number): Promise<Buffer[]> {
  const size = w.from + w.leaves.length;
  if (index < w.from || index >= size) throw new RangeError(`entry ${index} is not in the window [${w.from}, ${size})`);
  return inclusionProofOf(windowSubtreeRoot(w), index, size);
}

/** Leaf hashes packed as one buffer of 32-byte hashes (how the registry stores them) and back. */
export const packHashes = (hashes: readonly Buffer[]): Buffer => Buffer.concat(hashes);
export function unpackHashes(packed: Uint8Array): Buffer[] {
  const b = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  if (b.length % 32 !== 0) throw new Error('packed hashes are not a whole number of SHA-256 hashes');
  return Array.from({ length: b.length / 32 }, (_, i) => b.subarray(i * 32, i * 32 + 32));
}
