import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { forEachLine, type LineOptions } from './lines.js';

/**
 * The closed segments of an evidence log. The entries being written are in `entries.ndjson`; when it
 * passes a size, a checkpoint closes it as `segments/<first>-<after last>.ndjson` (entry indexes, 16
 * digits) and compresses it (`.ndjson.gz`). A closed segment may then be moved to archive storage:
 * proofs need only the leaf hashes, and what is not here is named as such by whoever needs the entries
 * (`ndp log verify`, the check after a reopening), never taken as lost or changed.
 */
export const SEGMENTS_DIR = 'segments';
export interface ClosedSegment {
  start: number;
  end: number;
  file: string;
  gz: boolean;
}

const NAME = /^(\d{16})-(\d{16})\.ndjson(\.gz)?$/;
const CHECKPOINTS_NAME = /^(\d{16})-(\d{16})\.checkpoints\.ndjson$/;
const pad = (n: number) => String(n).padStart(16, '0');
export const segmentFile = (dir: string, start: number, end: number, gz = false) =>
  path.join(dir, SEGMENTS_DIR, `${pad(start)}-${pad(end)}.ndjson${gz ? '.gz' : ''}`);
/** The checkpoints signed while a segment was written go with it. */
export const segmentCheckpointsFile = (dir: string, start: number, end: number) =>
  path.join(dir, SEGMENTS_DIR, `${pad(start)}-${pad(end)}.checkpoints.ndjson`);

/** The checkpoint files of closed segments, here and in `archives`, in order (one per segment start). */
export async function closedCheckpointFiles(dir: string, archives: string[] = []): Promise<string[]> {
  const byStart = new Map<number, string>();
  for (const folder of [path.join(dir, SEGMENTS_DIR), ...archives]) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const m = CHECKPOINTS_NAME.exec(name);
      if (m && !byStart.has(Number(m[1]))) byStart.set(Number(m[1]), path.join(folder, name));
    }
  }
  return [...byStart].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
}

/**
 * The closed segments here (and in `archives`, folders segments were moved to), in order; a segment found
 * both plain and compressed (a compression cut short) counts plain, and one here before one in an archive.
 */
export async function closedSegments(dir: string, archives: string[] = []): Promise<ClosedSegment[]> {
  const byStart = new Map<number, ClosedSegment>();
  for (const folder of [path.join(dir, SEGMENTS_DIR), ...archives]) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const m = NAME.exec(name);
      if (!m) continue;
      const s = { start: Number(m[1]), end: Number(m[2]), file: path.join(folder, name), gz: !!m[3] };
      const had = byStart.get(s.start);
      if (!had || (had.gz && !s.gz && path.dirname(had.file) === folder)) byStart.set(s.start, s);
    }
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

const START_FILE = 'entries.start';
/**
 * Where the entries being written start: as recorded when the last segment was closed (the last segment
 * may be archived), or after the last segment here (a crash between closing it and recording that).
 */
export async function currentStart(dir: string, segments: ClosedSegment[]): Promise<number> {
  const recorded = Number((await readFile(path.join(dir, START_FILE), 'utf8').catch(() => '0')).trim());
  return Math.max(Number.isSafeInteger(recorded) && recorded >= 0 ? recorded : 0, segments.at(-1)?.end ?? 0);
}

/** A place in the log: the entry at index `size` begins `bytes` into the file that starts with entry `segment`. */
export interface LogPosition {
  size: number;
  segment: number;
  bytes: number;
}
export const LOG_START: LogPosition = { size: 0, segment: 0, bytes: 0 };
class StopReading extends Error {}
/** A segment listed and then moved away (to an archive) before it was read. */
class SegmentGone extends Error {}

/**
 * Every line of the log from a position on, with its index: the closed segments here (compressed or not),
 * then the entries being written (up to `current.to` bytes). Ranges no segment here holds go to
 * `onMissing`; `toIndex` stops the reading there. Returns where the last whole line of the current file ends.
 */
