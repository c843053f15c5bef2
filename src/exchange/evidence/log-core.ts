import type { FileHandle } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { CompactRange, blockedSubtreeRoot, type SubtreeRoot } from '../protocol/merkle.js';
import { verifierKey } from '../protocol/checkpoint.js';
import { BLOCKS_FILE, STATE_FILE, type LogMark } from './log-state.js';

export interface EvidenceLogOptions {
  origin: string;
  keyName: string;
  key: KeyObject;
  checkpointMs?: number;
  flushMs?: number;
  maxPending?: number;
  /** leaves per block whose root is kept in memory (a power of two; small in tests) */
  blockLeaves?: number;
  /** the share of the process's time the background check of a reopened log may take (0.2; 1: as fast as it can) */
  auditShare?: number;
  /**
   * sees the entries already in the log when it is opened (to rebuild counts such as today's quota use):
   * all of them, or, when the log opens from its saved state, those from about `replaySince` on;
   * `afterSnapshot` says whether the entry came after the snapshot given to `restore`; `index` is its place in the log
   */
  replay?: (line: Buffer, afterSnapshot: boolean, index: number) => void;
  /** a time (ms): entries before it need not be replayed; a function is asked after `restore` (the snapshot may move it) */
  replaySince?: number | (() => number);
  /** the owner's state, saved with each checkpoint, taken when `appended` entries had been appended… */
  snapshot?: (appended: number) => unknown;
  /** …and given back when the log opens from its saved state, before the entries after it are replayed */
  restore?: (snapshot: unknown) => void;
  /** past this size the entries file is closed as a segment at the next checkpoint (1 GiB) … */
  segmentBytes?: number;
  /** … and compressed (gzip), so that it takes a fraction of the room and may be moved to an archive */
  compressSegments?: boolean;
}
export interface LogStatus {
  size: number;
  pending: number;
  checkpointSize: number;
  failing?: string;
  failures: number;
  /** leaf hashes held in memory: those since the last checkpoint */ leavesInMemory: number;
  /** how the log was opened: from its saved state, or by hashing every entry; and how many it hashed */
  openedFrom: 'state' | 'entries';
  hashedAtOpen: number;
  /** the background check of the entries before the saved state */
  audit: 'running' | 'passed' | 'failed' | 'not needed';
  /** the first entry of the file being written: those before are in closed segments */
  segmentStart: number;
}
export interface AuditResult {
  ok: boolean;
  entries: number;
  problem?: string /** entries in segments not here (archived): checked only through their leaf hashes */;
  archived?: number;
}

export const LOG_FILES = {
  entries: 'entries.ndjson',
  leaves: 'leaves.bin',
  checkpoints: 'checkpoints.ndjson',
  vkey: 'log.vkey',
  state: STATE_FILE,
  blocks: BLOCKS_FILE,
} as const;

/** The options with their defaults filled in. */
export type LogOptions = Required<Omit<EvidenceLogOptions, 'replaySince' | 'snapshot' | 'restore'>> &
  Pick<EvidenceLogOptions, 'replaySince' | 'snapshot' | 'restore'>;
export type LogFileHandles = { entries: FileHandle; leaves: FileHandle; checkpoints: FileHandle; blocks: FileHandle };

/**
 * What the evidence log holds in memory and on disk, and the leaf hashes' way to the leaves file: shared by its
 * opening (`log-open.ts`) and its writing (`evidence-log.ts`, where the whole story is told).
 */
export abstract class LogCore {
  protected queue: Buffer[] = [];
  /** leaf hashes from `leavesWritten` on, not yet in the leaves file */
  protected tail = Buffer.alloc(32 * 1024);
  protected tailLeaves = 0;
  protected readonly blocks: Buffer[] = [];
  protected readonly range: CompactRange;
  protected readonly subtreeRoot: SubtreeRoot;
  protected entriesBytes = 0;
  protected checkpointBytes = 0;
  protected flushing: Promise<void> | undefined;
  protected scheduled: NodeJS.Timeout | undefined;
  protected leavesWritten = 0;
  protected timers: NodeJS.Timeout[] = [];
  protected lastCheckpoint: { size: number; note: string } | undefined;
  protected failing: string | undefined;
  protected tampered: string | undefined;
  protected blocksWritten = 0;
  protected marks: LogMark[] = [];
  protected openedFrom: LogStatus['openedFrom'] = 'entries';
  protected hashedAtOpen = 0;
  protected auditState: LogStatus['audit'] = 'not needed';
  protected closed = false;
  protected segmentStart = 0;
  /** the last checkpoint record written, as its line: the first of a new checkpoints file */
  protected lastRecordLine: Buffer | undefined;
  /** the size the saved state stands for */
  protected stateSize = -1;
  protected compressing: Promise<void> = Promise.resolve();
  /** the background check of the entries a saved state stood for (resolved at once when there was none) */
  audit: Promise<AuditResult> = Promise.resolve({ ok: true, entries: 0 });
  failures = 0;
  readonly vkey: string;

