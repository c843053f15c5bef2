import type { ProcedureBody } from '../services/procedures/procedures.schema.js';
import type { FieldType } from '../services/procedures/procedure.js';

/**
 * The demo's procedures of Phường Hoàn Kiếm (Hà Nội): their forms bound to the dictionary elements the demo's
 * registers hold, so a citizen's form comes prefilled. 1.004873 and 1.000894 are codes of the national list of
 * administrative procedures; 2.000575 and 2.000635 are illustrative. The marriage registration reuses the marital
 * status certificate the first procedure issues (its number's element is the first procedure's result).
 */
export const DEMO_WARD = '000.70.00.H01';

export const DEMO_CODES = {
  maritalStatus: '1.004873',
  marriage: '1.000894',
  householdBusinessChange: '2.000575',
  birthExtract: '2.000635',
} as const;

type Field = ProcedureBody['fields'][number];
const field = (
  key: string,
  element: string | null,
  label: [string, string],
  o: { type?: FieldType; required?: boolean; help?: [string, string] } = {},
): Field => ({
  key,
  label_vi: label[0],
  label_en: label[1],
  element,
  type: o.type ?? 'string',
  required: o.required ?? true,
  ...(o.help ? { help_vi: o.help[0], help_en: o.help[1] } : {}),
});
const copy = (key: string, element: string | null, label: [string, string], from: string | null = key) => ({
  key,
  label_vi: label[0],
  label_en: label[1],
  element,
  from,
});

const NAME: [string, string] = ['Họ, chữ đệm và tên', 'Full name'];
const BORN: [string, string] = ['Ngày, tháng, năm sinh', 'Date of birth'];
const ID: [string, string] = ['Số định danh cá nhân', 'Personal identification number'];
const HOME: [string, string] = ['Nơi thường trú', 'Permanent residence'];
const applicant = (withBirth: boolean) => [
  field('ho_ten', 'ho_va_ten', NAME),
  ...(withBirth ? [field('ngay_sinh', 'ngay_sinh', BORN, { type: 'date' })] : []),
  field('so_dinh_danh', 'so_dinh_danh_ca_nhan', ID),
  field('noi_cu_tru', 'dia_chi_thuong_tru', HOME),
];

