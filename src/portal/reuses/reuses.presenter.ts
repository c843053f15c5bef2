import type { Reuse } from './reuses.service.js';

/** A reuse as the API shows it: what anyone may read, the published data sets it uses; never the submitter's id. */
export function presentReuse(r: Reuse, baseUrl: string) {
  const x = r.row;
  return {
    id: x.id,
    kind: x.kind,
    title: x.title,
    description: x.description,
    url: x.url,
    image_url: x.image_url,
    submitted_by: x.submitter_name,
    status: x.status,
    ...(x.status === 'hidden' ? { hidden_reason: x.hidden_reason } : {}),
    created: x.created_at.toISOString(),
    modified: x.updated_at.toISOString(),
    page: `${baseUrl}/reuses/${x.id}`,
    datasets: r.datasets
      .filter((d) => d.published)
      .map((d) => ({
        id: d.id,
        slug: d.slug,
        title_vi: d.title_vi,
        title_en: d.title_en,
        publisher: { slug: d.agency.slug, name_vi: d.agency.name_vi, name_en: d.agency.name_en },
      })),
  };
}
