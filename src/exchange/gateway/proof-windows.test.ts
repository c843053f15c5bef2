import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EvidenceLog } from '../evidence/evidence-log.js';
import { openCheckpoint } from '../protocol/checkpoint.js';
import { unpackHashes, windowRoot } from '../protocol/proof-window.js';
import { ProofWindowQueue, WINDOW_LEAVES, type WindowToSend } from './proof-windows.js';

const key = generateKeyPairSync('ed25519').privateKey;
const ORIGIN = 'VN/exchange/gateway/test';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const openLog = async (blockLeaves = 16) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ndp-windows-'));
  dirs.push(dir);
  return EvidenceLog.open(dir, { origin: ORIGIN, keyName: ORIGIN, key, checkpointMs: 60_000, blockLeaves });
};
const fill = async (log: EvidenceLog, n: number) => {
  for (let i = 0; i < n; i++) log.append({ v: 1, side: 'provider', id: `m-${log.size + i}` });
  await log.drain();
};

/** What the registry checks of a window on receipt. */
const checks = (w: WindowToSend, log: EvidenceLog) => {
  const window = {
    from: w.from,
    frontier: unpackHashes(Buffer.from(w.frontier, 'base64')),
    leaves: unpackHashes(Buffer.from(w.leaves, 'base64')),
  };
  const c = openCheckpoint(w.checkpoint, log.vkey);
  return c.size === w.from + window.leaves.length && windowRoot(window)?.equals(c.root) === true;
};

describe('proof windows made by a provider gateway', () => {
  it('cover the waiting entries in short runs, each signed for its own end, and verify as the registry checks them', async () => {
    const log = await openLog();
    await fill(log, 1000);
    const q = new ProofWindowQueue();
    const wanted = [3, 4, 10, 17, 90, 91, 500, 501, 502, 999];
    for (const i of wanted) q.add(i, '2026-12-07T00:00:00.000Z');
    const { windows, count } = await q.build(log);
    expect(count).toBe(wanted.length);
    expect(windows.map((w) => [w.from, w.from + Buffer.from(w.leaves, 'base64').length / 32])).toEqual([
      [3, 18],
      [90, 92],
      [500, 503],
      [999, 1000],
    ]);
    for (const w of windows) expect(checks(w, log)).toBe(true);
    expect(q.oldest()).toEqual({ index: 3, at: '2026-12-07T00:00:00.000Z' });
    q.done(count);
    expect(q.length).toBe(0);
    await log.close();
  });

  it('wait for entries not yet written, cut runs longer than the limit, and start again after a failed call', async () => {
    const log = await openLog();
    await fill(log, 200);
    const q = new ProofWindowQueue();
    for (let i = 0; i < 150; i++) q.add(i, '2026-12-07T00:00:00.000Z');
    q.add(250, '2026-12-07T00:00:01.000Z');
    const first = await q.build(log);
    expect(first.count).toBe(150);
    expect(first.windows.map((w) => w.from)).toEqual(
      Array.from({ length: Math.ceil(150 / WINDOW_LEAVES) }, (_, k) => k * WINDOW_LEAVES),
    );
    q.retry(); // the call failed: the same windows again, from a right edge made anew
    const again = await q.build(log);
    expect(again.windows).toEqual(first.windows);
    q.done(again.count);
    expect(q.oldest()?.index).toBe(250);
    expect((await q.build(log)).count).toBe(0);
    await fill(log, 100);
    const later = await q.build(log);
    expect(later.windows.map((w) => w.from)).toEqual([250]);
    expect(checks(later.windows[0]!, log)).toBe(true);
    await log.close();
  });
});
