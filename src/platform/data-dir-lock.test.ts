import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'ndp-lock-'));
  dirs.push(d);
  return d;
};

describe('one process at a time on the embedded database', () => {
  it('refuses a second opening while the first holds it, with a message that says what to do, and allows it after close', async () => {
    const dataDir = path.join(tmp(), 'pg');
    const first = await openDatabase({ dataDir });
    await expect(openDatabase({ dataDir })).rejects.toThrow(
      /Another ndp process \(pid \d+\) is using the embedded database/,
    );
    await first.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const again = await openDatabase({ dataDir });
    await again.close();
  });

  it('takes over a lock whose process is gone (a crash), or one with its own pid left by an earlier process', async () => {
    const dataDir = path.join(tmp(), 'pg');
    // a pid that no longer runs: a child that has exited
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(`${dataDir}.lock`, gone);
    const a = await openDatabase({ dataDir });
    await a.close();
    writeFileSync(`${dataDir}.lock`, String(process.pid));
    const b = await openDatabase({ dataDir });
    await b.close();
  });
});
