import { fold } from '../platform/text.js';

/*
 * Place names as real tables write them — `Ha Tay`, `Thua Thien-Hue`, `TP. Hồ Chí Minh`, `Hà Nội`, `P. Phúc Xá` —
 * matched to administrative units of 2025 and of the pre-2025 list, on the master data alone: the 2025 units
 * (`admin_units`), the old units of the 2025 crosswalk (`unit_crosswalk`) and the few former names that predate
 * that list (`unit_former_names`). Nothing here lists a place by hand; only the words of unit types are typed.
 *
 * A name is compared by its key: folded (NFD, marks stripped, đ→d, lower case), every run of anything but letters
 * and digits dropped (so `Thua Thien-Hue`, `Thừa Thiên Huế` and `ThuaThienHue` agree), numbers without leading zeros
 * (`Phường 01` is `Phường 1`). A leading unit type (`Thành phố`, `TP.`, `Tỉnh`, `T.`, `Xã`, `Phường`, `P.`,
 * `Thị trấn`, `Đặc khu`…) or a trailing English one (`City`, `Province`, `Ward`) is read apart: a name with its type
 * matches that unit first, and a type that names no candidate is ignored (many xã became phường in 2025-2026, so a
 * table's type may be older than the register's). Provinces of three words or more also answer to their initials
 * (`TP.HCM`, `BR-VT`), when no other name matches and the initials are nobody else's.
 *
 * `find` returns every unit a name may mean, both vintages; `resolve` decides one code or says why not, never
 * choosing between two.
 */

export type PlaceLevel = 'province' | 'commune';
export type Vintage = '2025' | 'pre-2025';

export interface PlaceUnit {
  level: PlaceLevel;
  vintage: Vintage;
  /** the unit's code in its own vintage */
  code: string;
  /** its full name as the list writes it, e.g. `Phường Phúc Xá` */
  name: string;
  /** its unit type, folded: `tinh`, `thanh pho`, `xa`, `phuong`, `thi tran`, `dac khu` */
  type: string;
  /** the 2025 province it lies in (a province: the one it is or became part of) */
  province: string | null;
  /** the 2025 units it is or became (through the crosswalk); more than one when it was split */
  becomes: string[];
  /** the crosswalk's sources disagree on the code it became */
  disputed: boolean;
  /** a former name, used until this date (`Tỉnh Hà Tây`, until 2008-08-01) */
  until?: string;
  /** its proper names with their diacritics (`markedName`): what tells `Văn Lăng` from `Văn Lang` */
  marks: Set<string>;
}

/** What the index is built from: rows of the master data, as the repository reads them. */
export interface PlaceSources {
  units: {
    code: string;
    level: PlaceLevel;
    name: string;
    full_name: string;
    name_en: string | null;
    full_name_en: string | null;
    type_name: string;
    province_code: string | null;
  }[];
  /** the crosswalk's old provinces and communes, each with the 2025 units (and their provinces) it became */
  old: { code: string; name: string; level: PlaceLevel; becomes: string[]; provinces: string[]; disputed: boolean }[];
  former: { name: string; level: PlaceLevel; old_code: string; until: string }[];
}

/** Leading unit types (as folded words) and the type each says. */
const PREFIXES: [string[], string][] = [
  [['thanh', 'pho'], 'thanh pho'],
  [['tp'], 'thanh pho'],
  [['tinh'], 'tinh'],
  [['t'], 'tinh'],
  [['thi', 'tran'], 'thi tran'],
  [['tt'], 'thi tran'],
  [['dac', 'khu'], 'dac khu'],
  [['phuong'], 'phuong'],
  [['p'], 'phuong'],
  [['xa'], 'xa'],
  [['x'], 'xa'],
];
/** Trailing English unit types (`Hanoi City`, `Ba Dinh Ward`). */
const SUFFIXES: [string[], string][] = [
  [['special', 'zone'], 'dac khu'],
  [['city'], 'thanh pho'],
  [['province'], 'tinh'],
  [['ward'], 'phuong'],
  [['commune'], 'xa'],
  [['township'], 'thi tran'],
];

