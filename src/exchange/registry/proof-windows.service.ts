import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { invalid } from '../../platform/errors.js';
import { openCheckpoint, verifierKey } from '../protocol/checkpoint.js';
import { ed25519FromRaw } from '../protocol/pki.js';
import {
  frontierSizes,
  unpackHashes,
  windowInclusion,
  windowRoot,
  type ProofWindow,
} from '../protocol/proof-window.js';
import type { RecordProof, RecordRef } from '../protocol/record-proof.js';
import { ProofWindowsRepository, type NewProofWindow } from './proof-windows.repository.js';
import type { GatewayRow } from './registry.rows.js';
import type { RegistryOptions } from './registry.rules.js';
import { PROOF_WINDOW_MAX_LEAVES, type ProofWindowsReport } from './registry.schema.js';

/**
 * Proofs for access records, built by the registry alone. The registry never calls a gateway: provider gateways send
 * it proof windows (`protocol/proof-window.ts`) for the entries of their logs that made access records, each checked
 * here on receipt — the root rebuilt from its frontier and leaves must be the root of a checkpoint signed by the
 * gateway's registered key, for the gateway's own log — and refused otherwise. From a window the registry builds the
 * RFC 9162 inclusion proof of any of its entries, with the signed checkpoint and the key to check it by.
 */
export class ProofWindowsService {
  private readonly repo: ProofWindowsRepository;

  constructor(
    db: Kysely<any>,
    private readonly o: RegistryOptions,
  ) {
    this.repo = new ProofWindowsRepository(db);
  }

  /** The name a gateway's log signs its checkpoints under (the gateway's `origin`). */
  private origin(gatewayId: string): string {
    return `${this.o.instance}/exchange/gateway/${gatewayId}`;
  }

  // verifier keys are asked for on every page of records: made once per gateway (bounded; emptied when full)
  private readonly vkeys = new Map<string, string>();
  private verifierKeyOf(gatewayId: string, signingKey: string): string {
    const cacheKey = `${gatewayId}/${signingKey}`;
    let vkey = this.vkeys.get(cacheKey);
    if (!vkey) {
      if (this.vkeys.size >= 10_000) this.vkeys.clear();
      vkey = verifierKey(this.origin(gatewayId), ed25519FromRaw(signingKey) as KeyObject);
      this.vkeys.set(cacheKey, vkey);
    }
    return vkey;
  }

  /**
   * Keeps a gateway's proof windows once each is checked; a window that does not verify refuses the whole call,
   * naming it (none is kept: the gateway sends again what it still has). Internal: the caller authenticated `g`.
   */
  async receive(g: GatewayRow, body: ProofWindowsReport): Promise<{ accepted: number }> {
    const vkey = this.verifierKeyOf(g.id, g.signing_key);
    const origin = this.origin(g.id);
    const kept: NewProofWindow[] = [];
    for (const [i, w] of body.windows.entries()) {
      const refuse = (vi: string, en: string) =>
        invalid([
          {
            field: `windows[${i}]`,
            vi: `Cửa sổ bằng chứng từ mục ${w.from}: ${vi}`,
            en: `The proof window from entry ${w.from}: ${en}`,
          },
        ]);
      let window: ProofWindow;
      try {
        window = {
          from: w.from,
          frontier: unpackHashes(Buffer.from(w.frontier, 'base64')),
          leaves: unpackHashes(Buffer.from(w.leaves, 'base64')),
        };
      } catch {
        throw refuse('các mã băm không đủ 32 byte.', 'its hashes are not whole 32-byte hashes.');
      }
      if (!window.leaves.length || window.leaves.length > PROOF_WINDOW_MAX_LEAVES)
        throw refuse(
          `phải có từ 1 đến ${PROOF_WINDOW_MAX_LEAVES} lá.`,
          `it must hold 1 to ${PROOF_WINDOW_MAX_LEAVES} leaves.`,
        );
      if (window.frontier.length !== frontierSizes(w.from).length)
        throw refuse('biên của cây không khớp vị trí bắt đầu.', 'its frontier does not fit its start.');
      let checkpoint: ReturnType<typeof openCheckpoint>;
      try {
        checkpoint = openCheckpoint(w.checkpoint, vkey);
      } catch {
        throw refuse(
          'điểm kiểm tra không mang chữ ký hợp lệ của cổng.',
          'its checkpoint is not signed by the gateway’s registered key.',
        );
      }
      const size = w.from + window.leaves.length;
      const root = windowRoot(window);
      if (checkpoint.origin !== origin || checkpoint.size !== size || !root || !root.equals(checkpoint.root))
        throw refuse(
          'gốc dựng lại từ biên và các lá không phải gốc của điểm kiểm tra đã ký.',
          'the root rebuilt from its frontier and leaves is not the root its checkpoint signs.',
        );
      kept.push({
        from: w.from,
        size,
        frontier: Buffer.from(w.frontier, 'base64'),
        leaves: Buffer.from(w.leaves, 'base64'),
        checkpoint: w.checkpoint,
      });
    }
    await this.repo.insertWindows(g.id, kept);
    return { accepted: kept.length };
  }

  /**
   * The proof of each record, in the order asked; null where the registry has no window for its entry yet (the
   * gateway sends windows once its log has signed them). Internal: the caller checked the person may see them.
   */
  async recordProofs(refs: RecordRef[]): Promise<(RecordProof | null)[]> {
    const rows = await this.repo.windowsFor(refs, PROOF_WINDOW_MAX_LEAVES);
    const out: (RecordProof | null)[] = refs.map(() => null);
    for (const row of rows) {
      const at = Number(row.n) - 1;
      const ref = refs[at]!;
      const window: ProofWindow = {
        from: Number(row.from_index),
        frontier: unpackHashes(row.frontier),
        leaves: unpackHashes(row.leaves),
      };
      const proof = windowInclusion(window, ref.logIndex);
      out[at] = {
        gateway: row.gateway_id,
        index: ref.logIndex,
        leaf: window.leaves[ref.logIndex - window.from]!.toString('base64'),
        treeSize: Number(row.tree_size),
        proof: proof.map((h) => h.toString('base64')),
        checkpoint: row.checkpoint,
        verifierKey: this.verifierKeyOf(row.gateway_id, row.signing_key),
      };
    }
    return out;
  }
}
