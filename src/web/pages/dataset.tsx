import type { VNode } from 'preact';
import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';
import { formatBytes, formatDate } from '../format.js';
import type { presentDataset } from '../../catalog/catalog.presenter.js';
import type { TablePreview } from '../table-preview.js';
import { DatasetPreview } from './dataset-preview.js';

export type DatasetDetail = ReturnType<typeof presentDataset>;

export interface DatasetPageData {
  d: DatasetDetail;
  themes: { id: string; label: string }[];
  units: { code: string; name: string }[];
  /** distributions with a table ready to view */
  tables: Set<string>;
  canEdit: boolean;
  /** the first rows of the first table, and its map where one fits */
  preview?: TablePreview | null;
  /** what other parts add to the page (`web/dataset-sections.ts`) */
  sections?: { main?: VNode; aside?: VNode }[];
}

/** Table Schema types with a name in the page's language (the table page's words for the same types). */
const SCHEMA_TYPES = new Map([
  ['string', 'text'],
  ['integer', 'integer'],
  ['number', 'number'],
  ['boolean', 'boolean'],
  ['date', 'date'],
  ['datetime', 'datetime'],
  ['year', 'year'],
  ['geojson', 'geometry'],
]);

interface SchemaField {
  name: string;
  type: string;
  title?: string;
  description?: string;
}

/** schema.org Dataset, as search engines read it for data set search. */
function schemaOrg(d: DatasetDetail, units: { name: string }[]) {
  return {
    '@context': 'https://schema.org',
    '@type': 'Dataset',
    name: d.title_vi,
    alternateName: d.title_en ?? undefined,
    description: d.description_vi,
    url: d.url,
    identifier: d.id,
    keywords: d.keywords,
    inLanguage: 'vi',
    isAccessibleForFree: d.access_rights === 'public',
    license: d.licence?.url,
    creator: { '@type': 'GovernmentOrganization', name: d.agency.name_vi, identifier: d.agency.code },
    publisher: { '@type': 'GovernmentOrganization', name: d.agency.name_vi },
    datePublished: d.issued ?? undefined,
    dateModified: d.modified ?? undefined,
    temporalCoverage: d.temporal.start ? `${d.temporal.start}/${d.temporal.end ?? '..'}` : undefined,
    spatialCoverage: units.length ? units.map((u) => ({ '@type': 'Place', name: u.name })) : undefined,
    distribution: d.distributions.map((x) => ({
      '@type': 'DataDownload',
      name: x.title_vi,
      encodingFormat: x.media_type ?? x.format ?? undefined,
      contentUrl: x.download_url,
    })),
  };
}

/** JSON inside a script element: `<` is escaped so no `</script>` can close it early. */
const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

