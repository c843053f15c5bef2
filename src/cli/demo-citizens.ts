import type http from 'node:http';
import type { Kysely } from 'kysely';
import { type DemoService, serveJson } from './demo-http.js';

/**
 * The demo's National Population Database service: generated people (no real person), each with a
 * 12-digit CCCD built as the real ones are (province of birth registration, century and sex, year of
 * birth, serial), living in real communes of 2025. `GET /citizens/{id}` and `GET /citizens/{id}/household`.
 */
export interface Person {
  id: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'nam' | 'nữ';
  /** `address`: the house and residential group, the commune and the province, as a residence certificate writes it */
  permanentResidence: { communeCode: string; commune: string; address: string };
  householdId: string;
}

export const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
export const MIDDLE_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Thành'];
export const MIDDLE_F = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Phương'];
export const GIVEN_M = ['An', 'Bình', 'Dũng', 'Hải', 'Hùng', 'Khánh', 'Long', 'Nam', 'Phong', 'Quân', 'Sơn', 'Tuấn'];
export const GIVEN_F = [
  'Anh',
  'Châu',
  'Giang',
  'Hà',
  'Hạnh',
  'Hương',
  'Lan',
  'Linh',
  'Mai',
  'Nga',
  'Thảo',
  'Trang',
  'Vy',
];

export const DEMO_CITIZEN = '001090000001';

/** A small deterministic generator, so the README's example id is always there. */
export function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generatePeople(
  n: number,
  communes: { code: string; name: string; province: string; provinceName?: string }[],
): Map<string, Person> {
  const rnd = mulberry32(20251124);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const people = new Map<string, Person>();
  for (let i = 1; i <= n; i++) {
    const female = i === 1 ? false : rnd() < 0.5;
    const year = i === 1 ? 1990 : 1940 + Math.floor(rnd() * 68);
    const commune = i === 1 ? (communes.find((c) => c.province === '01') ?? communes[0]!) : pick(communes);
    const century = year >= 2000 ? 2 : 0;
    const id = `0${commune.province.padStart(2, '0')}${century + (female ? 1 : 0)}${String(year % 100).padStart(2, '0')}${String(i).padStart(6, '0')}`;
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    people.set(id, {
      id,
      fullName: `${pick(FAMILY)} ${pick(female ? MIDDLE_F : MIDDLE_M)} ${pick(female ? GIVEN_F : GIVEN_M)}`,
      dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      sex: female ? 'nữ' : 'nam',
      permanentResidence: {
        communeCode: commune.code,
        commune: commune.name,
        // made from the serial, not the generator, so every other value stays what it was
        address: [`Số ${1 + ((i * 37) % 150)}, tổ dân phố ${1 + (i % 24)}`, commune.name, commune.provinceName]
          .filter(Boolean)
          .join(', '),
      },
      householdId: `HK${commune.code}${String(Math.floor(i / 3)).padStart(6, '0')}`,
    });
  }
  return people;
}

/** The demo population register: the same 5,000 people every start (and for the demo network and the stand-in e-ID alike). */
export async function demoPopulation(db: Kysely<any>): Promise<Map<string, Person>> {
  const provinces = new Map(
    (await db.selectFrom('admin_units').select(['code', 'full_name']).where('level', '=', 'province').execute()).map(
      (p) => [p.code as string, p.full_name as string],
    ),
  );
  const communes = (
    await db
      .selectFrom('admin_units')
      .select(['code', 'full_name', 'province_code'])
      .where('level', '=', 'commune')
      .orderBy('code')
      .limit(800)
      .execute()
  ).map((c) => ({
    code: c.code as string,
    name: c.full_name as string,
    province: c.province_code as string,
    provinceName: provinces.get(c.province_code as string),
  }));
  return generatePeople(5000, communes);
}

/** The dictionary elements `GET /citizens/{id}` returns (the registry's `fields` of the service). */
export const CITIZENS_FIELDS = [
  'so_dinh_danh_ca_nhan',
  'ho_va_ten',
  'ngay_sinh',
  'gioi_tinh',
  'ma_xa',
  'dia_chi_thuong_tru',
];

export const CITIZENS_OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'Cơ sở dữ liệu quốc gia về dân cư — tra cứu công dân (demo)', version: '1.0.0' },
  paths: {
    '/citizens/{id}': {
      get: {
        operationId: 'getCitizen',
        // the person whose record this is: the provider gateway lets only a call naming them read it
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            'x-ndp-person': true,
            schema: { type: 'string', pattern: '^[0-9]{12}$' },
          },
        ],
        responses: { 200: { description: 'the person' }, 404: { description: 'no such person' } },
      },
    },
    '/citizens/{id}/household': {
      get: {
        operationId: 'getHousehold',
        parameters: [{ name: 'id', in: 'path', required: true, 'x-ndp-person': true, schema: { type: 'string' } }],
        responses: { 200: { description: 'the household' } },
      },
    },
    '/admin/export': {
      get: {
        operationId: 'exportAll',
        responses: { 200: { description: 'every record (never granted in the demo)' } },
      },
    },
  },
};

/** `onRequest`: sees each request's headers, as a real service would keep its own record of who asked (the X-Road headers its gateway adds). */
export async function startCitizensService(
  people: Map<string, Person>,
  port: number,
  onRequest?: (headers: http.IncomingHttpHeaders) => void,
): Promise<DemoService> {
  return serveJson(
    port,
    (method, url) => {
      const m = /^\/citizens\/([0-9]{12})(\/household)?$/.exec(url);
      if (method === 'GET' && m) {
        const p = people.get(m[1]!);
        if (!p)
          return { status: 404, body: { error: 'not_found', message: 'Không có công dân với số định danh này.' } };
        if (!m[2]) return { status: 200, body: p };
        return {
          status: 200,
          body: {
            householdId: p.householdId,
            members: [...people.values()]
              .filter((q) => q.householdId === p.householdId)
              .map((q) => ({ id: q.id, fullName: q.fullName })),
          },
        };
      }
      if (method === 'GET' && url === '/admin/export') return { status: 200, body: { people: people.size } };
      return { status: 404, body: { error: 'not_found' } };
    },
    onRequest,
  );
}
