import type { Kysely } from 'kysely';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { Catalog } from '../web/i18n.js';
import type { DatasetSection } from '../web/dataset-sections.js';
import type { Notifier } from './notify.js';

export interface PortalDeps {
  db: Kysely<any>;
  server: Server;
  logger: Logger;
  baseUrl: string;
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
  return { datasetSections: [], messages: [], notifier, pages() {} };
}
