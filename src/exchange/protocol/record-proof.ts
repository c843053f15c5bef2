import { openCheckpoint, parseVerifierKey, type Checkpoint } from './checkpoint.js';
import { rootFromInclusion } from './merkle.js';

/**
 * The proof that a read of a person's data is in the provider gateway's evidence log: the entry's leaf hash, its
 * RFC 9162 inclusion proof in the tree of `treeSize` entries, and the gateway's C2SP signed checkpoint of that tree,
 * with the note verifier key to check it by. Anyone can check it offline (`ndp log prove`, or the page's script),
 * trusting only the gateway's key as the registry's signed configuration publishes it.
 */
export interface RecordProof {
  /** The provider gateway's id (the registry's). */
  gateway: string;
  /** The entry's index in that gateway's log. */
  index: number;
  /** SHA-256(0x00 ‖ entry line), base64. */
  leaf: string;
  /** The size of the tree the checkpoint signs. */
  treeSize: number;
  /** The audit path from the leaf to the checkpoint's root, base64 hashes, RFC 9162 §2.1.3 order. */
  proof: string[];
  /** The signed note as the gateway signed it (origin, size, root; a blank line; signature lines). */
  checkpoint: string;
  /** The gateway's C2SP note verifier key: `<name>+<key hash hex>+<base64 of 0x01 ‖ Ed25519 public key>`. */
  verifierKey: string;
}

/** Where a record sits: its provider gateway and index, as access records keep them. */
export interface RecordRef {
  gatewayId: string;
  logIndex: number;
}

export type RecordProofCheck = { ok: true } | { ok: false; reason: { vi: string; en: string } };

const fail = (vi: string, en: string): RecordProofCheck => ({ ok: false, reason: { vi, en } });
const isHash = (b64: unknown) => typeof b64 === 'string' && /^[A-Za-z0-9+/]{43}=$/.test(b64);

/**
 * Checks a record's proof offline: the leaf and its audit path lead to a root (RFC 9162 §2.1.3.2), that root and
 * the tree size are the checkpoint's, and the checkpoint is signed by `p.verifierKey` (or by `pinnedKey`, a key the
 * checker trusts of its own, when given). The browser's `/assets/record-proof.js` checks the same, in the same
 * order, with the same reasons.
 */
export function verifyRecordProof(p: RecordProof, pinnedKey?: string): RecordProofCheck {
  if (
    !p ||
    typeof p !== 'object' ||
    !Number.isSafeInteger(p.index) ||
    !Number.isSafeInteger(p.treeSize) ||
    !Array.isArray(p.proof) ||
    typeof p.checkpoint !== 'string' ||
    typeof p.verifierKey !== 'string'
  )
    return fail('Bằng chứng không đúng định dạng.', 'The proof is not in the expected form.');
  if (!isHash(p.leaf)) return fail('Mã băm lá không hợp lệ.', 'The leaf hash is not a SHA-256 hash.');
  if (!p.proof.every(isHash))
    return fail('Đường kiểm chứng chứa giá trị không phải mã băm.', 'The audit path holds a value that is not a hash.');
  const key = pinnedKey ?? p.verifierKey;
  if (pinnedKey !== undefined && pinnedKey.trim() !== p.verifierKey.trim())
    return fail(
      'Khoá kiểm chứng trong bằng chứng khác khoá đã chỉ định.',
      'The proof names a verifier key other than the one pinned.',
    );
  try {
    parseVerifierKey(key);
  } catch {
    return fail(
      'Khoá kiểm chứng của cổng không hợp lệ.',
      'The gateway’s verifier key is not a valid Ed25519 note verifier key.',
    );
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(p.checkpoint, key);
  } catch {
    return fail(
      'Điểm kiểm tra không mang chữ ký hợp lệ của cổng (hoặc đã bị sửa).',
      'The checkpoint does not carry a valid signature by the gateway’s key (or it was changed).',
    );
  }
  if (checkpoint.size !== p.treeSize)
    return fail(
      `Kích thước cây (${p.treeSize}) khác kích thước trong điểm kiểm tra (${checkpoint.size}).`,
      `The tree size (${p.treeSize}) is not the checkpoint’s (${checkpoint.size}).`,
    );
  const root = rootFromInclusion(
    p.index,
    p.treeSize,
    Buffer.from(p.leaf, 'base64'),
    p.proof.map((h) => Buffer.from(h, 'base64')),
  );
  if (!root)
    return fail(
      'Đường kiểm chứng không khớp với vị trí và kích thước cây.',
      'The audit path does not fit the entry’s index and the tree size.',
    );
  if (!Buffer.from(root).equals(checkpoint.root))
    return fail(
      'Lá và đường kiểm chứng không dẫn tới gốc đã ký trong điểm kiểm tra.',
      'The leaf and its audit path do not lead to the root the checkpoint signs.',
    );
  return { ok: true };
}
