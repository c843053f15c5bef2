import fs from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkStructure } from './structure.js';

const open = (buf: Buffer) => () => Readable.from([buf]);

describe('the structure of a delimited file, as Frictionless reports it', () => {
  it("finds frictionless-py's data/invalid.csv's eight errors at the right rows and fields", async () => {
    const r = await checkStructure(
      open(fs.readFileSync(new URL('../../../test/fixtures/frictionless_invalid.csv', import.meta.url))),
    );
    expect(r.errors.map((e) => [e.rowNumber, e.fieldNumber, e.type])).toEqual([
      [null, 3, 'blank-label'],
      [null, 4, 'duplicate-label'],
      [2, 3, 'missing-cell'],
      [2, 4, 'missing-cell'],
      [3, 3, 'missing-cell'],
      [3, 4, 'missing-cell'],
      [4, null, 'blank-row'],
      [5, 5, 'extra-cell'],
    ]);
    expect(r.counts).toEqual({
      'blank-label': 1,
      'duplicate-label': 1,
      'missing-cell': 4,
      'blank-row': 1,
      'extra-cell': 1,
    });
  });

  it('reports nothing for a well-formed file, and counts past the kept errors', async () => {
    expect((await checkStructure(open(Buffer.from('a,b\n1,2\n3,4\n')))).errors).toEqual([]);
    const long = await checkStructure(
      open(Buffer.from(['a,b,c', ...Array.from({ length: 1500 }, () => '1')].join('\n'))),
    );
    expect(long.counts['missing-cell']).toBe(3000);
    expect(long.errors).toHaveLength(1000);
    expect(long.truncated).toBe(true);
  });
});
