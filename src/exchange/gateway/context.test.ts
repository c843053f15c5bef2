import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccessRecordQueue, ReplayGuard } from './context.js';
import type { AccessRecord } from '../protocol/access-records.js';

const record = (i: number): AccessRecord => ({
  subject: 'VN001090000001',
  at: new Date(0).toISOString(),
  id: `m${i}`,
  index: i,
  client: 'VN/GOV/000.00.00.H01/DVC',
  service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
  purpose: 'verify-residence',
  legalBasis: 'Luật Cư trú 2020',
  status: 200,
});

describe('access records waiting for the registry', () => {
  it('name the first one the registry has not acknowledged: waiting, in a call, or spooled (issue 18.11)', () => {
    const q = new AccessRecordQueue(1000);
    expect(q.oldest()).toBeUndefined();
    for (let i = 10; i < 15; i++) q.push(record(i));
    expect(q.oldest()?.index).toBe(10);
    const sent = q.take(2);
    expect(q.oldest()?.index).toBe(10); // in a call, not yet acknowledged
    q.done(sent);
    // acknowledged, but their proof windows are not yet: the mark stays (issue 19)
    expect(q.oldest()?.index).toBe(10);
    q.windows.done(2);
    expect(q.oldest()?.index).toBe(12);
    const failed = q.take(3);
    expect(q.oldest()?.index).toBe(12);
    q.giveBack(failed);
    expect(q.oldest()?.index).toBe(12);
    q.done(q.take(3));
    expect(q.oldest()?.index).toBe(12);
    q.windows.done(3);
    expect(q.oldest()).toBeUndefined();
  });

  it('are sent in order, a batch at a time, and what failed to go out goes back in front', () => {
    const q = new AccessRecordQueue(1000);
    for (let i = 0; i < 5; i++) q.push(record(i));
    const first = q.take(2);
    expect(first.map((r) => r.id)).toEqual(['m0', 'm1']);
    q.giveBack(first);
    expect(q.take(10).map((r) => r.id)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(q.length).toBe(0);
  });

  it('keep the newest when the registry stays away past the bound, and count the ones dropped', () => {
    const q = new AccessRecordQueue(100);
    for (let i = 0; i < 10_200; i++) q.push(record(i));
    expect(q.dropped).toBeGreaterThan(0);
    expect(q.length + q.dropped).toBe(10_200);
    expect(q.length).toBeLessThanOrEqual(100 + 10_000);
    const kept = q.take(q.length);
    expect(kept[kept.length - 1]!.id).toBe('m10199');
    expect(kept[0]!.id).toBe(`m${q.dropped}`);
  });
});

// what the gateway's shipper does: a report's worth at a time, the spool's brought back when memory runs low
async function drain(q: AccessRecordQueue): Promise<string[]> {
  const ids: string[] = [];
  for (let calls = 0; calls < 200 && (q.length || q.spooledBytes); calls++) {
    await q.refill(2000);
    ids.push(...q.take(2000).map((r) => r.id));
  }
  return ids;
}

describe('access records past the bound in memory', () => {
  it('wait in a spool on disk and come back when memory runs low, none dropped, and the spool starts again once empty', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ndp-spool-'));
    try {
      const file = path.join(dir, 'access-records.spool');
      const q = await AccessRecordQueue.open(100, { file, maxBytes: 64 << 20 });
      for (let i = 0; i < 25_000; i++) q.push(record(i));
      expect(q.dropped).toBe(0);
      expect(q.length).toBeLessThanOrEqual(100 + 10_000);
      expect(q.spooledBytes).toBeGreaterThan(0);
      expect(new Set(await drain(q)).size).toBe(25_000);
      await q.refill(1); // lets the emptied spool be cut
      expect(statSync(file).size).toBe(0);
      // a restarted gateway finds what was spooled and not yet taken
      for (let i = 0; i < 12_000; i++) q.push(record(i));
      await q.settled();
      // and a stopping gateway puts what waits in memory there too
      await q.persist();
      expect(q.length).toBe(0);
      const again = await AccessRecordQueue.open(100, { file, maxBytes: 64 << 20 });
      expect(new Set(await drain(again)).size).toBe(12_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drain whatever the spool file holds: a torn last line, a file shorter or gone, never a spool that stays “waiting”', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ndp-spool-'));
    try {
      const file = path.join(dir, 's');
      const q = await AccessRecordQueue.open(10, { file, maxBytes: 64 << 20 });
      for (let i = 0; i < 10_100; i++) q.push(record(i));
      await q.settled();
      const size = statSync(file).size;
      truncateSync(file, size - 20); // the last record torn
      const got = (await drain(q)).length;
      expect(q.spooledBytes).toBe(0);
      expect(got + q.dropped).toBe(10_100);
      expect(q.dropped).toBe(1);
      // the file removed under it
      for (let i = 0; i < 10_100; i++) q.push(record(i));
      await q.settled();
      rmSync(file);
      await drain(q);
      expect(q.spooledBytes).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are dropped and counted only past the spool’s own bound', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ndp-spool-'));
    try {
      const q = await AccessRecordQueue.open(100, { file: path.join(dir, 's'), maxBytes: 1_000_000 });
      for (let i = 0; i < 40_000; i++) q.push(record(i));
      expect(q.dropped).toBeGreaterThan(0);
      expect(q.spooledBytes).toBeLessThanOrEqual(1_000_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the replay guard', () => {
  it('refuses an id seen within the window, however the generations turn, and forgets it after', () => {
    const g = new ReplayGuard(1000, 0);
    expect(g.fresh('gw1', 'a', 0)).toBe(true);
    expect(g.fresh('gw1', 'a', 999)).toBe(false);
    expect(g.fresh('gw1', 'b', 999)).toBe(true);
    // the generation turns at 1000: 'b' (seen at 999) must still be refused for a window after it was seen
    expect(g.fresh('gw1', 'b', 1500)).toBe(false);
    expect(g.fresh('gw1', 'b', 1998)).toBe(false);
    expect(g.fresh('gw1', 'a', 2000)).toBe(false); // remembered for up to two windows
    expect(g.fresh('gw1', 'a', 2500)).toBe(true); // and then forgotten
    // a long silence: nothing old is kept
    expect(g.fresh('gw1', 'c', 2501)).toBe(true);
    expect(g.fresh('gw1', 'c', 10_000)).toBe(true);
    expect(g.size).toBe(1);
  });

  it('keeps each sender’s ids apart: the same id from another gateway is not a replay', () => {
    const g = new ReplayGuard(1000, 0);
    expect(g.fresh('gw1', 'm1', 0)).toBe(true);
    expect(g.fresh('gw2', 'm1', 1)).toBe(true);
    expect(g.fresh('gw1', 'm1', 2)).toBe(false);
    expect(g.fresh('gw2', 'm1', 1500)).toBe(false); // across a turn of generations too
    expect(g.size).toBe(2);
  });

  it('keeps at most two windows of ids, dropped whole rather than swept one by one', () => {
    const g = new ReplayGuard(100, 0);
    for (let t = 0; t < 1000; t++) g.fresh('gw1', `m${t}`, t);
    expect(g.size).toBeLessThanOrEqual(200);
    expect(g.fresh('gw1', 'm950', 1000)).toBe(false);
  });

  it('under a flood keeps at most its bound, and says since when it still knows every id, so older requests can be refused', () => {
    // window 1,000 ms (clock skew 500), at most 100 ids
    const g = new ReplayGuard(1000, 10_000, 100);
    expect(g.coveredSince).toBe(8_000); // at the start: what the gateway filled in from its log
    for (let i = 0; i < 40; i++) g.fresh('gw1', `n${i}`, 10_000 + i);
    expect(g.coveredSince).toBe(8_000); // an ordinary turn later keeps two windows' cover
    for (let i = 0; i < 1000; i++) g.fresh('gw1', `f${i}`, 10_100 + i / 10); // 1,000 ids in 100 ms
    expect(g.size).toBeLessThanOrEqual(100);
    expect(g.coveredSince).toBeGreaterThan(10_100); // turned early: ids before then are forgotten…
    expect(g.fresh('gw1', 'f999', 10_200)).toBe(false); // …not the recent ones
    // what the provider refuses meanwhile: a request whose first arrival may predate the cover (sent − skew < cover)
    const skew = 500;
    const refusable = (sent: number) => sent - skew < g.coveredSince;
    expect(refusable(10_200)).toBe(true);
    expect(refusable(g.coveredSince + skew)).toBe(false);
  });

  it('turns as before when the window passes in silence, without narrowing its cover', () => {
    const g = new ReplayGuard(1000, 0);
    g.fresh('gw1', 'a', 10);
    g.fresh('gw1', 'b', 5_000); // long after: both generations dropped
    expect(g.fresh('gw1', 'a', 5_001)).toBe(true);
    expect(g.coveredSince).toBeLessThanOrEqual(5_001 - 1000); // a fresh request (sent now, skew 500) is never refused for cover
  });
});
