import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
import { sniffLayout } from '../../datastore/load/reader.js';

/**
 * The shape of a delimited file as written, before any table is made of it:
 * the header's labels and each row's cells against them. Error types and
 * numbering are Frictionless's (rows and fields from 1, the header is row 1
 * of a file without title lines), so a report reads the same as theirs.
 */
export type StructureErrorType = 'blank-label' | 'duplicate-label' | 'missing-cell' | 'extra-cell' | 'blank-row';
export interface StructureError {
  type: StructureErrorType;
  rowNumber: number | null;
  fieldNumber: number | null;
  cell?: string;
}
export interface StructureReport {
  rows: number;
  errors: StructureError[];
  counts: Partial<Record<StructureErrorType, number>>;
  truncated: boolean;
}

const KEPT = 1000;

export async function checkStructure(open: () => Readable): Promise<StructureReport> {
  const layout = await sniffLayout(open, 'csv');
  const errors: StructureError[] = [];
  const counts: StructureReport['counts'] = {};
  const add = (e: StructureError) => {
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    if (errors.length < KEPT) errors.push(e);
  };
  const headerLine = layout.headerRow + 1;
  const raw = open();
  const source =
    layout.encoding.encoding === 'utf-8'
      ? raw
      : raw.pipe(
          iconv.decodeStream(
            layout.encoding.encoding === 'windows-1258'
              ? 'windows1258'
              : layout.encoding.encoding === 'utf-16le'
                ? 'utf16le'
                : 'utf16-be',
          ),
        );
  const parser = source.pipe(
    parse({
      delimiter: layout.delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
    }),
  );
  let line = 0;
  let width = 0;
  let rows = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    line++;
    if (line < headerLine) continue;
    if (line === headerLine) {
      width = record.length;
      const seen = new Set<string>();
      record.forEach((label, i) => {
        const l = label.trim();
        if (!l) add({ type: 'blank-label', rowNumber: null, fieldNumber: i + 1 });
        else if (seen.has(l)) add({ type: 'duplicate-label', rowNumber: null, fieldNumber: i + 1 });
        seen.add(l);
      });
      continue;
    }
    rows++;
    if (record.every((c) => c.trim() === '')) {
      add({ type: 'blank-row', rowNumber: line, fieldNumber: null });
      continue;
    }
    for (let i = record.length; i < width; i++) add({ type: 'missing-cell', rowNumber: line, fieldNumber: i + 1 });
    for (let i = width; i < record.length; i++)
      add({ type: 'extra-cell', rowNumber: line, fieldNumber: i + 1, cell: record[i] });
  }
  return { rows, errors, counts, truncated: Object.values(counts).reduce((s, n) => s + n, 0) > errors.length };
}
