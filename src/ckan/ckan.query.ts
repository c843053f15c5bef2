import type { SearchSort } from '../catalog/catalog.schema.js';
import { CkanError } from './ckan.errors.js';

/** CKAN/Solr field names in `fq` and `q`, mapped to our facets. */
export const FIELD_MAP = {
  organization: 'agency',
  owner_org: 'agency',
  groups: 'theme',
  res_format: 'format',
  license_id: 'licence',
  tags: 'keyword',
  province: 'province',
} as const;
export type CkanField = keyof typeof FIELD_MAP;
export type Filters = Partial<Record<(typeof FIELD_MAP)[CkanField], string[]>>;

const TERM = /([+]?)([A-Za-z_]+):("((?:[^"\\]|\\.)*)"|[^\s()]+)/g;

/**
 * Reads the `field:value` terms of a Solr-style query. Terms are AND-ed (CKAN's
 * default); a term on a field we do not index is an error, not ignored, so a
 * harvester learns its filter was not applied.
 */
export function parseFielded(text: string, into: Filters): string {
  const rest = text.replace(TERM, (_m, _plus, field: string, raw: string, quoted?: string) => {
    if (!(field in FIELD_MAP)) {
      throw new CkanError('Search Query Error', 409, `Unknown field “${field}” / Trường “${field}” không được hỗ trợ. Fields: ${Object.keys(FIELD_MAP).join(', ')}`);
    }
    const key = FIELD_MAP[field as CkanField];
    const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : raw;
    (into[key] ??= []).push(value);
    return ' ';
  });
  return rest.replace(/\b(AND|OR)\b/g, ' ').replace(/\*:\*/g, ' ').trim();
}

const SORTS: Record<string, SearchSort> = {
  'score desc': 'relevance',
  'score desc, metadata_modified desc': 'relevance',
  'rank desc': 'relevance',
  'metadata_modified desc': 'modified_desc',
  'metadata_modified asc': 'modified_asc',
  'metadata_created desc': 'issued_desc',
  'title_string asc': 'title_asc',
  'title_string desc': 'title_desc',
  'name asc': 'name_asc',
};

export function parseSort(sort: string | undefined): SearchSort | undefined {
  if (!sort) return undefined;
  const key = sort.trim().toLowerCase().replace(/\s+/g, ' ');
  const found = SORTS[key];
  if (!found) throw new CkanError('Search Query Error', 409, `Unsupported sort “${sort}” / Không hỗ trợ cách sắp xếp này. Use one of: ${Object.keys(SORTS).join('; ')}`);
  return found;
}