export const DEMO_PROCEDURES: ProcedureBody[] = [
  {
    code: DEMO_CODES.maritalStatus,
    name_vi: 'Cấp Giấy xác nhận tình trạng hôn nhân',
    name_en: 'Issue of a marital status certificate',
    description_vi:
      'Ủy ban nhân dân cấp xã xác nhận một người chưa kết hôn, đã ly hôn hoặc góa, để kết hôn hoặc cho việc khác. Giấy có giá trị 6 tháng.',
    description_en:
      'The commune People’s Committee certifies that a person is unmarried, divorced or widowed, to marry or for another purpose. Valid for 6 months.',
    legal_basis: 'Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP, Điều 21–23; Thông tư 04/2020/TT-BTP',
    processing_days: 3,
    fields: [
      ...applicant(true),
      field('noi_sinh', 'noi_sinh', ['Nơi sinh', 'Place of birth'], { required: false }),
      field('tinh_trang_hon_nhan', 'tinh_trang_hon_nhan', ['Tình trạng hôn nhân', 'Marital status']),
      field('muc_dich', null, ['Mục đích sử dụng', 'Purpose'], {
        help: ['Ví dụ: để đăng ký kết hôn.', 'For example: to register a marriage.'],
      }),
    ],
    result: {
      kind: 'certificate',
      title_vi: 'Giấy xác nhận tình trạng hôn nhân',
      title_en: 'Marital status certificate',
      validity_days: 180,
      fields: [
        copy('so_giay', 'so_giay_xac_nhan_tinh_trang_hon_nhan', ['Số giấy xác nhận', 'Certificate number'], null),
        copy('ho_ten', 'ho_va_ten', NAME),
        copy('ngay_sinh', 'ngay_sinh', BORN),
        copy('so_dinh_danh', 'so_dinh_danh_ca_nhan', ID),
        copy('noi_cu_tru', 'dia_chi_thuong_tru', HOME),
        copy('tinh_trang_hon_nhan', 'tinh_trang_hon_nhan', ['Tình trạng hôn nhân', 'Marital status']),
        copy('muc_dich', null, ['Mục đích sử dụng', 'Purpose']),
      ],
    },
  },
  {
    code: DEMO_CODES.marriage,
    name_vi: 'Đăng ký kết hôn',
    name_en: 'Marriage registration',
    description_vi:
      'Hai bên nam, nữ đăng ký kết hôn tại Ủy ban nhân dân cấp xã; Giấy xác nhận tình trạng hôn nhân đã cấp được dùng lại, không phải nộp bản giấy.',
    description_en:
      'A man and a woman register their marriage at the commune People’s Committee; a marital status certificate already issued is reused, no paper copy needed.',
    legal_basis: 'Luật Hôn nhân và gia đình 2014; Luật Hộ tịch 2014, Điều 17–18; Nghị định 123/2015/NĐ-CP',
    processing_days: 5,
    fields: [
      ...applicant(true),
      field('so_giay_xac_nhan', 'so_giay_xac_nhan_tinh_trang_hon_nhan', [
        'Số Giấy xác nhận tình trạng hôn nhân',
        'Marital status certificate number',
      ]),
      field('ben_kia_ho_ten', null, ['Họ, chữ đệm và tên của bên kia', 'The other party’s full name']),
      field('ben_kia_ngay_sinh', null, ['Ngày sinh của bên kia', 'The other party’s date of birth'], {
        type: 'date',
      }),
      field('ben_kia_so_dinh_danh', null, ['Số định danh cá nhân của bên kia', 'The other party’s id number']),
    ],
    result: {
      kind: 'certificate',
      title_vi: 'Giấy chứng nhận kết hôn',
      title_en: 'Marriage certificate',
      validity_days: null,
      fields: [
        copy('ho_ten', 'ho_va_ten', NAME),
        copy('so_dinh_danh', 'so_dinh_danh_ca_nhan', ID),
        copy('ben_kia_ho_ten', null, ['Họ, chữ đệm và tên của bên kia', 'The other party’s full name']),
        copy('ben_kia_so_dinh_danh', null, ['Số định danh cá nhân của bên kia', 'The other party’s id number']),
      ],
    },
  },
  {
    code: DEMO_CODES.householdBusinessChange,
    name_vi: 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh',
    name_en: 'Change of a household business’s registration',
    description_vi:
      'Chủ hộ kinh doanh đăng ký thay đổi ngành, nghề, địa điểm hoặc nội dung khác; thông tin hộ kinh doanh lấy từ Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp.',
    description_en:
      'A household business’s owner registers a change of its lines, address or other details; the business’s facts come from the national business registration database.',
    legal_basis: 'Luật Doanh nghiệp 2020; Nghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp (hộ kinh doanh)',
    processing_days: 3,
    fields: [
      ...applicant(false),
      field('ma_so_hkd', 'ma_so_ho_kinh_doanh', ['Mã số hộ kinh doanh', 'Household business code']),
      field('ten_hkd', 'ten_ho_kinh_doanh', ['Tên hộ kinh doanh', 'Household business name']),
      field('dia_diem', 'dia_chi_kinh_doanh', ['Địa điểm kinh doanh', 'Business address']),
      field('nganh_nghe', 'nganh_nghe_kinh_doanh', ['Ngành, nghề kinh doanh', 'Lines of business']),
      field('noi_dung_thay_doi', null, ['Nội dung đăng ký thay đổi', 'What changes'], {
        type: 'text',
        help: [
          'Ví dụ: bổ sung ngành, nghề kinh doanh; chuyển địa điểm kinh doanh.',
          'For example: a line of business added; the business moves.',
        ],
      }),
    ],
    result: {
      kind: 'certificate',
      title_vi: 'Giấy chứng nhận đăng ký hộ kinh doanh',
      title_en: 'Household business registration certificate',
      validity_days: null,
      fields: [
        copy('ma_so_hkd', 'ma_so_ho_kinh_doanh', ['Mã số hộ kinh doanh', 'Household business code']),
        copy('ten_hkd', 'ten_ho_kinh_doanh', ['Tên hộ kinh doanh', 'Household business name']),
        copy('ho_ten', 'ho_va_ten', ['Chủ hộ kinh doanh', 'Owner']),
        copy('dia_diem', 'dia_chi_kinh_doanh', ['Địa điểm kinh doanh', 'Business address']),
        copy('noi_dung_thay_doi', null, ['Nội dung thay đổi', 'What changed']),
      ],
    },
  },
  {
    code: DEMO_CODES.birthExtract,
    name_vi: 'Cấp bản sao trích lục khai sinh cho con',
    name_en: 'Copies of a child’s birth extract',
    description_vi:
      'Sau khi con được đăng ký khai sinh, cha hoặc mẹ nhận bản sao trích lục khai sinh (để làm thẻ bảo hiểm y tế, nhập học…). Được đề nghị sẵn khi Cơ sở dữ liệu hộ tịch báo có việc khai sinh.',
    description_en:
      'Once a child’s birth is registered, a parent receives copies of the birth extract (for health insurance, school…). Offered by itself when the civil status database announces the birth.',
    legal_basis: 'Luật Hộ tịch 2014, Điều 63–64; Nghị định 123/2015/NĐ-CP',
    processing_days: 1,
    fields: [
      ...applicant(false),
      field('ho_ten_con', 'ho_ten_con', ['Họ, chữ đệm và tên của con', 'Child’s full name']),
      field('so_dang_ky_khai_sinh', 'so_dang_ky_khai_sinh_cua_con', [
        'Số đăng ký khai sinh của con',
        'Child’s birth registration number',
      ]),
      field('so_ban', null, ['Số bản sao', 'Number of copies'], {
        type: 'integer',
        required: false,
        help: ['Không ghi: 1 bản.', 'Left empty: one copy.'],
      }),
    ],
    result: {
      kind: 'certificate',
      title_vi: 'Bản sao trích lục khai sinh',
      title_en: 'Copy of a birth extract',
      validity_days: null,
      fields: [
        copy('ho_ten', 'ho_va_ten', ['Người yêu cầu', 'Requested by']),
        copy('ho_ten_con', 'ho_ten_con', ['Họ, chữ đệm và tên của con', 'Child’s full name']),
        copy('so_dang_ky_khai_sinh', 'so_dang_ky_khai_sinh_cua_con', [
          'Số đăng ký khai sinh',
          'Birth registration number',
        ]),
        copy('so_ban', null, ['Số bản', 'Copies']),
      ],
    },
  },
];

