import { mkdir, open, rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { fsync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import {
  CompactRange,
  blockedSubtreeRoot,
  consistencyProofOf,
  inclusionProofOf,
  leafHash,
  type SubtreeRoot,
} from '../protocol/merkle.js';
import { openCheckpoint, signCheckpoint, verifierKey, type Checkpoint } from './checkpoint.js';
import {
  BLOCKS_FILE,
  STATE_FILE,
  lastLine,
  markAt,
  readState,
  replayStart,
  writeState,
  type LogMark,
  type SavedState,
} from './log-state.js';
import {
  LOG_START,
  closeSegment,
  closedCheckpointFiles,
  closedSegments,
  compressSegment,
  currentStart,
  forEachLogLine,
  segmentCheckpointsFile,
  type LogPosition,
} from './segments.js';

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
 *
 * Each checkpoint also saves where the tree stands (`log-state.ts`), so reopening hashes only the
 * entries after the last checkpoint and replays only those its owner asks for (`replaySince`); the
 * entries before are hashed again in the background (`audit`), and a changed one stops the log
 * accepting, as a log opened without a saved state refuses to open.
 */
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
   * `afterSnapshot` says whether the entry came after the snapshot given to `restore`
   */
  replay?: (line: Buffer, afterSnapshot: boolean) => void;
  /** a time (ms): entries before it need not be replayed */
  replaySince?: number;
  /** the owner's state, saved with each checkpoint… */
  snapshot?: () => unknown;
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

const fsyncAsync = promisify(fsync);
export const LOG_FILES = {
  entries: 'entries.ndjson',
  leaves: 'leaves.bin',
  checkpoints: 'checkpoints.ndjson',
  vkey: 'log.vkey',
  state: STATE_FILE,
  blocks: BLOCKS_FILE,
} as const;

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
  private tampered: string | undefined;
  private blocksWritten = 0;
  private marks: LogMark[] = [];
  private openedFrom: LogStatus['openedFrom'] = 'entries';
  private hashedAtOpen = 0;
  private auditState: LogStatus['audit'] = 'not needed';
  private closed = false;
  private segmentStart = 0;
  /** the last checkpoint record written, as its line: the first of a new checkpoints file */
  private lastRecordLine: Buffer | undefined;
  /** the size the saved state stands for */
  private stateSize = -1;
  private compressing: Promise<void> = Promise.resolve();
  /** the background check of the entries a saved state stood for (resolved at once when there was none) */
  audit: Promise<AuditResult> = Promise.resolve({ ok: true, entries: 0 });
  failures = 0;
  readonly vkey: string;

  private constructor(
    readonly dir: string,
    private files: { entries: FileHandle; leaves: FileHandle; checkpoints: FileHandle; blocks: FileHandle },
    private readonly o: Required<Omit<EvidenceLogOptions, 'replaySince' | 'snapshot' | 'restore'>> &
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

  static async open(dir: string, options: EvidenceLogOptions): Promise<EvidenceLog> {
    await mkdir(dir, { recursive: true });
    const o = {
      checkpointMs: 1000,
      flushMs: 20,
      maxPending: 100_000,
      blockLeaves: 65_536,
      replay: () => undefined,
      segmentBytes: 1024 ** 3,
      compressSegments: true,
      auditShare: 0.2,
      ...options,
    };
    const openRW = async (name: string) =>
      open(
        path.join(dir, name),
        await stat(path.join(dir, name)).then(
          () => 'r+',
          () => 'w+',
        ),
      );
    const files = {
      entries: await openRW(LOG_FILES.entries),
      leaves: await openRW(LOG_FILES.leaves),
      checkpoints: await openRW(LOG_FILES.checkpoints),
      blocks: await openRW(LOG_FILES.blocks),
    };
    const log = new EvidenceLog(dir, files, o);
    const closed = await closedSegments(dir);
    log.segmentStart = await currentStart(dir, closed);
    await log.recover();
    // opened by hashing every entry: the state is saved now, so that the next opening need not do it again
    if (log.openedFrom === 'entries' && log.size > 0) await log.checkpoint();
    // segments closed but not yet compressed when the gateway last stopped
    if (o.compressSegments) for (const seg of closed.filter((c) => !c.gz)) log.compress(seg);
    await files.entries.sync();
    await writeFile(path.join(dir, LOG_FILES.vkey), `${log.vkey}\n`);
    log.timers.push(
      setInterval(() => {
        void log.checkpoint().catch(() => undefined);
      }, o.checkpointMs),
      setInterval(() => {
        if (log.queue.length) void log.flush();
      }, 1000),
    );
    for (const t of log.timers) t.unref();
    return log;
  }

  /**
   * Reads back what is on disk, a megabyte at a time (a torn last line is cut), and refuses a history its
   * own last checkpoint does not vouch for. From a saved state, only the entries after it are hashed (and
   * those the owner wants replayed are read); without one, every entry is, and the leaf hashes and block
   * roots are written again.
   */
  private async recover(): Promise<void> {
    const last = await lastLine(this.files.checkpoints);
    this.checkpointBytes = last.bytes;
    // a checkpoints file left empty by a crash while a segment was closed: the last checkpoint went with the segment
    let line = last.line;
    if (!line) {
      const archived = (await closedCheckpointFiles(this.dir)).at(-1);
      if (archived) {
        const f = await open(archived, 'r');
        try {
          line = (await lastLine(f)).line;
        } finally {
          await f.close();
        }
      }
    }
    if (line) this.lastRecordLine = Buffer.from(`${line}\n`);
    const lastRecord = line ? (JSON.parse(line) as { size: number; note: string }) : undefined;
    const vouched = lastRecord ? openCheckpoint(lastRecord.note, this.vkey) : undefined;
    const saved = await this.resume(await readState(this.dir), vouched);
    if (!saved) {
      await this.files.leaves.truncate(0);
      await this.files.blocks.truncate(0);
    }
    const startAt = saved ? this.replayFrom(saved) : LOG_START;
    const snapshotIndex = saved?.snapshot?.index ?? 0;
    let matched = !vouched || vouched.size <= this.range.size;
    const { end } = await forEachLogLine(
      this.dir,
      { file: this.files.entries, start: this.segmentStart },
      startAt,
      (line, index) => {
        if (index >= this.range.size) {
          this.addLeaf(leafHash(line));
          this.hashedAtOpen++;
          if (vouched && this.range.size === vouched.size) {
            if (!this.range.root().equals(vouched.root))
              throw new Error(
                'the evidence log does not match its last signed checkpoint: an entry was changed (run `ndp log verify`)',
              );
            matched = true;
          }
        }
        this.o.replay(line, index >= snapshotIndex);
      },
      {
        afterChunk: () => this.writeTail(this.range.size),
        onMissing: async (from, to) => {
          // the owner loses a replay of entries archived away; the tree cannot do without those it must hash
          if (to > this.range.size)
            throw new Error(
              `entries ${from}–${to - 1} of the evidence log are not in ${path.join(this.dir, 'segments')}${saved ? '' : ' and there is no saved state to open from'}: put the archived segments back to open it`,
            );
        },
      },
    );
    if (!matched)
      throw new Error(
        `the evidence log holds ${this.range.size} entries but its last checkpoint vouches for ${vouched!.size}: entries were removed`,
      );
    if (lastRecord) this.lastCheckpoint = lastRecord;
    this.entriesBytes = end;
    await this.files.entries.truncate(end);
    if (saved) {
      this.openedFrom = 'state';
      this.auditState = 'running';
      this.audit = this.check(saved);
    }
  }

  /**
   * Takes up a saved state when it holds: its checkpoint signed by this log's key and no older than the last
   * one recorded, its right edge giving the signed root, the files at least as long as it says.
   */
  private async resume(s: SavedState | undefined, vouched: Checkpoint | undefined): Promise<SavedState | undefined> {
    if (!s || !vouched) return undefined;
    let signed: Checkpoint;
    try {
      signed = openCheckpoint(s.note, this.vkey);
    } catch {
      return undefined;
    }
    if (signed.size !== s.size || vouched.size < s.size || s.blocks !== Math.floor(s.size / this.o.blockLeaves))
      return undefined;
    const [entries, leaves, blocks] = await Promise.all([
      this.files.entries.stat(),
      this.files.leaves.stat(),
      this.files.blocks.stat(),
    ]);
    if (
      (s.segment === this.segmentStart && entries.size < s.bytes) ||
      s.segment > this.segmentStart ||
      leaves.size < s.size * 32 ||
      blocks.size < s.blocks * 32
    )
      return undefined;
    const edge = s.range.map((h) => Buffer.from(h, 'base64'));
    const trial = new CompactRange();
    if (!trial.restore(s.size, edge) || !trial.root().equals(signed.root)) return undefined;
    this.range.restore(s.size, edge);
    const roots = Buffer.alloc(s.blocks * 32);
    await this.files.blocks.read(roots, 0, roots.length, 0);
    for (let i = 0; i < s.blocks; i++) this.blocks.push(roots.subarray(i * 32, i * 32 + 32));
    await this.files.leaves.truncate(s.size * 32);
    await this.files.blocks.truncate(s.blocks * 32);
    this.leavesWritten = s.size;
    this.blocksWritten = s.blocks;
    this.stateSize = s.size;
    this.marks = s.marks;
    if (s.snapshot) this.o.restore?.(s.snapshot.value);
    return s;
  }

  /** Where reading starts: at the saved state, or earlier when the owner wants older entries replayed. */
  private replayFrom(s: SavedState): LogPosition {
    if (this.o.replaySince === undefined) return LOG_START;
    return replayStart(s, this.o.replaySince);
  }

  /**
   * Hashes the entries a saved state stood for again, a quarter megabyte at a time between other work, and
   * compares them with the leaf hashes, block roots and signed root the log now relies on. A difference
   * stops the log accepting: the gateway then refuses exchanges, as it would refuse to open the log.
   */
  private async check(s: SavedState): Promise<AuditResult> {
    let problem: string | undefined;
    let pending: Buffer[] = [];
    let pendingFrom = 0;
    let archived = 0;
    const fail = (p: string) => {
      problem ??= p;
    };
    // a block completes as the leaf after the first range.size is appended
    const range: CompactRange = new CompactRange((size, hash) => {
      if (size !== this.o.blockLeaves) return;
      const i = (range.size + 1) / this.o.blockLeaves - 1;
      if (i < s.blocks && !this.blocks[i]!.equals(hash))
        fail(`block ${i} of the kept block roots does not match the entries`);
    });
    // paced: the check takes about `auditShare` of the gateway's time (a day's log is hours of hashing at most, and traffic keeps the rest)
    let since = performance.now();
    const compare = async () => {
      const mine = Buffer.concat(pending);
      pending = [];
      const kept = Buffer.alloc(mine.length);
      await this.files.leaves.read(kept, 0, kept.length, pendingFrom * 32);
      for (let i = 0; i * 32 < mine.length && !problem; i++) {
        if (!kept.subarray(i * 32, i * 32 + 32).equals(mine.subarray(i * 32, i * 32 + 32)))
          fail(
            `entry ${pendingFrom + i} differs from its recorded leaf hash: an entry or the leaf hashes were changed`,
          );
      }
      if (this.closed || problem) throw new StopCheck();
      const worked = performance.now() - since;
      const rest = this.o.auditShare >= 1 ? 0 : worked * (1 / this.o.auditShare - 1);
      await new Promise((r) => (rest >= 1 ? setTimeout(r, rest) : setImmediate(r)));
      since = performance.now();
    };
    // its own handle on the entries file: a segment closed meanwhile renames the file and replaces the writer's handle,
    // and this one goes on reading the same file under its new name
    const start = this.segmentStart;
    const entries = await open(path.join(this.dir, LOG_FILES.entries), 'r');
    try {
      await forEachLogLine(
        this.dir,
        { file: entries, start, to: s.segment === start ? s.bytes : undefined },
        LOG_START,
        (line, index) => {
          const h = leafHash(line);
          if (!pending.length) pendingFrom = index;
          pending.push(h);
          range.append(h);
        },
        {
          toIndex: s.size,
          chunkBytes: 256 * 1024,
          afterChunk: compare,
          // entries archived away: their recorded leaf hashes carry the tree on, so the roots are still checked
          onMissing: async (from, to) => {
            await compare();
            for (let lo = from; lo < to; lo += 65_536) {
              const leaves = await this.readLeaves(lo, Math.min(65_536, to - lo));
              for (let i = 0; i < leaves.length; i += 32) range.append(leaves.subarray(i, i + 32));
            }
            archived += to - from;
          },
        },
      );
      if (pending.length) await compare();
      if (!problem && range.size !== s.size)
        fail(`the entries before the saved state are ${range.size}, not ${s.size}`);
      if (!problem && !range.root().equals(openCheckpoint(s.note, this.vkey).root))
        fail('the entries before the saved state do not give its signed root');
    } catch (err) {
      if (!(err instanceof StopCheck)) fail((err as Error).message);
      if (this.closed && !problem) return { ok: true, entries: range.size, archived };
    } finally {
      await entries.close();
    }
    if (problem) {
      this.tampered = `the evidence log does not match its last signed checkpoint: ${problem} (run \`ndp log verify\`)`;
      this.failing = this.tampered;
      this.auditState = 'failed';
      return { ok: false, entries: range.size, problem: this.tampered, archived };
    }
    this.auditState = 'passed';
    return { ok: true, entries: range.size, archived };
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
    }
  }

  private compress(seg: Parameters<typeof compressSegment>[0]): void {
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

  private async writeBlocks(count: number): Promise<void> {
    if (count <= this.blocksWritten) return;
    const roots = Buffer.concat(this.blocks.slice(this.blocksWritten, count));
    await this.files.blocks.write(roots, 0, roots.length, this.blocksWritten * 32);
    this.blocksWritten = count;
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

  async leafAt(i: number): Promise<Buffer> {
    return this.readLeaves(i, 1);
  }
  get size(): number {
    return this.range.size;
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

  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.queue.length === 0) return;
    this.flushing = this.writeBatch().finally(() => {
      this.flushing = undefined;
    });
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
    const snapshot = this.o.snapshot ? { index: size + this.queue.length, value: this.o.snapshot() } : undefined;
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
class StopCheck extends Error {}
