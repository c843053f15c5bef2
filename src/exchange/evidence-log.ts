import { mkdir, open, readFile, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { fsync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { CompactRange, blockedSubtreeRoot, consistencyProofOf, inclusionProofOf, leafHash, type SubtreeRoot } from './merkle.js';
import { forEachLine } from './lines.js';
import { openCheckpoint, signCheckpoint, verifierKey } from './checkpoint.js';

/**
 * A gateway's evidence log: an append-only file of JSON entries (one per line; the line's bytes
 * are the Merkle leaf), their leaf hashes (written with each checkpoint), and signed checkpoints. Memory
 * holds only the tree's right edge, the leaf hashes since the last checkpoint and the root of every
 * complete block of `blockLeaves` leaves (32 bytes per 65,536 entries): a log of a billion entries
 * fits, and a proof reads at most a block's leaf hashes or two from disk. Appending only queues the entry;
 * a writer flushes the queue in batches at known offsets (a failed write is retried at the same
 * place, never doubled), and every `checkpointMs` the flushed state is synced to disk and signed.
 * Traffic waits on none of it; but when the store keeps failing and the queue passes `maxPending`,
 * `accepting` turns false and the gateway refuses exchanges rather than make them unrecorded.
 */
export interface EvidenceLogOptions {
  origin: string; keyName: string; key: KeyObject; checkpointMs?: number; flushMs?: number; maxPending?: number;
  /** leaves per block whose root is kept in memory (a power of two; small in tests) */
  blockLeaves?: number;
  /** sees every entry already in the log when it is opened (to rebuild counts such as today's quota use) */
  replay?: (line: Buffer) => void;
}
export interface LogStatus { size: number; pending: number; checkpointSize: number; failing?: string; failures: number; /** leaf hashes held in memory: those since the last checkpoint */ leavesInMemory: number }

const fsyncAsync = promisify(fsync);
export const LOG_FILES = { entries: 'entries.ndjson', leaves: 'leaves.bin', checkpoints: 'checkpoints.ndjson', vkey: 'log.vkey' } as const;

export class EvidenceLog {
  private queue: Buffer[] = [];
  /** leaf hashes from `leavesWritten` on, not yet in the leaves file */
  private tail = Buffer.alloc(32 * 1024);
  private tailLeaves = 0;
  private readonly blocks: Buffer[] = [];
  private readonly range: CompactRange;
  private readonly subtreeRoot: SubtreeRoot;
  private entriesBytes = 0;
  private checkpointBytes = 0;
  private flushing: Promise<void> | undefined;
  private scheduled: NodeJS.Timeout | undefined;
  private leavesWritten = 0;
  private timers: NodeJS.Timeout[] = [];
  private lastCheckpoint: { size: number; note: string } | undefined;
  private failing: string | undefined;
  failures = 0;
  readonly vkey: string;

  private constructor(readonly dir: string, private readonly files: { entries: FileHandle; leaves: FileHandle; checkpoints: FileHandle }, private readonly o: Required<EvidenceLogOptions>) {
    this.vkey = verifierKey(o.keyName, o.key);
    if (!(o.blockLeaves >= 2 && Number.isInteger(Math.log2(o.blockLeaves)))) throw new Error('blockLeaves must be a power of two');
    this.range = new CompactRange((size, hash) => { if (size === o.blockLeaves) this.blocks.push(hash); });
    // MTH of any leaves: whole blocks from their kept roots, the rest from leaf hashes read back
    this.subtreeRoot = blockedSubtreeRoot(o.blockLeaves, this.blocks, (lo, n) => this.readLeaves(lo, n));
  }

  static async open(dir: string, options: EvidenceLogOptions): Promise<EvidenceLog> {
    await mkdir(dir, { recursive: true });
    const o = { checkpointMs: 1000, flushMs: 20, maxPending: 100_000, blockLeaves: 65_536, replay: () => undefined, ...options };
    const entriesPath = path.join(dir, LOG_FILES.entries);
    const exists = await stat(entriesPath).then(() => true, () => false);
    const files = {
      entries: await open(entriesPath, exists ? 'r+' : 'w+'),
      leaves: await open(path.join(dir, LOG_FILES.leaves), 'w+'),
      checkpoints: await open(path.join(dir, LOG_FILES.checkpoints), 'a+'),
    };
    const log = new EvidenceLog(dir, files, o);
    await log.recover();
    await files.entries.sync();
    await writeFile(path.join(dir, LOG_FILES.vkey), `${log.vkey}\n`);
    log.timers.push(setInterval(() => { void log.checkpoint().catch(() => undefined); }, o.checkpointMs), setInterval(() => { if (log.queue.length) void log.flush(); }, 1000));
    for (const t of log.timers) t.unref();
    return log;
  }

  /**
   * Reads back what is on disk, a megabyte at a time (a torn last line is cut), rebuilds the leaf hashes
   * file, and refuses a history its own last checkpoint does not vouch for.
   */
  private async recover(): Promise<void> {
    const checkpoints = (await readFile(path.join(this.dir, LOG_FILES.checkpoints), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    const lastRecord = checkpoints.length ? JSON.parse(checkpoints[checkpoints.length - 1]!) as { size: number; note: string } : undefined;
    const vouched = lastRecord ? openCheckpoint(lastRecord.note, this.vkey) : undefined;
    this.checkpointBytes = Buffer.byteLength(checkpoints.map((c) => `${c}\n`).join(''));
    let matched = !vouched || vouched.size === 0;
    const { end } = await forEachLine(this.files.entries, (line) => {
      this.addLeaf(leafHash(line));
      this.o.replay(line);
      if (vouched && this.range.size === vouched.size) {
        if (!this.range.root().equals(vouched.root)) throw new Error('the evidence log does not match its last signed checkpoint: an entry was changed (run `ndp log verify`)');
        matched = true;
      }
    }, () => this.writeTail(this.range.size));
    if (!matched) throw new Error(`the evidence log holds ${this.range.size} entries but its last checkpoint vouches for ${vouched!.size}: entries were removed`);
    if (lastRecord) this.lastCheckpoint = lastRecord;
    this.entriesBytes = end;
    await this.files.entries.truncate(end);
  }

  private addLeaf(hash: Buffer): void {
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

  private tailChain: Promise<void> = Promise.resolve();
  /** Writes the leaf hashes up to `size` to the leaves file and lets them go from memory; one write at a time. */
  private writeTail(size: number): Promise<void> {
    const run = this.tailChain.then(() => this.writeTailNow(size));
    this.tailChain = run.catch(() => undefined);
    return run;
  }

  private async writeTailNow(size: number): Promise<void> {
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

  /** Leaf hashes lo … lo + n − 1: from the file, and those since the last checkpoint from memory. */
  private async readLeaves(lo: number, n: number): Promise<Buffer> {
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

  async leafAt(i: number): Promise<Buffer> { return this.readLeaves(i, 1); }
  get size(): number { return this.range.size; }
  get accepting(): boolean { return this.queue.length < this.o.maxPending; }

  /** Queues an entry and returns its index in the log. */
  append(entry: object): number {
    this.queue.push(Buffer.from(JSON.stringify(entry)));
    // one write for whatever arrives within flushMs; the 1 s timer retries a failed write
    if (!this.scheduled) {
      this.scheduled = setTimeout(() => { this.scheduled = undefined; void this.flush(); }, this.o.flushMs);
      this.scheduled.unref();
    }
    return this.range.size + this.queue.length - 1;
  }

  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.queue.length === 0) return;
    this.flushing = this.writeBatch().finally(() => { this.flushing = undefined; });
    return this.flushing;
  }

  private async writeBatch(): Promise<void> {
    const batch = this.queue.slice(0, 20_000);
    const hashes = batch.map(leafHash);
    const text = Buffer.concat(batch.flatMap((b) => [b, NEWLINE]));
    try {
      await this.files.entries.write(text, 0, text.length, this.entriesBytes);
    } catch (err) {
      this.failures++;
      this.failing = (err as Error).message;
      return;
    }
    this.failing = undefined;
    this.entriesBytes += text.length;
    for (const h of hashes) this.addLeaf(h);
    this.queue.splice(0, batch.length);
  }

  /** Writes everything queued (unless the store fails). */
  async drain(): Promise<void> {
    while (this.queue.length && !this.failing) await this.flush();
  }

  /** Syncs what is written and signs a checkpoint over it, if the log grew. */
  async checkpoint(): Promise<string | undefined> {
    await this.flush();
    const size = this.range.size;
    if (this.lastCheckpoint && this.lastCheckpoint.size === size) return this.lastCheckpoint.note;
    if (size === 0) return undefined;
    const root = this.range.root();
    try {
      // the leaf hashes (a diagnostic copy: the entries are the record) are written once per checkpoint
      await this.writeTail(size);
      await fsyncAsync(this.files.entries.fd);
      await fsyncAsync(this.files.leaves.fd);
      const note = signCheckpoint({ origin: this.o.origin, size, root }, this.o.keyName, this.o.key);
      const record = Buffer.from(`${JSON.stringify({ size, at: new Date().toISOString(), note })}\n`);
      await this.files.checkpoints.write(record, 0, record.length, this.checkpointBytes);
      await fsyncAsync(this.files.checkpoints.fd);
      this.checkpointBytes += record.length;
      this.lastCheckpoint = { size, note };
      return note;
    } catch (err) {
      this.failures++;
      this.failing = (err as Error).message;
      throw err;
    }
  }

  latestCheckpoint(): string | undefined { return this.lastCheckpoint?.note; }

  status(): LogStatus {
    return { size: this.range.size, pending: this.queue.length, checkpointSize: this.lastCheckpoint?.size ?? 0, failing: this.failing, failures: this.failures, leavesInMemory: this.tailLeaves };
  }

  inclusion(index: number, size: number): Promise<Buffer[]> { return inclusionProofOf(this.subtreeRoot, index, size); }
  consistency(from: number, to: number): Promise<Buffer[]> { return consistencyProofOf(this.subtreeRoot, from, to); }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    if (this.scheduled) clearTimeout(this.scheduled);
    await this.flushing;
    await this.drain();
    await this.checkpoint().catch(() => undefined);
    await Promise.all([this.files.entries.close(), this.files.leaves.close(), this.files.checkpoints.close()]);
  }
}

const NEWLINE = Buffer.from('\n');
