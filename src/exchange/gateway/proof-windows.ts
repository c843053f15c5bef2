import type { EvidenceLog } from '../evidence/evidence-log.js';
import { CompactRange } from '../protocol/merkle.js';
import { frontierSizes } from '../protocol/proof-window.js';

/**
 * At most this many entries in a proof window: the registry builds a proof from a window with about as many hashes,
 * and a page of 50 records must cost it little (64 entries made a page five times dearer). The registry accepts up to 64.
 */
export const WINDOW_LEAVES = 16;

/** A proof window as sent to the registry (`/api/v1/exchange/proof-windows`): hashes concatenated, base64. */
export interface WindowToSend {
  from: number;
  frontier: string;
  leaves: string;
  checkpoint: string;
}

/**
 * The provider's log entries that made access records and whose proof window the registry has not acknowledged yet,
 * in log order. Each report turns the first of them into windows: [first, last + 1) of a run of entries at most
 * `WINDOW_LEAVES` apart, the frontier at its start (kept as a running right edge of the tree, so a window costs a
 * hash per entry since the last one, not a read of the log) and a checkpoint the log signs for the window's end.
 *
 * A window waits as its records do: the gateway's saved mark (`AccessRecordQueue.oldest`) is the older of the first
 * record and the first window not acknowledged, so a gateway that starts again rebuilds both from the log.
 */
export class ProofWindowQueue {
  private indexes: number[] = [];
  private ats: string[] = [];
  private head = 0;
  /** the tree's right edge at `range.size`, where the last window ended */
  private range: CompactRange | undefined;
  /** entries let go unsent because too many waited (their records get no proof) */
  dropped = 0;
  /** windows the registry refused (it found them wrong): counted, not sent again */
  refused = 0;

  constructor(private readonly max = 2_000_000) {}

  get length(): number {
    return this.indexes.length - this.head;
  }

  add(index: number, at: string): void {
    if (!Number.isSafeInteger(index)) return;
    this.indexes.push(index);
    this.ats.push(at);
    if (this.length > this.max) {
      this.dropped += this.length - this.max;
      this.head = this.indexes.length - this.max;
      this.compact();
    }
  }

  /** The first entry whose window the registry has not acknowledged. */
  oldest(): { index: number; at: string } | undefined {
    return this.length ? { index: this.indexes[this.head]!, at: this.ats[this.head]! } : undefined;
  }

  /**
   * Windows for the first waiting entries the log has written, up to `maxWindows`; `count` entries are covered, to
   * pass to `done` once the registry took them.
   */
  async build(log: EvidenceLog, maxWindows = 100): Promise<{ windows: WindowToSend[]; count: number }> {
    const size = log.size;
    const windows: WindowToSend[] = [];
    let i = this.head;
    while (i < this.indexes.length && windows.length < maxWindows) {
      const from = this.indexes[i]!;
      if (from >= size) break;
      let j = i + 1;
      while (j < this.indexes.length) {
        const next = this.indexes[j]!;
        if (next < from || next >= from + WINDOW_LEAVES || next >= size) break;
        j++;
      }
      const to = Math.max(...this.indexes.slice(i, j)) + 1;
      const range = await this.rangeAt(log, from);
      const frontier = Buffer.concat(range.hashes());
      const leaves = await log.leafHashes(from, to - from);
      for (let k = 0; k < to - from; k++) range.append(leaves.subarray(k * 32, k * 32 + 32));
      windows.push({
        from,
        frontier: frontier.toString('base64'),
        leaves: leaves.toString('base64'),
        checkpoint: log.signTreeHead(to, range.root()),
      });
      i = j;
    }
    return { windows, count: i - this.head };
  }

  /** The registry took (or refused for good) the first `count` entries' windows. */
  done(count: number): void {
    this.head += count;
    this.compact();
  }

  /** A call failed: the windows built are sent again, so the right edge starts again from where they start. */
  retry(): void {
    this.range = undefined;
  }

  /** The tree's right edge at `from`: carried on from the last window, or made from the log's subtree roots. */
  private async rangeAt(log: EvidenceLog, from: number): Promise<CompactRange> {
    if (this.range && this.range.size <= from && from - this.range.size <= 1 << 20) {
      for (let lo = this.range.size; lo < from; ) {
        const n = Math.min(65_536, from - lo);
        const leaves = await log.leafHashes(lo, n);
        for (let k = 0; k < n; k++) this.range.append(leaves.subarray(k * 32, k * 32 + 32));
        lo += n;
      }
      return this.range;
    }
    const roots: Buffer[] = [];
    let lo = 0;
    for (const size of frontierSizes(from)) {
      roots.push(await log.subtreeRootOf(lo, size));
      lo += size;
    }
    const range = new CompactRange();
    if (!range.restore(from, roots)) throw new Error(`no right edge of the log at ${from}`);
    this.range = range;
    return range;
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.indexes.length) {
      this.indexes = this.indexes.slice(this.head);
      this.ats = this.ats.slice(this.head);
      this.head = 0;
    }
  }
}
