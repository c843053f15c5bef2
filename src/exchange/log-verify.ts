import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CompactRange, consistencyProof, inclusionProof, leafHash, verifyConsistency, verifyInclusion } from './merkle.js';
import { openCheckpoint, type Checkpoint } from './checkpoint.js';
import { LOG_FILES } from './evidence-log.js';

/**
 * What `ndp log verify` checks, from the files alone: every entry's leaf hash against the recorded
 * one (to name a changed entry), every signed checkpoint against the entries (signature and root),
 * inclusion proofs of a spread of entries in the latest checkpoint, and, given an older checkpoint an
 * auditor kept, the consistency proof that the log only grew since.
 */
export interface VerifyReport { ok: boolean; entries: number; checkpoints: number; latest?: Checkpoint; problems: string[]; notes: string[] }

export async function verifyLog(dir: string, o: { vkey?: string; trusted?: string; progress?: (line: string) => void } = {}): Promise<VerifyReport> {
  const problems: string[] = [];
  const notes: string[] = [];
  const say = o.progress ?? (() => undefined);
  const vkey = o.vkey ?? (await readFile(path.join(dir, LOG_FILES.vkey), 'utf8')).trim();
  if (!o.vkey) notes.push('using the verifier key stored beside the log; pass --key with the key from the registry for a check that does not trust the log’s own folder');
  const raw = await readFile(path.join(dir, LOG_FILES.entries));
  const recorded = await readFile(path.join(dir, LOG_FILES.leaves)).catch(() => Buffer.alloc(0));
  const leaves: Buffer[] = [];
  for (let start = 0; start < raw.length;) {
    let nl = raw.indexOf(0x0a, start);
    if (nl === -1) { problems.push(`the last ${raw.length - start} bytes are not a whole entry`); break; }
    const line = raw.subarray(start, nl);
    try { JSON.parse(line.toString('utf8')); } catch { problems.push(`entry ${leaves.length} (line ${leaves.length + 1}) is not JSON`); }
    const hash = leafHash(line);
    const kept = recorded.subarray(leaves.length * 32, leaves.length * 32 + 32);
    if (kept.length === 32 && !kept.equals(hash)) problems.push(`entry ${leaves.length} (line ${leaves.length + 1}) differs from the leaf hash recorded when it was written`);
    leaves.push(hash);
    start = nl + 1;
    if (leaves.length % 100_000 === 0) say(`read ${leaves.length.toLocaleString('en')} entries`);
  }
  say(`read ${leaves.length.toLocaleString('en')} entries`);

  const records = (await readFile(path.join(dir, LOG_FILES.checkpoints), 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { size: number; note: string });
  const checkpoints: Checkpoint[] = [];
  for (const r of records) {
    try { checkpoints.push(openCheckpoint(r.note, vkey)); } catch (err) { problems.push(`checkpoint at size ${r.size}: ${(err as Error).message}`); }
  }
  // every checkpoint's root, recomputed from the entries in one pass
  const wanted = [...checkpoints].sort((a, b) => a.size - b.size);
  const range = new CompactRange();
  let next = 0;
  const check = () => {
    while (next < wanted.length && wanted[next]!.size === range.size) {
      if (!wanted[next]!.root.equals(range.root())) problems.push(`the checkpoint signed at size ${range.size} does not match the entries: an entry before it was changed or removed`);
      next++;
    }
  };
  check();
  for (const leaf of leaves) { range.append(leaf); check(); }
  for (; next < wanted.length; next++) problems.push(`the checkpoint signed at size ${wanted[next]!.size} vouches for more entries than the log holds (${leaves.length}): entries were removed`);
  say(`checked ${checkpoints.length} signed checkpoints`);

  const latest = wanted[wanted.length - 1];
  if (latest && latest.size <= leaves.length) {
    const prefix = leaves.slice(0, latest.size);
    const picks = new Set<number>([0, latest.size - 1]);
    for (let i = 1; i < 64; i++) picks.add(Math.floor((latest.size * i) / 64));
    for (const i of picks) {
      if (i >= latest.size) continue;
      if (!verifyInclusion(i, latest.size, prefix[i]!, inclusionProof(prefix, i), latest.root)) problems.push(`entry ${i} is not included in the latest checkpoint`);
    }
    say(`verified ${picks.size} inclusion proofs against the checkpoint of size ${latest.size}`);
    if (o.trusted) {
      try {
        const old = openCheckpoint(o.trusted, vkey);
        if (old.size > latest.size) problems.push(`the kept checkpoint (size ${old.size}) is larger than the log’s latest (${latest.size})`);
        else if (!verifyConsistency(old.size, latest.size, old.root, latest.root, consistencyProof(prefix, old.size))) problems.push(`the log of size ${latest.size} is not an extension of the kept checkpoint of size ${old.size}: its history was rewritten`);
        else say(`consistency proof from the kept checkpoint (size ${old.size}) to size ${latest.size} verified`);
      } catch (err) { problems.push(`the kept checkpoint: ${(err as Error).message}`); }
    }
  } else if (!latest) notes.push('the log has no checkpoint yet');
  if (latest && latest.size < leaves.length) notes.push(`${leaves.length - latest.size} entries are newer than the latest checkpoint and not yet signed`);
  return { ok: problems.length === 0, entries: leaves.length, checkpoints: checkpoints.length, latest, problems, notes };
}
