import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EvidenceLog, LOG_FILES } from './evidence-log.js';
import { openCheckpoint, parseVerifierKey, signCheckpoint, verifierKey } from '../protocol/checkpoint.js';
import { verifyLog } from './log-verify.js';
import { createCaCertificate, generateTlsKey } from '../protocol/pki.js';
import { run } from '../../../test/exchange/network.js';
import {
  rootOf,
  leafHash,
  verifyInclusion,
  verifyConsistency,
  inclusionProof,
  consistencyProof,
} from '../protocol/merkle.js';

const key = generateKeyPairSync('ed25519').privateKey;
const ORIGIN = 'VN/exchange/gateway/test';
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'ndp-log-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) {
    try {
      chmodSync(d, 0o700);
    } catch {
      /* gone */
    }
    rmSync(d, { recursive: true, force: true });
  }
});
const open = (dir: string, o = {}) =>
  EvidenceLog.open(dir, { origin: ORIGIN, keyName: ORIGIN, key, checkpointMs: 60_000, ...o });
const entry = (i: number) => ({ v: 1, side: 'provider', id: `m-${i}`, status: 200, requestBody: `h${i}` });

describe('checkpoints as C2SP signed notes', () => {
  it('signs and opens; refuses another key, a changed body, or a foreign verifier key', () => {
    const root = leafHash(Buffer.from('x'));
    const note = signCheckpoint({ origin: ORIGIN, size: 7, root }, ORIGIN, key);
    expect(note).toMatch(
      /^VN\/exchange\/gateway\/test\n7\n[A-Za-z0-9+/=]{44}\n\n\u2014 VN\/exchange\/gateway\/test [A-Za-z0-9+/=]+\n$/,
    );
    const vkey = verifierKey(ORIGIN, key);
    expect(parseVerifierKey(vkey).name).toBe(ORIGIN);
    expect(openCheckpoint(note, vkey)).toEqual({ origin: ORIGIN, size: 7, root });
    expect(() => openCheckpoint(note.replace('\n7\n', '\n8\n'), vkey)).toThrow(/does not verify/);
    expect(() => openCheckpoint(note, verifierKey(ORIGIN, generateKeyPairSync('ed25519').privateKey))).toThrow(
      /no signature/,
    );
    expect(() => parseVerifierKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(/hash/);
  });
});

describe('the evidence log store', () => {
  it('says an entry is durable only once it is in the entries file, and lets many entries share one write (issue 18.11)', async () => {
    const dir = tmp();
    // a flush timer far off: only those waiting on their entries make it write
    const log = await open(dir, { flushMs: 60_000 });
    const indexes = Array.from({ length: 50 }, (_, i) => log.append(entry(i)));
    expect(readFileSync(path.join(dir, LOG_FILES.entries), 'utf8')).toBe('');
    const before = log.status().failures;
    await Promise.all(indexes.map((i) => log.durable(i)));
    const lines = readFileSync(path.join(dir, LOG_FILES.entries), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(50);
    expect(log.size).toBe(50);
    expect(log.status().failures).toBe(before);
    // one already written resolves at once
    await log.durable(3);
    await log.close();
    await expect(log.durable(99)).rejects.toThrow(/closed/);
  });

  it('appends, checkpoints a root equal to RFC 6962’s, proves inclusion and consistency, and verifies from its files', async () => {
    const dir = tmp();
    const log = await open(dir);
    for (let i = 0; i < 10; i++) expect(log.append(entry(i))).toBe(i);
    const first = (await log.checkpoint())!;
    for (let i = 10; i < 37; i++) log.append(entry(i));
    const note = (await log.checkpoint())!;
    const lines = readFileSync(path.join(dir, LOG_FILES.entries), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(37);
    const leaves = lines.map((l) => leafHash(Buffer.from(l)));
    const c = openCheckpoint(note, log.vkey);
    expect(c.size).toBe(37);
    expect(c.root.equals(rootOf(leaves))).toBe(true);
    expect(verifyInclusion(20, 37, leaves[20]!, await log.inclusion(20, 37), c.root)).toBe(true);
    const old = openCheckpoint(first, log.vkey);
    expect(verifyConsistency(10, 37, old.root, c.root, await log.consistency(10, 37))).toBe(true);
    await log.close();
    const report = await verifyLog(dir, { vkey: log.vkey, trusted: first });
    expect(report).toMatchObject({ ok: true, entries: 37, problems: [] });
    expect(report.checkpoints).toBeGreaterThanOrEqual(2);
  });

  it('keeps only recent leaf hashes in memory, and proves from its files what RFC 6962 proves from all the leaves, before and after reopening', async () => {
    const dir = tmp();
    // blocks of 4 leaves (65,536 in use), so that kept block roots, leaves read back and recent ones all take part
    const log = await open(dir, { blockLeaves: 4 });
    const big = (i: number) => ({ ...entry(i), pad: 'x'.repeat(900 + (i % 7)) }); // ~1 KB: the reopening reads across its 1 MB chunks
    for (let i = 0; i < 1500; i++) log.append(big(i));
    await log.checkpoint();
    for (let i = 1500; i < 1533; i++) log.append(big(i));
    await log.drain();
    expect(log.status()).toMatchObject({ size: 1533, checkpointSize: 1500, leavesInMemory: 33 });
    const leaves = () =>
      readFileSync(path.join(dir, LOG_FILES.entries), 'utf8')
        .trim()
        .split('\n')
        .map((l) => leafHash(Buffer.from(l)));
    const all = leaves();
    const check = async (l: EvidenceLog) => {
      for (const [m, n] of [
        [0, 1],
        [0, 1533],
        [1532, 1533],
        [700, 1500],
        [1499, 1500],
        [1500, 1533],
        [3, 4],
        [5, 7],
        [1024, 1025],
        [1100, 1201],
      ] as const) {
        expect(
          (await l.inclusion(m, n)).map((p) => p.toString('hex')),
          `inclusion ${m} in ${n}`,
        ).toEqual(inclusionProof(all.slice(0, n), m).map((p) => p.toString('hex')));
        expect(
          (await l.consistency(m, n)).map((p) => p.toString('hex')),
          `consistency ${m} → ${n}`,
        ).toEqual(consistencyProof(all.slice(0, n), m).map((p) => p.toString('hex')));
      }
      expect((await l.leafAt(1520)).equals(all[1520]!)).toBe(true);
      expect((await l.leafAt(17)).equals(all[17]!)).toBe(true);
    };
    await check(log);
    await log.close();
    const again = await open(dir, { blockLeaves: 4 });
    expect(again.status()).toMatchObject({ size: 1533, leavesInMemory: 0 }); // rebuilt, written back, let go
    await check(again);
    const kept = again.latestCheckpoint()!;
    for (let i = 1533; i < 1600; i++) again.append(big(i));
    await again.close();
    // ndp log verify over the same files, its own block roots in play: every root, proof and consistency holds
    const report = await verifyLog(dir, { vkey: again.vkey, trusted: kept, blockLeaves: 4 });
    expect(report).toMatchObject({ ok: true, entries: 1600, problems: [] });
  });

  it('reopens where it stopped, cutting a torn last line', async () => {
    const dir = tmp();
    const log = await open(dir);
    for (let i = 0; i < 5; i++) log.append(entry(i));
    await log.close();
    writeFileSync(
      path.join(dir, LOG_FILES.entries),
      `${readFileSync(path.join(dir, LOG_FILES.entries), 'utf8')}{"v":1,"torn`,
    );
    const again = await open(dir);
    expect(again.size).toBe(5);
    expect(again.append(entry(5))).toBe(5);
    await again.close();
    expect((await verifyLog(dir)).ok).toBe(true);
  });

  it('finds a changed entry: ndp log verify names it, and the gateway refuses to reopen the log', async () => {
    const dir = tmp();
    const log = await open(dir);
    for (let i = 0; i < 20; i++) log.append(entry(i));
    await log.close();
    const file = path.join(dir, LOG_FILES.entries);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"id":"m-7","status":200', '"id":"m-7","status":403'));
    const report = await verifyLog(dir);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/entry 7 \(line 8\) differs/);
    expect(report.problems.join('\n')).toMatch(/checkpoint signed at size 20 does not match/);
    // opened from its saved state, the log checks the entries before it in the background and stops accepting…
    const reopened = await open(dir);
    expect(reopened.status()).toMatchObject({ openedFrom: 'state', hashedAtOpen: 0 });
    expect(await reopened.audit).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/does not match its last signed checkpoint: entry 7 differs/),
    });
    expect(reopened.accepting).toBe(false);
    expect(reopened.status()).toMatchObject({ audit: 'failed', failing: expect.stringMatching(/entry 7 differs/) });
    await reopened.close();
    // …and without a saved state it hashes every entry and refuses to open
    rmSync(path.join(dir, LOG_FILES.state));
    await expect(open(dir)).rejects.toThrow(/does not match its last signed checkpoint/);
  });

  it('reopens from its saved state: hashes only the entries after it, replays only those asked for, gives back its owner’s snapshot, and checks the rest in the background', async () => {
    const dir = tmp();
    let count = 0;
    const log = await open(dir, { blockLeaves: 4, snapshot: () => ({ count }) });
    const big = (i: number) => ({ ...entry(i), pad: 'x'.repeat(900 + (i % 7)) });
    for (let i = 0; i < 1500; i++) {
      log.append(big(i));
      count++;
    }
    await log.close();
    // entries written after the last checkpoint by a gateway that then crashed
    const file = path.join(dir, LOG_FILES.entries);
    writeFileSync(
      file,
      readFileSync(file, 'utf8') + Array.from({ length: 33 }, (_, k) => `${JSON.stringify(big(1500 + k))}\n`).join(''),
    );
    const all = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => leafHash(Buffer.from(l)));

    const seen: { line: string; after: boolean }[] = [];
    let restored: unknown;
    // entries from a minute ago on: the mark of the first checkpoint lets it start there
    const again = await open(dir, {
      blockLeaves: 4,
      replaySince: Date.now() + 120_000,
      replay: (line: Buffer, after: boolean) => seen.push({ line: line.toString(), after }),
      restore: (v: unknown) => {
        restored = v;
      },
      snapshot: () => ({ count: 1533 }),
    });
    expect(again.status()).toMatchObject({ size: 1533, openedFrom: 'state', hashedAtOpen: 33, audit: 'running' });
    expect(restored).toEqual({ count: 1500 });
    expect(seen).toHaveLength(33);
    expect(seen.every((x) => x.after)).toBe(true);
    expect(JSON.parse(seen[0]!.line)).toMatchObject({ id: 'm-1500' });
    for (const [m, n] of [
      [0, 1533],
      [1499, 1500],
      [1520, 1533],
      [700, 1501],
    ] as const) {
      expect((await again.inclusion(m, n)).map((p) => p.toString('hex'))).toEqual(
        inclusionProof(all.slice(0, n), m).map((p) => p.toString('hex')),
      );
      expect((await again.consistency(m, n)).map((p) => p.toString('hex'))).toEqual(
        consistencyProof(all.slice(0, n), m).map((p) => p.toString('hex')),
      );
    }
    expect(await again.audit).toEqual({ ok: true, entries: 1500, archived: 0 });
    expect(again.status().audit).toBe('passed');
    expect(again.accepting).toBe(true);
    await again.close();

    // asked for every entry, it reads them all, but hashes none again; those before the snapshot say so
    seen.length = 0;
    const third = await open(dir, {
      blockLeaves: 4,
      replaySince: 0,
      replay: (line: Buffer, after: boolean) => seen.push({ line: line.toString(), after }),
      restore: (v: unknown) => {
        restored = v;
      },
    });
    expect(third.status()).toMatchObject({ size: 1533, openedFrom: 'state', hashedAtOpen: 0 });
    expect(restored).toEqual({ count: 1533 });
    expect(seen).toHaveLength(1533);
    expect(seen.some((x) => x.after)).toBe(false); // the closing checkpoint's snapshot counted them all
    await third.close();
  });

  it('closes and compresses segments as it grows, and proves, verifies and reopens across them; a segment moved to an archive is named, never taken for lost', async () => {
    const dir = tmp();
    const big = (i: number) => ({ ...entry(i), pad: 'x'.repeat(900 + (i % 7)) });
    const log = await open(dir, { blockLeaves: 4, segmentBytes: 20_000 });
    let n = 0;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 25; i++) log.append(big(n++));
      await log.checkpoint();
    }
    for (let i = 0; i < 7; i++) log.append(big(n++));
    await log.drain();
    await log.compressed();
    const files = readdirSync(path.join(dir, 'segments')).sort();
    const segments = files.filter((f) => !f.endsWith('.checkpoints.ndjson'));
    expect(segments.length).toBeGreaterThanOrEqual(5);
    expect(segments.every((f) => /^\d{16}-\d{16}\.ndjson\.gz$/.test(f))).toBe(true);
    // the checkpoints signed while each segment was written went with it; the current file starts with the last of them
    const checkpointFiles = files.filter((f) => f.endsWith('.checkpoints.ndjson'));
    expect(checkpointFiles.map((f) => f.slice(0, 33))).toEqual(segments.map((f) => f.slice(0, 33)));
    const lastArchived = readFileSync(path.join(dir, 'segments', checkpointFiles.at(-1)!), 'utf8')
      .trim()
      .split('\n')
      .at(-1);
    expect(readFileSync(path.join(dir, LOG_FILES.checkpoints), 'utf8').split('\n')[0]).toBe(lastArchived);
    expect(log.status().segmentStart).toBe(150); // the last checkpoint closed the file: the 7 after it are in the new one
    const all = Array.from({ length: n }, (_, i) => leafHash(Buffer.from(JSON.stringify(big(i)))));
    for (const [m, k] of [
      [0, n],
      [3, 150],
      [149, 150],
      [150, n],
      [60, 101],
    ] as const) {
      expect((await log.inclusion(m, k)).map((p) => p.toString('hex'))).toEqual(
        inclusionProof(all.slice(0, k), m).map((p) => p.toString('hex')),
      );
      expect((await log.consistency(m, k)).map((p) => p.toString('hex'))).toEqual(
        consistencyProof(all.slice(0, k), m).map((p) => p.toString('hex')),
      );
    }
    await log.close();
    expect(await verifyLog(dir, { blockLeaves: 4 })).toMatchObject({
      ok: true,
      entries: n,
      problems: [],
      checkpoints: 7,
    }); // six rounds and the closing

    // reopened from its state, it reads back through the compressed segments for whoever asks; without a state it hashes them all
    let replayed = 0;
    const again = await open(dir, {
      blockLeaves: 4,
      replaySince: 0,
      replay: () => {
        replayed++;
      },
    });
    expect(again.status()).toMatchObject({ size: n, openedFrom: 'state', hashedAtOpen: 0 });
    expect(replayed).toBe(n);
    expect(await again.audit).toEqual({ ok: true, entries: n, archived: 0 });
    await again.close();
    rmSync(path.join(dir, LOG_FILES.state));
    const rebuilt = await open(dir, { blockLeaves: 4 });
    expect(rebuilt.status()).toMatchObject({ size: n, openedFrom: 'entries', hashedAtOpen: n });
    await rebuilt.close();
    // a crash just after a segment was closed, before the new checkpoints file had its first line: the last checkpoint is found with the segment
    const currentCheckpoints = readFileSync(path.join(dir, LOG_FILES.checkpoints));
    const archivedCheckpoints = path.join(dir, 'segments', checkpointFiles.at(-1)!);
    const archivedText = readFileSync(archivedCheckpoints, 'utf8');
    writeFileSync(path.join(dir, LOG_FILES.checkpoints), '');
    rmSync(path.join(dir, LOG_FILES.state));
    // (the one it finds there is the one it holds the entries to: a forged one stops it)
    writeFileSync(archivedCheckpoints, archivedText.replace(/("note":"[^"]*\\n)150\\n/, '$1149\\n'));
    await expect(open(dir, { blockLeaves: 4 })).rejects.toThrow(/does not verify|signature/);
    writeFileSync(archivedCheckpoints, archivedText);
    const afterCrash = await open(dir, { blockLeaves: 4 });
    expect(afterCrash.status()).toMatchObject({ size: n, openedFrom: 'entries', checkpointSize: n }); // and signs its own again at once
    await afterCrash.close();
    writeFileSync(path.join(dir, LOG_FILES.checkpoints), currentCheckpoints);

    // the oldest segment moved to an archive: the log opens from its state, and its check carries on with the recorded leaf hashes
    const first = path.join(dir, 'segments', segments[0]!);
    const away = path.join(tmp(), segments[0]!);
    renameSync(first, away);
    const [, from, to] = /^(\d{16})-(\d{16})/.exec(segments[0]!)!.map(Number);
    const archived = await open(dir, { blockLeaves: 4 });
    expect(await archived.audit).toEqual({ ok: true, entries: n, archived: to! - from! });
    expect(archived.accepting).toBe(true);
    await archived.close();
    const report = await verifyLog(dir, { blockLeaves: 4 });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      `entries ${from}–${to! - 1} are not in ${path.join(dir, 'segments')} (archived?): they were not checked; give the folder they are kept in with --archive`,
    ]);
    // an auditor points at the archive: everything checks, the archived segment included
    expect(await verifyLog(dir, { blockLeaves: 4, archives: [path.dirname(away)] })).toMatchObject({
      ok: true,
      entries: n,
      problems: [],
    });
    // and finds an exchange's entry there from the console
    const cert = path.join(tmp(), 'gw.pem');
    writeFileSync(cert, await createCaCertificate((await generateTlsKey()).keyPem, 'gateway', 1));
    const missing = await run(['log', 'seals', dir, 'm-3', '--cert', cert]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(
      /entries are in segments not in .* not searched; give the folder they are kept in with --archive\nno entry for m-3/,
    );
    const found = await run(['log', 'seals', dir, 'm-3', '--cert', cert, '--archive', path.dirname(away)]);
    expect(found.stdout).toMatch(/^provider entry, status 200/);
    // without a saved state there is nothing to open from but the entries themselves
    rmSync(path.join(dir, LOG_FILES.state));
    await expect(open(dir, { blockLeaves: 4 })).rejects.toThrow(
      /entries 0–\d+ of the evidence log are not in .* put the archived segments back/,
    );
    renameSync(away, first);
    expect((await verifyLog(dir, { blockLeaves: 4 })).ok).toBe(true);
  });

  it('goes on writing when a segment cannot be closed, and closes it at a later checkpoint', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'segments'), 'a file where the segments folder should be');
    const big = (i: number) => ({ ...entry(i), pad: 'x'.repeat(900 + (i % 7)) });
    const log = await open(dir, { blockLeaves: 4, segmentBytes: 20_000 });
    for (let i = 0; i < 30; i++) log.append(big(i));
    await expect(log.checkpoint()).rejects.toThrow();
    expect(log.status()).toMatchObject({ segmentStart: 0, failing: expect.any(String) });
    for (let i = 30; i < 40; i++) log.append(big(i));
    await log.flush(); // (the writer's next write, which clears the failure when it succeeds)
    expect(log.status()).toMatchObject({ size: 40, failing: undefined }); // written on in the same file
    rmSync(path.join(dir, 'segments'));
    await log.checkpoint();
    expect(log.status().segmentStart).toBe(40);
    await log.compressed();
    await log.close();
    expect(await verifyLog(dir, { blockLeaves: 4 })).toMatchObject({ ok: true, entries: 40, problems: [] });
  });

  it('goes on checking a reopened log while the file under the check is closed as a segment and compressed', async () => {
    const dir = tmp();
    const big = (i: number) => ({ ...entry(i), pad: 'x'.repeat(900 + (i % 7)) });
    const log = await open(dir, { blockLeaves: 4, segmentBytes: 4 * 1024 * 1024 });
    for (let i = 0; i < 1200; i++) log.append(big(i)); // ~1.2 MB: the check reads it a quarter megabyte at a time
    await log.close();
    // a slow check (a two-hundredth of the time), and a segment closed at the first checkpoint after the opening
    const again = await open(dir, { blockLeaves: 4, segmentBytes: 1024 * 1024, auditShare: 0.005 });
    expect(again.status().audit).toBe('running');
    for (let i = 1200; i < 1210; i++) again.append(big(i));
    await again.checkpoint();
    await again.compressed();
    expect(again.status().segmentStart).toBe(1210);
    expect(readdirSync(path.join(dir, 'segments')).filter((f) => f.endsWith('.ndjson.gz'))).toHaveLength(1);
    expect(await again.audit).toEqual({ ok: true, entries: 1200, archived: 0 });
    expect(again.accepting).toBe(true);
    await again.close();
  });

  it('finds changed leaf hashes or block roots behind a saved state, and opens by hashing every entry when the state does not hold', async () => {
    const dir = tmp();
    const log = await open(dir, { blockLeaves: 4 });
    for (let i = 0; i < 40; i++) log.append(entry(i));
    await log.close();
    const flip = async (name: string, at: number, expected: RegExp) => {
      const f = path.join(dir, name);
      const before = readFileSync(f);
      const changed = Buffer.from(before);
      changed[at]! ^= 1;
      writeFileSync(f, changed);
      const l = await open(dir, { blockLeaves: 4 });
      expect(await l.audit).toMatchObject({ ok: false, problem: expect.stringMatching(expected) });
      expect(l.accepting).toBe(false);
      await l.close();
      writeFileSync(f, before);
    };
    await flip(LOG_FILES.leaves, 3 * 32 + 5, /entry 3 differs from its recorded leaf hash/);
    await flip(LOG_FILES.blocks, 2 * 32 + 1, /block 2 of the kept block roots/);
    // a state that is not this log's (or not whole) is passed over: every entry is hashed, and all is well
    writeFileSync(path.join(dir, LOG_FILES.state), '{"v":1,"size":');
    const l = await open(dir, { blockLeaves: 4 });
    expect(l.status()).toMatchObject({ size: 40, openedFrom: 'entries', hashedAtOpen: 40, audit: 'not needed' });
    await l.close();
    expect((await verifyLog(dir, { blockLeaves: 4 })).ok).toBe(true);
  });

  it('checks every signed checkpoint a window at a time, and finds one put back out of order or two roots signed for one size', async () => {
    const dir = tmp();
    const log = await open(dir);
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 3; i++) log.append(entry(round * 3 + i));
      await log.checkpoint();
    }
    await log.close();
    expect(await verifyLog(dir, { checkpointWindow: 4 })).toMatchObject({ ok: true, entries: 120, checkpoints: 40 });
    const file = path.join(dir, LOG_FILES.checkpoints);
    const kept = readFileSync(file, 'utf8');
    const lines = kept.trim().split('\n');
    writeFileSync(file, `${kept}${lines[5]}\n`);
    expect((await verifyLog(dir, { checkpointWindow: 4 })).problems).toContain(
      'the checkpoints are not in the order they were signed: one was put back or moved',
    );
    const other = signCheckpoint(
      { origin: ORIGIN, size: 120, root: leafHash(Buffer.from('another history')) },
      ORIGIN,
      key,
    );
    writeFileSync(file, `${kept}${JSON.stringify({ size: 120, at: new Date().toISOString(), note: other })}\n`);
    expect((await verifyLog(dir, { checkpointWindow: 4 })).problems).toContain(
      'two checkpoints of size 120 sign different roots: the log forked',
    );
  });

  it('detects a history rewritten wholesale against a checkpoint an auditor kept', async () => {
    const dir = tmp();
    const log = await open(dir);
    for (let i = 0; i < 8; i++) log.append(entry(i));
    const kept = (await log.checkpoint())!;
    await log.close();
    // a rewrite with a fresh log (and fresh leaf hashes and checkpoints) under the same key
    rmSync(dir, { recursive: true });
    const forged = await open(dir);
    for (let i = 0; i < 12; i++) forged.append({ ...entry(i), status: i === 3 ? 500 : 200 });
    await forged.close();
    const report = await verifyLog(dir, { trusted: kept });
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/not an extension of the kept checkpoint of size 8/);
  });

  it('reports a failing store and stops accepting when its queue is full, rather than drop entries', async () => {
    const dir = tmp();
    const log = await open(dir, { maxPending: 3 });
    log.append(entry(0));
    await log.flush();
    // make the entries file unwritable behind the log's back
    const handle = (log as unknown as { files: { entries: { close(): Promise<void> } } }).files.entries;
    await handle.close();
    for (let i = 1; i < 4; i++) log.append(entry(i));
    await log.flush();
    expect(log.status().failing).toBeTruthy();
    expect(log.status().failures).toBeGreaterThan(0);
    expect(log.status().pending).toBe(3);
    expect(log.accepting).toBe(false);
  });
});
