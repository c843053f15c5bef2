import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { SearchSort } from './catalog.schema.js';

export const FACET_FIELDS = ['agency', 'theme', 'format', 'licence', 'keyword', 'province'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];
const FACET_PREFIX: Record<string, FacetField> = {
  a: 'agency',
  t: 'theme',
  f: 'format',
  l: 'licence',
  k: 'keyword',
  p: 'province',
};

export interface SearchFilter {
  /** what must match: folded words, the last as a prefix, e.g. `ha & noi:*` */
  match: string | null;
  /** what ranks: the same words, exact and OR-ed, e.g. `ha | noi` (prefix ranking is slow and adds little) */
  rank: string | null;
  /**
   * Set when not every word has to match: one tsquery per word (the last a prefix). Matches need any word and are
   * ordered by how many words they match first.
   */
  anyOf?: string[];
  status: string;
  agencyIds?: string[];
  themes?: string[];
  formats?: string[];
  licences?: string[];
  keywords?: string[];
  provinces?: string[];
  exclude?: {
    agencyIds?: string[];
    themes?: string[];
    formats?: string[];
    licences?: string[];
    keywords?: string[];
    provinces?: string[];
  };
  modified?: DateRange;
  created?: DateRange;
}

export interface DateRange {
  from?: Date;
  to?: Date;
  fromExclusive?: boolean;
  toExclusive?: boolean;
}

export interface SearchPage {
  total: number;
  ids: string[];
  /** with `anyOf`: how many of the words each data set of the page matched, in page order */
  hits?: number[];
  /** when known (the index): the page's data sets whose tables' values are searchable; the others need no "why" */
  withValues?: string[];
  facets: Record<FacetField, { value: string; count: number }[]>;
}

const ORDER: Record<Exclude<SearchSort, 'relevance'>, RawBuilder<unknown>> = {
  modified_desc: sql`modified desc, id`,
  modified_asc: sql`modified asc, id`,
  title_asc: sql`title_vi asc, id`,
  title_desc: sql`title_vi desc, id`,
  issued_desc: sql`issued desc nulls last, id`,
  name_asc: sql`slug asc`,
  id_asc: sql`id asc`,
  // by use: the ranking given (`ranked`) first, then by date
  views_desc: sql`modified desc, id`,
  views_recent_desc: sql`modified desc, id`,
  downloads_desc: sql`modified desc, id`,
};

function range(column: 'modified' | 'created_at', r: DateRange | undefined): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  if (r?.from) out.push(r.fromExclusive ? sql`${sql.ref(column)} > ${r.from}` : sql`${sql.ref(column)} >= ${r.from}`);
  if (r?.to) out.push(r.toExclusive ? sql`${sql.ref(column)} < ${r.to}` : sql`${sql.ref(column)} <= ${r.to}`);
  return out;
}

/**
 * The one place where catalog search becomes SQL; every value is a bound
 * parameter. One statement finds the matches once and returns the page of ids,
 * the total and every facet's counts (from the trigger-kept facet_ids).
 */
export class SearchRepository {
  constructor(private readonly db: Kysely<any>) {}

