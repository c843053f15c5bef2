import type { Kysely } from 'kysely';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { Mailer } from '../identity/mailer.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { Catalog } from '../web/i18n.js';
import type { DatasetSection } from '../web/dataset-sections.js';
import type { Notifier } from './notify.js';
import { buildFollow, type FollowPart } from './follow/follow.part.js';
import { FOLLOW_MESSAGES } from './follow/pages/messages.js';

/** Every sub-part's page strings: `app.ts` lists them with the other parts' (the i18n test reads that list). */
export const PORTAL_CATALOGS: Catalog[] = [FOLLOW_MESSAGES];

export interface PortalDeps {
  db: Kysely<any>;
  server: Server;
  logger: Logger;
  baseUrl: string;
  catalog: CatalogService;
  masterData: MasterDataService;
  mailer: Mailer;
  publicContact(publicUserId: string): Promise<{ email: string | null } | null>;
  agencyStaff(agencyId: string): Promise<{ id: string; email: string }[]>;
  allowPrivateLinks: boolean;
}

export interface PortalPart {
  /** added to every data set's page, in this order */
  datasetSections: DatasetSection[];
  /** each sub-part's page strings, merged into the portal's at start */
  messages: Catalog[];
  notifier: Notifier;
  /** following: the catalog's events go in here (`app.ts` routes them), and its poller is started by `app.ts` */
  follow: FollowPart;
  /** mounts the pages (after `webRoutes`, which registers the form parser) */
  pages(): void;
}

/** Builds the portal's sub-parts. Each sub-part adds its service, routes, pages, strings and sections here. */
export function buildPortal(deps: PortalDeps): PortalPart {
  const follow = buildFollow(deps);
  return {
    datasetSections: [follow.datasetSection],
    messages: PORTAL_CATALOGS,
    notifier: follow.notices,
    follow,
    pages() {
      follow.pages();
    },
  };
}