export function DatasetPage({ ctx, data }: { ctx: PageContext; data: DatasetPageData }) {
  const { t, lang, baseUrl } = ctx;
  const { d } = data;
  const title = lang === 'en' && d.title_en ? d.title_en : d.title_vi;
  const description = lang === 'en' && d.description_en ? d.description_en : d.description_vi;
  const agency = lang === 'en' && d.agency.name_en ? d.agency.name_en : d.agency.name_vi;
  const apiUrl = `${baseUrl}/api/v1/datasets/${d.slug}`;
  const schemas = d.distributions.filter((x) => x.table_schema) as (DatasetDetail['distributions'][number] & {
    table_schema: { fields: SchemaField[] };
  })[];
  return (
    <Layout
      ctx={ctx}
      title={title}
      description={description.slice(0, 200)}
      head={
        <>
          <link rel="canonical" href={d.url} />
          <link rel="alternate" type="text/turtle" href={`/dataset/${d.slug}.ttl`} />
          <link rel="alternate" type="application/ld+json" href={`/dataset/${d.slug}.jsonld`} />
          <link rel="alternate" type="application/atom+xml" href={`/dataset/${d.slug}/feed.atom`} title={title} />
          <script
            type="application/ld+json"
            dangerouslySetInnerHTML={{ __html: jsonForScript(schemaOrg(d, data.units)) }}
          />
        </>
      }
    >
      <p class="breadcrumbs">
        <a href="/datasets">{t('nav.datasets')}</a> › <a href={`/agency/${d.agency.slug}`}>{agency}</a>
      </p>
      <h1>{title}</h1>
      {d.status !== 'published' && <p class="status-tag">{t(`dataset.status.${d.status}`)}</p>}
      <div class="columns">
        <div>
          <p class="description">{description}</p>
          <h2>{t('dataset.files')}</h2>
          <ul class="file-list">
            {d.distributions.map((x) => (
              <li>
                <strong>{x.title_vi}</strong> {x.format && <span class="format-tag">{x.format}</span>}{' '}
                {x.byte_size !== null && <span class="meta">{formatBytes(x.byte_size, lang)}</span>}{' '}
                <a href={x.download_url ?? '#'} class="button-link">
                  {x.kind === 'file' ? t('dataset.download') : t('dataset.open')}
                  <span class="visually-hidden">: {x.title_vi}</span>
                </a>
                {data.tables.has(x.id) && (
                  <>
                    {' '}
                    <a href={`/dataset/${d.slug}/table/${x.id}`} class="button-link">
                      {t('dataset.table')}
                      <span class="visually-hidden">: {x.title_vi}</span>
                    </a>
                  </>
                )}
              </li>
            ))}
          </ul>
          {data.preview && <DatasetPreview ctx={ctx} slug={d.slug} preview={data.preview} />}
          {schemas.map((x) => (
            <section>
              <h2>
                {t('dataset.schema')}: {x.title_vi}
              </h2>
              <div class="table-scroll">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('dataset.schema.field')}</th>
                      <th scope="col">{t('dataset.schema.type')}</th>
                      <th scope="col">{t('dataset.schema.description')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {x.table_schema.fields.map((f) => (
                      <tr>
                        <td>
                          <code>{f.name}</code>
                        </td>
                        <td>{SCHEMA_TYPES.has(f.type) ? t(`table.type.${SCHEMA_TYPES.get(f.type)}`) : f.type}</td>
                        <td>
                          {f.title ?? ''}
                          {f.description ? ` — ${f.description}` : ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
          <h2>{t('dataset.api')}</h2>
          <details open>
            <summary>curl</summary>
            <pre tabindex={0}>
              <code>{`curl '${baseUrl}/api/3/action/package_show?id=${d.slug}'`}</code>
            </pre>
          </details>
          <details>
            <summary>Python</summary>
            <pre tabindex={0}>
              <code>{`import requests\n\nr = requests.get('${apiUrl}')\ndataset = r.json()['dataset']\nfor f in dataset['distributions']:\n    print(f['title_vi'], f['download_url'])`}</code>
            </pre>
          </details>
          <details>
            <summary>JavaScript</summary>
            <pre tabindex={0}>
              <code>{`const res = await fetch('${apiUrl}');\nconst { dataset } = await res.json();\nconsole.log(dataset.distributions.map((f) => f.download_url));`}</code>
            </pre>
          </details>
          <p>
            {t('dataset.metadata')}: <a href={`/dataset/${d.slug}.ttl`}>Turtle</a> ·{' '}
            <a href={`/dataset/${d.slug}.jsonld`}>JSON-LD</a>
          </p>
          <p>
            <a href={`/dataset/${d.slug}/quality`}>{t('quality.card')}</a>
          </p>
          {data.sections?.map((x) => x.main)}
        </div>
        <aside>
          <dl class="metadata">
            <dt>{t('dataset.publisher')}</dt>
            <dd>
              <a href={`/agency/${d.agency.slug}`}>{agency}</a>
            </dd>
            <dt>{t('dataset.licence')}</dt>
            <dd>
              {d.licence ? (
                <a href={d.licence.url} rel="license">
                  {lang === 'en' ? d.licence.title_en : d.licence.title_vi}
                </a>
              ) : (
                t('dataset.noLicence')
              )}
            </dd>
            <dt>{t('dataset.access')}</dt>
            <dd>{t(`access.${d.access_rights}`)}</dd>
            {d.issued && (
              <>
                <dt>{t('dataset.issued')}</dt>
                <dd>
                  <time datetime={d.issued}>{formatDate(d.issued, lang)}</time>
                </dd>
              </>
            )}
            <dt>{t('dataset.modified')}</dt>
            <dd>
              <time datetime={d.modified ?? ''}>{formatDate(d.modified, lang)}</time>
            </dd>
            <dt>{t('dataset.frequency')}</dt>
            <dd>{t(`freq.${d.update_frequency}`)}</dd>
            {d.temporal.start && (
              <>
                <dt>{t('dataset.temporal')}</dt>
                <dd>
                  {formatDate(d.temporal.start, lang)} – {formatDate(d.temporal.end, lang)}
                </dd>
              </>
            )}
            {data.units.length > 0 && (
              <>
                <dt>{t('dataset.spatial')}</dt>
                <dd>{data.units.map((u) => u.name).join(', ')}</dd>
              </>
            )}
            {data.themes.length > 0 && (
              <>
                <dt>{t('dataset.themes')}</dt>
                <dd>
                  {data.themes.map((th, i) => (
                    <>
                      {i ? ', ' : ''}
                      <a href={`/datasets?theme=${encodeURIComponent(th.id)}`}>{th.label}</a>
                    </>
                  ))}
                </dd>
              </>
            )}
            {d.keywords.length > 0 && (
              <>
                <dt>{t('dataset.keywords')}</dt>
                <dd>
                  {d.keywords.map((k, i) => (
                    <>
                      {i ? ', ' : ''}
                      <a href={`/datasets?keyword=${encodeURIComponent(k)}`}>{k}</a>
                    </>
                  ))}
                </dd>
              </>
            )}
            {d.contact.email && (
              <>
                <dt>{t('dataset.contact')}</dt>
                <dd>
                  <a href={`mailto:${d.contact.email}`}>{d.contact.name ?? d.contact.email}</a>
                </dd>
              </>
            )}
          </dl>
          {data.sections?.map((x) => x.aside)}
        </aside>
      </div>
    </Layout>
  );
}
