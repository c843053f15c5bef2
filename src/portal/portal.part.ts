import type { Kysely } from 'kysely';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { CalendarService } from '../masterdata/calendar/calendar.service.js';
import type { Catalog } from '../web/i18n.js';
import type { DatasetSection } from '../web/dataset-sections.js';
import type { Notifier } from './notify.js';
import { datasetLookup } from './datasets.js';
import { ReusesService } from './reuses/reuses.service.js';
import { reusesRoutes } from './reuses/reuses.routes.js';
import { reusePages } from './reuses/pages/reuses.routes.js';
import { reusesSection } from './reuses/pages/reuses.section.js';
import { REUSES_MESSAGES } from './reuses/pages/messages.js';

export interface PortalDeps {
  db: Kysely<any>;
  server: Server;
  logger: Logger;
  baseUrl: string;
  /** data sets and their publishers (the sub-parts link to published ones only: `datasets.ts`) */
  catalog: CatalogService;
  /** Vietnam's working calendar (the discussion's answer deadline) */
  calendar: CalendarService;
}

export interface PortalPart {
  /** added to every data set's page, in this order */
  datasetSections: DatasetSection[];
  /** each sub-part's page strings, merged into the portal's at start */
  messages: Catalog[];
  notifier: Notifier;
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
  const datasets = datasetLookup(deps.catalog);
  const reuses = new ReusesService(deps.db, { datasets, notifier, logger: deps.logger });
  reusesRoutes(deps.server, reuses, deps.baseUrl);
  return {
    datasetSections: [reusesSection(reuses)],
    messages: [REUSES_MESSAGES],
    notifier,
    pages() {
      reusePages(deps.server, { reuses, datasets, baseUrl: deps.baseUrl });
    },
  };
}