/** A name's words: folded, split at anything but letters and digits, numbers without leading zeros. */
export function placeWords(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => (/^\d+$/.test(w) ? String(Number(w)) : w));
}

/** The key a name is compared by: its words run together (`Thua Thien-Hue` → `thuathienhue`). */
export const placeKey = (text: string): string => placeWords(text).join('');

const startsWith = (words: string[], head: string[]) => head.every((w, i) => words[i] === w);
const endsWith = (words: string[], tail: string[]) =>
  words.length > tail.length && tail.every((w, i) => words[words.length - tail.length + i] === w);

/** A name read apart: its unit type, if one leads (or trails, in English), and the proper name's words. */
export function splitPlaceName(text: string): { type: string | null; proper: string[]; words: string[] } {
  const words = placeWords(text);
  for (const [head, type] of PREFIXES)
    if (words.length > head.length && startsWith(words, head)) return { type, proper: words.slice(head.length), words };
  for (const [tail, type] of SUFFIXES)
    if (endsWith(words, tail)) return { type, proper: words.slice(0, words.length - tail.length), words };
  // `TPHCM`, `TPHà Nội`: the abbreviation glued to the name
  if (words[0]?.startsWith('tp') && words[0].length > 3)
    return { type: 'thanh pho', proper: [words[0].slice(2), ...words.slice(1)], words };
  return { type: null, proper: words, words };
}

/**
 * A name's proper part with its diacritics, each word as its letters and the set of its marks, so that the two
 * placements of a tone mark (`Hoà`, `Hòa`) agree while `Lăng` and `Lang` do not. Null when the name has none.
 */
export function markedName(text: string): string | null {
  const nfd = text.normalize('NFD').toLowerCase();
  if (!/[\u0300-\u036f]|đ/.test(nfd)) return null;
  const marked = nfd
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .map((w) => {
      const marks = [...w].filter((ch) => /\p{M}/u.test(ch) || ch === 'đ').sort();
      return `${fold(w).replace(/[^a-z0-9]/g, '')}${marks.length ? `:${marks.join('')}` : ''}`;
    });
  const { type, proper, words } = splitPlaceName(text);
  if (marked.length !== words.length) return null;
  const start =
    type && proper.length < words.length && startsWith(words.slice(words.length - proper.length), proper)
      ? words.length - proper.length
      : 0;
  return marked.slice(start, start + proper.length).join(' ');
}

/** The folded type of a unit from the register's type name (`Thành phố trực thuộc trung ương` → `thanh pho`). */
function typeOf(...names: string[]): string {
  for (const name of names) {
    const words = placeWords(name);
    const hit = PREFIXES.find(([head]) => startsWith(words, head));
    if (hit) return hit[1];
  }
  return '';
}

const marksOf = (...names: string[]) => new Set(names.map(markedName).filter((m): m is string => m !== null));

type Keyed = Map<string, PlaceUnit[]>;
const add = (map: Keyed, key: string, unit: PlaceUnit) => {
  if (!key) return;
  const list = map.get(key);
  if (!list) map.set(key, [unit]);
  else if (!list.includes(unit)) list.push(unit);
};

/** Why a name got no code: a stable reason, said in both languages by `reasonText`. */
export type Unresolved =
  | 'unknown'
  | 'ambiguous'
  | 'split'
  | 'disputed'
  | 'not_in_province'
  | 'no_pre2025_code'
  | 'province_unknown';

export type Resolution =
  | { code: string; unit: PlaceUnit }
  | { reason: Unresolved; candidates: { code: string; name: string; vintage: Vintage }[] };

