import { type DemoService, personOperation, serveJson } from './demo-http.js';
import { DEMO_CITIZEN, mulberry32, type Person } from './demo-citizens.js';

/**
 * The demo's household businesses as the national business registration database (Cơ sở dữ liệu quốc gia về đăng ký
 * doanh nghiệp, Ministry of Finance) holds them, generated from the population register's people: about one adult in
 * fifteen owns one, at their own address, registered by their commune. The demo citizen owns one (so the procedure
 * that changes a household business's registration has something to prefill). The codes are illustrative (the
 * province's two digits, a letter and a serial), not the real scheme. `GET /owners/{id}/household-businesses`.
 */
export interface HouseholdBusiness {
  registrationNumber: string;
  name: string;
  address: string;
  businessLines: string;
  /** đồng */
  capital: number;
  employees: number;
  registeredOn: string;
  registeredBy: string;
  status: 'đang hoạt động' | 'tạm ngừng kinh doanh';
}

const TRADES = [
  { name: 'Tạp hóa', line: 'Bán lẻ lương thực, thực phẩm, đồ uống trong cửa hàng tổng hợp' },
  { name: 'Cà phê', line: 'Dịch vụ phục vụ đồ uống' },
  { name: 'Phở', line: 'Nhà hàng và dịch vụ ăn uống phục vụ lưu động' },
  { name: 'Sửa chữa xe máy', line: 'Bảo dưỡng và sửa chữa mô tô, xe máy' },
  { name: 'May đo', line: 'May trang phục' },
  { name: 'Văn phòng phẩm', line: 'Bán lẻ sách, báo, tạp chí và văn phòng phẩm' },
  { name: 'Cắt tóc', line: 'Cắt tóc, làm đầu, gội đầu' },
  { name: 'Rau quả', line: 'Bán lẻ rau, quả trong cửa hàng chuyên doanh' },
] as const;

const AS_OF = 2025;

export function generateHouseholdBusinesses(people: Map<string, Person>): Map<string, HouseholdBusiness[]> {
  const rnd = mulberry32(20251208);
  const owners = new Map<string, HouseholdBusiness[]>();
  let serial = 0;
  for (const p of people.values()) {
    const age = AS_OF - Number(p.dateOfBirth.slice(0, 4));
    const owns = p.id === DEMO_CITIZEN || (age >= 22 && age <= 70 && rnd() < 0.07);
    if (!owns) continue;
    const trade = TRADES[p.id === DEMO_CITIZEN ? 1 : Math.floor(rnd() * TRADES.length)]!;
    const year = Math.max(Number(p.dateOfBirth.slice(0, 4)) + 22, AS_OF - 1 - Math.floor(rnd() * 15));
    serial++;
    owners.set(p.id, [
      {
        registrationNumber: `${p.id.slice(1, 3)}H8${String(serial).padStart(6, '0')}`,
        name: `Hộ kinh doanh ${trade.name} ${p.fullName.split(' ').at(-1)}`,
        address: p.permanentResidence.address,
        businessLines: trade.line,
        capital: (50 + Math.floor(rnd() * 20) * 25) * 1_000_000,
        employees: Math.floor(rnd() * 6),
        registeredOn: `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
        registeredBy: `Ủy ban nhân dân ${p.permanentResidence.commune}`,
        status: rnd() < 0.92 ? 'đang hoạt động' : 'tạm ngừng kinh doanh',
      },
    ]);
  }
  return owners;
}

export const BUSINESS_OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp — hộ kinh doanh (demo)', version: '1.0.0' },
  paths: {
    '/owners/{id}/household-businesses': personOperation(
      'getHouseholdBusinesses',
      'the household businesses the person owns (an empty list: none)',
    ),
  },
};

/** The dictionary elements the service returns. */
export const BUSINESS_FIELDS = [
  'ma_so_ho_kinh_doanh',
  'ten_ho_kinh_doanh',
  'dia_chi_kinh_doanh',
  'nganh_nghe_kinh_doanh',
];

export async function startBusinessService(
  owners: Map<string, HouseholdBusiness[]>,
  people: Map<string, Person>,
  port: number,
): Promise<DemoService> {
  return serveJson(port, (method, url) => {
    const m = /^\/owners\/([0-9]{12})\/household-businesses$/.exec(url);
    if (method !== 'GET' || !m) return { status: 404, body: { error: 'not_found' } };
    if (!people.has(m[1]!))
      return { status: 404, body: { error: 'not_found', message: 'Không có công dân với số định danh này.' } };
    return { status: 200, body: { owner: m[1], businesses: owners.get(m[1]!) ?? [] } };
  });
}
