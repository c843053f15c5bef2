import type { DatasetView } from './dataset-view.js';
import type { DistributionRow } from './datasets.repository.js';
import type { DatabaseRegisterRow } from './databases.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentDistribution(x: DistributionRow, baseUrl: string) {
  return {
    id: x.id,
    title_vi: x.title_vi,
    title_en: x.title_en,
    description: x.description,
    kind: x.kind,
    download_url: x.kind === 'file' ? `${baseUrl}/api/v1/distributions/${x.id}/download` : x.url,
    file_name: x.file_name,
    format: x.format,
    media_type: x.media_type,
    byte_size: x.byte_size,
    sha256: x.sha256,
    table_schema: x.table_schema,
    created_at: iso(x.created_at),
    updated_at: iso(x.updated_at),
  };
}

export function presentDataset(v: DatasetView, baseUrl: string) {
  const d = v.dataset;
  return {
    id: d.id,
    slug: d.slug,
    url: `${baseUrl}/dataset/${d.slug}`,
    status: d.status,
    title_vi: d.title_vi,
    title_en: d.title_en,
    description_vi: d.description_vi,
    description_en: d.description_en,
    keywords: d.keywords,
    themes: d.themes,
    spatial: d.spatial,
    provinces: d.provinces,
    temporal: { start: d.temporal_start, end: d.temporal_end },
    licence: v.licence
      ? { id: v.licence.id, title_vi: v.licence.title_vi, title_en: v.licence.title_en, url: v.licence.url }
      : null,
    access_rights: d.access_rights,
    update_frequency: d.update_frequency,
    contact: { name: d.contact_name, email: d.contact_email },
    agency: {
      id: v.agency.id,
      slug: v.agency.slug,
      code: v.agency.code,
      name_vi: v.agency.name_vi,
      name_en: v.agency.name_en,
    },
    database_id: d.database_id,
    issued: iso(d.issued),
    modified: iso(d.modified),
    created_at: iso(d.created_at),
    distributions: v.distributions.map((x) => presentDistribution(x, baseUrl)),
  };
}

export const presentDatabase = (r: DatabaseRegisterRow) => ({
  id: r.id,
  agency_id: r.agency_id,
  name_vi: r.name_vi,
  name_en: r.name_en,
  purpose: r.purpose,
  scope: r.scope,
  content: r.content,
  collection_mechanism: r.collection_mechanism,
  update_mechanism: r.update_mechanism,
  data_sources: r.data_sources,
  legal_basis: r.legal_basis,
  category: r.category,
  access_class: r.access_class,
  importance: r.importance,
  status: r.status,
  version: r.version,
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
});
