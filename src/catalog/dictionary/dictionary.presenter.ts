import { levelOf } from '../personal-data.js';
import type { DictionaryFieldRow, VersionRow } from './dictionary.repository.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const presentField = (f: DictionaryFieldRow) => ({
  id: f.id,
  label_vi: f.label_vi,
  label_en: f.label_en,
  description_vi: f.description_vi,
  description_en: f.description_en,
  type: f.type,
  format: f.format,
  unit: f.unit,
  constraints: f.constraints,
  code_list: f.code_list,
  codes: f.codes ?? [],
  agency_id: f.agency_id,
  personal_data: f.personal_data,
  personal_data_level: levelOf(f.personal_data),
  version: f.version,
  updated_at: iso(f.updated_at),
});
export type ShownField = ReturnType<typeof presentField>;

/** A version or proposal; who proposed it is named by agency, not by person. */
export const presentVersion = (v: VersionRow) => ({
  id: v.id,
  field_id: v.field_id,
  state: v.state,
  version: v.version,
  base_version: v.base_version,
  changed: v.changed,
  content: { ...v.content, personal_data_level: levelOf(v.content.personal_data) },
  owner_agency: v.owner_agency,
  proposed_agency: v.proposed_agency,
  proposed_at: iso(v.proposed_at),
  decided_at: iso(v.decided_at),
  comment: v.comment,
});
export type ShownVersion = ReturnType<typeof presentVersion>;
