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
  // civil status facts (the electronic civil status database of the Ministry of Justice; Law on Civil Status 2014)
  {
    id: 'so_dang_ky_khai_sinh',
    label_vi: 'Số đăng ký khai sinh',
    label_en: 'Birth registration number',
    description_vi: 'Số của việc đăng ký khai sinh trong sổ đăng ký khai sinh.',
    description_en: 'The number of a birth registration in the birth register.',
    type: 'string',
    constraints: { maxLength: 50 },
    personal_data: 'identifiers',
  },
  {
    id: 'ngay_dang_ky_khai_sinh',
    label_vi: 'Ngày đăng ký khai sinh',
    label_en: 'Date of birth registration',
    type: 'date',
    personal_data: 'birth_death',
  },
  {
    id: 'noi_sinh',
    label_vi: 'Nơi sinh',
    label_en: 'Place of birth',
    type: 'string',
    constraints: { maxLength: 300 },
    personal_data: 'places',
  },
  {
    id: 'ho_ten_cha',
    label_vi: 'Họ, chữ đệm và tên của cha',
    label_en: 'Father’s full name',
    type: 'string',
    constraints: { maxLength: 200 },
    personal_data: 'family',
  },
  {
    id: 'ho_ten_me',
    label_vi: 'Họ, chữ đệm và tên của mẹ',
    label_en: 'Mother’s full name',
    type: 'string',
    constraints: { maxLength: 200 },
    personal_data: 'family',
  },
  // a child's facts, as a parent's application names them (a birth extract, a child's health insurance card)
  {
    id: 'ho_ten_con',
    label_vi: 'Họ, chữ đệm và tên của con',
    label_en: 'Child’s full name',
    type: 'string',
    constraints: { maxLength: 200 },
    personal_data: 'family',
  },
  {
    id: 'so_dang_ky_khai_sinh_cua_con',
    label_vi: 'Số đăng ký khai sinh của con',
    label_en: 'Child’s birth registration number',
    description_vi: 'Số của việc đăng ký khai sinh của con trong sổ đăng ký khai sinh.',
    description_en: 'The number of the child’s birth registration in the birth register.',
    type: 'string',
    constraints: { maxLength: 50 },
    personal_data: 'family',
  },
  {
    id: 'tinh_trang_hon_nhan',
    label_vi: 'Tình trạng hôn nhân',
    label_en: 'Marital status',
    type: 'string',
    codes: [
      { code: '1', label_vi: 'Chưa kết hôn', label_en: 'Never married' },
      { code: '2', label_vi: 'Đã kết hôn', label_en: 'Married' },
      { code: '3', label_vi: 'Đã ly hôn', label_en: 'Divorced' },
      { code: '4', label_vi: 'Góa', label_en: 'Widowed' },
    ],
    personal_data: 'marital_status',
  },
  {
    id: 'ho_ten_vo_chong',
    label_vi: 'Họ, chữ đệm và tên của vợ hoặc chồng',
    label_en: 'Spouse’s full name',
    type: 'string',
    constraints: { maxLength: 200 },
    personal_data: 'family',
  },
  {
    id: 'so_giay_xac_nhan_tinh_trang_hon_nhan',
    label_vi: 'Số Giấy xác nhận tình trạng hôn nhân',
    label_en: 'Marital status certificate number',
    description_vi: 'Số của Giấy xác nhận tình trạng hôn nhân do Ủy ban nhân dân cấp xã cấp (có giá trị 6 tháng).',
    description_en:
      'The number of a marital status certificate issued by a commune People’s Committee (valid 6 months).',
    type: 'string',
    constraints: { maxLength: 60 },
    personal_data: 'marital_status',
  },
  // residence (the National Population Database of the Ministry of Public Security; Law on Residence 2020)
  {
    id: 'dia_chi_thuong_tru',
    label_vi: 'Nơi thường trú',
    label_en: 'Permanent residence',
    description_vi: 'Địa chỉ nơi thường trú: số nhà, tổ dân phố hoặc thôn, xã, tỉnh.',
    description_en: 'The permanent residence address: house, residential group or village, commune, province.',
    type: 'string',
    constraints: { maxLength: 300 },
    personal_data: 'places',
  },
  // household businesses (the national business registration database; Decree 168/2025/NĐ-CP): facts the law makes
  // public, so no personal-data category
  {
    id: 'ma_so_ho_kinh_doanh',
    label_vi: 'Mã số hộ kinh doanh',
    label_en: 'Household business code',
    type: 'string',
    constraints: { maxLength: 20 },
  },
  {
    id: 'ten_ho_kinh_doanh',
    label_vi: 'Tên hộ kinh doanh',
    label_en: 'Household business name',
    type: 'string',
    constraints: { maxLength: 300 },
  },
  {
    id: 'dia_chi_kinh_doanh',
    label_vi: 'Địa điểm kinh doanh',
    label_en: 'Business address',
    type: 'string',
    constraints: { maxLength: 300 },
  },
  {
    id: 'nganh_nghe_kinh_doanh',
    label_vi: 'Ngành, nghề kinh doanh',
    label_en: 'Lines of business',
    type: 'string',
    constraints: { maxLength: 1000 },
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
