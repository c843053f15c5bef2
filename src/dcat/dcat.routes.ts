import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Quad } from 'n3';
import { Type } from '@sinclair/typebox';
import type { Server } from '../platform/http.js';
import { DomainError } from '../platform/errors.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { DatasetView } from '../catalog/dataset-view.js';
import { catalogGraph, datasetGraph, type GraphContext } from './dcat.graph.js';
import { toJsonLd, toTurtle } from './dcat.serialise.js';

type Format = 'ttl' | 'jsonld';

/**
 * Picks a representation from the Accept header: HTML for browsers (when a
 * page renderer is wired in), Turtle or JSON-LD for machines; anything else is
 * 406, with the links that work.
 */
export function negotiate(accept: string | undefined, html: boolean): Format | 'html' | null {
  const a = (accept ?? '').toLowerCase();
  const pos = (type: string) => (a.includes(type) ? a.indexOf(type) : Infinity);
  if (html && pos('text/html') < Math.min(pos('text/turtle'), pos('application/ld+json'))) return 'html';
  if (!a || a.includes('*/*') || a.includes('application/ld+json') || a.includes('application/json')) {
    return pos('text/turtle') < pos('json') ? 'ttl' : 'jsonld';
  }
  if (a.includes('text/turtle')) return 'ttl';
  return null;
}

export type HtmlRenderer = (req: FastifyRequest, reply: FastifyReply, id: string) => Promise<unknown>;

async function send(reply: FastifyReply, quads: Quad[], format: Format) {
  reply.header('vary', 'Accept');
  if (format === 'ttl') return reply.type('text/turtle; charset=utf-8').send(await toTurtle(quads));
  return reply.type('application/ld+json; charset=utf-8').send(JSON.stringify(await toJsonLd(quads)));
}

/** What the graph of some data sets needs from master data: themes and the units they cover. */
export function graphContextOf(md: MasterDataService, baseUrl: string) {
  return async (views: DatasetView[]): Promise<GraphContext> => ({
    baseUrl,
    themes: await md.themes(),
    units: new Map(
      (await md.unitsByCodes([...new Set(views.flatMap((v) => v.dataset.spatial))])).map((u) => [u.code, u]),
    ),
  });
}

export function dcatRoutes(
  app: Server,
  catalog: CatalogService,
  md: MasterDataService,
  baseUrl: string,
  html?: HtmlRenderer,
): void {
  const tags = ['DCAT-AP'];
  const context = graphContextOf(md, baseUrl);
  const Paging = Type.Object(
    {
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    },
    { additionalProperties: false },
  );

  const catalogHandler = (format: Format) => async (req: FastifyRequest, reply: FastifyReply) => {
    const { limit = 100, offset = 0 } = req.query as { limit?: number; offset?: number };
    const r = await catalog.search.search(req.principal, {
      limit,
      offset,
      facetLimit: 1,
      facets: false,
      sort: 'name_asc',
    });
    // biome-ignore lint/complexity/useMathMinMax: Dates, not numbers: the latest Date itself is wanted
    const modified = r.results.reduce((m, v) => (v.dataset.modified > m ? v.dataset.modified : m), new Date(0));
    const issued = r.results.reduce(
      (m, v) => (v.dataset.issued && v.dataset.issued < m ? v.dataset.issued : m),
      modified,
    );
    const next =
      offset + limit < r.total ? `${baseUrl}/catalog.${format}?limit=${limit}&offset=${offset + limit}` : null;
    if (next) reply.header('link', `<${next}>; rel="next"`);
    reply.header('x-total-count', String(r.total));
    return send(
      reply,
      catalogGraph(await context(r.results), r.results, { issued, modified, total: r.total, next }),
      format,
    );
  };
  app.get(
    '/catalog.ttl',
    { schema: { tags, summary: 'The catalog in Turtle (paged; Link rel=next)', querystring: Paging } },
    catalogHandler('ttl'),
  );
  app.get(
    '/catalog.jsonld',
    { schema: { tags, summary: 'The catalog in JSON-LD (paged; Link rel=next)', querystring: Paging } },
    catalogHandler('jsonld'),
  );

  const datasetHandler = (fixed: Format | null) => async (req: FastifyRequest, reply: FastifyReply) => {
    const { id } = req.params as { id: string };
    const format = fixed ?? negotiate(req.headers.accept, !!html);
    if (format === 'html') return html!(req, reply, id);
    if (!format) {
      throw new DomainError('NOT_ACCEPTABLE', {
        vi: `Hãy yêu cầu text/turtle hoặc application/ld+json, hoặc mở ${baseUrl}/dataset/${id}.ttl`,
        en: `Ask for text/turtle or application/ld+json, or open ${baseUrl}/dataset/${id}.ttl`,
      });
    }
    const view = await catalog.datasets.get(req.principal, id);
    return send(reply, datasetGraph(await context([view]), view), format);
  };
  const Id = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,120}$' }) });
  app.get('/dataset/:id.ttl', { schema: { tags, summary: 'A data set in Turtle', params: Id } }, datasetHandler('ttl'));
  app.get(
    '/dataset/:id.jsonld',
    { schema: { tags, summary: 'A data set in JSON-LD', params: Id } },
    datasetHandler('jsonld'),
  );
  app.get(
    '/dataset/:id',
    {
      schema: {
        tags,
        summary: 'A data set, negotiated by Accept (text/html, text/turtle, application/ld+json)',
        params: Id,
      },
    },
    datasetHandler(null),
  );
}
