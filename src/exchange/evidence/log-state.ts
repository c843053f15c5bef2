import { open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { LogPosition } from './segments.js';

/**
 * What an evidence log saves beside its files at each checkpoint so that reopening it does not hash
 * every entry again (a day at 3,500 exchanges a second took twelve minutes): the size and right edge
 * of the tree the checkpoint signed, where in the entries file that size ends, how many block roots
 * `blocks.bin` holds, a mark every few minutes (time → size and offset, to find where recent entries
 * start), and the owner's own snapshot (today's quota use). Nothing here is trusted on its word: the
 * right edge must give the signed root, and the entries before it are hashed again in the background.
 */
export interface LogMark extends LogPosition {
  at: number;
}
export interface SavedState {
  v: 1;
  size: number;
  bytes: number;
  range: string[];
  blocks: number;
  note: string;
  marks: LogMark[];
  /** the first index of the entries file `bytes` is an offset into (segments are named by it) */
  segment: number;
  /** when the checkpoint was made: the state is itself a mark */
  at: number;
  /** the owner's snapshot, taken when `index` entries had been appended */
  snapshot?: { index: number; value: unknown };
}

export const STATE_FILE = 'state.json';
export const BLOCKS_FILE = 'blocks.bin';
/** one mark per five minutes, for the last 26 hours: enough to start a day's replay near its start */
const MARK_EVERY_MS = 5 * 60_000;
const MARKS_FOR_MS = 26 * 3600_000;
/** entries are appended in about the order of their times; a minute covers the difference */
const MARK_SLACK_MS = 60_000;

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

export async function readState(dir: string): Promise<SavedState | undefined> {
  let s: Partial<SavedState>;
  try {
    const file = await open(path.join(dir, STATE_FILE), 'r');
    try {
      s = JSON.parse(await file.readFile('utf8')) as Partial<SavedState>;
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
  const ok =
    s &&
    s.v === 1 &&
    isCount(s.at) &&
    isCount(s.segment) &&
    isCount(s.size) &&
    isCount(s.bytes) &&
    isCount(s.blocks) &&
    typeof s.note === 'string' &&
    Array.isArray(s.range) &&
    s.range.every((h) => typeof h === 'string') &&
    Array.isArray(s.marks) &&
    s.marks.every((m) => m && isCount(m.at) && isCount(m.size) && isCount(m.segment) && isCount(m.bytes));
  return ok ? (s as SavedState) : undefined;
}

/**
 * Written aside, flushed to the disk and renamed into place: a crash leaves the old state or the new one, never half
 * of one (the owner's snapshot in it says which subject access records a restart must rebuild).
 */
export async function writeState(dir: string, s: SavedState): Promise<void> {
  const aside = path.join(dir, `${STATE_FILE}.new`);
  const file = await open(aside, 'w');
  try {
    await file.writeFile(JSON.stringify(s));
    await file.datasync();
  } finally {
    await file.close();
  }
  await rename(aside, path.join(dir, STATE_FILE));
}

/** Adds a mark when the last is old enough, and lets go of those past the window. */
export function markAt(marks: LogMark[], now: number, at: LogPosition): LogMark[] {
  const last = marks[marks.length - 1];
  const kept = marks.filter((m) => m.at >= now - MARKS_FOR_MS);
  return !last || now - last.at >= MARK_EVERY_MS ? [...kept, { at: now, ...at }] : kept;
}

/** Where to start reading for the entries made since `since`: the last mark safely before it (the state is one), else the start. */
export function replayStart(s: SavedState, since: number): LogPosition {
  let start: LogPosition = { size: 0, segment: 0, bytes: 0 };
  for (const m of [...s.marks, { at: s.at, size: s.size, segment: s.segment, bytes: s.bytes }])
    if (m.at <= since - MARK_SLACK_MS && m.size >= start.size)
      start = { size: m.size, segment: m.segment, bytes: m.bytes };
  return start;
}

/**
 * The last whole line of the checkpoints file, read from its end (the file gains a line a second and is
 * never read whole), and the offset after it: a record torn by a crash is written over by the next.
 */
export async function lastLine(file: FileHandle): Promise<{ line: string | undefined; bytes: number }> {
  const { size } = await file.stat();
  const want = Math.min(size, 64 * 1024);
  const buf = Buffer.alloc(want);
  await file.read(buf, 0, want, size - want);
  const end = buf.lastIndexOf(0x0a);
  if (end === -1) return { line: undefined, bytes: 0 };
  const lines = buf.toString('utf8', 0, end).split('\n');
  return { line: lines[lines.length - 1] || undefined, bytes: size - want + end + 1 };
}
