import { Type } from '@sinclair/typebox';
import type { Server } from '../../platform/http.js';
import type { CatalogService } from '../../catalog/catalog.service.js';
import type { HistoryEntry, TableVersion } from '../../catalog/history.service.js';
import type { DatasetSection } from '../../web/dataset-sections.js';
import { page } from '../../web/layout.js';
import { sendHtml } from '../../web/session.js';
import { pageContext } from '../../web/web.context.js';
import { formatDate } from '../../web/format.js';
import { HistoryPage } from './history.js';

const Slug = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) });
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, description: 'the data set’s id or slug' }) });

export interface HistoryDeps {
  catalog: CatalogService;
  /** a file's table versions (the datastore's `versionsOf`), passed by `app.ts` */
  tableVersions(distributionId: string): Promise<TableVersion[]>;
  baseUrl: string;
}

const present = (e: HistoryEntry) => ({ ...e, at: e.at.toISOString() });

/** The history page and its JSON (`GET /api/v1/datasets/{id}/history`), to whoever may see the data set. */
export function historyRoutes(app: Server, d: HistoryDeps): void {
  const entries = async (p: Parameters<CatalogService['datasets']['get']>[0], key: string) => {
    const view = await d.catalog.datasets.get(p, key);
    return { view, entries: await d.catalog.history.of(view, d.tableVersions) };
  };
  app.get(
    '/api/v1/datasets/:id/history',
    {
      schema: {
        tags: ['datasets'],
        summary: 'A data set’s public change history: versions, files, metadata changes, publication (newest first)',
        params: Id,
      },
    },
    async (req) => ({ history: (await entries(req.principal, req.params.id)).entries.map(present) }),
  );
  app.get('/dataset/:slug/history', { schema: { hide: true, params: Slug } }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const { view, entries: list } = await entries(req.principal, req.params.slug);
    const en = ctx.lang === 'en';
    return sendHtml(
      reply,
      page(
        <HistoryPage
          ctx={ctx}
          slug={view.dataset.slug}
          title={en && view.dataset.title_en ? view.dataset.title_en : view.dataset.title_vi}
          agency={en && view.agency.name_en ? view.agency.name_en : view.agency.name_vi}
          entries={list}
        />,
      ),
    );
  });
}

/** The link to the history on the data set's page, with the date of the latest change. */
export function historySection(d: HistoryDeps): DatasetSection {
  return async ({ ctx, view }) => {
    const [latest] = await d.catalog.history.of(view, d.tableVersions);
    return {
      aside: (
        <section aria-labelledby="history-heading" class="panel">
          <h2 id="history-heading">{ctx.t('history.title')}</h2>
          {latest && <p>{ctx.t('history.latest', { date: formatDate(latest.at, ctx.lang) })}</p>}
          <p>
            <a href={`/dataset/${view.dataset.slug}/history`}>{ctx.t('history.link')}</a>
          </p>
        </section>
      ),
    };
  };
}
