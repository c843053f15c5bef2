import { TOPIC_WORDS } from './synthetic-catalog.js';

const GENERIC = [
  'dan so ha noi',
  'giao duc',
  'Bệnh viện',
  'ngan sach da nang',
  'chat luong khong khi',
  'doanh nghiep 2024',
  'lua gao',
  'Hồ Chí Minh',
  'tai nan giao thong',
  'rung',
];
const PROVINCE_NAMES = [
  'Hà Nội',
  'Hồ Chí Minh',
  'Đà Nẵng',
  'Hải Phòng',
  'Cần Thơ',
  'Huế',
  'Nghệ An',
  'Thanh Hóa',
  'Đồng Nai',
  'Lâm Đồng',
  'Gia Lai',
  'An Giang',
];
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
// 10 common queries and 240 topic × province ones, half typed without diacritics, drawn with Zipf-like popularity.
export const QUERIES = [
  ...GENERIC,
  ...TOPIC_WORDS.flatMap((t, i) =>
    PROVINCE_NAMES.map((p, j) => ((i + j) % 2 ? `${t} ${p}` : fold(`${t} ${p}`).toLowerCase())),
  ),
];
/** Log-uniform over the query list (Zipf with s≈1): query k is drawn about as often as 1/k. Deterministic in i. */
export const zipf = (i: number) => Math.floor(QUERIES.length ** (((i * 7919) % 1000) / 1000)) - 1;
