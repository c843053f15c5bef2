import type { DatasetView } from '../catalog/dataset-view.js';
import type { DatasetSummary } from './components.js';

export const summarise = (v: DatasetView): DatasetSummary => ({
  slug: v.dataset.slug,
  title_vi: v.dataset.title_vi,
  title_en: v.dataset.title_en,
  description_vi: v.dataset.description_vi,
  description_en: v.dataset.description_en,
  agency: { name_vi: v.agency.name_vi, name_en: v.agency.name_en, slug: v.agency.slug },
  modified: v.dataset.modified.toISOString(),
  formats: v.dataset.formats,
});
