import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from '../../platform/http.js';
import { ANONYMOUS } from '../../accounts/principal.js';
import type { CatalogService } from '../../catalog/catalog.service.js';
import type { MasterDataService } from '../../masterdata/masterdata.service.js';
import { eventsFeed, searchFeed, type FeedLang } from './feeds.js';
import { canonicalSearch, SEARCH_FILTERS, searchParams, type SearchQuery } from './follow.schema.js';
import type { FollowService } from './follow.service.js';

const hide = { hide: true };

export interface FeedsDeps {
  follows: FollowService;
  catalog: CatalogService;
  masterData: MasterDataService;
  baseUrl: string;
}

const langOf = (req: FastifyRequest): FeedLang => ((req.query as { lang?: string }).lang === 'en' ? 'en' : 'vi');
const atom = (reply: FastifyReply, body: string) =>
  reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'public, max-age=60').send(body);

/** A search from an address's query (`q`, and the search page's filters), bounded as the API's schema is. */
export function searchOf(query: Record<string, unknown>): SearchQuery {
  const s: SearchQuery = { q: String(query.q ?? '').slice(0, 200) };
  for (const f of SEARCH_FILTERS) {
    const raw = query[f];
    const v = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String).filter(Boolean).slice(0, 10);
    const ok = f === 'province' ? v.filter((p) => /^\d{2}$/.test(p)) : v.map((x) => x.slice(0, 120));
    if (ok.length) s[f] = ok;
  }
  return canonicalSearch(s).search;
}

/** Atom feeds, no account needed: a data set's new versions, an agency's new data sets and versions, a search's. */
export function feedsRoutes(app: Server, d: FeedsDeps): void {
  app.get('/dataset/:slug/feed.atom', { schema: hide }, async (req, reply) => {
    const lang = langOf(req);
    const v = await d.catalog.datasets.get(ANONYMOUS, (req.params as { slug: string }).slug);
    const title = (lang === 'en' ? v.dataset.title_en : null) ?? v.dataset.title_vi;
    const events = await d.follows.eventsOf({ dataset: v.dataset.id });
    const page = `/dataset/${v.dataset.slug}`;
    return atom(reply, eventsFeed(d.baseUrl, lang, { title, self: `${page}/feed.atom`, page }, events));
  });

  app.get('/agency/:slug/feed.atom', { schema: hide }, async (req, reply) => {
    const lang = langOf(req);
    const a = await d.masterData.agency((req.params as { slug: string }).slug);
    const name = (lang === 'en' ? a.name_en : null) ?? a.name_vi;
    const events = await d.follows.eventsOf({ agency: a.id });
    const page = `/agency/${a.slug}`;
    return atom(reply, eventsFeed(d.baseUrl, lang, { title: name, self: `${page}/feed.atom`, page }, events));
  });

  app.get('/datasets/feed.atom', { schema: hide }, async (req, reply) => {
    const lang = langOf(req);
    const search = searchOf(req.query as Record<string, unknown>);
    let views: Awaited<ReturnType<CatalogService['search']['search']>>['results'] = [];
    try {
      views = (
        await d.catalog.search.search(ANONYMOUS, {
          ...search,
          sort: 'issued_desc',
          limit: 30,
          offset: 0,
          facetLimit: 1,
          facets: false,
        })
      ).results;
    } catch (err) {
      // an unknown agency in the address is a search that finds nothing, as on the search page
      if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
    }
    const qs = searchParams(search).toString();
    const label = search.q ? `“${search.q}”` : lang === 'en' ? 'all data sets' : 'tất cả bộ dữ liệu';
    const title = lang === 'en' ? `Search: ${label}` : `Tìm kiếm: ${label}`;
    const head = { title, self: `/datasets/feed.atom${qs ? `?${qs}` : ''}`, page: `/datasets${qs ? `?${qs}` : ''}` };
    return atom(reply, searchFeed(d.baseUrl, lang, head, views));
  });
}
