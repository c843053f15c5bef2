import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import { DomainError } from '../../platform/errors.js';

/**
 * The first sheet of an XLSX workbook, row by row, read through the zip's
 * central directory. exceljs's streaming reader reads the zip front to back
 * and loses parts when the unzip stream reports its end early (it does so
 * when its input ends, before the last entries are handed on): under load a
 * worksheet was read before the styles, and its dates came out as serial
 * numbers (seen in CI; exceljs#3064). Reading by the directory puts the
 * relations, the workbook, the shared strings and the styles before the
 * sheet whatever order the writer chose, and picks the first tab, not the
 * first file. exceljs still parses each part; only its part-level readers are
 * used, so its version is pinned.
 */

interface SheetRef {
  rId: string;
  name: string;
}
/** The part readers of exceljs's WorkbookReader that this file drives (exceljs 4.4.0). */
interface PartReaders {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: SheetRef[] };
  properties?: { model?: { date1904?: boolean } };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    chunks: AsyncIterable<Buffer>,
    sheetNo: string,
  ): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
}

const unreadable = (vi: string, en: string) =>
  new DomainError('VALIDATION_FAILED', {
    vi: `Không đọc được tệp Excel (.xlsx): ${vi}`,
    en: `The Excel (.xlsx) file could not be read: ${en}`,
  });

/** A path to the bytes: the file itself when the source is one, else a temporary copy (removed by `dispose`). */
async function onDisk(open: () => Readable): Promise<{ file: string; dispose: () => void }> {
  const input = open();
  const own = input as Readable & { path?: unknown; start?: unknown; end?: unknown };
  if (
    input instanceof fs.ReadStream &&
    typeof own.path === 'string' &&
    own.start === undefined &&
    own.end === Infinity
  ) {
    input.destroy();
    return { file: own.path, dispose: () => undefined };
  }
  const file = path.join(os.tmpdir(), `ndp-xlsx-${process.pid}-${randomUUID()}.xlsx`);
  const dispose = () => fs.rmSync(file, { force: true });
  try {
    await pipeline(input, fs.createWriteStream(file));
  } catch (err) {
    dispose();
    throw err;
  }
  return { file, dispose };
}

/** The zip path of the first tab's worksheet, from the workbook and its relations; failing those, the lowest-numbered sheet. */
function firstSheetPath(reader: PartReaders, names: string[]): string | undefined {
  const first = reader.model?.sheets?.[0];
  const target = first && reader.workbookRels?.find((r) => r.Id === first.rId)?.Target;
  if (target) {
    const resolved = target.startsWith('/') ? target.slice(1) : path.posix.normalize(`xl/${target}`);
    if (names.includes(resolved)) return resolved;
  }
  const sheetNo = (n: string) => Number(/^xl\/worksheets\/sheet(\d+)\.xml$/.exec(n)?.[1] ?? NaN);
  return names.filter((n) => Number.isFinite(sheetNo(n))).sort((a, b) => sheetNo(a) - sheetNo(b))[0];
}

/** Rows of the workbook's first sheet, as exceljs rows (dates as Date, shared strings resolved). */
export async function* firstSheetRows(open: () => Readable): AsyncGenerator<ExcelJS.Row> {
  const { file, dispose } = await onDisk(open);
  const opened: Readable[] = [];
  try {
    let directory: unzipper.CentralDirectory;
    try {
      directory = await unzipper.Open.file(file);
    } catch {
      throw unreadable(
        'tệp không phải một bảng tính (không có thư mục zip)',
        'it is not a workbook (it has no zip directory)',
      );
    }
    const parts = new Map(directory.files.filter((f) => f.type === 'File').map((f) => [f.path, f]));
    const part = (name: string) => {
      const stream = parts.get(name)?.stream();
      if (stream) opened.push(stream);
      return stream;
    };
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    }) as unknown as PartReaders;
    const rels = part('xl/_rels/workbook.xml.rels');
    if (rels) await reader._parseRels(rels);
    const book = part('xl/workbook.xml');
    if (book) await reader._parseWorkbook(book);
    // a workbook without workbookPr counts dates from 1900, as nearly every workbook does
    if (!reader.properties?.model) reader.properties = { model: { date1904: false } };
    const strings = part('xl/sharedStrings.xml');
    if (strings) for await (const _ of reader._parseSharedStrings(strings)) void _;
    const styles = part('xl/styles.xml');
    if (styles) await reader._parseStyles(styles);
    const sheetPath = firstSheetPath(reader, [...parts.keys()]);
    if (!sheetPath) throw unreadable('bảng tính không có trang tính nào', 'it has no worksheet');
    const sheetNo = /sheet(\d+)\.xml$/.exec(sheetPath)?.[1] ?? '1';
    for (const { eventType, value } of reader._parseWorksheet(part(sheetPath)!, sheetNo)) {
      if (eventType === 'worksheet') yield* value;
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw unreadable(`nội dung hỏng (${(err as Error).message})`, `its content is damaged (${(err as Error).message})`);
  } finally {
    // a reader that stops early (the layout sniffer reads 500 rows) leaves the sheet's stream open
    for (const s of opened) s.destroy();
    dispose();
  }
}
