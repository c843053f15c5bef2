import { open, rename, stat } from 'node:fs/promises';
import { fdatasync, fsync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { consistencyProofOf, inclusionProofOf, leafHash } from '../protocol/merkle.js';
import { signCheckpoint } from '../protocol/checkpoint.js';
import { markAt, writeState } from './log-state.js';
import { closeSegment, compressSegment, segmentCheckpointsFile } from './segments.js';
import { LOG_FILES, type EvidenceLogOptions, type LogStatus } from './log-core.js';
import { OpeningLog, openLogFiles } from './log-open.js';

export { LOG_FILES, type AuditResult, type EvidenceLogOptions, type LogStatus } from './log-core.js';

const fsyncAsync = promisify(fsync);
const fdatasyncAsync = promisify(fdatasync);

/**
 * A gateway's evidence log: an append-only file of JSON entries (one per line; the line's bytes
 * are the Merkle leaf), their leaf hashes (written with each checkpoint), and signed checkpoints. Memory
 * holds only the tree's right edge, the leaf hashes since the last checkpoint and the root of every
 * complete block of `blockLeaves` leaves (32 bytes per 65,536 entries): a log of a billion entries
 * fits, and a proof reads at most a block's leaf hashes or two from disk. Appending only queues the entry;
 * a writer writes the queue in batches at known offsets and flushes each to the disk (fdatasync; a failed
 * write is retried at the same place, never doubled), and every `checkpointMs` the state is synced and signed.
 * An exchange waits for its own entry (`durable`) before its answer goes out, by group commit: while one
 * batch is written and flushed the next gathers, so many exchanges share one flush and a crash loses no entry
 * of an answer given. When the store keeps failing and the queue passes `maxPending`, `accepting` turns false
 * and the gateway refuses exchanges rather than make them unrecorded.
 *
 * Each checkpoint also saves where the tree stands (`log-state.ts`), so reopening hashes only the
 * entries after the last checkpoint and replays only those its owner asks for (`replaySince`); the
 * entries before are hashed again in the background (`audit`), and a changed one stops the log
 * accepting, as a log opened without a saved state refuses to open.
 */
export class EvidenceLog extends OpeningLog {
  static async open(dir: string, options: EvidenceLogOptions): Promise<EvidenceLog> {
    const { files, o } = await openLogFiles(dir, options);
    const log = new EvidenceLog(dir, files, o);
    await log.start();
    return log;
  }

  /**
   * Closes the entries file as a segment, the writer held back meanwhile (so every entry written is in it
   * and none is written to it after), and goes on in a new one; the segment is compressed in the background.
   */
  private async closeSegment(): Promise<void> {
    await this.flushing;
    let release!: () => void;
    this.flushing = new Promise<void>((r) => {
      release = r;
    });
    const exists = (file: string) =>
      stat(file).then(
        () => true,
        () => false,
      );
    try {
      const start = this.segmentStart;
      const end = this.range.size;
      const entriesPath = path.join(this.dir, LOG_FILES.entries);
      await this.files.entries.sync();
      await this.files.entries.close();
      let seg: Awaited<ReturnType<typeof closeSegment>> | undefined;
      try {
        seg = await closeSegment(this.dir, entriesPath, start, end);
      } finally {
        // the writer goes on in whichever file now holds the entries to come: the same one if it kept its name, else a new one
        if ((await exists(entriesPath)) && !seg) {
          this.files.entries = await open(entriesPath, 'r+');
        } else {
          this.files.entries = await open(entriesPath, 'w+');
          this.entriesBytes = 0;
          this.segmentStart = end;
        }
      }
      // the checkpoints signed while it was written go with it; the new file starts with the last one, which a reopening reads
      const checkpointsPath = path.join(this.dir, LOG_FILES.checkpoints);
      await this.files.checkpoints.sync();
      await this.files.checkpoints.close();
      try {
        await rename(checkpointsPath, segmentCheckpointsFile(this.dir, start, end));
      } finally {
        if (await exists(checkpointsPath)) {
          this.files.checkpoints = await open(checkpointsPath, 'r+');
        } else {
          this.files.checkpoints = await open(checkpointsPath, 'w+');
          this.checkpointBytes = 0;
          if (this.lastRecordLine) {
            await this.files.checkpoints.write(this.lastRecordLine, 0, this.lastRecordLine.length, 0);
            await this.files.checkpoints.sync();
            this.checkpointBytes = this.lastRecordLine.length;
          }
        }
      }
      if (this.o.compressSegments) this.compress(seg);
    } finally {
      this.flushing = undefined;
      release();
      this.kick();
    }
  }

  protected compress(seg: Parameters<typeof compressSegment>[0]): void {
    this.compressing = this.compressing
      .then(() => compressSegment(seg))
      .then(
        () => undefined,
        (err: Error) => {
          this.failures++;
          this.failing = `compressing a closed segment failed: ${err.message}`;
        },
      );
  }

  /** Resolves when the closed segments are compressed (for tests and for a careful stop). */
  compressed(): Promise<void> {
    return this.compressing;
  }

  get accepting(): boolean {
    return this.queue.length < this.o.maxPending && this.tampered === undefined;
  }

  /** Queues an entry and returns its index in the log. */
  append(entry: object): number {
    this.queue.push(Buffer.from(JSON.stringify(entry)));
    // one write for whatever arrives within flushMs; the 1 s timer retries a failed write
    if (!this.scheduled) {
      this.scheduled = setTimeout(() => {
        this.scheduled = undefined;
        void this.flush();
      }, this.o.flushMs);
      this.scheduled.unref();
    }
    return this.range.size + this.queue.length - 1;
  }

  /**
   * Resolves once the entry at `index` is written and flushed to the disk; rejects when the write or the flush
   * that should have carried it failed (the entry stays queued and is written later, but the caller must not
   * wait on a failing disk). Entries appended in the same turn of the event loop, and while a flush runs, share
   * the next flush.
   */
  durable(index: number): Promise<void> {
    if (index < this.range.size) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('the evidence log is closed'));
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ index, resolve, reject });
      this.kick();
    });
  }

  private waiters: { index: number; resolve: () => void; reject: (err: Error) => void }[] = [];
  private kicked: NodeJS.Immediate | undefined;

  /**
   * Starts a write for the entries someone waits on once the event loop goes quiet: at the first turn that brings no
   * new entry, or after 1 ms (the batch signer's rule). A flush costs a few hundred µs of CPU whatever it carries, so
   * the entries of exchanges finishing a turn or two apart share one.
   */
  private kick(): void {
    if (this.kicked || this.flushing || !this.waiters.length) return;
    const since = performance.now();
    let seen = this.queue.length;
    const settle = () => {
      if (this.queue.length > seen && performance.now() - since < 1) {
        seen = this.queue.length;
        this.kicked = setImmediate(settle);
        return;
      }
      this.kicked = undefined;
      void this.flush();
    };
    this.kicked = setImmediate(settle);
  }

  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.queue.length === 0) return;
    this.flushing = this.writeBatch().finally(() => {
      this.flushing = undefined;
      // what gathered meanwhile goes at once: this is the group commit
      if (this.waiters.length) void this.flush();
    });
    return this.flushing;
  }

  private async writeBatch(): Promise<void> {
    const batch = this.queue.slice(0, 20_000);
    const hashes = batch.map(leafHash);
    const text = Buffer.concat(batch.flatMap((b) => [b, NEWLINE]));
    try {
      await this.files.entries.write(text, 0, text.length, this.entriesBytes);
      await fdatasyncAsync(this.files.entries.fd);
    } catch (err) {
      this.failures++;
      this.failing = (err as Error).message;
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) w.reject(err as Error);
      return;
    }
    this.failing = undefined;
    this.entriesBytes += text.length;
    for (const h of hashes) this.addLeaf(h);
    this.queue.splice(0, batch.length);
    const size = this.range.size;
    if (this.waiters.length && this.waiters[0]!.index < size) {
      const still = [];
      for (const w of this.waiters)
        if (w.index < size) w.resolve();
        else still.push(w);
      this.waiters = still;
    }
  }

  /** Writes everything queued (unless the store fails). */
  async drain(): Promise<void> {
    while (this.queue.length && !this.failing) await this.flush();
  }

  private checkpointChain: Promise<unknown> = Promise.resolve();

  /** Syncs what is written and signs a checkpoint over it, if the log grew; one at a time (the timer and a closing may ask together). */
  checkpoint(): Promise<string | undefined> {
    const run = this.checkpointChain.then(() => this.checkpointNow());
    this.checkpointChain = run.catch(() => undefined);
    return run;
  }

  private async checkpointNow(): Promise<string | undefined> {
    await this.flush();
    // taken together, before anything else can be appended: the size, where it ends, the right edge, the owner's snapshot
    const size = this.range.size;
    const bytes = this.entriesBytes;
    const segment = this.segmentStart;
    // signed already: only a state to save, when the last was not for this size (a log just opened by hashing its entries)
    const signed = this.lastCheckpoint && this.lastCheckpoint.size === size ? this.lastCheckpoint.note : undefined;
    if (signed && this.stateSize === size) return signed;
    if (size === 0) return undefined;
    const root = this.range.root();
    const edge = this.range.hashes();
    const appended = size + this.queue.length;
    const snapshot = this.o.snapshot ? { index: appended, value: this.o.snapshot(appended) } : undefined;
    const blocks = Math.floor(size / this.o.blockLeaves);
    try {
      // the leaf hashes and block roots (what proofs and a quick reopening read) are written once per checkpoint
      await this.writeTail(size);
      await this.writeBlocks(blocks);
      await fsyncAsync(this.files.entries.fd);
      await fsyncAsync(this.files.leaves.fd);
      await fsyncAsync(this.files.blocks.fd);
      const now = Date.now();
      const note = signed ?? signCheckpoint({ origin: this.o.origin, size, root }, this.o.keyName, this.o.key);
      if (!signed) {
        const record = Buffer.from(`${JSON.stringify({ size, at: new Date(now).toISOString(), note })}\n`);
        await this.files.checkpoints.write(record, 0, record.length, this.checkpointBytes);
        await fsyncAsync(this.files.checkpoints.fd);
        this.checkpointBytes += record.length;
        this.lastRecordLine = record;
        this.lastCheckpoint = { size, note };
      }
      this.marks = markAt(this.marks, now, { size, segment, bytes });
      await writeState(this.dir, {
        v: 1,
        at: now,
        size,
        segment,
        bytes,
        range: edge.map((h) => h.toString('base64')),
        blocks,
        note,
        marks: this.marks,
        snapshot,
      });
      this.stateSize = size;
      if (this.entriesBytes >= this.o.segmentBytes) await this.closeSegment();
      return note;
    } catch (err) {
      this.failures++;
      this.failing = (err as Error).message;
      throw err;
    }
  }

  latestCheckpoint(): string | undefined {
    return this.lastCheckpoint?.note;
  }

  status(): LogStatus {
    return {
      size: this.range.size,
      pending: this.queue.length,
      checkpointSize: this.lastCheckpoint?.size ?? 0,
      failing: this.failing,
      failures: this.failures,
      leavesInMemory: this.tailLeaves,
      openedFrom: this.openedFrom,
      hashedAtOpen: this.hashedAtOpen,
      audit: this.auditState,
      segmentStart: this.segmentStart,
    };
  }

  /** Leaf hashes of entries `lo` … `lo + n − 1`, already written, concatenated (proof windows send them). */
  leafHashes(lo: number, n: number): Promise<Buffer> {
    if (lo < 0 || n < 0 || lo + n > this.range.size) throw new RangeError(`entries ${lo}+${n} are not all written`);
    return this.readLeaves(lo, n);
  }

  /** The root of the `n` leaves from `lo`, a subtree RFC 6962's split makes (a proof window's frontier is made of them). */
  subtreeRootOf(lo: number, n: number): Promise<Buffer> {
    if (lo < 0 || n < 1 || lo + n > this.range.size) throw new RangeError(`entries ${lo}+${n} are not all written`);
    return this.subtreeRoot(lo, n);
  }

  /**
   * Signs a checkpoint for an earlier size of this log, as the log signs its own: a proof window ends at the last
   * entry it needs, not at the last checkpoint, so that proofs built from it stay short. The caller computed `root`
   * from this log's own leaf hashes; the signed checkpoints file is not written (the window carries it).
   */
  signTreeHead(size: number, root: Buffer): string {
    if (!Number.isSafeInteger(size) || size < 1 || size > this.range.size)
      throw new RangeError(`the log holds no tree of ${size} entries`);
    return signCheckpoint({ origin: this.o.origin, size, root }, this.o.keyName, this.o.key);
  }

  inclusion(index: number, size: number): Promise<Buffer[]> {
    return inclusionProofOf(this.subtreeRoot, index, size);
  }

  consistency(from: number, to: number): Promise<Buffer[]> {
    return consistencyProofOf(this.subtreeRoot, from, to);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    if (this.scheduled) clearTimeout(this.scheduled);
    await this.flushing;
    await this.drain();
    for (const w of this.waiters.splice(0)) w.reject(new Error(this.failing ?? 'the evidence log is closed'));
    await this.checkpoint().catch(() => undefined);
    await this.audit;
    await Promise.all([
      this.files.entries.close(),
      this.files.leaves.close(),
      this.files.checkpoints.close(),
      this.files.blocks.close(),
    ]);
  }
}

const NEWLINE = Buffer.from('\n');
