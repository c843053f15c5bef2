import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CompactRange, leafHash } from '../protocol/merkle.js';
import { openCheckpoint, type Checkpoint } from '../protocol/checkpoint.js';
import { lastLine, readState, replayStart, type SavedState } from './log-state.js';
import {
  LOG_START,
  closedCheckpointFiles,
  closedSegments,
  type compressSegment,
  currentStart,
  forEachLogLine,
  type LogPosition,
} from './segments.js';
import {
  LOG_FILES,
  LogCore,
  type AuditResult,
  type EvidenceLogOptions,
  type LogFileHandles,
  type LogOptions,
} from './log-core.js';

/** Opens (or makes) the log's files in `dir`, and fills in the options' defaults. */
export async function openLogFiles(
  dir: string,
  options: EvidenceLogOptions,
): Promise<{ files: LogFileHandles; o: LogOptions }> {
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
  return { files, o };
}

/**
 * Opening the evidence log: reading back what is on disk, resuming from the saved state (or hashing every entry),
 * replaying the entries its owner asks for, and the background check of the entries a saved state stood for.
 */
export abstract class OpeningLog extends LogCore {
  abstract checkpoint(): Promise<string | undefined>;
  abstract flush(): Promise<void>;
  protected abstract compress(seg: Parameters<typeof compressSegment>[0]): void;

  /** Brings a log just made up to what is on disk, then starts its checkpoint and flush timers. */
  protected async start(): Promise<void> {
    const closed = await closedSegments(this.dir);
    this.segmentStart = await currentStart(this.dir, closed);
    await this.recover();
    // opened by hashing every entry: the state is saved now, so that the next opening need not do it again
    if (this.openedFrom === 'entries' && this.size > 0) await this.checkpoint();
    // segments closed but not yet compressed when the gateway last stopped
    if (this.o.compressSegments) for (const seg of closed.filter((c) => !c.gz)) this.compress(seg);
    await this.files.entries.sync();
    await writeFile(path.join(this.dir, LOG_FILES.vkey), `${this.vkey}\n`);
    this.timers.push(
      setInterval(() => {
        void this.checkpoint().catch(() => undefined);
      }, this.o.checkpointMs),
      setInterval(() => {
        if (this.queue.length) void this.flush();
      }, 1000),
    );
    for (const t of this.timers) t.unref();
  }

  /**
   * Reads back what is on disk, a megabyte at a time (a torn last line is cut), and refuses a history its
   * own last checkpoint does not vouch for. From a saved state, only the entries after it are hashed (and
   * those the owner wants replayed are read); without one, every entry is, and the leaf hashes and block
   * roots are written again.
   */
  protected async recover(): Promise<void> {
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
        this.o.replay(line, index >= snapshotIndex, index);
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
    const since = typeof this.o.replaySince === 'function' ? this.o.replaySince() : this.o.replaySince;
    if (since === undefined) return LOG_START;
    return replayStart(s, since);
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
}

class StopCheck extends Error {}
