import XLSX from 'xlsx';

/**
 * A child process: reads a legacy Excel (BIFF .xls) workbook from stdin and
 * writes its first sheet to stdout as UTF-8 CSV, one line per sheet row
 * (blank rows kept, so line numbers are row numbers), cells as Excel shows
 * them (dates in their own format). It runs apart because the npm build of
 * SheetJS has known flaws with crafted files (prototype pollution, a slow
 * regular expression): here they can touch nothing but this process, which
 * the parent kills on a deadline.
 */
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
try {
  const book = XLSX.read(Buffer.concat(chunks), { type: 'buffer', cellDates: false, dense: true });
  const sheet = book.Sheets[book.SheetNames[0] ?? ''];
  if (!sheet) throw new Error('the workbook has no sheet');
  process.stdout.write(XLSX.utils.sheet_to_csv(sheet, { blankrows: true, strip: false }));
} catch (err) {
  process.stderr.write(String((err as Error).message ?? err));
  process.exitCode = 2;
}
