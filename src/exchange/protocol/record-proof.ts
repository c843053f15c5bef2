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
