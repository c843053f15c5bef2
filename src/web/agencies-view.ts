import type { CatalogService } from '../catalog/catalog.service.js';
import type { AgencyRow, MasterDataService } from '../masterdata/masterdata.service.js';
import { notFound } from '../platform/errors.js';
import type { AgenciesView } from './pages/agencies.js';
import type { AgencyEntry } from './pages/agency-list.js';

const PAGE = 50;
const KINDS = ['ministry', 'ministerial_agency', 'government_agency', 'other', 'province', 'commune'];
const PROVINCE = { vi: 'tỉnh, thành phố', en: 'Province' };

export interface AgenciesQuery {
  q: string;
  kind: string;
  province: string;
  page: number;
}

export function agenciesQuery(qs: Record<string, unknown>, pageNumber: number): AgenciesQuery {
  const kind = String(qs.kind ?? '');
  return {
    q: String(qs.q ?? '')
      .trim()
      .slice(0, 200),
    kind: KINDS.includes(kind) ? kind : '',
    province: String(qs.province ?? '').slice(0, 120),
    page: pageNumber,
  };
}

/**
 * `/agencies`: with nothing asked, the hierarchy (central agencies, then provinces with a link to their communes);
 * a name or a kind asked, the matching agencies (folded: "tai chinh" finds Bộ Tài chính); a province asked, its
 * communes. Counts are published data sets; a province's include its communes'.
 */
export async function agenciesView(
  md: MasterDataService,
  catalog: CatalogService,
  query: AgenciesQuery,
): Promise<AgenciesView> {
  if (!query.province && !query.q && !query.kind) {
    const [tree, rolled] = await Promise.all([md.agencyHierarchy(), rolledCounts(md, catalog)]);
    const entry = (a: AgencyRow & { children?: AgencyRow[]; communes?: number }): AgencyEntry => ({
      ...a,
      datasets: rolled.get(a.id) ?? 0,
      children: a.children?.map(entry),
    });
    return {
      mode: 'tree',
      central: tree.central.map(entry),
      other: tree.other.map(entry),
      provinces: tree.provinces.map(entry),
    };
  }
  let province: AgencyRow | null = null;
  if (query.province) {
    province = await md.agency(query.province);
    if (province.kind !== 'province') throw notFound(PROVINCE, query.province);
  }
  const offset = (query.page - 1) * PAGE;
  const { rows, total } = await md.listAgencies({
    q: query.q || undefined,
    kind: province ? 'commune' : query.kind || undefined,
    parentId: province?.id,
    limit: PAGE,
    offset,
  });
  const [counts, parents] = await Promise.all([
    rolledCounts(md, catalog),
    md.agenciesByIds([...new Set(rows.flatMap((a) => (a.parent_id ? [a.parent_id] : [])))]),
  ]);
  return {
    mode: 'list',
    rows: rows.map((a) => ({
      ...a,
      datasets: counts.get(a.id) ?? 0,
      parent: parents.find((p) => p.id === a.parent_id) ?? null,
    })),
    total,
    limit: PAGE,
    offset,
    province,
  };
}

/** Published data sets per agency, a province's including its communes' (one grouped query; agencies are cached). */
async function rolledCounts(md: MasterDataService, catalog: CatalogService): Promise<Map<string, number>> {
  const counts = await catalog.datasets.publishedCounts('all');
  const rolled = new Map(counts);
  for (const a of await md.agenciesByIds([...counts.keys()]))
    if (a.kind === 'commune' && a.parent_id)
      rolled.set(a.parent_id, (rolled.get(a.parent_id) ?? 0) + counts.get(a.id)!);
  return rolled;
}