/**
 * Which register answer holds each element: the service (by the demo's register), the path under it and the JSON
 * pointer into its answer. The marital status is bound to its words (`statusName`), which the form shows as they are.
 */
export const DEMO_SOURCES = {
  population: {
    path: '/citizens/{person}',
    fields: {
      ho_va_ten: '/fullName',
      ngay_sinh: '/dateOfBirth',
      so_dinh_danh_ca_nhan: '/id',
      dia_chi_thuong_tru: '/permanentResidence/address',
    },
  },
  birth: {
    path: '/people/{person}/birth',
    fields: {
      so_dang_ky_khai_sinh: '/registrationNumber',
      ngay_dang_ky_khai_sinh: '/registeredOn',
      noi_sinh: '/placeOfBirth',
      ho_ten_cha: '/father/fullName',
      ho_ten_me: '/mother/fullName',
    },
  },
  marital: {
    path: '/people/{person}/marital-status',
    fields: { tinh_trang_hon_nhan: '/statusName', ho_ten_vo_chong: '/spouse/fullName' },
  },
  business: {
    path: '/owners/{person}/household-businesses',
    fields: {
      ma_so_ho_kinh_doanh: '/businesses/0/registrationNumber',
      ten_ho_kinh_doanh: '/businesses/0/name',
      dia_chi_kinh_doanh: '/businesses/0/address',
      nganh_nghe_kinh_doanh: '/businesses/0/businessLines',
    },
  },
} as const;
