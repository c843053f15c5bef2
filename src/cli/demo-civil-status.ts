import { type DemoService, personOperation, serveJson } from './demo-http.js';
import {
  DEMO_CITIZEN,
  FAMILY,
  GIVEN_F,
  GIVEN_M,
  MIDDLE_F,
  MIDDLE_M,
  mulberry32,
  type Person,
} from './demo-citizens.js';

/**
 * The demo's electronic civil status database (Cơ sở dữ liệu hộ tịch điện tử, Ministry of Justice), generated from the
 * population register's people so the two agree: everyone's birth registration (the father a man of the same family
 * name, the parents a married couple of the register where one fits), and marital status, married couples pointing
 * at each other. The demo citizen is unmarried (so the marital status certificate and the marriage registration have
 * something to do). `GET /people/{id}/birth`, `GET /people/{id}/marital-status`.
 */
export interface Parent {
  fullName: string;
  /** the parent's id number when the population register holds them */
  id: string | null;
  yearOfBirth: number;
}

export interface BirthRecord {
  personId: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'nam' | 'nữ';
  /** the birth registration's number in its year's book, `123/1990` */
  registrationNumber: string;
  registeredOn: string;
  registeredBy: string;
  placeOfBirth: string;
  father: Parent;
  mother: Parent;
}

/** The dictionary's `tinh_trang_hon_nhan` codes. */
export const MARITAL_STATUS = {
  '1': 'Chưa kết hôn',
  '2': 'Đã kết hôn',
  '3': 'Đã ly hôn',
  '4': 'Góa',
} as const;
export type MaritalCode = keyof typeof MARITAL_STATUS;

export interface MaritalRecord {
  personId: string;
  status: MaritalCode;
  statusName: (typeof MARITAL_STATUS)[MaritalCode];
  spouse: { id: string; fullName: string } | null;
  marriage: { registrationNumber: string; registeredOn: string; registeredBy: string } | null;
}

export interface CivilStatus {
  births: Map<string, BirthRecord>;
  marital: Map<string, MaritalRecord>;
}

