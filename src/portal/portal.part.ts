import type { Kysely } from 'kysely';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { Catalog } from '../web/i18n.js';
import type { DatasetSection } from '../web/dataset-sections.js';
import type { Notifier } from './notify.js';
import { CountsService } from './counts/counts.service.js';
import { countsHooks } from './counts/counts.routes.js';
import { countsSection } from './counts/pages/counts.section.js';
import { COUNTS_MESSAGES } from './counts/pages/messages.js';

export interface PortalDeps {
  db: Kysely<any>;
  server: Server;
  logger: Logger;
  baseUrl: string;
  catalog: CatalogService;
}

export interface PortalPart {
  /** added to every data set's page, in this order */
  datasetSections: DatasetSection[];
  /** each sub-part's page strings, merged into the portal's at start */
  messages: Catalog[];
  notifier: Notifier;
  /** views and downloads: `app.ts` hands its figures to search, the pages and CKAN as functions */
  counts: CountsService;
  /** mounts the pages (after `webRoutes`, which registers the form parser) */
  pages(): void;
}

/** Builds the portal's sub-parts. Each sub-part adds its service, routes, pages, strings and sections here. */
export function buildPortal(deps: PortalDeps): PortalPart {
  const notifier: Notifier = {
    async notify(n) {
      deps.logger.info({ kind: n.kind, link: n.link }, 'notice (no delivery configured)');
    },
  };
  const counts = new CountsService({
    db: deps.db,
    logger: deps.logger,
    fileOwner: async (id) => {
      const file = await deps.catalog.datasets.findDistribution(id);
      const dataset = file && (await deps.catalog.datasets.findRecord(file.dataset_id));
      return dataset ? { datasetId: dataset.id, published: dataset.status === 'published' } : undefined;
    },
  });
  countsHooks(deps.server, counts);
  counts.start();
  return {
    datasetSections: [countsSection(counts)],
    messages: [COUNTS_MESSAGES],
    notifier,
    counts,
    pages() {},
  };
}
