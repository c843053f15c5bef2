import type { FileHandle } from 'node:fs/promises';

/**
 * Reads a file of newline-ended lines a megabyte at a time and hands each whole line on (without its
 * newline; the buffer is valid only during the call). Returns the offset just after the last whole
 * line and how many bytes follow it (a torn last line). `afterChunk` runs after each megabyte, for
 * whoever wants to write out what it built from the lines so far.
 */
export async function forEachLine(file: FileHandle, onLine: (line: Buffer) => void, afterChunk?: () => Promise<void>): Promise<{ end: number; torn: number }> {
  const chunk = Buffer.alloc(1 << 20);
  let carry = Buffer.alloc(0);
  let offset = 0;
  let end = 0;
  for (;;) {
    const { bytesRead } = await file.read(chunk, 0, chunk.length, offset);
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
    await afterChunk?.();
  }
  return { end, torn: carry.length };
}
