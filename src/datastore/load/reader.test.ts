import fs from 'node:fs';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { profileTable, sniffLayout, dataRows } from './reader.js';

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/;
const cp1258Form = (s: string) =>
  [...s.normalize('NFD').matchAll(/\P{M}\p{M}*/gu)]
    .map(
      ([g]) =>
        [...g]
          .filter((c) => !TONES.test(c))
          .join('')
          .normalize('NFC') + [...g].filter((c) => TONES.test(c)).join(''),
    )
    .join('');
const opener =
  (buf: Buffer, chunk = 7) =>
  () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
      })(),
    );

const GOVERNMENT_FILE = [
  'BIỂU 1. DÂN SỐ VÀ DIỆN TÍCH CÁC TỈNH NĂM 2025',
  'Đơn vị tính: người; km²',
  '',
  'Mã tỉnh;Tỉnh, thành phố;Dân số;Diện tích;Ngày công bố',
  '01;Hà Nội;8.435.650;3.359,84;12/06/2025',
  '79;Hồ Chí Minh;14.002.598;6.772,59;12/06/2025',
  '82;Đồng Tháp;4.370.046;..;',
  '',
  '46;Huế;1.160.220;4.947,11;01/07/2025',
  '',
  'Nguồn: Nghị quyết 202/2025/QH15',
  'Ghi chú: ".." là không có số liệu',
].join('\r\n');

describe('reading a table file', () => {
  it('reads a real census CSV (UTF-8, commas) whole and types its columns', async () => {
    const buf = fs.readFileSync(
      new URL('../../../test/fixtures/census2019_population_by_district.csv', import.meta.url),
    );
    const p = await profileTable(opener(buf, 4096));
    // Every non-empty line but the header is a district (the file holds 712, though its source notes say 711).
    expect(p.rows).toBe(
      buf
        .toString('utf8')
        .split(/\r?\n/)
        .filter((l) => l.trim()).length - 1,
    );
    expect(p.rows).toBe(712);
    expect(p.layout).toMatchObject({ delimiter: ',', headerRow: 0, encoding: { encoding: 'utf-8' } });
    const types = Object.fromEntries(p.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      district_code: 'text',
      province_vi: 'text',
      total: 'integer',
      total_rural_female: 'integer',
    });
    expect(p.footnotes).toEqual([]);
  });

  it('reads a Windows-1258 file with semicolons, title lines, blank rows, .. markers and footnotes', async () => {
    const buf = iconv.encode(cp1258Form(GOVERNMENT_FILE), 'windows1258');
    const p = await profileTable(opener(buf));
    expect(p.layout).toMatchObject({ delimiter: ';', headerRow: 3, encoding: { encoding: 'windows-1258' } });
    expect(p.layout.header).toEqual(['Mã tỉnh', 'Tỉnh, thành phố', 'Dân số', 'Diện tích', 'Ngày công bố']);
    expect(p.rows).toBe(4);
    expect(p.footnotes).toEqual(['Nguồn: Nghị quyết 202/2025/QH15', 'Ghi chú: ".." là không có số liệu']);
    const byName = Object.fromEntries(p.columns.map((c) => [c.name, c]));
    expect(byName['Dân số']).toMatchObject({ type: 'integer', numberStyle: 'vietnamese' });
    expect(byName['Diện tích']).toMatchObject({ type: 'number', numberStyle: 'vietnamese', missing: 1 });
    expect(byName['Ngày công bố']).toMatchObject({ type: 'date', missing: 1 });
    expect(byName['Tỉnh, thành phố']!.type).toBe('text');
  });

  it('gives each data row its line in the file, for row-level reports', async () => {
    const buf = Buffer.from(`\uFEFF${GOVERNMENT_FILE}`);
    const layout = await sniffLayout(opener(buf));
    expect(layout.encoding).toEqual({ encoding: 'utf-8', bom: 3 });
    const rows = [];
    for await (const r of dataRows(opener(buf), layout)) rows.push(r);
    expect(rows.map((r) => [r.line, r.cells[1]])).toEqual([
      [5, 'Hà Nội'],
      [6, 'Hồ Chí Minh'],
      [7, 'Đồng Tháp'],
      [9, 'Huế'],
    ]);
  });
});
