import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { toCopyText } from './convert.js';
import { resolveProfiles, type ColumnInferrer, type ColumnProfile } from './infer.js';
import type { DataRow } from './reader.js';

/**
 * The fast way through a load: while the profiling pass reads the file, the
 * rows are also converted to COPY text with the types the first rows suggest
 * and written to a temporary file. If, at the end, the whole file kept those
 * types, that file goes to COPY as it is — no second parse, no second
 * conversion. If a later value changed a column's type (or a row could not be
 * read), the temporary file is dropped and the loader takes the slow way.
 */
const PROVISIONAL_AFTER = 1000;
const FLUSH_CHARS = 1 << 20;

export class Staging {
  // the process id in the name: a process can tell its own files from another's
  readonly file = path.join(os.tmpdir(), `ndp-stage-${process.pid}-${randomUUID()}.copy`);
  private out: fs.WriteStream | null = fs.createWriteStream(this.file);
  private provisional: ColumnProfile[] | null = null;
  private held: DataRow[] = [];
  private buffer = '';
  private inferrers: ColumnInferrer[] = [];
  rows = 0;

  get usable(): boolean {
    return this.out !== null;
  }

  async add(batch: DataRow[], inferrers: ColumnInferrer[]): Promise<void> {
    if (!this.out) return;
    this.inferrers = inferrers;
    if (!this.provisional) {
      this.held.push(...batch);
      if (this.held.length < PROVISIONAL_AFTER) return;
      this.provisional = resolveProfiles(this.inferrers);
      batch = this.held;
      this.held = [];
    }
    this.convert(batch);
    if (this.buffer.length >= FLUSH_CHARS) await this.flush();
  }

  private convert(batch: DataRow[]) {
    const types = this.provisional!;
    for (const row of batch) {
      if (row.error) return this.abandon();
      let line = String(row.line);
      for (let i = 0; i < types.length; i++) {
        const out = toCopyText(row.cells[i], types[i]!.type, types[i]!.numberStyle);
        if (typeof out !== 'string') return this.abandon();
        line += `\t${out}`;
      }
      this.buffer += `${line}\n`;
      this.rows++;
    }
  }

  private async flush() {
    if (!this.out || !this.buffer) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  private abandon() {
    this.discard();
    this.buffer = '';
    this.held = [];
  }

  /** Closes and deletes the file; a stream still opening deletes it again once closed. */
  private discard() {
    const out = this.out;
    this.out = null;
    fs.rmSync(this.file, { force: true });
    if (out && !out.closed) {
      out.once('close', () => fs.rmSync(this.file, { force: true }));
      out.destroy();
    }
  }

  /** At the end of the pass: is the staged file good for these final types? */
  async finish(final: { type: string; numberStyle: string }[]): Promise<boolean> {
    if (!this.out) return false;
    if (!this.provisional) {
      this.provisional = resolveProfiles(this.inferrers);
      this.convert(this.held);
      this.held = [];
    }
    const same =
      this.out !== null &&
      final.length === this.provisional.length &&
      final.every(
        (f, i) =>
          f.type === this.provisional![i]!.type &&
          (f.type !== 'integer' && f.type !== 'number' ? true : f.numberStyle === this.provisional![i]!.numberStyle),
      );
    if (!same) {
      this.abandon();
      return false;
    }
    await this.flush();
    this.out!.end();
    await once(this.out!, 'finish');
    return true;
  }

  /** The staged rows as chunks of COPY text, each ending at a line's end (the embedded database loads chunk by chunk). */
  async *chunks(): AsyncGenerator<string> {
    let rest = '';
    for await (const chunk of fs.createReadStream(this.file, { encoding: 'utf8', highWaterMark: 4 << 20 })) {
      const text = rest + (chunk as string);
      const end = text.lastIndexOf('\n') + 1;
      rest = text.slice(end);
      if (end) yield text.slice(0, end);
    }
    if (rest) yield rest;
  }

  remove(): void {
    this.discard();
  }
}