  protected constructor(
    readonly dir: string,
    protected files: LogFileHandles,
    protected readonly o: Required<Omit<EvidenceLogOptions, 'replaySince' | 'snapshot' | 'restore'>> &
      Pick<EvidenceLogOptions, 'replaySince' | 'snapshot' | 'restore'>,
  ) {
    this.vkey = verifierKey(o.keyName, o.key);
    if (!(o.blockLeaves >= 2 && Number.isInteger(Math.log2(o.blockLeaves))))
      throw new Error('blockLeaves must be a power of two');
    this.range = new CompactRange((size, hash) => {
      if (size === o.blockLeaves) this.blocks.push(hash);
    });
    // MTH of any leaves: whole blocks from their kept roots, the rest from leaf hashes read back
    this.subtreeRoot = blockedSubtreeRoot(o.blockLeaves, this.blocks, (lo, n) => this.readLeaves(lo, n));
  }

  protected addLeaf(hash: Buffer): void {
    const at = this.tailLeaves * 32;
    if (at + 32 > this.tail.length) {
      const grown = Buffer.alloc(this.tail.length * 2);
      this.tail.copy(grown, 0, 0, at);
      this.tail = grown;
    }
    hash.copy(this.tail, at);
    this.tailLeaves++;
    this.range.append(hash);
  }

  protected tailChain: Promise<void> = Promise.resolve();
  /** Writes the leaf hashes up to `size` to the leaves file and lets them go from memory; one write at a time. */
  protected writeTail(size: number): Promise<void> {
    const run = this.tailChain.then(() => this.writeTailNow(size));
    this.tailChain = run.catch(() => undefined);
    return run;
  }

  protected async writeTailNow(size: number): Promise<void> {
    const from = this.leavesWritten;
    const n = size - from;
    if (n <= 0) return;
    await this.files.leaves.write(this.tail, 0, n * 32, from * 32);
    // appends made meanwhile are kept: the tail is cut at what was written
    const rest = this.tail.subarray(n * 32, this.tailLeaves * 32);
    const kept = Buffer.alloc(Math.max(32 * 1024, rest.length * 2));
    rest.copy(kept);
    this.tail = kept;
    this.tailLeaves -= n;
    this.leavesWritten = size;
  }

  protected async writeBlocks(count: number): Promise<void> {
    if (count <= this.blocksWritten) return;
    const roots = Buffer.concat(this.blocks.slice(this.blocksWritten, count));
    await this.files.blocks.write(roots, 0, roots.length, this.blocksWritten * 32);
    this.blocksWritten = count;
  }

  /** Leaf hashes lo … lo + n − 1: from the file, and those since the last checkpoint from memory. */
  protected async readLeaves(lo: number, n: number): Promise<Buffer> {
    const written = this.leavesWritten;
    const tail = this.tail;
    const out = Buffer.alloc(n * 32);
    const fromFile = Math.max(0, Math.min(lo + n, written) - lo);
    if (fromFile > 0) {
      const { bytesRead } = await this.files.leaves.read(out, 0, fromFile * 32, lo * 32);
      if (bytesRead !== fromFile * 32) throw new Error('the leaf hashes file is shorter than the log');
    }
    if (fromFile < n) tail.copy(out, fromFile * 32, (lo + fromFile - written) * 32, (lo + n - written) * 32);
    return out;
  }

  async leafAt(i: number): Promise<Buffer> {
    return this.readLeaves(i, 1);
  }
  get size(): number {
    return this.range.size;
  }
}
