import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { DatasetView } from '../catalog/dataset-view.js';
import type { PageContext } from './context.js';

/**
 * What another part adds to a data set's page (its reuses, questions, history, counts, related data sets, a follow
 * button): `main` goes below the page's own content, `aside` below its metadata. `app.ts` hands the list to the
 * page, so `web/` knows no part's pages. A section that fails is left out and logged; the page still shows.
 */
export type DatasetSection = (args: {
  req: FastifyRequest;
  ctx: PageContext;
  view: DatasetView;
}) => Promise<{ main?: VNode; aside?: VNode } | null>;
