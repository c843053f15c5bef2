import type { User } from '../../accounts/principal.js';
import type { DictionaryService } from './dictionary.service.js';
import type { DictionaryFieldBody } from './dictionary.schema.js';

/**
 * The platform's shared fields a new portal starts with (the demo seeds them), so the schema picker offers the
 * fields most tables have. Personal-data categories as Decree 356/2025/NĐ-CP lists them; codes as the GSO keeps them.
 */
export const SHARED_FIELDS: DictionaryFieldBody[] = [
  {
    id: 'ho_va_ten',
    label_vi: 'Họ, chữ đệm và tên',
    label_en: 'Full name',
    description_vi: 'Họ, chữ đệm và tên khai sinh của một người.',
    description_en: 'A person’s family, middle and given names as registered at birth.',
    type: 'string',
    constraints: { maxLength: 200 },
    personal_data: 'name',
  },
  {
    id: 'ngay_sinh',
    label_vi: 'Ngày sinh',
    label_en: 'Date of birth',
    type: 'date',
    personal_data: 'birth_death',
  },
  {
    id: 'so_dinh_danh_ca_nhan',
    label_vi: 'Số định danh cá nhân',
    label_en: 'Personal identification number',
    description_vi: 'Số định danh cá nhân 12 chữ số do Bộ Công an cấp (số căn cước).',
    description_en: 'The 12-digit personal identification number issued by the Ministry of Public Security.',
    type: 'string',
    constraints: { pattern: '^\\d{12}$' },
    personal_data: 'identifiers',
  },
  {
    id: 'gioi_tinh',
    label_vi: 'Giới tính',
    label_en: 'Sex',
    type: 'string',
    codes: [
      { code: '1', label_vi: 'Nam', label_en: 'Male' },
      { code: '2', label_vi: 'Nữ', label_en: 'Female' },
    ],
    personal_data: 'sex',
  },
  {
    id: 'ma_tinh',
    label_vi: 'Mã tỉnh, thành phố',
    label_en: 'Province code',
    description_vi: 'Mã đơn vị hành chính cấp tỉnh của Tổng cục Thống kê (34 tỉnh, thành phố từ năm 2025).',
    description_en: 'The GSO code of a province (34 provinces from 2025).',
    type: 'string',
    constraints: { pattern: '^\\d{2}$' },
    code_list: 'vn-provinces',
  },
  {
    id: 'ma_xa',
    label_vi: 'Mã xã, phường, đặc khu',
    label_en: 'Commune code',
    description_vi: 'Mã đơn vị hành chính cấp xã của Tổng cục Thống kê (3.321 xã, phường, đặc khu từ năm 2025).',
    description_en: 'The GSO code of a commune (3,321 communes, wards and special zones from 2025).',
    type: 'string',
    constraints: { pattern: '^\\d{5}$' },
    code_list: 'vn-communes',
  },
  { id: 'nam', label_vi: 'Năm', label_en: 'Year', type: 'year' },
  {
    id: 'dan_so',
    label_vi: 'Dân số',
    label_en: 'Population',
    description_vi: 'Số người thường trú tại thời điểm thống kê.',
    description_en: 'Number of usual residents at the reference date.',
    type: 'integer',
    unit: 'người',
    constraints: { minimum: 0 },
  },
  {
    id: 'dien_tich',
    label_vi: 'Diện tích',
    label_en: 'Area',
    type: 'number',
    unit: 'km2',
    constraints: { minimum: 0 },
  },
  {
    id: 'dan_toc',
    label_vi: 'Dân tộc',
    label_en: 'Ethnic group',
    description_vi: 'Dân tộc của một người, theo danh mục 54 dân tộc.',
    description_en: 'A person’s ethnic group, among Viet Nam’s 54.',
    type: 'string',
    personal_data: 'racial_ethnic_origin',
  },
];

/** Adds the shared fields the dictionary lacks (a platform administrator's act, version 1 each). */
export async function seedDictionary(dictionary: DictionaryService, admin: User): Promise<number> {
  const have = new Set((await dictionary.all()).map((f) => f.id));
  let added = 0;
  for (const f of SHARED_FIELDS)
    if (!have.has(f.id)) {
      await dictionary.create(admin, f);
      added++;
    }
  return added;
}
