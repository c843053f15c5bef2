import type { DatasetView } from '../catalog/dataset-view.js';
import type { DistributionRow } from '../catalog/datasets.service.js';
import type { AgencyRow, LicenceRow, ThemeRow } from '../masterdata/masterdata.service.js';

const ts = (d: Date | null) => (d ? d.toISOString().replace('Z', '') : null);

export function ckanOrganization(a: AgencyRow, packageCount?: number) {
  return {
    id: a.id,
    name: a.slug,
    title: a.name_vi,
    display_name: a.name_vi,
    description: a.name_en ?? '',
    image_url: '',
    image_display_url: '',
    created: ts(a.created_at),
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
    type: 'organization',
    num_followers: 0,
    ...(packageCount !== undefined ? { package_count: packageCount } : {}),
    extras: [
      { key: 'identifier_code', value: a.code },
      { key: 'kind', value: a.kind },
    ],
  };
}

export function ckanGroup(t: ThemeRow, packageCount?: number) {
  return {
    id: t.id,
    name: t.id.toLowerCase(),
    title: t.label_vi,
    display_name: t.label_vi,
    description: t.label_en,
    image_url: '',
    image_display_url: '',
    is_organization: false,
    approval_status: 'approved',
    state: 'active',
    type: 'group',
    ...(packageCount !== undefined ? { package_count: packageCount } : {}),
  };
}

/** `datastoreActive`: the file has a table ready to read, so CKAN clients may ask `datastore_search` for it. */
export function ckanResource(x: DistributionRow, baseUrl: string, datastoreActive: boolean) {
  return {
    id: x.id,
    package_id: x.dataset_id,
    name: x.title_vi,
    description: x.description ?? '',
    format: x.format ?? '',
    mimetype: x.media_type,
    size: x.byte_size,
    hash: x.sha256 ? `sha256:${x.sha256}` : '',
    url: x.kind === 'file' ? `${baseUrl}/api/v1/distributions/${x.id}/download` : x.url,
    url_type: x.kind === 'file' ? 'upload' : null,
    created: ts(x.created_at),
    last_modified: ts(x.updated_at),
    metadata_modified: ts(x.updated_at),
    position: x.position,
    state: 'active',
    datastore_active: datastoreActive,
  };
}

export function ckanLicence(l: LicenceRow) {
  return {
    id: l.id,
    title: l.title_en,
    url: l.url,
    status: 'active',
    maintainer: '',
    family: '',
    od_conformance: l.is_open ? 'approved' : 'not reviewed',
    osd_conformance: 'not reviewed',
    domain_content: true,
    domain_data: true,
    domain_software: false,
    is_okd_compliant: l.is_open,
    is_osi_compliant: false,
    is_generic: false,
  };
}

/** `tables`: the ids of the files with a ready table, fetched for a whole page of packages at once. */
export function ckanPackage(v: DatasetView, themes: ThemeRow[], baseUrl: string, tables: Set<string>) {
  const d = v.dataset;
  const extras = [
    ['title_en', d.title_en],
    ['notes_en', d.description_en],
    ['spatial_units', d.spatial.join(',')],
    ['temporal_start', d.temporal_start],
    ['temporal_end', d.temporal_end],
    ['access_rights', d.access_rights],
    ['frequency', d.update_frequency],
    ['issued', d.issued?.toISOString() ?? null],
    ['dcat_uri', `${baseUrl}/dataset/${d.slug}`],
  ]
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => ({ key: key as string, value: String(value) }));
  return {
    id: d.id,
    name: d.slug,
    title: d.title_vi,
    notes: d.description_vi,
    type: 'dataset',
    state: d.status === 'published' ? 'active' : d.status === 'draft' ? 'draft' : 'deleted',
    private: d.access_rights !== 'public',
    author: v.agency.name_vi,
    author_email: null,
    maintainer: d.contact_name,
    maintainer_email: d.contact_email,
    license_id: d.licence_id ?? '',
    license_title: v.licence?.title_en ?? '',
    license_url: v.licence?.url ?? '',
    isopen: v.licence?.is_open ?? false,
    metadata_created: ts(d.created_at),
    metadata_modified: ts(d.modified),
    url: `${baseUrl}/dataset/${d.slug}`,
    version: null,
    owner_org: v.agency.id,
    organization: ckanOrganization(v.agency),
    tags: d.keywords.map((k) => ({ name: k, display_name: k, state: 'active', vocabulary_id: null })),
    groups: d.themes.flatMap((id) => {
      const t = themes.find((x) => x.id === id);
      return t
        ? [
            {
              id: t.id,
              name: t.id.toLowerCase(),
              title: t.label_vi,
              display_name: t.label_vi,
              description: t.label_en,
              image_display_url: '',
            },
          ]
        : [];
    }),
    resources: v.distributions.map((x) => ckanResource(x, baseUrl, tables.has(x.id))),
    num_resources: v.distributions.length,
    num_tags: d.keywords.length,
    extras,
    relationships_as_object: [],
    relationships_as_subject: [],
  };
}
