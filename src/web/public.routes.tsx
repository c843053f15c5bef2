import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from '../platform/http.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { presentDatabase, presentDataset } from '../catalog/catalog.presenter.js';
import { presentCrosswalk, presentUnit } from '../masterdata/masterdata.presenter.js';
import { hasAgencyRole } from '../accounts/principal.js';
import { DomainError } from '../platform/errors.js';
import { page } from './layout.js';
import { htmlHeaders, pageContext } from './web.context.js';
import { summarise } from './summaries.js';
import { HomePage } from './pages/home.js';
import { FACETS, SearchPage, type FacetName } from './pages/search.js';
import { tablePreview } from './table-preview.js';
import { DatasetPage } from './pages/dataset.js';
import type { DatasetSection } from './dataset-sections.js';
import type { PortalFigures } from './portal-figures.js';
import type { DatastoreService } from '../datastore/query/datastore.service.js';
import { AgenciesPage, AgencyPage } from './pages/agencies.js';
import { agenciesQuery, agenciesView } from './agencies-view.js';
import { DatabasePage, DatabasesPage } from './pages/databases.js';
import { UnitsPage } from './pages/units.js';

const PAGE_SIZE = 20;
const list = (v: unknown): string[] =>
  (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)])
    .filter((x) => x.length > 0 && x.length <= 120)
    .slice(0, 20);
const pageNumber = (v: unknown) => Math.min(Math.max(1, Number.parseInt(String(v ?? '1'), 10) || 1), 5000);

