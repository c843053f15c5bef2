import type { Kysely } from 'kysely';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { TableVersion } from '../catalog/history.service.js';
import type { CalendarService } from '../masterdata/calendar/calendar.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { Catalog } from '../web/i18n.js';
import type { DatasetSection } from '../web/dataset-sections.js';
import type { Mailer } from '../identity/mailer.js';
import type { Notifier } from './notify.js';
import { buildFollow, type FollowPart } from './follow/follow.part.js';
import { FOLLOW_MESSAGES } from './follow/pages/messages.js';
import { CountsService } from './counts/counts.service.js';
import { countsHooks } from './counts/counts.routes.js';
import { countsSection } from './counts/pages/counts.section.js';
import { COUNTS_MESSAGES } from './counts/pages/messages.js';
import { datasetLookup } from './datasets.js';
import { ReusesService } from './reuses/reuses.service.js';
import { reusesRoutes } from './reuses/reuses.routes.js';
import { reusePages } from './reuses/pages/reuses.routes.js';
import { reusesSection } from './reuses/pages/reuses.section.js';
import { REUSES_MESSAGES } from './reuses/pages/messages.js';
import { DiscussionService } from './discussion/discussion.service.js';
import { discussionRoutes } from './discussion/discussion.routes.js';
import { discussionPages } from './discussion/pages/discussion.routes.js';
import { discussionSection } from './discussion/pages/discussion.section.js';
import { DISCUSSION_MESSAGES } from './discussion/pages/messages.js';
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
  /** data sets and their publishers (the sub-parts link to published ones only: `datasets.ts`) */
  catalog: CatalogService;
  /** Vietnam's working calendar (the answer deadlines of questions and data requests) */
  calendar: CalendarService;
  /** agencies by key and id (counts, staff lists) */
  masterData: MasterDataService;
  /** a file's table versions (the datastore's `versionsOf`), for the change history */
  tableVersions(distributionId: string): Promise<TableVersion[]>;
  /** where notices are e-mailed from (identity's mailer, shared) */
  mailer: Mailer;
  /** a public user's e-mail (identity) */
  publicContact(publicUserId: string): Promise<{ email: string | null } | null>;
  /** an agency's staff with their e-mail (accounts) */
  agencyStaff(agencyId: string): Promise<{ id: string; email: string }[]>;
  /** webhooks to private addresses and over plain http (`NDP_PROBE_PRIVATE_LINKS`: closed networks, tests) */
  allowPrivateLinks: boolean;
}

export interface PortalPart {
  /** added to every data set's page, in this order */
  datasetSections: DatasetSection[];
  /** each sub-part's page strings, merged into the portal's at start */
  messages: Catalog[];
  /** how the sub-parts tell people: follow's notices (a page, e-mail, webhooks) */
  notifier: Notifier;
  /** following: the catalog's events go in here (`app.ts` routes them), and its poller is started by `app.ts` */
  follow: FollowPart;
  /** views and downloads: `app.ts` hands its figures to search, the pages and CKAN as functions */
  counts: CountsService;
  /** the sub-parts' services (issue 22's index reads their counts per agency; tests call them) */
  services: { discussion: DiscussionService; dataRequests: DataRequestsService };
  /** mounts the pages (after `webRoutes`, which registers the form parser) */
  pages(): void;
}

/** Every sub-part's page strings (static, so the strings' test sees them as `app.ts` merges them). */
export const PORTAL_MESSAGES: Catalog[] = [
  FOLLOW_MESSAGES,
  COUNTS_MESSAGES,
  REUSES_MESSAGES,
  DISCUSSION_MESSAGES,
  DATA_REQUESTS_MESSAGES,
  RELATED_MESSAGES,
  HISTORY_MESSAGES,
];

/** Builds the portal's sub-parts. Each sub-part adds its service, routes, pages, strings and sections here. */
export function buildPortal(deps: PortalDeps): PortalPart {
  const follow = buildFollow(deps);
  const notifier: Notifier = follow.notices;
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
  const datasets = datasetLookup(deps.catalog);
  const reuses = new ReusesService(deps.db, { datasets, notifier, logger: deps.logger });
  reusesRoutes(deps.server, reuses, deps.baseUrl);
  const discussion = new DiscussionService(deps.db, {
    datasets,
    calendar: deps.calendar,
    notifier,
    logger: deps.logger,
  });
  discussionRoutes(deps.server, discussion, deps.masterData, deps.baseUrl);
  const dataRequests = new DataRequestsService(deps.db, {
    masterData: deps.masterData,
    calendar: deps.calendar,
    dataset: (key) => deps.catalog.datasets.findRecord(key),
    notifier,
  });
  dataRequestsRoutes(deps.server, dataRequests);
  const history = { catalog: deps.catalog, tableVersions: deps.tableVersions, baseUrl: deps.baseUrl };
  return {
    datasetSections: [
      follow.datasetSection,
      countsSection(counts),
      reusesSection(reuses),
      discussionSection(discussion),
      relatedSection(deps.catalog, deps.masterData),
      historySection(history),
    ],
    messages: PORTAL_MESSAGES,
    notifier,
    follow,
    counts,
    services: { discussion, dataRequests },
    pages() {
      follow.pages();
      reusePages(deps.server, { reuses, datasets, baseUrl: deps.baseUrl });
      discussionPages(deps.server, { discussion, datasets, masterData: deps.masterData, baseUrl: deps.baseUrl });
      dataRequestPages(deps.server, dataRequests, deps.baseUrl);
      historyRoutes(deps.server, history);
    },
  };
}
