import { readSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CompactRange,
  blockedSubtreeRoot,
  consistencyProofOf,
  inclusionProofOf,
  leafHash,
  verifyConsistency,
  verifyInclusion,
} from '../protocol/merkle.js';
import { openCheckpoint, type Checkpoint } from '../protocol/checkpoint.js';
import { LOG_FILES } from './evidence-log.js';
import { LOG_START, closedCheckpointFiles, closedSegments, currentStart, forEachLogLine } from './segments.js';
import { forEachLine } from './lines.js';

/**
 * What `ndp log verify` checks, from the files alone: every entry's leaf hash against the recorded
 * one (to name a changed entry), every signed checkpoint against the entries (signature and root),
 * inclusion proofs of a spread of entries in the latest checkpoint, and, given an older checkpoint an
 * auditor kept, the consistency proof that the log only grew since. One pass over the entries, a
 * megabyte at a time: the leaf hashes it computes go to a scratch file, and memory holds one root per
 * block of 65,536 of them, so a log of any size is checked in bounded memory.
 */
export interface VerifyReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  latest?: Checkpoint;
  problems: string[];
  notes: string[];
}

const BLOCK_LEAVES = 65_536;
/** a checkpoint kept for the pass over the entries: its size (a double) and root */
const CHECKPOINT_BYTES = 40;
const WINDOW = 65_536;
const MAX_PROBLEMS = 1_000;

