import type { DatabaseBody } from '../catalog/catalog.schema.js';

/**
 * The register of databases entries of the demo's three registers (Decree 47/2024/NĐ-CP: a national database is
 * declared with its purpose, scope, content, how it is collected and kept up to date, its sources and legal basis).
 * Texts summarise the real databases; the demo's data behind them is generated.
 */
export interface DemoRegisterEntry {
  agency: string;
  body: Omit<DatabaseBody, 'agency_id'>;
}

export const DEMO_REGISTERS = {
  population: {
    agency: '000.00.00.G01',
    body: {
      name_vi: 'Cơ sở dữ liệu quốc gia về dân cư',
      name_en: 'National Population Database',
      purpose: 'Quản lý thông tin về công dân; dùng chung cho các cơ quan nhà nước để giải quyết thủ tục hành chính.',
      scope: 'Mọi công dân Việt Nam cư trú trong và ngoài nước.',
      content:
        'Họ, chữ đệm và tên; số định danh cá nhân; ngày, tháng, năm sinh; giới tính; nơi đăng ký khai sinh; nơi thường trú; chủ hộ và quan hệ với chủ hộ.',
      collection_mechanism: 'Công an cấp xã thu thập khi đăng ký cư trú, cấp căn cước; liên thông với hộ tịch.',
      update_mechanism: 'Cập nhật ngay khi có thay đổi về cư trú, hộ tịch, căn cước.',
      data_sources: 'Đăng ký cư trú, cấp căn cước, Cơ sở dữ liệu hộ tịch điện tử.',
      legal_basis: 'Luật Căn cước 2023; Luật Cư trú 2020; Nghị định 70/2024/NĐ-CP.',
      category: 'national',
      access_class: 'shared',
      importance: 'core',
      status: 'operating',
    },
  },
  civilStatus: {
    agency: '000.00.00.G15',
    body: {
      name_vi: 'Cơ sở dữ liệu hộ tịch điện tử',
      name_en: 'Electronic Civil Status Database',
      purpose: 'Lưu giữ các sự kiện hộ tịch và cung cấp thông tin hộ tịch cho cơ quan nhà nước, cá nhân.',
      scope: 'Các việc hộ tịch đăng ký tại Ủy ban nhân dân cấp xã và cơ quan đại diện ở nước ngoài.',
      content:
        'Khai sinh (số, ngày đăng ký, nơi sinh, cha, mẹ), kết hôn, xác nhận tình trạng hôn nhân, khai tử, thay đổi, cải chính hộ tịch.',
      collection_mechanism: 'Công chức tư pháp - hộ tịch nhập khi đăng ký; số hóa sổ hộ tịch cũ.',
      update_mechanism: 'Cập nhật ngay khi đăng ký một việc hộ tịch.',
      data_sources: 'Sổ hộ tịch, hồ sơ đăng ký hộ tịch.',
      legal_basis: 'Luật Hộ tịch 2014; Nghị định 87/2020/NĐ-CP về Cơ sở dữ liệu hộ tịch điện tử.',
      category: 'specialised',
      access_class: 'shared',
      importance: 'core',
      status: 'operating',
    },
  },
  business: {
    agency: '000.00.00.G12',
    body: {
      name_vi: 'Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp',
      name_en: 'National Business Registration Database',
      purpose: 'Lưu giữ thông tin đăng ký doanh nghiệp và hộ kinh doanh trên phạm vi toàn quốc.',
      scope: 'Doanh nghiệp, chi nhánh, văn phòng đại diện, hộ kinh doanh.',
      content: 'Mã số, tên, địa điểm kinh doanh, ngành, nghề kinh doanh, vốn, chủ hộ kinh doanh, tình trạng hoạt động.',
      collection_mechanism: 'Cơ quan đăng ký kinh doanh nhập khi đăng ký, thay đổi, tạm ngừng, chấm dứt.',
      update_mechanism: 'Cập nhật ngay khi có hồ sơ đăng ký được chấp thuận.',
      data_sources: 'Hồ sơ đăng ký doanh nghiệp và hộ kinh doanh.',
      legal_basis: 'Luật Doanh nghiệp 2020; Nghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp.',
      category: 'national',
      access_class: 'shared',
      importance: 'core',
      status: 'operating',
    },
  },
} satisfies Record<string, DemoRegisterEntry>;
