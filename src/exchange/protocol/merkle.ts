import * as crypto from 'node:crypto';

/**
 * The Merkle tree of the exchange's evidence log, hashed as RFC 6962 / RFC
 * 9162 say: leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right),
 * the tree of n leaves split at the largest power of two below n. Proofs are
 * built from the leaf hashes and checked by the verification algorithms of
 * RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), so an auditor
 * holding an old tree head can prove the log only grew.
 */
// crypto.hash (Node ≥ 20.12) hashes without making a Hash object: the log and the batch signatures hash a lot
const oneShot = (crypto as unknown as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer }).hash;
const sha256 = (...parts: Uint8Array[]): Buffer => {
  if (oneShot) return oneShot('sha256', parts.length === 1 ? parts[0]! : Buffer.concat(parts), 'buffer');
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

export const leafHash = (entry: Uint8Array): Buffer => sha256(LEAF, entry);
export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => sha256(NODE, left, right);
/** The root of the empty tree: the hash of nothing. */
export const EMPTY_ROOT = sha256();

/** The largest power of two strictly below n (n > 1). */
const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/** MTH(D[n]) over leaf hashes. */
export function rootOf(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)));
}

/** PATH(m, D[n]): the audit path of leaf m. */
export function inclusionProof(leaves: readonly Buffer[], m: number): Buffer[] {
  if (m < 0 || m >= leaves.length) throw new RangeError(`leaf ${m} is not in a tree of ${leaves.length}`);
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...inclusionProof(leaves.slice(0, k), m), rootOf(leaves.slice(k))]
    : [...inclusionProof(leaves.slice(k), m - k), rootOf(leaves.slice(0, k))];
}

/** PROOF(m, D[n]): that the tree of the first m leaves is a prefix of the tree of n. */
export function consistencyProof(leaves: readonly Buffer[], m: number): Buffer[] {
  if (m < 0 || m > leaves.length) throw new RangeError(`no tree of ${m} inside a tree of ${leaves.length}`);
  if (m === 0 || m === leaves.length) return [];
  const sub = (d: readonly Buffer[], size: number, complete: boolean): Buffer[] => {
    if (size === d.length) return complete ? [] : [rootOf(d)];
    const k = split(d.length);
    return size <= k
      ? [...sub(d.slice(0, k), size, complete), rootOf(d.slice(k))]
      : [...sub(d.slice(k), size - k, false), rootOf(d.slice(0, k))];
  };
  return sub(leaves, m, true);
}

/**
 * The same proofs over a log too large to hold: `root(lo, n)` gives MTH of the n leaves from lo (the
 * store reads them, or combines subtree roots it kept). The recursion asks only for subtrees RFC 6962's
 * split makes, so `lo` is always a multiple of the largest power of two not above `n`.
 */
export type SubtreeRoot = (lo: number, n: number) => Promise<Buffer>;

export async function inclusionProofOf(root: SubtreeRoot, m: number, n: number, lo = 0): Promise<Buffer[]> {
  if (m < 0 || m >= n) throw new RangeError(`leaf ${m} is not in a tree of ${n}`);
  if (n === 1) return [];
  const k = split(n);
  return m < k
    ? [...(await inclusionProofOf(root, m, k, lo)), await root(lo + k, n - k)]
    : [...(await inclusionProofOf(root, m - k, n - k, lo + k)), await root(lo, k)];
}

export async function consistencyProofOf(root: SubtreeRoot, m: number, n: number): Promise<Buffer[]> {
  if (m < 0 || m > n) throw new RangeError(`no tree of ${m} inside a tree of ${n}`);
  if (m === 0 || m === n) return [];
  const sub = async (lo: number, length: number, size: number, complete: boolean): Promise<Buffer[]> => {
    if (size === length) return complete ? [] : [await root(lo, length)];
    const k = split(length);
    return size <= k
      ? [...(await sub(lo, k, size, complete)), await root(lo + k, length - k)]
      : [...(await sub(lo + k, length - k, size - k, false)), await root(lo, k)];
  };
  return sub(0, n, m, true);
}

