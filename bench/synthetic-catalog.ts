import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { searchColumns } from '../src/catalog/datasets.repository.js';
import { datasetSearchText } from '../src/catalog/search-text.js';
import { slugify } from '../src/platform/text.js';

const TOPICS = [
  ['Dân số', 'dân số', 'SOCI'],
  ['Số trường học và học sinh', 'giáo dục', 'EDUC'],
  ['Cơ sở khám chữa bệnh', 'y tế', 'HEAL'],
  ['Thu ngân sách nhà nước', 'ngân sách', 'ECON'],
  ['Bảng giá đất', 'đất đai', 'vn-dat-dai'],
  ['Chỉ số chất lượng không khí', 'môi trường', 'ENVI'],
  ['Lao động và việc làm', 'lao động', 'SOCI'],
  ['Doanh nghiệp đăng ký thành lập mới', 'doanh nghiệp', 'vn-doanh-nghiep'],
  ['Tai nạn giao thông đường bộ', 'giao thông', 'TRAN'],
  ['Sản lượng lúa gạo', 'nông nghiệp', 'AGRI'],
  ['Tiêu thụ điện năng', 'năng lượng', 'ENER'],
  ['Số hộ nghèo và cận nghèo', 'an sinh xã hội', 'SOCI'],
  ['Lượng mưa và nhiệt độ trung bình', 'khí tượng', 'ENVI'],
  ['Di tích lịch sử văn hóa được xếp hạng', 'văn hóa', 'EDUC'],
  ['Khách du lịch quốc tế đến', 'du lịch', 'ECON'],
  ['Cán bộ, công chức cấp xã', 'nội vụ', 'GOVE'],
  ['Vụ án hình sự đã xét xử', 'tư pháp', 'JUST'],
  ['Đăng ký khai sinh, kết hôn', 'hộ tịch', 'vn-ho-tich'],
  ['Diện tích rừng trồng mới', 'lâm nghiệp', 'AGRI'],
  ['Kim ngạch xuất khẩu hàng hóa', 'thương mại', 'ECON'],
] as const;
const BREAKDOWNS = [
  'theo phường, xã',
  'theo giới tính và độ tuổi',
  'theo tháng',
  'theo quý',
  'theo loại hình',
  'theo ngành kinh tế',
  'theo thành thị, nông thôn',
];
const FORMATS = ['CSV', 'XLSX', 'JSON', 'PDF', 'XML'];
const LICENCES = ['CC-BY-4.0', 'CC0-1.0', 'ODC-BY-1.0', 'ODbL-1.0', 'CC-BY-SA-4.0'];

/** A deterministic pseudo-random stream, so every run measures the same catalog. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export const TOPIC_WORDS = TOPICS.map((t) => t[1]);

export async function loadSyntheticCatalog(
  db: Kysely<any>,
  n: number,
  onProgress: (done: number) => void,
): Promise<void> {
  const agencies = await db
    .selectFrom('agencies')
    .select(['id', 'name_vi', 'name_en', 'abbreviation', 'kind', 'unit_code'])
    .where('kind', 'in', ['ministry', 'ministerial_agency', 'province'])
    .execute();
  const provinces = await db
    .selectFrom('admin_units')
    .select(['code', 'name'])
    .where('level', '=', 'province')
    .execute();
  const r = rng(142);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const batch = 1000;
  for (let start = 0; start < n; start += batch) {
    const rows: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      const [topic, keyword, theme] = pick(TOPICS);
      const province = pick(provinces);
      const agency =
        r() < 0.4 ? (agencies.find((a) => a.unit_code === province.code) ?? pick(agencies)) : pick(agencies);
      const year = 2015 + Math.floor(r() * 11);
      const title = `${topic} ${pick(BREAKDOWNS)} tỉnh ${province.name} năm ${year}`;
      const description = `Số liệu ${topic.toLowerCase()} ${pick(BREAKDOWNS)} trên địa bàn ${province.name}, năm ${year}. Nguồn: ${agency.name_vi}. Dữ liệu được cập nhật định kỳ và công bố theo Luật Dữ liệu 2024.`;
      const slug = `${slugify(title).slice(0, 80)}-${i}`;
      const keywords = [keyword, pick(TOPICS)[1], String(year)].filter((k, j, a) => a.indexOf(k) === j);
      const d = { title_vi: title, title_en: null, description_vi: description, description_en: null, keywords, slug };
      rows.push({
        id: randomUUID(),
        slug,
        agency_id: agency.id,
        title_vi: title,
        description_vi: description,
        keywords,
        themes: [theme],
        spatial: [province.code],
        provinces: [province.code],
        formats: [pick(FORMATS), ...(r() < 0.3 ? [pick(FORMATS)] : [])].filter((f, j, a) => a.indexOf(f) === j),
        licence_id: pick(LICENCES),
        access_rights: 'public',
        update_frequency: 'ANNUAL',
        status: 'published',
        issued: new Date(Date.UTC(year, 0, 1)),
        modified: new Date(Date.UTC(year, Math.floor(r() * 12), 1)),
        ...searchColumns(datasetSearchText(d, agency as never)),
      });
    }
    await db.insertInto('datasets').values(rows).execute();
    onProgress(Math.min(n, start + batch));
  }
  // As autovacuum would after a bulk load: visibility map and hint bits set, statistics fresh.
  await sql`vacuum analyze datasets`.execute(db);
}