export async function forEachLogLine(
  dir: string,
  current: { file: FileHandle; start: number; to?: number },
  from: LogPosition,
  onLine: (line: Buffer, index: number) => void,
  o: {
    toIndex?: number;
    chunkBytes?: number;
    afterChunk?: () => Promise<void>;
    onMissing?: (start: number, end: number) => Promise<void>;
    archives?: string[];
  } = {},
): Promise<{ end: number; torn: number }> {
  const toIndex = o.toIndex ?? Infinity;
  let next = from.size;
  const line = (l: Buffer) => {
    if (next >= toIndex) throw new StopReading();
    onLine(l, next++);
  };
  const skipping = (first: number) => {
    let index = first;
    return (l: Buffer) => {
      if (index++ >= next) line(l);
    };
  };
  try {
    for (const s of await closedSegments(dir, o.archives)) {
      if (s.end <= next || s.start >= current.start) continue;
      if (next >= toIndex) throw new StopReading();
      if (s.start > next) {
        await o.onMissing?.(next, Math.min(s.start, toIndex));
        next = s.start;
        if (next >= toIndex) throw new StopReading();
      }
      const at =
        s.start === from.segment && from.size >= s.start
          ? { bytes: from.bytes, first: from.size }
          : { bytes: 0, first: s.start };
      try {
        await forEachSegmentLine(s, skipping(at.first), {
          from: at.bytes,
          chunkBytes: o.chunkBytes,
          afterChunk: o.afterChunk,
        });
      } catch (err) {
        if (!(err instanceof SegmentGone)) throw err;
        await o.onMissing?.(next, Math.min(s.end, toIndex));
      }
      next = Math.max(next, s.end);
    }
    if (next < current.start) {
      await o.onMissing?.(next, Math.min(current.start, toIndex));
      next = current.start;
    }
    if (next >= toIndex) throw new StopReading();
    const at =
      current.start === from.segment && from.size >= current.start
        ? { bytes: from.bytes, first: from.size }
        : { bytes: 0, first: current.start };
    return await forEachLine(current.file, skipping(at.first), {
      from: at.bytes,
      to: current.to,
      chunkBytes: o.chunkBytes,
      afterChunk: o.afterChunk,
    });
  } catch (err) {
    if (err instanceof StopReading) return { end: -1, torn: 0 };
    throw err;
  }
}

/** Each line of a closed segment from a byte offset of its text (a compressed one is read through gunzip). */
export async function forEachSegmentLine(
  s: ClosedSegment,
  onLine: (line: Buffer) => void,
  o: Pick<LineOptions, 'from' | 'chunkBytes' | 'afterChunk'> = {},
): Promise<void> {
  if (!s.gz) {
    const file = await open(s.file, 'r').catch((err: NodeJS.ErrnoException) => {
      // compressed since it was listed: read the compressed one
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!file) return forEachSegmentLine({ ...s, file: `${s.file}.gz`, gz: true }, onLine, o);
    try {
      await forEachLine(file, onLine, o);
    } finally {
      await file.close();
    }
    return;
  }
  // opened before anything is read: a segment moved away since it was listed is missing, not broken
  const handle = await open(s.file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT' ? new SegmentGone() : err;
  });
  let skip = o.from ?? 0;
  let carry = Buffer.alloc(0);
  const text = handle
    .createReadStream({ highWaterMark: o.chunkBytes ?? 1 << 20 })
    .pipe(createGunzip({ chunkSize: o.chunkBytes ?? 1 << 20 }));
  for await (const raw of text as AsyncIterable<Buffer>) {
    let chunk = raw;
    if (skip > 0) {
      const cut = Math.min(skip, chunk.length);
      skip -= cut;
      chunk = chunk.subarray(cut);
      if (!chunk.length) continue;
    }
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
      onLine(data.subarray(start, nl));
      start = nl + 1;
    }
    carry = Buffer.from(data.subarray(start));
    await o.afterChunk?.();
  }
}

/** Closes the entries file written so far as a segment and records where the next starts (the caller holds the writer back meanwhile). */
export async function closeSegment(
  dir: string,
  entriesFile: string,
  start: number,
  end: number,
): Promise<ClosedSegment> {
  await mkdir(path.join(dir, SEGMENTS_DIR), { recursive: true });
  const file = segmentFile(dir, start, end);
  await rename(entriesFile, file);
  await syncDir(path.join(dir, SEGMENTS_DIR));
  await writeFile(path.join(dir, `${START_FILE}.new`), String(end));
  await rename(path.join(dir, `${START_FILE}.new`), path.join(dir, START_FILE));
  await syncDir(dir);
  return { start, end, file, gz: false };
}

/** Compresses a closed segment beside itself, then lets the plain one go; zlib works off the event loop. */
export async function compressSegment(s: ClosedSegment): Promise<ClosedSegment> {
  if (s.gz) return s;
  const gz = `${s.file}.gz`;
  const partial = `${gz}.partial`;
  await pipeline(createReadStream(s.file), createGzip({ level: 6 }), createWriteStream(partial));
  const handle = await open(partial, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, gz);
  await rm(s.file);
  return { ...s, file: gz, gz: true };
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