/** Ages are counted at the end of 2025, so the register is the same whatever day the demo starts. */
const AS_OF = 2025;
const yearOf = (p: Person) => Number(p.dateOfBirth.slice(0, 4));
const provinceOf = (p: Person) => p.id.slice(1, 3);
const familyOf = (p: Person) => p.fullName.split(' ')[0]!;
const committee = (p: Person) => `Ủy ban nhân dân ${p.permanentResidence.commune}`;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function generateCivilStatus(people: Map<string, Person>): CivilStatus {
  const rnd = mulberry32(20251207);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const serials = new Map<string, number>();
  const number = (book: string, year: number) => {
    const n = (serials.get(`${book}:${year}`) ?? 0) + 1;
    serials.set(`${book}:${year}`, n);
    return `${n}/${year}`;
  };
  const list = [...people.values()];

  // marriages: adults who marry wait for one of the other sex in their province at most ten years apart
  const marital = new Map<string, MaritalRecord>();
  const single = (p: Person): MaritalRecord => ({
    personId: p.id,
    status: '1',
    statusName: MARITAL_STATUS['1'],
    spouse: null,
    marriage: null,
  });
  const couples: { husband: Person; wife: Person; children: number }[] = [];
  const waiting = new Map<string, Person[]>();
  for (const p of list) {
    const adult = AS_OF - yearOf(p) > (p.sex === 'nam' ? 20 : 18);
    if (p.id === DEMO_CITIZEN || !adult || rnd() >= 0.6) continue;
    const others = waiting.get(`${provinceOf(p)}:${p.sex === 'nam' ? 'nữ' : 'nam'}`) ?? [];
    const k = others.findIndex((q) => Math.abs(yearOf(q) - yearOf(p)) <= 10);
    if (k < 0) {
      const own = `${provinceOf(p)}:${p.sex}`;
      waiting.set(own, [...(waiting.get(own) ?? []), p]);
      continue;
    }
    const q = others.splice(k, 1)[0]!;
    const [husband, wife] = p.sex === 'nam' ? [p, q] : [q, p];
    const year = Math.min(
      AS_OF,
      Math.max(Math.max(yearOf(husband), yearOf(wife)) + 22 + Math.floor(rnd() * 8), yearOf(husband) + 21),
    );
    const marriage = {
      registrationNumber: number(`kh:${wife.permanentResidence.communeCode}`, year),
      registeredOn: `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
      registeredBy: committee(wife),
    };
    for (const [a, b] of [
      [husband, wife],
      [wife, husband],
    ] as const)
      marital.set(a.id, {
        personId: a.id,
        status: '2',
        statusName: MARITAL_STATUS['2'],
        spouse: { id: b.id, fullName: b.fullName },
        marriage,
      });
    couples.push({ husband, wife, children: 0 });
  }
  for (const p of list) {
    if (marital.has(p.id)) continue;
    const age = AS_OF - yearOf(p);
    const status: MaritalCode =
      p.id === DEMO_CITIZEN ? '1' : age >= 60 && rnd() < 0.3 ? '4' : age >= 30 && rnd() < 0.06 ? '3' : '1';
    marital.set(p.id, { ...single(p), status, statusName: MARITAL_STATUS[status] });
  }

  // births: the parents are a couple of the register (his family name, of an age to be parents) where one fits
  const byFamily = new Map<string, typeof couples>();
  for (const c of couples) {
    const key = `${provinceOf(c.husband)}:${familyOf(c.husband)}`;
    byFamily.set(key, [...(byFamily.get(key) ?? []), c]);
  }
  const births = new Map<string, BirthRecord>();
  for (const p of list) {
    const y = yearOf(p);
    const fits = (byFamily.get(`${provinceOf(p)}:${familyOf(p)}`) ?? []).filter(
      (c) =>
        c.children < 4 &&
        y - yearOf(c.husband) >= 20 &&
        y - yearOf(c.husband) <= 50 &&
        y - yearOf(c.wife) >= 18 &&
        y - yearOf(c.wife) <= 42,
    );
    const couple = fits.length ? fits[Math.floor(rnd() * fits.length)]! : undefined;
    if (couple) couple.children++;
    const parent = (q: Person): Parent => ({ fullName: q.fullName, id: q.id, yearOfBirth: yearOf(q) });
    const father = couple
      ? parent(couple.husband)
      : {
          fullName: `${familyOf(p)} ${pick(MIDDLE_M)} ${pick(GIVEN_M)}`,
          id: null,
          yearOfBirth: y - 22 - Math.floor(rnd() * 12),
        };
    const mother = couple
      ? parent(couple.wife)
      : {
          fullName: `${pick(FAMILY)} ${pick(MIDDLE_F)} ${pick(GIVEN_F)}`,
          id: null,
          yearOfBirth: y - 20 - Math.floor(rnd() * 10),
        };
    const registered = new Date(`${p.dateOfBirth}T00:00:00Z`);
    registered.setUTCDate(registered.getUTCDate() + 7 + Math.floor(rnd() * 50));
    births.set(p.id, {
      personId: p.id,
      fullName: p.fullName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      registrationNumber: number(`ks:${p.permanentResidence.communeCode}`, registered.getUTCFullYear()),
      registeredOn: isoDay(registered),
      registeredBy: committee(p),
      // where they live now: most people of the demo never moved (the address's commune and province)
      placeOfBirth: p.permanentResidence.address.split(', ').slice(2).join(', '),
      father,
      mother,
    });
  }
  return { births, marital };
}

export const CIVIL_STATUS_OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'Cơ sở dữ liệu hộ tịch điện tử — tra cứu (demo)', version: '1.0.0' },
  paths: {
    '/people/{id}/birth': personOperation('getBirthRegistration', 'the person’s birth registration'),
    '/people/{id}/marital-status': personOperation('getMaritalStatus', 'the person’s marital status and spouse'),
  },
};

/** The dictionary elements the service returns (the registry's `fields` of the service). */
export const CIVIL_STATUS_FIELDS = [
  'so_dang_ky_khai_sinh',
  'ngay_dang_ky_khai_sinh',
  'noi_sinh',
  'ho_ten_cha',
  'ho_ten_me',
  'tinh_trang_hon_nhan',
  'ho_ten_vo_chong',
];

export async function startCivilStatusService(civil: CivilStatus, port: number): Promise<DemoService> {
  return serveJson(port, (method, url) => {
    const m = /^\/people\/([0-9]{12})\/(birth|marital-status)$/.exec(url);
    if (method !== 'GET' || !m) return { status: 404, body: { error: 'not_found' } };
    const record = m[2] === 'birth' ? civil.births.get(m[1]!) : civil.marital.get(m[1]!);
    if (!record)
      return { status: 404, body: { error: 'not_found', message: 'Không có dữ liệu hộ tịch của người này.' } };
    return { status: 200, body: record };
  });
}
