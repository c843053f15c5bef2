/**
 * Personal data categories of a dictionary field, as Decree 356/2025/NĐ-CP lists them (Art. 3: basic personal data;
 * Art. 4: sensitive personal data), which detail Law 91/2025/QH15 Art. 2 and replace Decree 13/2023/NĐ-CP Art. 2(3),
 * (4). A field holding none is not flagged (null). The codes are stable: grants, the personal-data gate and breach
 * notifications name them; the labels are what a reader sees.
 */
export const BASIC_CATEGORIES = [
  'name',
  'birth_death',
  'sex',
  'places',
  'nationality',
  'image',
  'identifiers',
  'marital_status',
  'family',
  'digital_account',
  'other_basic',
] as const;
export const SENSITIVE_CATEGORIES = [
  'racial_ethnic_origin',
  'political_religious_views',
  'health',
  'genetic',
  'biometric',
  'sex_life',
  'criminal',
  'financial',
  'location',
  'credentials',
  'identity_document_image',
  'online_behaviour',
  'other_sensitive',
] as const;
export const PERSONAL_DATA_CATEGORIES = [...BASIC_CATEGORIES, ...SENSITIVE_CATEGORIES] as const;
export type PersonalDataCategory = (typeof PERSONAL_DATA_CATEGORIES)[number];
export type PersonalDataLevel = 'basic' | 'sensitive';

const SENSITIVE = new Set<string>(SENSITIVE_CATEGORIES);
export const levelOf = (c: PersonalDataCategory | string | null | undefined): PersonalDataLevel | null =>
  c ? (SENSITIVE.has(c) ? 'sensitive' : 'basic') : null;

export const CATEGORY_LABELS: Record<PersonalDataCategory, { vi: string; en: string }> = {
  name: { vi: 'Họ, chữ đệm và tên, tên gọi khác', en: 'Name and other names' },
  birth_death: { vi: 'Ngày sinh; ngày chết hoặc mất tích', en: 'Date of birth; of death or disappearance' },
  sex: { vi: 'Giới tính', en: 'Sex' },
  places: {
    vi: 'Nơi sinh, thường trú, tạm trú, nơi ở, quê quán, địa chỉ liên hệ',
    en: 'Place of birth, residence, home town, contact address',
  },
  nationality: { vi: 'Quốc tịch', en: 'Nationality' },
  image: { vi: 'Hình ảnh của cá nhân', en: 'Image of the person' },
  identifiers: {
    vi: 'Số điện thoại, số định danh cá nhân, hộ chiếu, giấy phép lái xe, biển số xe',
    en: 'Phone, personal id, passport, driving licence or plate number',
  },
  marital_status: { vi: 'Tình trạng hôn nhân', en: 'Marital status' },
  family: { vi: 'Quan hệ gia đình (cha mẹ, con, vợ, chồng)', en: 'Family relations (parents, children, spouse)' },
  digital_account: { vi: 'Tài khoản số của cá nhân', en: 'The person’s digital accounts' },
  other_basic: { vi: 'Thông tin khác xác định một con người cụ thể', en: 'Other data identifying a person' },
  racial_ethnic_origin: { vi: 'Nguồn gốc chủng tộc, dân tộc', en: 'Racial or ethnic origin' },
  political_religious_views: { vi: 'Quan điểm chính trị, tôn giáo', en: 'Political or religious views' },
  health: { vi: 'Tình trạng sức khỏe, đời tư trong hồ sơ bệnh án', en: 'Health and medical records' },
  genetic: { vi: 'Đặc điểm di truyền', en: 'Genetic data' },
  biometric: { vi: 'Sinh trắc học, đặc điểm sinh học riêng', en: 'Biometric data' },
  sex_life: { vi: 'Đời sống tình dục, xu hướng tình dục', en: 'Sex life or sexual orientation' },
  criminal: { vi: 'Tội phạm, hành vi phạm tội', en: 'Crimes and offences' },
  financial: {
    vi: 'Tài khoản, thẻ, giao dịch, tín dụng tại tổ chức tín dụng, bảo hiểm, chứng khoán',
    en: 'Bank accounts, cards, transactions, credit, insurance, securities',
  },
  location: { vi: 'Vị trí xác định qua dịch vụ định vị', en: 'Location from positioning services' },
  credentials: { vi: 'Tên đăng nhập, mật khẩu tài khoản', en: 'Account user names and passwords' },
  identity_document_image: { vi: 'Hình ảnh giấy tờ tùy thân', en: 'Images of identity documents' },
  online_behaviour: {
    vi: 'Theo dõi hành vi, lịch sử hoạt động trên không gian mạng',
    en: 'Tracking of behaviour and activity online',
  },
  other_sensitive: { vi: 'Dữ liệu khác pháp luật quy định là nhạy cảm', en: 'Other data the law calls sensitive' },
};
