import type { Kysely } from 'kysely';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { CalendarService } from '../masterdata/calendar/calendar.service.js';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { Catalog } from '../web/i18n.js';
import type { PublicUser } from '../identity/public-principal.js';
import { ProceduresService } from './procedures/procedures.service.js';
import { PrefillService } from './prefill/prefill.service.js';
import { prefillRoutes } from './prefill/prefill.routes.js';

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
  /** the keyed hashes of a level-2 citizen (identity's `subjectHashes`) */
  subjectHashes(u: PublicUser | null): Promise<string[]>;
  /** the person's in-force consent artefact for a client, service and purpose (privacy's `ConsentService`) */
  consentArtefact(hashes: string[], client: string, service: string, purpose: string): Promise<string | undefined>;
  now?: () => Date;
}

export interface ServicesPart {
  procedures: ProceduresService;
  /** fetches a procedure's facts for a citizen from the registers and earlier results (`prefill/`) */
  prefill: PrefillService;
  /** mounts the pages (after `webRoutes`, which registers the form parser) */
  pages(): void;
}

/** Every sub-part's page strings (static: `app.ts` lists them in `PAGE_CATALOGS`, which the strings' test reads). */
export const SERVICES_MESSAGES: Catalog[] = [];

/** Builds the once-only services part (issue 21): each sub-part adds its service, routes, pages and strings here. */
export function buildServices(deps: ServicesDeps): ServicesPart {
  const procedures = new ProceduresService(deps.db, {
    knownElements: async (ids) => {
      const labels = await deps.catalog.dictionary.labels(ids);
      return new Set(labels.keys());
    },
    databaseAgency: async (id) => (await deps.catalog.databases.get(id).catch(() => undefined))?.agency_id,
    agencyCode: async (id) => (await deps.masterData.agency(id)).code,
    keyEncryptionKey: deps.kek,
    now: deps.now,
  });
  const prefill = new PrefillService(deps.db, {
    procedures,
    subjectHashes: (u) => deps.subjectHashes(u),
    consentArtefact: (...a) => deps.consentArtefact(...a),
    databaseName: async (id) => {
      const d = await deps.catalog.databases.get(id).catch(() => undefined);
      return d ? { vi: d.name_vi, en: d.name_en ?? d.name_vi } : undefined;
    },
    agencyName: async (id) => {
      const a = await deps.masterData.agency(id).catch(() => undefined);
      return a ? { vi: a.name_vi, en: a.name_en ?? a.name_vi } : undefined;
    },
    now: deps.now,
  });
  prefillRoutes(deps.server, prefill);
  return {
    procedures,
    prefill,
    pages() {},
  };
}
