import type { Kysely } from 'kysely';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { CalendarService } from '../masterdata/calendar/calendar.service.js';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { Catalog } from '../web/i18n.js';
import type { PublicUser } from '../identity/public-principal.js';
import { ProceduresService } from './procedures/procedures.service.js';
import { DossiersService } from './dossiers/dossiers.service.js';
import { dossiersRoutes } from './dossiers/dossiers.routes.js';
import { dossierPages } from './dossiers/pages/dossiers.routes.js';
import { DOSSIERS_MESSAGES } from './dossiers/pages/messages.js';
import { InterimPrefills } from './dossiers/interim-prefills.js';
import { RESULTS_MESSAGES } from './results/pages/messages.js';
import { resultPages } from './results/pages/results.routes.js';
import { resultUrl, type ResultFact } from './results/result.js';
import { resultsRoutes } from './results/results.routes.js';
import { ResultsService } from './results/results.service.js';
import { proceduresRoutes } from './procedures/procedures.routes.js';

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
  /** a level-2 citizen's keyed hashes (identity's `subjectHashes`) */
  subjectHashes(u: PublicUser | null): Promise<string[]>;
  /** a correction request to one agency under Law 91/2025 (privacy's `RequestsService.fileTo`): a disputed field */
  fileCorrection(u: PublicUser | null, hashes: string[], agencyId: string, details: string): Promise<{ id: string }>;
  now?: () => Date;
}

export interface ServicesPart {
  procedures: ProceduresService;
  results: ResultsService;
  /** a person's fact from an earlier procedure's signed result: the prefill's source of kind `result` */
  resultFact: ResultFact;
  dossiers: DossiersService;
  /** mounts the pages (after `webRoutes`, which registers the form parser) */
  pages(): void;
}

/** Every sub-part's page strings (static: `app.ts` lists them in `PAGE_CATALOGS`, which the strings' test reads). */
export const SERVICES_MESSAGES: Catalog[] = [RESULTS_MESSAGES, DOSSIERS_MESSAGES];

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
  const results = new ResultsService(deps.db, {
    agency: (id) => deps.masterData.agency(id),
    keyEncryptionKey: deps.kek,
    now: deps.now,
  });
  resultsRoutes(deps.server, results, deps.baseUrl);
  proceduresRoutes(deps.server, procedures, deps.baseUrl);
  const dossiers = new DossiersService(deps.db, {
    procedures,
    // the prefill engine's stand-in until it lands (fetches nothing: bound fields are typed)
    prefills: new InterimPrefills(deps.db, procedures),
    results,
    masterData: deps.masterData,
    calendar: deps.calendar,
    subjectHashes: deps.subjectHashes,
    fileCorrection: deps.fileCorrection,
    databaseNames: async (ids) => {
      const rows = await Promise.all(ids.map((id) => deps.catalog.databases.get(id).catch(() => undefined)));
      return new Map(rows.flatMap((r) => (r ? [[r.id, { name_vi: r.name_vi, name_en: r.name_en }] as const] : [])));
    },
    now: deps.now,
  });
  // an issued dossier links to its signed result's printable page
  const resultLink = async (dossierId: string) => {
    const r = await results.ofDossier(dossierId);
    return r ? resultUrl(r.id) : null;
  };
  dossiersRoutes(deps.server, dossiers, resultLink);
  return {
    procedures,
    results,
    dossiers,
    resultFact: (hashes, procedureId, field) => results.fact(hashes, procedureId, field),
    pages() {
      resultPages(deps.server, results, deps.baseUrl);
      dossierPages(deps.server, { dossiers, resultLink, baseUrl: deps.baseUrl });
    },
  };
}