export async function verifyLog(
  dir: string,
  o: {
    vkey?: string;
    trusted?: string;
    progress?: (line: string) => void /** leaves per kept block root (small in tests) */;
    blockLeaves?: number /** folders closed segments were moved to */;
    archives?: string[] /** checkpoints read back at a time (small in tests) */;
    checkpointWindow?: number;
  } = {},
): Promise<VerifyReport> {
  const BLOCK = o.blockLeaves ?? BLOCK_LEAVES;
  const problems: string[] = [];
  let unlisted = 0;
  const problem = (p: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
    else unlisted++;
  };
  const notes: string[] = [];
  const say = o.progress ?? (() => undefined);
  const vkey = o.vkey ?? (await readFile(path.join(dir, LOG_FILES.vkey), 'utf8')).trim();
  if (!o.vkey)
    notes.push(
      'using the verifier key stored beside the log; pass --key with the key from the registry for a check that does not trust the log’s own folder',
    );

  // every signed checkpoint, a line at a time (a gateway signs one a second: a year's file does not fit in memory);
  // their sizes and roots go to a scratch file, read back alongside the entries
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'ndp-log-verify-'));
  const signed = await open(path.join(scratch, 'checkpoints'), 'w+');
  let count = 0;
  let latest: Checkpoint | undefined;
  let outOfOrder = false;
  // those signed while closed segments were written went with them (and may be in an archive), then the current file
  for (const checkpointsPath of [
    ...(await closedCheckpointFiles(dir, o.archives)),
    path.join(dir, LOG_FILES.checkpoints),
  ]) {
    const checkpointsFile = await open(checkpointsPath, 'r').catch(() => undefined);
    if (!checkpointsFile) continue;
    let batch: Buffer[] = [];
    const flushBatch = async () => {
      if (batch.length) {
        const b = Buffer.concat(batch);
        await signed.write(b, 0, b.length, (count - batch.length) * CHECKPOINT_BYTES);
        batch = [];
      }
    };
    try {
      await forEachLine(
        checkpointsFile,
        (line) => {
          let r: { size: number; note: string };
          try {
            r = JSON.parse(line.toString('utf8')) as { size: number; note: string };
          } catch {
            problem('a checkpoint record is not JSON');
            return;
          }
          let c: Checkpoint;
          try {
            c = openCheckpoint(r.note, vkey);
          } catch (err) {
            problem(`checkpoint at size ${r.size}: ${(err as Error).message}`);
            return;
          }
          if (latest && c.size <= latest.size) {
            if (c.size < latest.size) outOfOrder = true;
            else if (!c.root.equals(latest.root))
              problem(`two checkpoints of size ${c.size} sign different roots: the log forked`);
            return;
          }
          const rec = Buffer.alloc(CHECKPOINT_BYTES);
          rec.writeDoubleBE(c.size, 0);
          c.root.copy(rec, 8);
          batch.push(rec);
          count++;
          latest = c;
        },
        { afterChunk: flushBatch },
      );
      await flushBatch();
    } finally {
      await checkpointsFile.close();
    }
  }
  if (outOfOrder) problem('the checkpoints are not in the order they were signed: one was put back or moved');
  // the checkpoints ahead, a window at a time, read back as the entries reach them (a command: a synchronous read is fine here)
  let window = Buffer.alloc(0);
  let windowFrom = 0;
  let next = 0;
  const nextCheckpoint = (): { size: number; root: Buffer } | undefined => {
    if (next >= count) return undefined;
    if (next - windowFrom >= window.length / CHECKPOINT_BYTES) {
      const n = Math.min(o.checkpointWindow ?? WINDOW, count - next);
      window = Buffer.alloc(n * CHECKPOINT_BYTES);
      readSync(signed.fd, window, 0, window.length, next * CHECKPOINT_BYTES);
      windowFrom = next;
    }
    const at = (next - windowFrom) * CHECKPOINT_BYTES;
    return { size: window.readDoubleBE(at), root: window.subarray(at + 8, at + CHECKPOINT_BYTES) };
  };

  const entries = await open(path.join(dir, LOG_FILES.entries), 'r');
  const recorded = await open(path.join(dir, LOG_FILES.leaves), 'r').catch(() => undefined);
  const computed = await open(path.join(scratch, 'leaves'), 'w+');
  try {
    const blocks: Buffer[] = [];
    const range = new CompactRange((size, hash) => {
      if (size === BLOCK) blocks.push(hash);
    });
    // every checkpoint's root, recomputed from the entries as they are read
    const check = () => {
      for (let c = nextCheckpoint(); c && c.size === range.size; c = nextCheckpoint()) {
        if (!c.root.equals(range.root()))
          problem(
            `the checkpoint signed at size ${range.size} does not match the entries: an entry before it was changed or removed`,
          );
        next++;
      }
    };
    check();
    let pending: Buffer[] = [];
    let written = 0;
    const keep = async () => {
      // compare with the leaf hashes recorded when the entries were written (as far as they were), then keep ours
      const mine = Buffer.concat(pending);
      pending = [];
      if (recorded) {
        const kept = Buffer.alloc(mine.length);
        const { bytesRead } = await recorded.read(kept, 0, kept.length, written * 32);
        for (let i = 0; i * 32 + 32 <= bytesRead; i++) {
          if (!kept.subarray(i * 32, i * 32 + 32).equals(mine.subarray(i * 32, i * 32 + 32)))
            problem(
              `entry ${written + i} (line ${written + i + 1}) differs from the leaf hash recorded when it was written`,
            );
        }
      }
      await computed.write(mine, 0, mine.length, written * 32);
      written += mine.length / 32;
    };
    const closed = await closedSegments(dir, o.archives);
    const segmentOf = (index: number) =>
      closed.find((c) => index >= c.start && index < c.end)?.start ?? closed.at(-1)?.end ?? 0;
    const { torn } = await forEachLogLine(
      dir,
      { file: entries, start: await currentStart(dir, closed) },
      LOG_START,
      (line, index) => {
        try {
          JSON.parse(line.toString('utf8'));
        } catch {
          problem(`entry ${index} (line ${index + 1 - segmentOf(index)} of its segment) is not JSON`);
        }
        const hash = leafHash(line);
        pending.push(hash);
        range.append(hash);
        check();
        if (range.size % 100_000 === 0) say(`read ${range.size.toLocaleString('en')} entries`);
      },
      {
        afterChunk: keep,
        archives: o.archives,
        // a segment moved to an archive: named, and the tree carried on by the leaf hashes recorded for it
        onMissing: async (from, to) => {
          await keep();
          problem(
            `entries ${from}–${to - 1} are not in ${[path.join(dir, 'segments'), ...(o.archives ?? [])].join(' or ')} (archived?): they were not checked; give the folder they are kept in with --archive`,
          );
          for (let lo = from; lo < to; lo += 65_536) {
            const n = Math.min(65_536, to - lo);
            const leaves = Buffer.alloc(n * 32);
            const { bytesRead } = recorded ? await recorded.read(leaves, 0, leaves.length, lo * 32) : { bytesRead: 0 };
            if (bytesRead < leaves.length) {
              problem(`the leaf hashes of entries ${lo}–${lo + n - 1} are not recorded either`);
              throw new Error('no leaf hashes to go on with');
            }
            for (let i = 0; i < n; i++) {
              pending.push(leaves.subarray(i * 32, i * 32 + 32));
              range.append(leaves.subarray(i * 32, i * 32 + 32));
              check();
            }
            await keep();
          }
        },
      },
    );
    const size = range.size;
    if (torn) problem(`the last ${torn} bytes are not a whole entry`);
    say(`read ${size.toLocaleString('en')} entries`);
    for (let c = nextCheckpoint(), listed = 0; c && listed < 10; c = nextCheckpoint(), listed++) {
      problem(
        `the checkpoint signed at size ${c.size} vouches for more entries than the log holds (${size}): entries were removed`,
      );
      next++;
    }
    say(`checked ${count} signed checkpoints`);

    const readLeaves = async (lo: number, n: number) => {
      const out = Buffer.alloc(n * 32);
      await computed.read(out, 0, out.length, lo * 32);
      return out;
    };
    const root = blockedSubtreeRoot(BLOCK, blocks, readLeaves);
    if (latest && latest.size <= size) {
      const picks = new Set<number>([0, latest.size - 1]);
      for (let i = 1; i < 64; i++) picks.add(Math.floor((latest.size * i) / 64));
      for (const i of picks) {
        if (i >= latest.size) continue;
        if (
          !verifyInclusion(
            i,
            latest.size,
            await readLeaves(i, 1),
            await inclusionProofOf(root, i, latest.size),
            latest.root,
          )
        )
          problem(`entry ${i} is not included in the latest checkpoint`);
      }
      say(`verified ${picks.size} inclusion proofs against the checkpoint of size ${latest.size}`);
      if (o.trusted) {
        try {
          const old = openCheckpoint(o.trusted, vkey);
          if (old.size > latest.size)
            problem(`the kept checkpoint (size ${old.size}) is larger than the log’s latest (${latest.size})`);
          else if (
            !verifyConsistency(
              old.size,
              latest.size,
              old.root,
              latest.root,
              await consistencyProofOf(root, old.size, latest.size),
            )
          )
            problem(
              `the log of size ${latest.size} is not an extension of the kept checkpoint of size ${old.size}: its history was rewritten`,
            );
          else say(`consistency proof from the kept checkpoint (size ${old.size}) to size ${latest.size} verified`);
        } catch (err) {
          problem(`the kept checkpoint: ${(err as Error).message}`);
        }
      }
    } else if (!latest) notes.push('the log has no checkpoint yet');
    if (latest && latest.size < size)
      notes.push(`${size - latest.size} entries are newer than the latest checkpoint and not yet signed`);
    if (unlisted) problems.push(`… and ${unlisted.toLocaleString('en')} more problems`);
    return { ok: problems.length === 0, entries: size, checkpoints: count, latest, problems, notes };
  } finally {
    await Promise.all([entries.close(), recorded?.close(), computed.close(), signed.close()]);
    await rm(scratch, { recursive: true, force: true });
  }
}
