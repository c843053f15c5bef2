import type { Kysely } from 'kysely';
import { queryWords } from '../platform/text.js';
import { requireAgencyRole, type Principal } from '../accounts/principal.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { invalid } from '../platform/errors.js';
import type { SearchSort } from './catalog.schema.js';
import { SearchRepository, type FacetField } from './search.repository.js';
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
  sort?: SearchSort;
  limit: number;
  offset: number;
  facetLimit: number;
  facets?: boolean;
}

export interface SearchResponse {
  total: number;
  results: DatasetView[];
  facets: Record<FacetField, { value: string; count: number; label?: string }[]>;
}

/**
 * Builds the tsquery from folded words with prefix matching, so `ha noi`,
 * `Hà Nội` and `HA NOI` match alike and a half-typed word still finds.
 * Words are letters and digits only: no query syntax reaches PostgreSQL.
 */
export function toTsQuery(q: string | undefined): string | null {
  const words = q ? queryWords(q) : [];
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

export class SearchService {
  private readonly repo: SearchRepository;
  constructor(db: Kysely<any>, private readonly masterData: MasterDataService, private readonly datasets: DatasetsService) {
    this.repo = new SearchRepository(db);
  }

  async search(p: Principal, r: SearchRequest): Promise<SearchResponse> {
    const agencies = await Promise.all((r.agency ?? []).map((k) => this.masterData.agency(k)));
    const status = r.status ?? 'published';
    if (status !== 'published') {
      if (agencies.length !== 1) {
        throw invalid([{ field: 'status', vi: 'Chỉ tìm dữ liệu chưa công bố trong một cơ quan.', en: 'Unpublished data sets can only be searched within one agency.' }]);
      }
      requireAgencyRole(p, agencies[0]!.id, 'viewer');
    }
    const tsquery = toTsQuery(r.q);
    const sort = r.sort ?? (tsquery ? 'relevance' : 'modified_desc');
    const result = await this.repo.search(
      { tsquery, status, agencyIds: agencies.map((a) => a.id), themes: r.theme, formats: r.format, licences: r.licence, keywords: r.keyword, provinces: r.province },
      sort, r.limit, r.offset, r.facetLimit, r.facets !== false,
    );
    const labelled = await this.label(result.facets);
    return { total: result.total, results: await this.datasets.views(result.rows), facets: labelled };
  }

  /** Adds human labels to facet values (agency names, theme and province names). */
  private async label(facets: Record<FacetField, { value: string; count: number }[]>): Promise<SearchResponse['facets']> {
    const agencies = await this.masterData.repo.agenciesByIds(facets.agency.map((a) => a.value));
    const agencyName = new Map(agencies.map((a) => [a.id, a.name_vi]));
    const themes = new Map((await this.masterData.themes()).map((t) => [t.id, t.label_vi]));
    const provinces = new Map((await this.masterData.repo.unitsByCodes(facets.province.map((p) => p.value))).map((u) => [u.code, u.full_name]));
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
