import iconv from 'iconv-lite';

/**
 * Reading a real government file before parsing it: which encoding, which
 * delimiter, and where the table is between title lines above and footnotes
 * below. Pure functions over a sample of the file's first bytes and rows.
 */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1258';

export interface EncodingGuess {
  encoding: Encoding;
  /** bytes of byte-order mark to skip */
  bom: number;
}

export function detectEncoding(sample: Buffer): EncodingGuess {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  // UTF-16 without a mark: ASCII text has a zero in every other byte.
  const pairs = Math.min(sample.length >> 1, 2048);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) evenZeros++;
    if (sample[2 * i + 1] === 0) oddZeros++;
  }
  if (pairs > 8 && oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return { encoding: 'utf-16le', bom: 0 };
  if (pairs > 8 && evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return { encoding: 'utf-16be', bom: 0 };
  return { encoding: validUtf8(sample) ? 'utf-8' : 'windows-1258', bom: 0 };
}

/** True when the sample is UTF-8, allowing a character cut off at its very end. */
function validUtf8(sample: Buffer): boolean {
  let end = sample.length;
  // Step back over an incomplete trailing sequence (at most 3 bytes).
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = sample[end - k]!;
    if ((b & 0xc0) === 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (k < need) end -= k;
      break;
    }
    if ((b & 0xc0) !== 0x80) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** Decodes to NFC text: Windows-1258 writes tone marks as combining characters, which search and comparison must not see. */
export function decode(buf: Buffer, guess: EncodingGuess): string {
  const body = buf.subarray(guess.bom);
  const text =
    guess.encoding === 'windows-1258'
      ? iconv.decode(body, 'windows1258')
      : iconv.decode(
          body,
          guess.encoding === 'utf-8' ? 'utf8' : guess.encoding === 'utf-16le' ? 'utf16le' : 'utf16-be',
        );
  return text.normalize('NFC');
}

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Delimiters outside quotes on one line. */
function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

/**
 * The delimiter that splits the most lines into the same number of fields:
 * title and note lines above and below the table do not sway it.
 */
export function detectDelimiter(lines: string[]): Delimiter {
  const sample = lines.filter((l) => l.trim() !== '').slice(0, 200);
  let best: Delimiter = ',';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const counts = new Map<number, number>();
    for (const l of sample) {
      const c = countOutsideQuotes(l, d);
      if (c > 0) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let score = 0;
    for (const [fields, lineCount] of counts) score = Math.max(score, lineCount * Math.log2(fields + 1));
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

export interface TableBounds {
  /** index of the header row */
  header: number;
  /** index of the first and last data rows (inclusive); last < first when there are none */
  first: number;
  last: number;
  width: number;
  /** rows above the header (titles) and below the data (footnotes), for the report */
  titleRows: number;
  footnoteRows: number;
}

const filled = (row: string[]) => row.filter((c) => c.trim() !== '').length;

/**
 * Finds the table in parsed rows: the width is the one most rows fill; the
 * header is the first row that fills it; footnotes are the trailing rows that
 * fill far less (“Nguồn: …”, “Ghi chú: …”), and blank rows anywhere are not data.
 */
export function locateTable(rows: string[][]): TableBounds {
  const widths = new Map<number, number>();
  for (const r of rows) {
    const f = filled(r);
    if (f > 1) widths.set(f, (widths.get(f) ?? 0) + 1);
  }
  const width =
    [...widths.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? Math.max(1, ...rows.map(filled));
  // The header may leave a cell or two empty (a blank corner cell), titles fill one.
  const header = Math.max(
    0,
    rows.findIndex((r) => filled(r) >= Math.max(2, Math.ceil(width * 0.6))),
  );
  let last = rows.length - 1;
  while (last > header && (filled(rows[last]!) === 0 || filled(rows[last]!) < Math.max(2, Math.ceil(width / 2))))
    last--;
  const firstData = header + 1;
  return { header, first: firstData, last, width, titleRows: header, footnoteRows: rows.length - 1 - last };
}