  private where(f: SearchFilter): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [sql`status = ${f.status}`];
    // The metadata's words and the data's values, through the one expression index (migration 0033).
    if (f.anyOf?.length)
      parts.push(sql`(search_vector || data_vector) @@ to_tsquery('simple', ${f.anyOf.join(' | ')})`);
    else if (f.match) parts.push(sql`(search_vector || data_vector) @@ to_tsquery('simple', ${f.match})`);
    if (f.agencyIds?.length) parts.push(sql`agency_id = any(${f.agencyIds}::uuid[])`);
    // Within one facet values are OR-ed, across facets AND-ed, as on CKAN.
    if (f.themes?.length) parts.push(sql`themes && ${f.themes}::text[]`);
    if (f.formats?.length) parts.push(sql`formats && ${f.formats.map((x) => x.toUpperCase())}::text[]`);
    if (f.licences?.length) parts.push(sql`licence_id = any(${f.licences}::text[])`);
    if (f.keywords?.length) parts.push(sql`keywords && ${f.keywords}::text[]`);
    if (f.provinces?.length) parts.push(sql`provinces && ${f.provinces}::text[]`);
    const x = f.exclude ?? {};
    if (x.agencyIds?.length) parts.push(sql`not (agency_id = any(${x.agencyIds}::uuid[]))`);
    if (x.themes?.length) parts.push(sql`not (themes && ${x.themes}::text[])`);
    if (x.formats?.length) parts.push(sql`not (formats && ${x.formats.map((v) => v.toUpperCase())}::text[])`);
    if (x.licences?.length) parts.push(sql`licence_id is distinct from all(${x.licences}::text[])`);
    if (x.keywords?.length) parts.push(sql`not (keywords && ${x.keywords}::text[])`);
    if (x.provinces?.length) parts.push(sql`not (provinces && ${x.provinces}::text[])`);
    parts.push(...range('modified', f.modified), ...range('created_at', f.created));
    return sql.join(parts, sql` and `);
  }

  async search(
    f: SearchFilter,
    sort: SearchSort,
    limit: number,
    offset: number,
    facetLimit: number,
    withFacets: boolean,
    /** the data set ids of a sort by use, most used first */
    ranked?: string[],
  ): Promise<SearchPage> {
    const relevance = sort === 'relevance' && f.rank;
    const rank = relevance ? sql`ts_rank(rank_vector, to_tsquery('simple', ${f.rank}))` : sql`0::real`;
    const byWords = !!f.anyOf?.length;
    const byUse = ranked?.length
      ? sql`array_position(${ranked}::uuid[], id) nulls last, modified desc, id`
      : ORDER[sort === 'relevance' ? 'modified_desc' : sort];
    const sorted = relevance ? sql`r desc, modified desc, id` : byUse;
    const order = byWords ? sql`hits desc, ${sorted}` : sorted;
    // with anyOf, how many words a data set matches: counted on the matches only, never on the whole catalog
    const hits = byWords
      ? sql.join(
          f.anyOf!.map((w) => sql`((search_vector || data_vector) @@ to_tsquery('simple', ${w}))::int`),
          sql` + `,
        )
      : sql`0`;
    const facets = withFacets
      ? sql`union all select 'f', key, n, 0 from (
              select v.key, c.n, row_number() over (partition by left(v.key, 1) order by c.n desc, v.key) as rk
              from (select k, count(*)::int as n from m, unnest(facet_ids) k group by k) c
              join facet_values v on v.id = c.k
            ) ranked where rk <= ${facetLimit}`
      : sql``;
    const r = await sql<{ kind: 'r' | 'c' | 'f'; v: string | null; n: number; h: number }>`
      with m as materialized (
        select id, modified, title_vi, slug, issued, created_at, facet_ids, ${rank} as r, ${hits} as hits
        from datasets where ${this.where(f)}
      )
      select kind, v, n, h from (
        select 'r' as kind, id::text as v, (row_number() over (order by ${order}))::int as n, hits as h
        from m order by ${order} limit ${limit} offset ${offset}
      ) page
      union all select 'c', null, count(*)::int, 0 from m
      ${facets}`.execute(this.db);
    const out: SearchPage = {
      total: 0,
      ids: [],
      facets: Object.fromEntries(FACET_FIELDS.map((k) => [k, []])) as unknown as SearchPage['facets'],
    };
    const page: { id: string; pos: number; hits: number }[] = [];
    for (const row of r.rows) {
      if (row.kind === 'r') page.push({ id: row.v!, pos: row.n, hits: Number(row.h) });
      else if (row.kind === 'c') out.total = row.n;
      else {
        const field = FACET_PREFIX[row.v!.slice(0, 1)];
        if (field) out.facets[field].push({ value: row.v!.slice(2), count: row.n });
      }
    }
    page.sort((a, b) => a.pos - b.pos);
    out.ids = page.map((p) => p.id);
    if (byWords) out.hits = page.map((p) => p.hits);
    for (const k of FACET_FIELDS) out.facets[k].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    return out;
  }

  /**
   * For a page of results, which words (one tsquery each) each data set's metadata matches, and the columns of its
   * data whose values match any of `dataWords` (the words to look for in the data).
   */
  async whyMatched(
    ids: string[],
    words: string[],
  ): Promise<{
    metadata: Map<string, boolean[]>;
    columns: { dataset_id: string; column_id: string; column_title: string; vals: string[] }[];
  }> {
    const metadata = new Map<string, boolean[]>();
    if (!ids.length || !words.length) return { metadata, columns: [] };
    // one statement: which words the metadata holds, and the columns whose values hold any
    const flags = sql.join(words.map((w) => sql`d.search_vector @@ to_tsquery('simple', ${w})`));
    const r = await sql<{
      id: string;
      f: boolean[];
      column_id: string | null;
      column_title: string;
      vals: string[];
    }>`select d.id::text as id, array[${flags}] as f, v.column_id, v.column_title, v.vals
      from datasets d left join dataset_values v
        on v.dataset_id = d.id and v.words @@ to_tsquery('simple', ${words.join(' | ')})
      where d.id = any(${ids}::uuid[]) order by d.id, v.column_id`.execute(this.db);
    const columns: { dataset_id: string; column_id: string; column_title: string; vals: string[] }[] = [];
    for (const row of r.rows) {
      metadata.set(row.id, row.f);
      if (row.column_id)
        columns.push({ dataset_id: row.id, column_id: row.column_id, column_title: row.column_title, vals: row.vals });
    }
    return { metadata, columns };
  }
}