export class PlaceNames {
  /** by the full key (with the type) and by the proper name's key, per level */
  private readonly full: Record<PlaceLevel, Keyed> = { province: new Map(), commune: new Map() };
  private readonly proper: Record<PlaceLevel, Keyed> = { province: new Map(), commune: new Map() };
  private readonly initials: Keyed = new Map();
  private readonly names = new Map<string, string>();

  constructor(sources: PlaceSources) {
    for (const u of sources.units) {
      if (u.level === 'province' || u.level === 'commune') {
        const unit: PlaceUnit = {
          level: u.level,
          vintage: '2025',
          code: u.code,
          name: u.full_name,
          type: typeOf(u.type_name, u.full_name),
          province: u.level === 'province' ? u.code : u.province_code,
          becomes: [u.code],
          disputed: false,
          marks: marksOf(u.full_name, u.name),
        };
        this.names.set(u.code, u.full_name);
        this.index(unit, [u.full_name, u.full_name_en], [u.name, u.name_en]);
      }
    }
    const oldByCode = new Map<string, PlaceUnit>();
    for (const o of sources.old) {
      const unit: PlaceUnit = {
        level: o.level,
        vintage: 'pre-2025',
        code: o.code,
        name: o.name,
        type: splitPlaceName(o.name).type ?? '',
        province: o.provinces.length === 1 ? o.provinces[0]! : null,
        becomes: [...new Set(o.becomes)].sort(),
        disputed: o.disputed,
        marks: marksOf(o.name),
      };
      oldByCode.set(`${o.level}:${o.code}`, unit);
      this.index(unit, [o.name], [splitPlaceName(o.name).proper.join(' ')]);
    }
    for (const f of sources.former) {
      const became = oldByCode.get(`${f.level}:${f.old_code}`);
      if (!became) continue; // a former name of a unit the crosswalk does not hold has nothing to map to
      const unit: PlaceUnit = {
        ...became,
        name: f.name,
        type: splitPlaceName(f.name).type ?? '',
        until: f.until,
        marks: marksOf(f.name),
      };
      this.index(unit, [f.name], [splitPlaceName(f.name).proper.join(' ')]);
    }
  }

  private index(unit: PlaceUnit, fullNames: (string | null)[], properNames: (string | null)[]) {
    for (const n of fullNames) if (n) add(this.full[unit.level], placeKey(n), unit);
    for (const n of [...properNames, ...fullNames.map((f) => (f ? splitPlaceName(f).proper.join(' ') : null))])
      if (n) add(this.proper[unit.level], placeKey(n), unit);
    if (unit.level === 'province') {
      const words = placeWords(properNames[0] ?? '');
      if (words.length >= 3) add(this.initials, words.map((w) => w[0]).join(''), unit);
    }
  }

  /** The name of a 2025 unit by its code. */
  nameOf(code: string): string | undefined {
    return this.names.get(code);
  }

  /**
   * Every unit of `level` a name may mean, of both vintages (within one 2025 province when `within` is given): the
   * name with its type first, then the proper name (units of the type it says first, when there are any), then a
   * province's initials. A name written with its diacritics keeps, of several units, those spelt the same way.
   */
  find(value: string, level: PlaceLevel, within?: string | null): PlaceUnit[] {
    const { type, proper, words } = splitPlaceName(value);
    const whole = words.join('');
    // a bare number is no name (a column of codes or counts): `Phường 1` is written with its type
    if (!/[a-z]/.test(whole)) return [];
    const tiers = [
      this.full[level].get(whole),
      this.proper[level].get(whole),
      this.proper[level].get(proper.join('')),
      level === 'province' ? this.initials.get(proper.join('')) : undefined,
    ];
    for (const [i, tier] of tiers.entries()) {
      let units = within ? tier?.filter((u) => u.province === within) : tier;
      if (!units?.length) continue;
      if (i > 0 && type) {
        const typed = units.filter((u) => u.type === type);
        if (typed.length) units = typed;
      }
      const marked = units.length > 1 ? markedName(value) : null;
      if (marked) {
        const spelt = units.filter((u) => u.marks.has(marked));
        if (spelt.length) units = spelt;
      }
      return units;
    }
    return [];
  }

