import type { CatalogService } from '../catalog/catalog.service.js';
import { ANONYMOUS } from '../accounts/principal.js';

/** A published data set as the portal's sub-parts link to it: its names and its publisher. */
export interface DatasetRef {
  id: string;
  slug: string;
  title_vi: string;
  title_en: string | null;
  agency: { id: string; slug: string; name_vi: string; name_en: string | null };
  /** shown to everyone; a draft or archived one is linked no more and shown in no list */
  published: boolean;
}

/** How the sub-parts find data sets: only published ones, as anyone may see them. */
export interface DatasetLookup {
  /** published data sets by slug or id; an unknown or unpublished key is left out */
  published(keys: string[]): Promise<DatasetRef[]>;
  /** data sets by id in any status (each says whether it is published), for the services' own checks */
  byIds(ids: string[]): Promise<DatasetRef[]>;
  /** published data sets whose title or description matches `q` (the reuse form's search), at most `limit` */
  search(q: string, limit: number): Promise<DatasetRef[]>;
}

/** The lookup over the catalog's services (built once in `buildPortal`). */
export function datasetLookup(catalog: CatalogService): DatasetLookup {
  const refs = async (rows: Awaited<ReturnType<CatalogService['datasets']['byIds']>>) =>
    (await catalog.datasets.views(rows)).map(
      (v): DatasetRef => ({
        id: v.dataset.id,
        slug: v.dataset.slug,
        title_vi: v.dataset.title_vi,
        title_en: v.dataset.title_en,
        agency: { id: v.agency.id, slug: v.agency.slug, name_vi: v.agency.name_vi, name_en: v.agency.name_en },
        published: v.dataset.status === 'published',
      }),
    );
  return {
    async published(keys) {
      const found = [];
      for (const key of new Set(keys)) {
        const row = await catalog.datasets.findRecord(key);
        if (row?.status === 'published') found.push(row);
      }
      return refs(found);
    },
    async byIds(ids) {
      return ids.length ? refs(await catalog.datasets.byIds([...new Set(ids)])) : [];
    },
    async search(q, limit) {
      const r = await catalog.search.search(ANONYMOUS, { q, limit, offset: 0, facetLimit: 0 });
      return refs(r.results.map((v) => v.dataset));
    },
  };
}
