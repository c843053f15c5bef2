import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { DomainError } from '../../platform/errors.js';

/** A legacy .xls holds at most 65,536 rows × 256 columns: anything much larger is not one. */
const MAX_XLS_BYTES = 256 * 1024 * 1024;
const DEADLINE_MS = 120_000;
const WORKER = new URL('./xls.worker.ts', import.meta.url);

/**
 * Converts a legacy Excel file's first sheet to a temporary UTF-8 CSV file
 * (returned; the caller deletes it), in a child process with a memory cap and
 * a deadline (see xls.worker.ts). A file that is not a workbook is a clear
 * error, in Vietnamese and English.
 */
export async function xlsToCsv(open: () => Readable): Promise<string> {
  const out = path.join(os.tmpdir(), `ndp-xls-${process.pid}-${randomUUID()}.csv`);
  const child = fork(WORKER, [], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=1024'],
    stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString('utf8').slice(0, 2000);
  });
  let bytes = 0;
  const input = open();
  input.on('data', (b: Buffer) => {
    bytes += b.length;
    if (bytes > MAX_XLS_BYTES) input.destroy(new Error('too large for an .xls workbook'));
  });
  try {
    const exited = once(child, 'exit');
    await Promise.all([pipeline(input, child.stdin!), pipeline(child.stdout!, fs.createWriteStream(out))]);
    const [code, signal] = (await exited) as [number | null, string | null];
    if (code !== 0) {
      throw new DomainError('VALIDATION_FAILED', {
        vi: `Không đọc được tệp Excel (.xls)${signal ? ': quá thời gian cho phép' : ''}. ${stderr}`.trim(),
        en: `The Excel (.xls) file could not be read${signal ? ': it took too long' : ''}. ${stderr}`.trim(),
      });
    }
    return out;
  } catch (err) {
    child.kill('SIGKILL');
    fs.rmSync(out, { force: true });
    if (err instanceof DomainError) throw err;
    throw new DomainError('VALIDATION_FAILED', {
      vi: `Không đọc được tệp Excel (.xls): ${(err as Error).message}`,
      en: `The Excel (.xls) file could not be read: ${(err as Error).message}`,
    });
  } finally {
    clearTimeout(timer);
  }
}
