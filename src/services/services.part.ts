import type { Kysely } from 'kysely';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { CalendarService } from '../masterdata/calendar/calendar.service.js';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { Catalog } from '../web/i18n.js';
import { ProceduresService } from './procedures/procedures.service.js';
import { proceduresRoutes } from './procedures/procedures.routes.js';
import { procedurePublicPages } from './procedures/pages/public.routes.js';
import { procedureDashboardPages } from './procedures/pages/dashboard.routes.js';
import { PROCEDURES_MESSAGES } from './procedures/pages/messages.js';

export interface ServicesDeps {
  db: Kysely<any>;
  server: Server;
  logger: Logger;
  baseUrl: string;
  /** the dictionary (elements, labels) and the register of databases */
  catalog: CatalogService;
  masterData: MasterDataService;
  /** working days: a dossier's due date */
  calendar: CalendarService;
  /** seals desks' API keys and agencies' result keys at rest */
  kek: Buffer | undefined;
  /** the exchange's instance and an agency's services (the sources form's choices) */
  exchange?: {
    instance: string;
    services(agencyId: string): Promise<{ member_code: string; subsystem_code: string; code: string }[]>;
  };
  now?: () => Date;
}

export interface ServicesPart {
  procedures: ProceduresService;
  /** mounts the pages (after `webRoutes`, which registers the form parser) */
  pages(): void;
}

/** Every sub-part's page strings (static: `app.ts` lists them in `PAGE_CATALOGS`, which the strings' test reads). */
export const SERVICES_MESSAGES: Catalog[] = [PROCEDURES_MESSAGES];

/** Builds the once-only services part (issue 21): each sub-part adds its service, routes, pages and strings here. */
export function buildServices(deps: ServicesDeps): ServicesPart {
  const procedures = new ProceduresService(deps.db, {
    knownElements: async (ids) => {
      const labels = await deps.catalog.dictionary.labels(ids);
      return new Set(labels.keys());
    },
    databaseAgency: async (id) => (await deps.catalog.databases.get(id).catch(() => undefined))?.agency_id,
    agencyCode: async (id) => (await deps.masterData.agency(id)).code,
    agency: (key) => deps.masterData.agency(key),
    agencies: (ids) => deps.masterData.agenciesByIds(ids),
    databaseNames: async (ids) =>
      (await Promise.all(ids.map((id) => deps.catalog.databases.get(id).catch(() => undefined)))).filter(
        (x) => x !== undefined,
      ),
    labels: (ids) => deps.catalog.dictionary.labels(ids),
    keyEncryptionKey: deps.kek,
    now: deps.now,
  });
  proceduresRoutes(deps.server, procedures, deps.baseUrl);
  return {
    procedures,
    pages() {
      procedurePublicPages(deps.server, procedures, deps.baseUrl);
      procedureDashboardPages(deps.server, {
        procedures,
        elements: async () =>
          (await deps.catalog.dictionary.all()).map((e) => ({ id: e.id, label: { vi: e.label_vi, en: e.label_en } })),
        databases: async (agencyId) =>
          (await deps.catalog.databases.list({ agency: agencyId, limit: 500, offset: 0 })).rows,
        exchangeServices: async (agencyId) => {
          const x = deps.exchange;
          if (!x) return [];
          return (await x.services(agencyId)).map(
            (s) => `${x.instance}/GOV/${s.member_code}/${s.subsystem_code}/${s.code}`,
          );
        },
        baseUrl: deps.baseUrl,
      });
    },
  };
}