/**
 * Subtree roots of a log kept on disk: the root of every complete block of `blockLeaves` leaves (a power
 * of two) is kept in `blocks`; anything else is computed from leaf hashes read back — at most a block's
 * worth per subtree the proofs ask for, whatever the log's size.
 */
export function blockedSubtreeRoot(
  blockLeaves: number,
  blocks: readonly Buffer[],
  readLeaves: (lo: number, n: number) => Promise<Buffer>,
): SubtreeRoot {
  const root: SubtreeRoot = async (lo, n) => {
    if (n === 0) return EMPTY_ROOT;
    if (lo % blockLeaves === 0 && n % blockLeaves === 0 && lo + n <= blocks.length * blockLeaves)
      return rootOf(blocks.slice(lo / blockLeaves, (lo + n) / blockLeaves));
    if (n > blockLeaves) {
      const k = split(n);
      return nodeHash(await root(lo, k), await root(lo + k, n - k));
    }
    const leaves = await readLeaves(lo, n);
    return rootOf(Array.from({ length: n }, (_, i) => leaves.subarray(i * 32, i * 32 + 32)));
  };
  return root;
}

const equal = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** RFC 9162 §2.1.3.2: is `leaf` at `index` in the tree of `size` whose root is `root`? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const r = rootFromInclusion(index, size, leaf, proof);
  return r !== undefined && equal(r, root);
}

/** The root an inclusion proof leads to (RFC 9162 §2.1.3.2 before its final comparison), or undefined for a malformed proof. */
export function rootFromInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/** RFC 9162 §2.1.4.2: is the tree of `first` leaves (root1) a prefix of the tree of `second` (root2)? */
export function verifyConsistency(
  first: number,
  second: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && equal(root1, root2);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = 2 ** Math.round(Math.log2(first)) === first ? [root1, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return equal(fr, root1) && equal(sr, root2) && sn === 0;
}

/**
 * The tree's right edge: the roots of its perfect subtrees, largest first. Appending a leaf merges
 * equal neighbours, so the root of a growing log costs O(log n) per entry instead of a rebuild.
 */
export class CompactRange {
  private readonly nodes: { size: number; hash: Buffer }[] = [];
  size = 0;
  /** `onSubtree` sees every perfect subtree as it is completed (its size and root), for a store that keeps some */
  constructor(private readonly onSubtree?: (size: number, hash: Buffer) => void) {}
  append(leaf: Buffer): void {
    let node = { size: 1, hash: leaf };
    while (this.nodes.length && this.nodes[this.nodes.length - 1]!.size === node.size) {
      const left = this.nodes.pop()!;
      node = { size: left.size * 2, hash: nodeHash(left.hash, node.hash) };
      this.onSubtree?.(node.size, node.hash);
    }
    this.nodes.push(node);
    this.size++;
  }
  /** The right edge's subtree roots, largest first: with the size, all a range needs to go on appending. */
  hashes(): Buffer[] {
    return this.nodes.map((n) => n.hash);
  }
  /** A range picked up from a saved size and right edge; false when the hashes do not fit the size. */
  restore(size: number, hashes: Buffer[]): boolean {
    const sizes: number[] = [];
    for (let bit = 2 ** Math.floor(Math.log2(Math.max(1, size))); bit >= 1; bit /= 2)
      if (Math.floor(size / bit) % 2 === 1) sizes.push(bit);
    if (
      this.size !== 0 ||
      !Number.isSafeInteger(size) ||
      size < 0 ||
      sizes.length !== hashes.length ||
      hashes.some((h) => h.length !== 32)
    )
      return false;
    this.nodes.push(...sizes.map((s, i) => ({ size: s, hash: hashes[i]! })));
    this.size = size;
    return true;
  }
  root(): Buffer {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let hash = this.nodes[this.nodes.length - 1]!.hash;
    for (let i = this.nodes.length - 2; i >= 0; i--) hash = nodeHash(this.nodes[i]!.hash, hash);
    return hash;
  }
}
