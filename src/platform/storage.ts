import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from './errors.js';

export interface StoredFile {
  key: string;
  size: number;
  sha256: string;
}

/**
 * Where uploaded files live. The local-disk store is the default; an
 * S3-compatible store can implement the same three calls.
 */
export interface FileStore {
  put(source: Readable, opts: { maxBytes: number }): Promise<StoredFile>;
  open(key: string): Readable;
  remove(key: string): Promise<void>;
}

export function localFileStore(root: string): FileStore {
  const tmpDir = path.join(root, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  const fullPath = (key: string) => {
    if (!/^[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(key)) throw new DomainError('NOT_FOUND');
    return path.join(root, key);
  };
  return {
    async put(source, { maxBytes }) {
      const id = randomUUID();
      const tmp = path.join(tmpDir, id);
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > maxBytes) return done(new DomainError('PAYLOAD_TOO_LARGE'));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(source, meter, fs.createWriteStream(tmp, { flags: 'wx' }));
        // A truncating reader (multipart's size limit) ends the stream early instead of failing it.
        if ((source as Readable & { truncated?: boolean }).truncated) throw new DomainError('PAYLOAD_TOO_LARGE');
        const key = `${id.slice(0, 2)}/${id}`;
        fs.mkdirSync(path.dirname(path.join(root, key)), { recursive: true });
        fs.renameSync(tmp, path.join(root, key));
        return { key, size, sha256: hash.digest('hex') };
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw err;
      }
    },
    open(key) {
      return fs.createReadStream(fullPath(key));
    },
    async remove(key) {
      fs.rmSync(fullPath(key), { force: true });
    },
  };
}
