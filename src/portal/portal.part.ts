import type { Kysely } from 'kysely';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { TableVersion } from '../catalog/history.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { CalendarService } from '../masterdata/calendar/calendar.service.js';
import type { Catalog } from '../web/i18n.js';
import type { DatasetSection } from '../web/dataset-sections.js';
import type { Notifier } from './notify.js';
import { DataRequestsService } from './data-requests/data-requests.service.js';
import { dataRequestsRoutes } from './data-requests/data-requests.routes.js';
import { dataRequestPages } from './data-requests/pages/data-requests.routes.js';
import { DATA_REQUESTS_MESSAGES } from './data-requests/pages/messages.js';
import { relatedSection } from './related/related.section.js';
import { RELATED_MESSAGES } from './related/messages.js';
import { historyRoutes, historySection } from './history/history.routes.js';
import { HISTORY_MESSAGES } from './history/messages.js';

export interface PortalDeps {
  db: Kysely<any>;
  server: Server;
  logger: Logger;
  baseUrl: string;
  catalog: CatalogService;
  masterData: MasterDataService;
  calendar: CalendarService;
  /** a file's table versions (the datastore's `versionsOf`), for the change history */
  tableVersions(distributionId: string): Promise<TableVersion[]>;
}

export interface PortalPart {
  /** added to every data set's page, in this order */
  datasetSections: DatasetSection[];
  /** each sub-part's page strings, merged into the portal's at start */
  messages: Catalog[];
  notifier: Notifier;
  /** the sub-parts' services (other parts' indexes read their counts; tests call them) */
  services: { dataRequests: DataRequestsService };
  /** mounts the pages (after `webRoutes`, which registers the form parser) */
  pages(): void;
}

/** The sub-parts' page strings (also read by `web/i18n.test.ts`, which checks every key a page uses). */
export const PORTAL_MESSAGES: Catalog[] = [DATA_REQUESTS_MESSAGES, RELATED_MESSAGES, HISTORY_MESSAGES];

/** Builds the portal's sub-parts. Each sub-part adds its service, routes, pages, strings and sections here. */
export function buildPortal(deps: PortalDeps): PortalPart {
  const notifier: Notifier = {
    async notify(n) {
      deps.logger.info({ kind: n.kind, link: n.link }, 'notice (no delivery configured)');
    },
  };
  const dataRequests = new DataRequestsService(deps.db, {
    masterData: deps.masterData,
    calendar: deps.calendar,
    dataset: (key) => deps.catalog.datasets.findRecord(key),
    notifier,
  });
  dataRequestsRoutes(deps.server, dataRequests);
  const history = { catalog: deps.catalog, tableVersions: deps.tableVersions, baseUrl: deps.baseUrl };
  return {
    datasetSections: [relatedSection(deps.catalog, deps.masterData), historySection(history)],
    messages: PORTAL_MESSAGES,
    notifier,
    services: { dataRequests },
    pages() {
      dataRequestPages(deps.server, dataRequests, deps.baseUrl);
      historyRoutes(deps.server, history);
    },
  };
}
