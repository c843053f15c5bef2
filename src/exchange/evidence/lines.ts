import type { FileHandle } from 'node:fs/promises';

export interface LineOptions {
  /** runs after each chunk, for whoever wants to write out what it built from the lines so far */
  afterChunk?: () => Promise<void>;
  /** where to start (the start of a line) and where to stop (the end of one): the whole file by default */
  from?: number;
  to?: number;
  /** bytes read at a time: a megabyte, less for a reader that must not hold the event loop long */
  chunkBytes?: number;
}

/**
 * Reads a file of newline-ended lines a chunk at a time and hands each whole line on (without its
 * newline; the buffer is valid only during the call). Returns the offset just after the last whole
 * line and how many bytes follow it (a torn last line).
 */
export async function forEachLine(
  file: FileHandle,
  onLine: (line: Buffer) => void,
  o: LineOptions = {},
): Promise<{ end: number; torn: number }> {
  const chunk = Buffer.alloc(o.chunkBytes ?? 1 << 20);
  const to = o.to ?? Infinity;
  let carry = Buffer.alloc(0);
  let offset = o.from ?? 0;
  let end = offset;
  for (;;) {
    const { bytesRead } = await file.read(chunk, 0, Math.min(chunk.length, to - offset), offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
    const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    let start = 0;
    for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
      onLine(data.subarray(start, nl));
      end += nl + 1 - start;
      start = nl + 1;
    }
    carry = Buffer.from(data.subarray(start)); // a copy: `chunk` is read into again
    await o.afterChunk?.();
  }
  return { end, torn: carry.length };
}