export function publicPages(
  app: Server,
  catalog: CatalogService,
  md: MasterDataService,
  baseUrl: string,
  figures?: PortalFigures,
) {
  const send = (reply: FastifyReply, html: string, status = 200) => htmlHeaders(reply).status(status).send(html);

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const [stats, newest, mostUsed, themes, downloads] = await Promise.all([
      catalog.stats(),
      catalog.search.search(req.principal, { limit: 6, offset: 0, facetLimit: 12, sort: 'issued_desc' }),
      figures ? mostDownloaded(catalog, figures, 5) : catalog.datasets.mostDownloaded(5),
      md.themes(),
      figures?.downloads(),
    ]);
    const themeLabel = new Map(themes.map((th) => [th.id, ctx.lang === 'en' ? th.label_en : th.label_vi]));
    const publishers = await md.agenciesByIds(newest.facets.agency.map((a) => a.value));
    return send(
      reply,
      page(
        <HomePage
          ctx={ctx}
          data={{
            stats: downloads === undefined ? stats : { ...stats, downloads },
            newest: newest.results.map(summarise),
            mostUsed: (await catalog.datasets.views(mostUsed)).map(summarise),
            themes: newest.facets.theme.map((th) => ({
              id: th.value,
              label: themeLabel.get(th.value) ?? th.value,
              count: th.count,
            })),
            publishers: newest.facets.agency.map((a) => {
              const ag = publishers.find((p) => p.id === a.value);
              return {
                slug: ag?.slug ?? '',
                name: (ctx.lang === 'en' ? ag?.name_en : null) ?? ag?.name_vi ?? a.value,
                count: a.count,
              };
            }),
          }}
        />,
      ),
    );
  });

  app.get('/datasets', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const qs = req.query as Record<string, unknown>;
    const q = String(qs.q ?? '').slice(0, 200);
    const selected = Object.fromEntries(FACETS.map((f) => [f, list(qs[f])])) as Record<FacetName, string[]>;
    const sortRaw = String(qs.sort ?? '');
    const sort =
      (['relevance', 'modified_desc', 'issued_desc', 'title_asc', 'views_desc', 'downloads_desc'] as const).find(
        (s) => s === sortRaw,
      ) ?? (q ? 'relevance' : 'modified_desc');
    const offset = (pageNumber(qs.page) - 1) * PAGE_SIZE;
    let r;
    try {
      r = await catalog.search.search(req.principal, {
        q,
        agency: selected.agency,
        theme: selected.theme,
        format: selected.format,
        licence: selected.licence,
        keyword: selected.keyword,
        province: selected.province.filter((p) => /^\d{2}$/.test(p)),
        sort,
        limit: PAGE_SIZE,
        offset,
        facetLimit: 12,
      });
    } catch (err) {
      // An unknown agency in the address is a filter that matches nothing, not an error page.
      if (!(err instanceof DomainError && err.code === 'NOT_FOUND')) throw err;
      r = {
        total: 0,
        results: [],
        matches: {},
        partial: false,
        facets: Object.fromEntries(FACETS.map((f) => [f, []])) as never,
      };
    }
    const agencies = await md.agenciesByIds(r.facets.agency.map((a) => a.value));
    const facets = {
      ...r.facets,
      agency: r.facets.agency.map((a) => {
        const ag = agencies.find((x) => x.id === a.value);
        return {
          value: ag?.slug ?? a.value,
          count: a.count,
          label: (ctx.lang === 'en' ? ag?.name_en : null) ?? ag?.name_vi,
        };
      }),
    };
    if (ctx.lang === 'en') {
      const [themes, licences, units] = await Promise.all([
        md.themes(),
        md.licences(),
        md.unitsByCodes(facets.province.map((p) => p.value)),
      ]);
      facets.theme = facets.theme.map((th) => ({
        ...th,
        label: themes.find((x) => x.id === th.value)?.label_en ?? th.label,
      }));
      facets.licence = facets.licence.map((l) => ({
        ...l,
        label: licences.find((x) => x.id === l.value)?.title_en ?? l.label,
      }));
      facets.province = facets.province.map((p) => ({
        ...p,
        label: units.find((u) => u.code === p.value)?.full_name_en ?? p.label,
      }));
    }
    const ids = r.results.map((v) => v.dataset.id);
    const [usage, grades] = await Promise.all([
      figures?.usage(ids) ?? new Map<string, { views: number; downloads: number }>(),
      figures?.grades(ids) ?? new Map<string, string>(),
    ]);
    return send(
      reply,
      page(
        <SearchPage
          ctx={ctx}
          data={{
            q,
            selected,
            sort,
            total: r.total,
            limit: PAGE_SIZE,
            offset,
            partial: r.partial,
            results: r.results.map((v) => ({
              ...summarise(v),
              match: r.matches[v.dataset.id],
              usage: figures ? (usage.get(v.dataset.id) ?? { views: 0, downloads: 0 }) : undefined,
              grade: grades.get(v.dataset.id),
            })),
            facets,
          }}
        />,
      ),
    );
  });

  app.get('/agencies', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const qs = req.query as Record<string, unknown>;
    const query = agenciesQuery(qs, pageNumber(qs.page));
    const view = await agenciesView(md, catalog, query);
    return send(reply, page(<AgenciesPage ctx={ctx} view={view} q={query.q} kind={query.kind} />));
  });

  app.get('/agency/:slug', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const agency = await md.agency((req.params as { slug: string }).slug);
    const [r, dbs] = await Promise.all([
      catalog.search.search(req.principal, {
        agency: [agency.id],
        limit: 10,
        offset: 0,
        facetLimit: 1,
        facets: false,
        sort: 'modified_desc',
      }),
      catalog.databases.list({ agency: agency.id, limit: 100, offset: 0 }),
    ]);
    return send(
      reply,
      page(
        <AgencyPage
          ctx={ctx}
          agency={agency}
          datasets={r.results.map(summarise)}
          total={r.total}
          databases={dbs.rows}
        />,
      ),
    );
  });

  app.get('/databases', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const { rows } = await catalog.databases.list({ limit: 500, offset: 0 });
    const agencies = new Map(
      (await md.agenciesByIds([...new Set(rows.map((r) => r.agency_id))])).map((a) => [a.id, a]),
    );
    return send(reply, page(<DatabasesPage ctx={ctx} rows={rows.map(presentDatabase)} agencies={agencies} />));
  });

  app.get('/databases/:id', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const db = await catalog.databases.get((req.params as { id: string }).id);
    const [agency] = await md.agenciesByIds([db.agency_id]);
    return send(
      reply,
      page(
        <DatabasePage
          ctx={ctx}
          db={presentDatabase(db)}
          agency={agency!}
          datasets={await catalog.databases.datasets(db.id)}
        />,
      ),
    );
  });

  app.get('/units', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const qs = req.query as Record<string, unknown>;
    const q = String(qs.q ?? '').slice(0, 100);
    const old = String(qs.old ?? '')
      .trim()
      .slice(0, 100);
    const found = q ? await md.searchUnits({ q, limit: 50, offset: 0 }) : { rows: [], total: 0 };
    let crosswalk = null;
    let crosswalkError: string | null = null;
    let oldMatches: { code: string; name: string; level: string }[] = [];
    if (old) {
      if (!/^\d{2,5}$/.test(old)) {
        oldMatches = await md.findOldUnits(old);
        if (oldMatches.length === 1)
          crosswalk = presentCrosswalk(oldMatches[0]!.code, await md.crosswalk(oldMatches[0]!.code));
        if (!oldMatches.length) crosswalkError = ctx.t('units.noOldMatch');
      } else {
        try {
          crosswalk = presentCrosswalk(old, await md.crosswalk(old));
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          crosswalkError = err.messages[ctx.lang];
        }
      }
    }
    return send(
      reply,
      page(
        <UnitsPage
          ctx={ctx}
          q={q}
          units={found.rows.map(presentUnit)}
          total={found.total}
          old={old}
          crosswalk={crosswalk}
          crosswalkError={crosswalkError}
          oldMatches={oldMatches.length > 1 ? oldMatches : []}
        />,
      ),
      crosswalkError ? 400 : 200,
    );
  });
}

