/** Licences offered to publishers. `is_open` follows the Open Definition. */
export const LICENCES = [
  {
    id: 'CC-BY-4.0',
    title_vi: 'Creative Commons Ghi công 4.0',
    title_en: 'Creative Commons Attribution 4.0',
    url: 'https://creativecommons.org/licenses/by/4.0/',
    is_open: true,
  },
  {
    id: 'CC-BY-SA-4.0',
    title_vi: 'Creative Commons Ghi công – Chia sẻ tương tự 4.0',
    title_en: 'Creative Commons Attribution Share-Alike 4.0',
    url: 'https://creativecommons.org/licenses/by-sa/4.0/',
    is_open: true,
  },
  {
    id: 'CC0-1.0',
    title_vi: 'Creative Commons CC0 (dành cho công chúng)',
    title_en: 'Creative Commons CC0 1.0 (public domain dedication)',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
    is_open: true,
  },
  {
    id: 'ODC-BY-1.0',
    title_vi: 'Giấy phép Ghi công Open Data Commons',
    title_en: 'Open Data Commons Attribution License 1.0',
    url: 'https://opendatacommons.org/licenses/by/1-0/',
    is_open: true,
  },
  {
    id: 'ODbL-1.0',
    title_vi: 'Giấy phép Cơ sở dữ liệu mở Open Data Commons',
    title_en: 'Open Data Commons Open Database License 1.0',
    url: 'https://opendatacommons.org/licenses/odbl/1-0/',
    is_open: true,
  },
  {
    id: 'OGL-UK-3.0',
    title_vi: 'Giấy phép Chính phủ mở (Vương quốc Anh) 3.0',
    title_en: 'Open Government Licence 3.0 (UK)',
    url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
    is_open: true,
  },
  {
    id: 'ISC',
    title_vi: 'Giấy phép ISC',
    title_en: 'ISC License',
    url: 'https://opensource.org/license/isc-license-txt',
    is_open: true,
  },
  {
    id: 'restricted',
    title_vi: 'Dữ liệu hạn chế: chỉ chia sẻ theo thỏa thuận',
    title_en: 'Restricted: shared under agreement only',
    url: 'https://creativecommons.org/licenses/',
    is_open: false,
  },
] as const;

const EU = 'http://publications.europa.eu/resource/authority/data-theme/';

/** The EU data theme vocabulary (as DCAT-AP asks) and the national sectors of the strategy. */
export const THEMES: { id: string; vocabulary: 'eu' | 'vn'; label_vi: string; label_en: string }[] = [
  {
    id: 'AGRI',
    vocabulary: 'eu',
    label_vi: 'Nông nghiệp, thủy sản, lâm nghiệp và thực phẩm',
    label_en: 'Agriculture, fisheries, forestry and food',
  },
  { id: 'ECON', vocabulary: 'eu', label_vi: 'Kinh tế và tài chính', label_en: 'Economy and finance' },
  { id: 'EDUC', vocabulary: 'eu', label_vi: 'Giáo dục, văn hóa và thể thao', label_en: 'Education, culture and sport' },
  { id: 'ENER', vocabulary: 'eu', label_vi: 'Năng lượng', label_en: 'Energy' },
  { id: 'ENVI', vocabulary: 'eu', label_vi: 'Môi trường', label_en: 'Environment' },
  { id: 'GOVE', vocabulary: 'eu', label_vi: 'Chính phủ và khu vực công', label_en: 'Government and public sector' },
  { id: 'HEAL', vocabulary: 'eu', label_vi: 'Y tế', label_en: 'Health' },
  { id: 'INTR', vocabulary: 'eu', label_vi: 'Vấn đề quốc tế', label_en: 'International issues' },
  {
    id: 'JUST',
    vocabulary: 'eu',
    label_vi: 'Tư pháp, hệ thống pháp luật và an toàn công cộng',
    label_en: 'Justice, legal system and public safety',
  },
  { id: 'REGI', vocabulary: 'eu', label_vi: 'Vùng và đô thị', label_en: 'Regions and cities' },
  { id: 'SOCI', vocabulary: 'eu', label_vi: 'Dân số và xã hội', label_en: 'Population and society' },
  { id: 'TECH', vocabulary: 'eu', label_vi: 'Khoa học và công nghệ', label_en: 'Science and technology' },
  { id: 'TRAN', vocabulary: 'eu', label_vi: 'Giao thông vận tải', label_en: 'Transport' },
  { id: 'vn-dan-cu', vocabulary: 'vn', label_vi: 'Dân cư', label_en: 'Population registry' },
  { id: 'vn-dat-dai', vocabulary: 'vn', label_vi: 'Đất đai', label_en: 'Land' },
  { id: 'vn-doanh-nghiep', vocabulary: 'vn', label_vi: 'Đăng ký doanh nghiệp', label_en: 'Business registration' },
  { id: 'vn-bao-hiem', vocabulary: 'vn', label_vi: 'Bảo hiểm', label_en: 'Insurance' },
  { id: 'vn-tai-chinh', vocabulary: 'vn', label_vi: 'Tài chính công', label_en: 'Public finance' },
  { id: 'vn-ho-tich', vocabulary: 'vn', label_vi: 'Hộ tịch', label_en: 'Civil status' },
  { id: 'vn-can-bo', vocabulary: 'vn', label_vi: 'Cán bộ, công chức, viên chức', label_en: 'Civil servants' },
  { id: 'vn-thong-ke', vocabulary: 'vn', label_vi: 'Thống kê', label_en: 'Statistics' },
];

export function themeUri(id: string, baseUrl: string): string {
  return id.startsWith('vn-') ? `${baseUrl}/def/sector/${id}` : `${EU}${id}`;
}

/** Update frequencies: the EU frequency authority table's codes. */
export const FREQUENCIES = [
  'CONT',
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'QUARTERLY',
  'BIANNUAL',
  'ANNUAL',
  'IRREG',
  'NEVER',
  'UNKNOWN',
] as const;
export type Frequency = (typeof FREQUENCIES)[number];
