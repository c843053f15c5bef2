import fs from 'node:fs';
import { DomainError } from './errors.js';

/**
 * One process at a time on an embedded database: PGlite keeps no lock of its own, and a second process
 * (a second `ndp serve`, an `ndp import` beside a running server) writing the same files corrupts them.
 * The lock is a file beside the database holding the owner's pid; a lock whose process is gone is stale
 * and taken over. Returns the release.
 */
// dirs this process holds: a lock file with our own pid and not in here was left by an earlier process that had
// our pid (a container's first process is pid 1 every time)
const held = new Set<string>();

export function lockDataDir(dir: string): () => void {
  const file = `${dir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      held.add(file);
      return () => {
        held.delete(file);
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* gone already */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(file, 'utf8').trim());
      const ours = owner === process.pid;
      if ((ours && held.has(file)) || (!ours && Number.isInteger(owner) && owner > 0 && alive(owner))) {
        throw new DomainError('CONFLICT', {
          vi: `Một tiến trình ndp khác (pid ${owner}) đang dùng cơ sở dữ liệu nhúng ở ${dir}. Hãy dừng nó trước, hoặc đặt DATABASE_URL để dùng chung một máy chủ PostgreSQL. (Khoá: ${file})`,
          en: `Another ndp process (pid ${owner}) is using the embedded database in ${dir}. Stop it first, or set DATABASE_URL to share a PostgreSQL server. (Lock: ${file})`,
        });
      }
      fs.rmSync(file, { force: true }); // its process is gone: a crash left it
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
