import type { Kysely } from 'kysely';
import { queryWords } from '../platform/text.js';
import { requireAgencyRole, type Principal } from '../accounts/principal.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { invalid } from '../platform/errors.js';
import type { SearchSort } from './catalog.schema.js';
import { SearchRepository, type DateRange, type FacetField, type SearchPage } from './search.repository.js';
import type { SearchCache } from './search-cache.js';
import { explainMatch, type SearchMatch } from './search-why.js';
import { SearchIndex } from './search-index.js';
import type { SearchIndexKeeper } from './search-index-keeper.js';
import type { DatasetsService } from './datasets.service.js';
import type { DatasetView } from './dataset-view.js';

export interface SearchRequest {
  q?: string;
  agency?: string[];
  theme?: string[];
  format?: string[];
  licence?: string[];
  keyword?: string[];
  province?: string[];
  status?: 'draft' | 'published' | 'archived';
  /** values to leave out, per facet (CKAN's `-field:value`) */
  exclude?: {
    agency?: string[];
    theme?: string[];
    format?: string[];
    licence?: string[];
    keyword?: string[];
    province?: string[];
  };
  modified?: DateRange;
  created?: DateRange;
  sort?: SearchSort;
  limit: number;
  offset: number;
  facetLimit: number;
  facets?: boolean;
}

/** Data set ids, most used first (at most a bound; the others follow by date): the sorts by use. */
export type UsageRanking = (by: 'views' | 'views_recent' | 'downloads') => Promise<string[]>;
const RANKED_BY: Partial<Record<SearchSort, Parameters<UsageRanking>[0]>> = {
  views_desc: 'views',
  views_recent_desc: 'views_recent',
  downloads_desc: 'downloads',
};

export interface SearchResponse {
  total: number;
  results: DatasetView[];
  /** set when a query was given: why each result matched, by data set id */
  matches: Record<string, SearchMatch>;
  /** true when no data set matched every word, and the results match some of them (most first) */
  partial: boolean;
  facets: Record<FacetField, { value: string; count: number; label?: string }[]>;
}

/**
 * Builds the tsqueries from folded words, so `ha noi`, `Hà Nội` and `HA NOI`
 * match alike. All words must match; the last may be half-typed (a prefix).
 * Ranking uses the exact words OR-ed. Words are letters and digits only: no
 * query syntax reaches PostgreSQL.
 */
export function toTsQuery(q: string | undefined): { match: string | null; rank: string | null; each: string[] } {
  const words = q ? queryWords(q) : [];
  if (!words.length) return { match: null, rank: null, each: [] };
  const each = words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w));
  return { match: each.join(' & '), rank: words.join(' | '), each };
}

export class SearchService {
  private readonly repo: SearchRepository;
  /** searches answered by the in-memory index and by PostgreSQL (the benchmark prints them) */
  readonly answered = { index: 0, database: 0 };
  constructor(
    db: Kysely<any>,
    private readonly masterData: MasterDataService,
    private readonly datasets: DatasetsService,
    readonly cache: SearchCache<SearchPage>,
    private readonly keeper?: SearchIndexKeeper,
    private readonly usageRanking?: UsageRanking,
  ) {
    this.repo = new SearchRepository(db);
  }

