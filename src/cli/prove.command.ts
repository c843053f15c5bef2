import { readFile } from 'node:fs/promises';
import { openCheckpoint } from '../exchange/protocol/checkpoint.js';
import { verifyRecordProof, type RecordProof } from '../exchange/protocol/record-proof.js';

/**
 * The proofs a file holds: one RecordProof, an array of them, or records carrying theirs under `proof` (as an API
 * answer or an export may), at the top or under `records` / `proofs`.
 */
function proofsIn(doc: unknown): unknown[] {
  const list = Array.isArray(doc)
    ? doc
    : doc && typeof doc === 'object' && Array.isArray((doc as { records?: unknown }).records)
      ? (doc as { records: unknown[] }).records
      : doc && typeof doc === 'object' && Array.isArray((doc as { proofs?: unknown }).proofs)
        ? (doc as { proofs: unknown[] }).proofs
        : [doc];
  return list.map((item) => {
    const inner = item && typeof item === 'object' ? (item as { proof?: unknown }).proof : undefined;
    return inner && typeof inner === 'object' && !Array.isArray(inner) ? inner : item;
  });
}

const readAll = async (file: string): Promise<string> => {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * `ndp log prove <file|->`: checks record proofs offline — the leaf and audit path lead to the checkpoint's root, the
 * sizes agree, the checkpoint is signed by the gateway's key (the file's, or `--key`, pinned) — and says what it
 * checked for each. Exits 1 when one fails or none is found.
 */
export async function logProveCommand(file: string, o: { key?: string }): Promise<void> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readAll(file));
  } catch (err) {
    process.stdout.write(`FAILED: ${file === '-' ? 'standard input' : file} is not JSON (${(err as Error).message})\n`);
    process.exitCode = 1;
    return;
  }
  const proofs = proofsIn(doc);
  let failed = 0;
  for (const [i, item] of proofs.entries()) {
    const p = item as RecordProof;
    const r = verifyRecordProof(p, o.key);
    const what = `proof ${i + 1}: gateway ${p?.gateway ?? '?'}, entry ${p?.index ?? '?'} in a tree of ${p?.treeSize ?? '?'}`;
    if (!r.ok) {
      failed++;
      process.stdout.write(`${what}: FAILED — ${r.reason.en} / ${r.reason.vi}\n`);
      continue;
    }
    const c = openCheckpoint(p.checkpoint, o.key ?? p.verifierKey);
    process.stdout.write(
      `${what}: ok — leaf ${p.leaf} and its ${p.proof.length}-hash audit path lead to root ${c.root.toString('base64')}, ` +
        `which the checkpoint of ${c.origin} (size ${c.size}) signs by ${o.key ? 'the pinned key' : 'the key the proof names'} ${(o.key ?? p.verifierKey).split('+').slice(0, 2).join('+')}\n`,
    );
  }
  if (!proofs.length) process.stdout.write('FAILED: no proof found\n');
  process.stdout.write(
    failed || !proofs.length
      ? `FAILED: ${failed} of ${proofs.length} proof(s) do not verify\n`
      : `OK: ${proofs.length} proof(s) verify${o.key ? '' : ' (by the key each names: give --key to pin the gateway’s key)'}\n`,
  );
  if (failed || !proofs.length) process.exitCode = 1;
}
