import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../test/exchange/network.js';
import { signCheckpoint, verifierKey } from '../exchange/protocol/checkpoint.js';
import { inclusionProof, rootOf } from '../exchange/protocol/merkle.js';
import type { RecordProof } from '../exchange/protocol/record-proof.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ndp-prove-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = generateKeyPairSync('ed25519').privateKey;
const name = 'VN/exchange/gateway/00000000-0000-4000-8000-000000000001';
const leaves = Array.from({ length: 20 }, () => randomBytes(32));
const proofOf = (index: number): RecordProof => ({
  gateway: '00000000-0000-4000-8000-000000000001',
  index,
  leaf: leaves[index]!.toString('base64'),
  treeSize: leaves.length,
  proof: inclusionProof(leaves, index).map((h) => h.toString('base64')),
  checkpoint: signCheckpoint({ origin: name, size: leaves.length, root: rootOf(leaves) }, name, key),
  verifierKey: verifierKey(name, key),
});
const write = (file: string, doc: unknown) => {
  const f = path.join(dir, file);
  writeFileSync(f, JSON.stringify(doc));
  return f;
};

describe('ndp log prove', () => {
  it('checks a proof, or an array of them, and says what it checked', async () => {
    const one = await run(['log', 'prove', write('one.json', proofOf(7))]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('entry 7 in a tree of 20: ok');
    expect(one.stdout).toContain('OK: 1 proof(s) verify');
    const many = await run([
      'log',
      'prove',
      write('many.json', [proofOf(0), proofOf(19)]),
      '--key',
      verifierKey(name, key),
    ]);
    expect(many.code).toBe(0);
    expect(many.stdout).toContain('the pinned key');
  });

  it('exits 1 on a changed proof, a key other than the pinned one, or a file without proofs', async () => {
    const changed = { ...proofOf(3), leaf: leaves[4]!.toString('base64') };
    const bad = await run(['log', 'prove', write('bad.json', [proofOf(2), changed])]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      'entry 3 in a tree of 20: FAILED — The leaf and its audit path do not lead to the root',
    );
    expect(bad.stdout).toContain('FAILED: 1 of 2');
    const other = verifierKey(name, generateKeyPairSync('ed25519').privateKey);
    expect((await run(['log', 'prove', write('pin.json', proofOf(1)), '--key', other])).code).toBe(1);
    expect((await run(['log', 'prove', write('empty.json', [])])).code).toBe(1);
  });

  it('reads standard input', async () => {
    const ndp = path.resolve('bin/ndp.js');
    const out = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const p = spawn(process.execPath, [ndp, 'log', 'prove', '-'], { stdio: ['pipe', 'pipe', 'inherit'] });
      let stdout = '';
      p.stdout.on('data', (d) => {
        stdout += d;
      });
      p.on('close', (code) => resolve({ code: code ?? -1, stdout }));
      p.stdin.end(JSON.stringify({ records: [{ at: 'x', proof: proofOf(5) }] }));
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('entry 5');
  });
});