/** The home page's "most used": the most downloaded published data sets. */
async function mostDownloaded(catalog: CatalogService, figures: PortalFigures, limit: number) {
  const ids = (await figures.mostDownloaded()).slice(0, limit * 4);
  const rows = await catalog.datasets.byIds(ids);
  const byId = new Map(rows.filter((d) => d.status === 'published').map((d) => [d.id, d]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])).slice(0, limit);
}

/** The HTML view of a data set, for `/dataset/{id}` when a browser asks for HTML. */
export function datasetHtml(
  catalog: CatalogService,
  md: MasterDataService,
  datastore: DatastoreService,
  baseUrl: string,
  sections: DatasetSection[] = [],
) {
  return async (req: FastifyRequest, reply: FastifyReply, id: string) => {
    const ctx = pageContext(req, reply, baseUrl);
    const view = await catalog.datasets.get(req.principal, id);
    const added = await Promise.all(
      sections.map((section) =>
        section({ req, ctx, view }).catch((err: unknown) => {
          req.log.warn({ err, datasetId: view.dataset.id }, 'a section of the data set page');
          return null;
        }),
      ),
    );
    const d = presentDataset(view, baseUrl);
    const themes = (await md.themes())
      .filter((th) => d.themes.includes(th.id))
      .map((th) => ({ id: th.id, label: ctx.lang === 'en' ? th.label_en : th.label_vi }));
    const units = (await md.unitsByCodes(d.spatial)).map((u) => ({
      code: u.code,
      name: ctx.lang === 'en' && u.full_name_en ? u.full_name_en : u.full_name,
    }));
    const tables = await datastore.readyDistributions(req.principal, view);
    // the first table's preview; a failure there leaves it out, the rest of the page still shows
    const first = view.distributions.find((x) => tables.has(x.id));
    const preview = first
      ? await tablePreview(datastore, md, req.principal, first, ctx.t).catch((err: unknown) => {
          req.log.warn({ err, distributionId: first.id }, 'table preview of the data set page');
          return null;
        })
      : null;
    return htmlHeaders(reply).send(
      page(
        <DatasetPage
          ctx={ctx}
          data={{
            d,
            themes,
            units,
            tables,
            preview,
            sections: added.filter((x) => x !== null),
            canEdit: hasAgencyRole(req.principal, view.dataset.agency_id, 'agency_editor'),
          }}
        />,
      ),
    );
  };
}