  /**
   * One code for a name, or why not. `prefer`: the vintage the column is written in, read first (a name found only in
   * the other is read there). `within`: the 2025 province the row names, when the table has a province column.
   * `target`: the vintage of the code wanted; pre-2025 names become 2025 codes through the crosswalk.
   */
  resolve(
    value: string,
    level: PlaceLevel,
    opts: { prefer: Vintage; target: Vintage; within?: string | null },
  ): Resolution {
    const candidates = (units: PlaceUnit[]) =>
      units.map((u) => ({ code: u.code, name: u.name, vintage: u.vintage })).slice(0, 10);
    let units = this.find(value, level, opts.within);
    if (!units.length) {
      const elsewhere = opts.within ? this.find(value, level) : [];
      return elsewhere.length
        ? { reason: 'not_in_province', candidates: candidates(elsewhere) }
        : { reason: 'unknown', candidates: [] };
    }
    if (opts.target === 'pre-2025') {
      const old = units.filter((u) => u.vintage === 'pre-2025');
      const codes = [...new Set(old.map((u) => u.code))];
      if (codes.length === 1) return { code: codes[0]!, unit: old[0]! };
      return { reason: codes.length ? 'ambiguous' : 'no_pre2025_code', candidates: candidates(units) };
    }
    const preferred = units.filter((u) => u.vintage === opts.prefer);
    if (preferred.length) units = preferred;
    const becomes = [...new Set(units.flatMap((u) => u.becomes))];
    // several readings that all lead to one 2025 unit are no choice: Hà Tây and Hà Nội are both 01
    if (becomes.length === 1) {
      if (units.some((u) => u.disputed)) return { reason: 'disputed', candidates: candidates(units) };
      return { code: becomes[0]!, unit: units[0]! };
    }
    if (units.length > 1 && new Set(units.map((u) => `${u.vintage}:${u.code}`)).size > 1)
      return { reason: 'ambiguous', candidates: candidates(units) };
    return {
      reason: 'split',
      candidates: becomes.map((code) => ({ code, name: this.names.get(code) ?? code, vintage: '2025' as const })),
    };
  }
}

const REASONS: Record<Unresolved, { vi: string; en: string }> = {
  unknown: { vi: 'Không có đơn vị hành chính nào mang tên này.', en: 'No administrative unit has this name.' },
  ambiguous: {
    vi: 'Tên này là tên của nhiều đơn vị; cần thêm cột tỉnh hoặc ghi rõ loại đơn vị.',
    en: 'Several units have this name; a province column or the unit type would tell them apart.',
  },
  split: {
    vi: 'Đơn vị cũ này được chia cho nhiều đơn vị mới năm 2025.',
    en: 'This pre-2025 unit was split between several units in 2025.',
  },
  disputed: {
    vi: 'Hai nguồn của bảng chuyển đổi 2025 ghi hai mã khác nhau cho đơn vị mới.',
    en: 'The two sources of the 2025 crosswalk give the new unit two different codes.',
  },
  not_in_province: {
    vi: 'Tỉnh ghi trên dòng không có đơn vị nào mang tên này.',
    en: 'The province on the row has no unit of this name.',
  },
  no_pre2025_code: {
    vi: 'Tên này chỉ có từ năm 2025, không có mã trước năm 2025.',
    en: 'This name exists only since 2025: it has no pre-2025 code.',
  },
  province_unknown: {
    vi: 'Không nhận ra tỉnh ghi trên dòng, nên không phân biệt được các đơn vị cùng tên.',
    en: 'The province on the row is not recognised, so units of the same name cannot be told apart.',
  },
};

/** A reason in both languages, as the API and the load report give it. */
export const reasonText = (reason: Unresolved) => REASONS[reason];
