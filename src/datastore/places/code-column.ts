import {
  reasonText,
  type PlaceLevel,
  type PlaceNames,
  type Unresolved,
  type Vintage,
} from '../../masterdata/masterdata.service.js';

/*
 * The codes of a derived code column: every distinct name (with its row's province, for communes) resolved to one
 * GSO code, or left empty with the reason. Plain functions; the service writes the result.
 */

export interface NameKey {
  value: string;
  /** the row's province name, when a province column tells communes apart */
  province: string | null;
  rows: number;
}

export interface Unresolvable {
  value: string;
  province: string | null;
  rows: number;
  reason: Unresolved;
  reason_vi: string;
  reason_en: string;
  /** the units the name could be (or, split, the units it became) */
  candidates: { code: string; name: string; vintage: Vintage }[];
}

export interface CodeMapping {
  /** the keys given a code */
  coded: { value: string; province: string | null; code: string }[];
  rows_coded: number;
  unresolved: Unresolvable[];
  rows_unresolved: number;
}

export interface MappingOptions {
  level: PlaceLevel;
  /** the vintage the names are written in */
  prefer: Vintage;
  /** the vintage of the codes wanted */
  target: Vintage;
  /** the vintage the province column is written in, when there is one */
  provincePrefer?: Vintage;
}

export function mapToCodes(names: PlaceNames, keys: NameKey[], o: MappingOptions): CodeMapping {
  const provinces = new Map<string, string | null>();
  /** a row's province as a 2025 code, null when not recognised */
  const provinceOf = (value: string) => {
    if (!provinces.has(value)) {
      const r = names.resolve(value, 'province', { prefer: o.provincePrefer ?? '2025', target: '2025' });
      provinces.set(value, 'code' in r ? r.code : null);
    }
    return provinces.get(value)!;
  };
  const out: CodeMapping = { coded: [], rows_coded: 0, unresolved: [], rows_unresolved: 0 };
  for (const k of keys) {
    const within = o.level === 'commune' && k.province?.trim() ? provinceOf(k.province) : null;
    let r = names.resolve(k.value, o.level, { prefer: o.prefer, target: o.target, within });
    // a province the row names but no unit answers to: a name unique in the country needs none, any other is unsaid
    if (o.level === 'commune' && k.province?.trim() && within === null && 'reason' in r && r.reason === 'ambiguous')
      r = { ...r, reason: 'province_unknown' };
    if ('code' in r) {
      out.coded.push({ value: k.value, province: k.province, code: r.code });
      out.rows_coded += k.rows;
    } else {
      const text = reasonText(r.reason);
      out.unresolved.push({
        value: k.value,
        province: k.province,
        rows: k.rows,
        reason: r.reason,
        reason_vi: text.vi,
        reason_en: text.en,
        candidates: r.candidates,
      });
      out.rows_unresolved += k.rows;
    }
  }
  out.unresolved.sort((a, b) => b.rows - a.rows);
  return out;
}
