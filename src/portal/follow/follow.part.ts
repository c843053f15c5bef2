import type { Kysely } from 'kysely';
import type { Server } from '../../platform/http.js';
import type { Logger } from '../../platform/logger.js';
import type { Mailer } from '../../identity/mailer.js';
import type { CatalogService } from '../../catalog/catalog.service.js';
import type { CatalogEvent } from '../../catalog/datasets.service.js';
import type { MasterDataService } from '../../masterdata/masterdata.service.js';
import type { DatasetSection } from '../../web/dataset-sections.js';
import { Deliverer } from './delivery.js';
import { feedsRoutes } from './feeds.routes.js';
import { followRoutes } from './follow.routes.js';
import { FollowService } from './follow.service.js';
import { NoticesService } from './notices.service.js';
import { WebhooksService } from './webhooks.service.js';
import { followPages } from './pages/follow.routes.js';
import { followSection } from './pages/follow-section.js';

export interface FollowPartDeps {
  db: Kysely<any>;
  server: Server;
  logger: Logger;
  baseUrl: string;
  catalog: CatalogService;
  masterData: MasterDataService;
  mailer: Mailer;
  /** a public user's e-mail (identity) */
  publicContact(publicUserId: string): Promise<{ email: string | null } | null>;
  /** an agency's staff with their e-mail (accounts) */
  agencyStaff(agencyId: string): Promise<{ id: string; email: string }[]>;
  /** webhooks to private addresses and over plain http (`NDP_PROBE_PRIVATE_LINKS`: closed networks, tests) */
  allowPrivateLinks: boolean;
  clock?: () => Date;
}

/** Builds following and being told: services, API routes, feeds, the poller; pages mounted by `pages()`. */
export function buildFollow(deps: FollowPartDeps) {
  const clock = deps.clock ?? (() => new Date());
  const follows = new FollowService({ db: deps.db, catalog: deps.catalog, masterData: deps.masterData, clock });
  const notices = new NoticesService(
    { db: deps.db, catalog: deps.catalog, contact: deps.publicContact, agencyStaff: deps.agencyStaff, clock },
    follows.outbox,
  );
  const webhooks = new WebhooksService(deps.db, deps.allowPrivateLinks);
  const deliverer = new Deliverer(
    {
      db: deps.db,
      mailer: deps.mailer,
      baseUrl: deps.baseUrl,
      allowPrivate: deps.allowPrivateLinks,
      logger: deps.logger,
      clock,
    },
    notices,
    follows.outbox,
  );
  followRoutes(deps.server, { follows, notices, webhooks });
  feedsRoutes(deps.server, { follows, catalog: deps.catalog, masterData: deps.masterData, baseUrl: deps.baseUrl });
  // a failure to write the event is logged: the publisher's change stands, and nothing is retried for it
  const safely = (work: Promise<void>, what: string) =>
    work.catch((err: unknown) => deps.logger.error({ err }, `follow: ${what} not recorded`));
  return {
    follows,
    notices,
    webhooks,
    deliverer,
    datasetSection: followSection(follows) as DatasetSection,
    catalogChanged: (e: CatalogEvent) => safely(follows.catalogChanged(e), e.kind),
    versionCurrent: (distributionId: string, version: number) =>
      safely(follows.versionCurrent(distributionId, version), 'version.current'),
    pages: () =>
      followPages(deps.server, {
        follows,
        notices,
        webhooks,
        catalog: deps.catalog,
        masterData: deps.masterData,
        baseUrl: deps.baseUrl,
      }),
  };
}

export type FollowPart = ReturnType<typeof buildFollow>;
