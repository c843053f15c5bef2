import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decode, detectDelimiter, detectEncoding, locateTable } from './sniff.js';

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/;
/** Windows-1258 keeps â, ơ, ư… precomposed and writes tone marks as combining characters. */
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

const TEXT = 'Tỉnh;Dân số\nHà Nội;8.435.650\nĐồng Tháp;4.370.046\nThừa Thiên Huế;1.160.220\n';

describe('encoding detection', () => {
  it('tells UTF-8 with and without a BOM, UTF-16 and Windows-1258 apart, and decodes to NFC', () => {
    const utf8 = Buffer.from(TEXT);
    expect(detectEncoding(utf8)).toEqual({ encoding: 'utf-8', bom: 0 });
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
    expect(detectEncoding(withBom)).toEqual({ encoding: 'utf-8', bom: 3 });
    expect(decode(withBom, detectEncoding(withBom))).toBe(TEXT);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
    expect(decode(utf16, detectEncoding(utf16))).toBe(TEXT);
    expect(detectEncoding(Buffer.from(TEXT, 'utf16le')).encoding).toBe('utf-16le');
    const legacy = iconv.encode(cp1258Form(TEXT), 'windows1258');
    const guess = detectEncoding(legacy);
    expect(guess.encoding).toBe('windows-1258');
    expect(decode(legacy, guess)).toBe(TEXT);
  });

  it('does not mistake UTF-8 cut in the middle of a character for a legacy encoding', () => {
    const buf = Buffer.from('Hà Nội');
    expect(detectEncoding(buf.subarray(0, buf.length - 1)).encoding).toBe('utf-8');
  });
});

describe('delimiter and table bounds', () => {
  const FILE = [
    'BIỂU 1. DÂN SỐ THEO TỈNH',
    'Đơn vị tính: người',
    '',
    'Tỉnh;Tổng số;Nam;Nữ',
    'Hà Nội;8.435.650;4.170.000;4.265.650',
    '"Hồ Chí Minh; TP";14.002.598;..;..',
    'Cần Thơ;1.260.000;620.000;640.000',
    '',
    'Nguồn: Tổng cục Thống kê',
    'Ghi chú: ".." là không có số liệu',
  ];

  it('picks the delimiter that splits the table consistently, ignoring quoted ones', () => {
    expect(detectDelimiter(FILE)).toBe(';');
    expect(detectDelimiter(['a,b,c', '1,2,3', '4,5,6'])).toBe(',');
    expect(detectDelimiter(['a\tb\tc', '1\t2,5\t3', '4\t5\t6'])).toBe('\t');
  });

  it('finds the header below title lines and stops before footnotes', () => {
    const rows = FILE.map((l, i) => (i === 5 ? ['Hồ Chí Minh; TP', '14.002.598', '..', '..'] : l.split(';')));
    const t = locateTable(rows);
    expect(t).toMatchObject({ header: 3, first: 4, last: 6, width: 4, titleRows: 3, footnoteRows: 3 });
  });

  it('handles a plain table with no titles or notes', () => {
    expect(
      locateTable([
        ['a', 'b'],
        ['1', '2'],
        ['3', '4'],
      ]),
    ).toMatchObject({ header: 0, first: 1, last: 2, titleRows: 0, footnoteRows: 0 });
  });
});
