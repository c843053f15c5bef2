import type { AgencyRow, CrosswalkRow, LicenceRow, ThemeRow, UnitRow } from './masterdata.repository.js';
import { themeUri } from './vocabularies.js';

export const presentAgency = (a: AgencyRow) => ({
  id: a.id,
  code: a.code,
  code_status: a.code_status,
  slug: a.slug,
  name_vi: a.name_vi,
  name_en: a.name_en,
  abbreviation: a.abbreviation,
  kind: a.kind,
  parent_id: a.parent_id,
  unit_code: a.unit_code,
  website: a.website,
  email: a.email,
});

export const presentUnit = (u: UnitRow) => ({
  code: u.code,
  level: u.level,
  name: u.name,
  name_en: u.name_en,
  full_name: u.full_name,
  full_name_en: u.full_name_en,
  type: u.type_name,
  type_en: u.type_name_en,
  province_code: u.province_code,
});

export function presentCrosswalk(old: string, rows: CrosswalkRow[]) {
  return {
    old: { code: old, name: rows[0]!.old_name, level: rows[0]!.old_level },
    new: rows.map((r) => ({
      code: r.new_code,
      name: r.new_name,
      full_name: r.new_full_name,
      province_code: r.new_province_code,
      coverage: r.coverage,
      ...presentDispute(r),
    })),
  };
}

/** The seed files the crosswalk's candidate codes come from, in the order `candidates` keeps them. */
const CANDIDATE_SOURCES = ['vn_units_2025.json', 'vn_mapping_2025_new_to_old.json'];

/** Where the seed's two sources disagree on a new code: both codes, where each comes from, and a note to show. */
export function presentDispute(r: { disputed: boolean; candidates: string[] | null }) {
  const [unitList, mergeList] = r.candidates ?? [];
  return {
    disputed: r.disputed,
    candidates: (r.candidates ?? []).map((code, i) => ({ code, source: CANDIDATE_SOURCES[i] ?? 'unknown' })),
    note:
      r.disputed && unitList && mergeList
        ? {
            vi: `Hai nguồn dữ liệu không thống nhất về mã mới: danh mục đơn vị năm 2025 ghi ${unitList}, danh sách sáp nhập ghi ${mergeList}. Cả hai mã được giữ lại; ${unitList} là mã của đơn vị trong danh mục.`,
            en: `The two sources disagree on the new code: the 2025 unit list gives ${unitList}, the merge list gives ${mergeList}. Both are kept; ${unitList} is the code of the unit in the register.`,
          }
        : null,
  };
}

export const presentLicence = (l: LicenceRow) => ({
  id: l.id,
  title_vi: l.title_vi,
  title_en: l.title_en,
  url: l.url,
  is_open: l.is_open,
});
export const presentTheme = (t: ThemeRow, baseUrl: string) => ({
  id: t.id,
  vocabulary: t.vocabulary,
  uri: themeUri(t.id, baseUrl),
  label_vi: t.label_vi,
  label_en: t.label_en,
});
