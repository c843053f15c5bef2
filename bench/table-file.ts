import fs from 'node:fs';
import { once } from 'node:events';

/**
 * A generated table file with the mix agencies publish: codes, Vietnamese
 * names, whole numbers, decimals in Vietnamese notation, yes/no, dates as
 * dd/mm/yyyy, timestamps, missing-value markers. Deterministic for a given
 * row count (a fixed linear congruential sequence), so runs compare.
 */
export const TABLE_COLUMNS = [
  'ma_ho_so',
  'ma_tinh',
  'ten_tinh',
  'ho_ten',
  'so_nguoi',
  'thu_nhap',
  'co_bao_hiem',
  'ngay_sinh',
  'cap_nhat',
  'ghi_chu',
];
const PROVINCES = [
  'Hà Nội',
  'Hồ Chí Minh',
  'Hải Phòng',
  'Đà Nẵng',
  'Cần Thơ',
  'Huế',
  'An Giang',
  'Bắc Ninh',
  'Cà Mau',
  'Cao Bằng',
  'Đắk Lắk',
  'Điện Biên',
  'Đồng Nai',
  'Đồng Tháp',
  'Gia Lai',
  'Hà Tĩnh',
];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng'];
const GIVEN = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Giang',
  'Hà',
  'Khánh',
  'Lan',
  'Minh',
  'Ngọc',
  'Phúc',
  'Quân',
  'Thảo',
  'Uyên',
  'Vy',
];
const NOTES = ['', '', '', 'đã xác minh', 'chờ bổ sung', 'N/A', '..', 'chuyển đi, "tạm vắng"'];

export async function writeTableFile(file: string, rows: number, onProgress?: (n: number) => void): Promise<number> {
  const out = fs.createWriteStream(file);
  out.write(`${TABLE_COLUMNS.join(',')}\n`);
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 8) % n; // the low bits of this generator repeat with a short period
  };
  let buffer = '';
  for (let i = 1; i <= rows; i++) {
    const p = rnd(PROVINCES.length);
    const note = NOTES[rnd(NOTES.length)]!;
    const income = rnd(100_000_000);
    buffer += `${[
      `HS${String(i).padStart(9, '0')}`,
      String(p + 1).padStart(2, '0'),
      PROVINCES[p],
      `${FAMILY[rnd(FAMILY.length)]} ${GIVEN[rnd(GIVEN.length)]}`,
      String(1 + rnd(9)),
      `"${Math.floor(income / 100).toLocaleString('de-DE')},${String(income % 100).padStart(2, '0')}"`,
      rnd(2) ? 'có' : 'không',
      `${String(1 + rnd(28)).padStart(2, '0')}/${String(1 + rnd(12)).padStart(2, '0')}/${1940 + rnd(80)}`,
      `2026-${String(1 + rnd(12)).padStart(2, '0')}-${String(1 + rnd(28)).padStart(2, '0')}T${String(rnd(24)).padStart(2, '0')}:${String(rnd(60)).padStart(2, '0')}:00+07:00`,
      note.includes(',') ? `"${note.replace(/"/g, '""')}"` : note,
    ].join(',')}\n`;
    if (i % 10_000 === 0) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
      onProgress?.(i);
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return fs.statSync(file).size;
}
