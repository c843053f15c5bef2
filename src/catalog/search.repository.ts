import { sql, type Kysely, type RawBuilder } from 'kysely';
import { DATASET_COLUMNS, type DatasetRow } from './datasets.repository.js';
import type { SearchSort } from './catalog.schema.js';

export const FACET_FIELDS = ['agency', 'theme', 'format', 'licence', 'keyword', 'province'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

export interface SearchFilter {
  /** prefix tsquery text built from folded words, e.g. `ha:* & noi:*` */
  tsquery: string | null;
  status: string;
  agencyIds?: string[];
  themes?: string[];
  formats?: string[];
  licences?: string[];
  keywords?: string[];
  provinces?: string[];
}

export interface SearchResult {
  total: number;
  rows: DatasetRow[];
  facets: Record<FacetField, { value: string; count: number }[]>;
}

const ORDER: Record<Exclude<SearchSort, 'relevance'>, RawBuilder<unknown>> = {
  modified_desc: sql`modified desc, id`,
  modified_asc: sql`modified asc, id`,
  title_asc: sql`title_vi asc, id`,
  title_desc: sql`title_vi desc, id`,
  issued_desc: sql`issued desc nulls last, id`,
  name_asc: sql`slug asc`,
};

/** The one place where catalog search is turned into SQL; every value is a bound parameter. */
export class SearchRepository {
  constructor(private readonly db: Kysely<any>) {}

  private where(f: SearchFilter): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [sql`status = ${f.status}`];
    if (f.tsquery) parts.push(sql`search_vector @@ to_tsquery('simple', ${f.tsquery})`);
    if (f.agencyIds?.length) parts.push(sql`agency_id = any(${f.agencyIds}::uuid[])`);
    // Within one facet values are OR-ed, across facets AND-ed, as on CKAN.
    if (f.themes?.length) parts.push(sql`themes && ${f.themes}::text[]`);
    if (f.formats?.length) parts.push(sql`formats && ${f.formats.map((x) => x.toUpperCase())}::text[]`);
    if (f.licences?.length) parts.push(sql`licence_id = any(${f.licences}::text[])`);
    if (f.keywords?.length) parts.push(sql`keywords && ${f.keywords}::text[]`);
    if (f.provinces?.length) parts.push(sql`provinces && ${f.provinces}::text[]`);
    return sql.join(parts, sql` and `);
  }

  async search(f: SearchFilter, sort: SearchSort, limit: number, offset: number, facetLimit: number, withFacets: boolean): Promise<SearchResult> {
    const where = this.where(f);
    const order = sort === 'relevance'
      ? f.tsquery ? sql`ts_rank_cd(search_vector, to_tsquery('simple', ${f.tsquery})) desc, modified desc, id` : ORDER.modified_desc
      : ORDER[sort];
    const cols = sql.join(DATASET_COLUMNS.map((c) => sql.ref(c)));
    const rowsQuery = limit > 0
      ? sql<DatasetRow>`select ${cols} from datasets where ${where} order by ${order} limit ${limit} offset ${offset}`.execute(this.db)
      : Promise.resolve({ rows: [] as DatasetRow[] });
    const totalQuery = sql<{ n: number }>`select count(*)::int as n from datasets where ${where}`.execute(this.db);
    const facetQuery = withFacets
      ? sql<{ f: FacetField; v: string; n: number }>`
        with m as (select agency_id, themes, formats, licence_id, keywords, provinces from datasets where ${where}),
        c as (
          select 'agency' as f, agency_id::text as v, count(*)::int as n from m group by 2
          union all select 'theme', t, count(*)::int from m, unnest(themes) t group by 2
          union all select 'format', t, count(*)::int from m, unnest(formats) t group by 2
          union all select 'licence', licence_id, count(*)::int from m where licence_id is not null group by 2
          union all select 'keyword', t, count(*)::int from m, unnest(keywords) t group by 2
          union all select 'province', t, count(*)::int from m, unnest(provinces) t group by 2
        )
        select f, v, n from (select f, v, n, row_number() over (partition by f order by n desc, v) as rk from c) ranked
        where rk <= ${facetLimit} order by f, n desc, v`.execute(this.db)
      : Promise.resolve({ rows: [] as { f: FacetField; v: string; n: number }[] });
    const [rows, total, facetRows] = await Promise.all([rowsQuery, totalQuery, facetQuery]);
    const facets = Object.fromEntries(FACET_FIELDS.map((k) => [k, [] as { value: string; count: number }[]])) as SearchResult['facets'];
    for (const r of facetRows.rows) facets[r.f].push({ value: r.v, count: r.n });
    return { total: total.rows[0]!.n, rows: rows.rows, facets };
  }
}
