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
type Facet = (typeof FIELD_MAP)[CkanField];
export interface Range {
  from?: Date;
  to?: Date;
  fromExclusive?: boolean;
  toExclusive?: boolean;
}
export type Filters = Partial<Record<Facet, string[]>> & {
  exclude?: Partial<Record<Facet, string[]>>;
  modified?: Range;
  created?: Range;
};

const RANGE_FIELDS = { metadata_modified: 'modified', metadata_created: 'created' } as const;
const TERM = /(^|[\s(])([+-]?)([A-Za-z_]+):(\[[^\]]*\]|\{[^}]*\}|"((?:[^"\\]|\\.)*)"|[^\s()]+)/g;

function rangeBound(text: string, field: string): Date | undefined {
  const t = text.trim();
  if (t === '*') return undefined;
  if (/^NOW$/i.test(t)) return new Date();
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) {
    throw new CkanError(
      'Search Query Error',
      409,
      `Bad date “${t}” in ${field} / Ngày không hợp lệ “${t}” trong ${field}`,
    );
  }
  return d;
}

/** A Solr range `[a TO b]` (inclusive) or `{a TO b}` (exclusive), as CKAN harvesters send for metadata_modified. */
function parseRange(raw: string, field: string): Range {
  const m = /^([[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$/i.exec(raw);
  if (!m)
    throw new CkanError(
      'Search Query Error',
      409,
      `Bad range “${raw}” for ${field}; use [FROM TO TO] / Khoảng giá trị không hợp lệ`,
    );
  return {
    from: rangeBound(m[2]!, field),
    to: rangeBound(m[3]!, field),
    fromExclusive: m[1] === '{',
    toExclusive: m[4] === '}',
  };
}

/**
 * Reads the `field:value` terms of a Solr-style query: `-field:value`
 * excludes, `metadata_modified:[2026-01-01T00:00:00Z TO *]` is a range (what
 * ckanext-harvest sends for incremental harvests). Terms are AND-ed (CKAN's
 * default); a term on a field we do not index is an error, not ignored, so a
 * harvester learns its filter was not applied.
 */
export function parseFielded(text: string, into: Filters): string {
  const rest = text.replace(TERM, (_m, lead: string, sign: string, field: string, raw: string, quoted?: string) => {
    if (field in RANGE_FIELDS) {
      if (sign === '-')
        throw new CkanError(
          'Search Query Error',
          409,
          `Negated ranges are not supported / Không hỗ trợ loại trừ khoảng ngày`,
        );
      into[RANGE_FIELDS[field as keyof typeof RANGE_FIELDS]] = parseRange(raw, field);
      return lead;
    }
    if (!(field in FIELD_MAP)) {
      throw new CkanError(
        'Search Query Error',
        409,
        `Unknown field “${field}” / Trường “${field}” không được hỗ trợ. Fields: ${[...Object.keys(FIELD_MAP), ...Object.keys(RANGE_FIELDS)].join(', ')}`,
      );
    }
    const key = FIELD_MAP[field as CkanField];
    const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : raw;
    const target = sign === '-' ? (into.exclude ??= {}) : into;
    (target[key] ??= []).push(value);
    return lead;
  });
  return rest
    .replace(/\b(AND|OR)\b/g, ' ')
    .replace(/\*:\*/g, ' ')
    .trim();
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
  'id asc': 'id_asc',
  // CKAN's tracking sorts: page views in the last 14 days, and in total
  'views_recent desc': 'views_recent_desc',
  'views_total desc': 'views_desc',
};

export function parseSort(sort: string | undefined): SearchSort | undefined {
  if (!sort) return undefined;
  const key = sort.trim().toLowerCase().replace(/\s+/g, ' ');
  const found = SORTS[key];
  if (!found)
    throw new CkanError(
      'Search Query Error',
      409,
      `Unsupported sort “${sort}” / Không hỗ trợ cách sắp xếp này. Use one of: ${Object.keys(SORTS).join('; ')}`,
    );
  return found;
}