  async search(p: Principal, r: SearchRequest): Promise<SearchResponse> {
    const agencies = await Promise.all((r.agency ?? []).map((k) => this.masterData.agency(k)));
    const status = r.status ?? 'published';
    if (status !== 'published') {
      if (agencies.length !== 1) {
        throw invalid([
          {
            field: 'status',
            vi: 'Chỉ tìm dữ liệu chưa công bố trong một cơ quan.',
            en: 'Unpublished data sets can only be searched within one agency.',
          },
        ]);
      }
      requireAgencyRole(p, agencies[0]!.id, 'viewer');
    }
    const { match, rank, each } = toTsQuery(r.q);
    const sort = r.sort ?? (match ? 'relevance' : 'modified_desc');
    const x = r.exclude ?? {};
    const excludedAgencies = await Promise.all((x.agency ?? []).map((k) => this.masterData.agency(k)));
    const filter = {
      match,
      rank,
      status,
      agencyIds: agencies.map((a) => a.id),
      themes: r.theme,
      formats: r.format,
      licences: r.licence,
      keywords: r.keyword,
      provinces: r.province,
      exclude: {
        agencyIds: excludedAgencies.map((a) => a.id),
        themes: x.theme,
        formats: x.format,
        licences: x.licence,
        keywords: x.keyword,
        provinces: x.province,
      },
      modified: r.modified,
      created: r.created,
    };
    const withFacets = r.facets !== false;
    // Only public searches are shared through the cache; an agency's drafts are always read fresh.
    // Every word must match; when none does so and there are several words, the data sets matching the most of them
    // come first rather than nothing (most words, then rank). The common case stays one statement.
    const by = RANKED_BY[sort];
    const run = async () => {
      const ranked = by ? ((await this.usageRanking?.(by)) ?? []) : undefined;
      // Published data sets are searched in this process's index when it is current (and the sort is one it keeps)
      if (status === 'published' && this.keeper && SearchIndex.answers(sort) && (await this.keeper.fresh())) {
        const index = this.keeper.index;
        this.answered.index++;
        const plain = each.map((w) => w.replace(/:\*$/, '')); // the index takes the last word as a prefix itself
        const words = { each: plain, exact: plain };
        const all = index.search(filter, words, sort, r.limit, r.offset, r.facetLimit, withFacets, false, ranked);
        if (all.total > 0 || each.length < 2) return all;
        return index.search(filter, words, sort, r.limit, r.offset, r.facetLimit, withFacets, true, ranked);
      }
      this.answered.database++;
      const all = await this.repo.search(filter, sort, r.limit, r.offset, r.facetLimit, withFacets, ranked);
      if (all.total > 0 || each.length < 2) return all;
      return this.repo.search({ ...filter, anyOf: each }, sort, r.limit, r.offset, r.facetLimit, withFacets, ranked);
    };
    const result =
      status === 'published'
        ? await this.cache.get(JSON.stringify([filter, sort, r.limit, r.offset, r.facetLimit, withFacets]), run)
        : await run();
    const rows = await this.datasets.byIds(result.ids);
    const byId = new Map(rows.map((d) => [d.id, d]));
    const ordered = result.ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    return {
      total: result.total,
      results: await this.datasets.views(ordered),
      facets: await this.label(result.facets),
      matches: await this.explain(result, each),
      partial: !!result.hits,
    };
  }

  /** Why each data set of a page matched: the words it holds, and the columns of its data that hold the others. */
  private async explain(page: SearchPage, each: string[]): Promise<Record<string, SearchMatch>> {
    if (!each.length || !page.ids.length) return {};
    const words = each.map((w) => w.replace(/:\*$/, ''));
    // a data set with no searchable values matched by its metadata alone: every word, or its count of them
    const ask = page.withValues ?? page.ids;
    const why = ask.length ? await this.repo.whyMatched(ask, each) : { metadata: new Map(), columns: [] };
    return Object.fromEntries(
      page.ids.map((id, i) => [
        id,
        explainMatch(
          words,
          why.metadata.get(id) ?? words.map(() => true),
          why.columns.filter((c) => c.dataset_id === id),
          page.hits?.[i],
        ),
      ]),
    );
  }

  /** Adds human labels to facet values (agency names, theme and province names). */
  private async label(
    facets: Record<FacetField, { value: string; count: number }[]>,
  ): Promise<SearchResponse['facets']> {
    const agencies = await this.masterData.agenciesByIds(facets.agency.map((a) => a.value));
    const agencyName = new Map(agencies.map((a) => [a.id, a.name_vi]));
    const themes = new Map((await this.masterData.themes()).map((t) => [t.id, t.label_vi]));
    const provinces = new Map(
      (await this.masterData.unitsByCodes(facets.province.map((p) => p.value))).map((u) => [u.code, u.full_name]),
    );
    const licences = new Map((await this.masterData.licences()).map((l) => [l.id, l.title_vi]));
    return {
      ...facets,
      agency: facets.agency.map((x) => ({ ...x, label: agencyName.get(x.value) })),
      theme: facets.theme.map((x) => ({ ...x, label: themes.get(x.value) })),
      province: facets.province.map((x) => ({ ...x, label: provinces.get(x.value) })),
      licence: facets.licence.map((x) => ({ ...x, label: licences.get(x.value) })),
    };
  }
}
