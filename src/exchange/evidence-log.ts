import { mkdir, open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { fsync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { CompactRange, consistencyProof, inclusionProof, leafHash } from './merkle.js';
import { openCheckpoint, signCheckpoint, verifierKey } from './checkpoint.js';

/**
 * A gateway's evidence log: an append-only file of JSON entries (one per line; the line's bytes
 * are the Merkle leaf), their leaf hashes (written with each checkpoint), and signed checkpoints. Appending only queues the entry;
 * a writer flushes the queue in batches at known offsets (a failed write is retried at the same
 * place, never doubled), and every `checkpointMs` the flushed state is synced to disk and signed.
 * Traffic waits on none of it; but when the store keeps failing and the queue passes `maxPending`,
 * `accepting` turns false and the gateway refuses exchanges rather than make them unrecorded.
 */
export interface EvidenceLogOptions {
  origin: string; keyName: string; key: KeyObject; checkpointMs?: number; flushMs?: number; maxPending?: number;
  /** sees every entry already in the log when it is opened (to rebuild counts such as today's quota use) */
  replay?: (line: Buffer) => void;
}
export interface LogStatus { size: number; pending: number; checkpointSize: number; failing?: string; failures: number }

const fsyncAsync = promisify(fsync);
export const LOG_FILES = { entries: 'entries.ndjson', leaves: 'leaves.bin', checkpoints: 'checkpoints.ndjson', vkey: 'log.vkey' } as const;

export class EvidenceLog {
  private queue: Buffer[] = [];
  private leaves = Buffer.alloc(32 * 1024);
  private readonly range = new CompactRange();
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
  }

  static async open(dir: string, options: EvidenceLogOptions): Promise<EvidenceLog> {
    await mkdir(dir, { recursive: true });
    const o = { checkpointMs: 1000, flushMs: 20, maxPending: 100_000, replay: () => undefined, ...options };
    const existing = await readFile(path.join(dir, LOG_FILES.entries)).catch(() => Buffer.alloc(0));
    const files = {
      entries: await open(path.join(dir, LOG_FILES.entries), existing.length ? 'r+' : 'w+'),
      leaves: await open(path.join(dir, LOG_FILES.leaves), 'w+'),
      checkpoints: await open(path.join(dir, LOG_FILES.checkpoints), 'a+'),
    };
    const log = new EvidenceLog(dir, files, o);
    await log.recover(existing);
    await files.entries.sync();
    await writeFile(path.join(dir, LOG_FILES.vkey), `${log.vkey}\n`);
    log.timers.push(setInterval(() => { void log.checkpoint().catch(() => undefined); }, o.checkpointMs), setInterval(() => { if (log.queue.length) void log.flush(); }, 1000));
    for (const t of log.timers) t.unref();
    return log;
  }

  /** Reads back what is on disk (a torn last line is cut), and refuses a history its own last checkpoint does not vouch for. */
  private async recover(existing: Buffer): Promise<void> {
    let end = existing.lastIndexOf(0x0a) + 1;
    const lines: Buffer[] = [];
    for (let start = 0; start < end;) {
      const nl = existing.indexOf(0x0a, start);
      lines.push(existing.subarray(start, nl));
      start = nl + 1;
    }
    const checkpoints = (await readFile(path.join(this.dir, LOG_FILES.checkpoints), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    const lastRecord = checkpoints.length ? JSON.parse(checkpoints[checkpoints.length - 1]!) as { size: number; note: string } : undefined;
    this.checkpointBytes = Buffer.byteLength(checkpoints.map((c) => `${c}\n`).join(''));
    for (const line of lines) { this.addLeaf(leafHash(line)); this.o.replay(line); }
    if (lastRecord) {
      const c = openCheckpoint(lastRecord.note, this.vkey);
      if (c.size > this.range.size) throw new Error(`the evidence log holds ${this.range.size} entries but its last checkpoint vouches for ${c.size}: entries were removed`);
      const prefix = new CompactRange();
      for (let i = 0; i < c.size; i++) prefix.append(this.leafAt(i));
      if (!prefix.root().equals(c.root)) throw new Error('the evidence log does not match its last signed checkpoint: an entry was changed (run `ndp log verify`)');
      this.lastCheckpoint = lastRecord;
    }
    this.entriesBytes = end;
    await this.files.entries.truncate(end);
    await this.files.leaves.write(this.leaves.subarray(0, this.range.size * 32), 0, this.range.size * 32, 0);
    this.leavesWritten = this.range.size;
  }

  private addLeaf(hash: Buffer): void {
    const at = this.range.size * 32;
    if (at + 32 > this.leaves.length) {
      const grown = Buffer.alloc(this.leaves.length * 2);
      this.leaves.copy(grown);
      this.leaves = grown;
    }
    hash.copy(this.leaves, at);
    this.range.append(hash);
  }

  leafAt = (i: number): Buffer => this.leaves.subarray(i * 32, i * 32 + 32);
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
      const from = this.leavesWritten;
      await this.files.leaves.write(this.leaves, from * 32, (size - from) * 32, from * 32);
      this.leavesWritten = size;
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
    return { size: this.range.size, pending: this.queue.length, checkpointSize: this.lastCheckpoint?.size ?? 0, failing: this.failing, failures: this.failures };
  }

  private leafList(n: number): Buffer[] { return Array.from({ length: n }, (_, i) => this.leafAt(i)); }
  inclusion(index: number, size: number): Buffer[] { return inclusionProof(this.leafList(size), index); }
  consistency(from: number, to: number): Buffer[] { return consistencyProof(this.leafList(to), from); }

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
