import type { Kysely } from 'kysely';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { CalendarService } from '../masterdata/calendar/calendar.service.js';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { Catalog } from '../web/i18n.js';
import { meterRoutes } from './meter/meter.routes.js';
import { MeterService } from './meter/meter.service.js';
import { METER_MESSAGES } from './meter/pages/messages.js';
import { meterPages } from './meter/pages/meter.routes.js';
import type { PublicUser } from '../identity/public-principal.js';
import { ProceduresService } from './procedures/procedures.service.js';
import { RESULTS_MESSAGES } from './results/pages/messages.js';
import { resultPages } from './results/pages/results.routes.js';
import type { ResultFact } from './results/result.js';
import { resultsRoutes } from './results/results.routes.js';
import { ResultsService } from './results/results.service.js';
import { proceduresRoutes } from './procedures/procedures.routes.js';
import { OffersService } from './offers/offers.service.js';
import { offersRoutes } from './offers/offers.routes.js';
import { offerPages, offersSection, type PageSection } from './offers/pages/offers.routes.js';
import { OFFERS_MESSAGES } from './offers/pages/messages.js';
import { DossiersService } from './dossiers/dossiers.service.js';
import { dossiersRoutes } from './dossiers/dossiers.routes.js';
import { dossierPages } from './dossiers/pages/dossiers.routes.js';
import { DOSSIERS_MESSAGES } from './dossiers/pages/messages.js';
import { InterimPrefills } from './dossiers/interim-prefills.js';
import { resultUrl } from './results/result.js';

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
  /** the exchange's keyed hash of an X-Road user id (VN + CCCD) under the registry's current subject key */
  subjectHash(xRoadUserId: string): Promise<string>;
  /** a level-2 citizen's keyed hashes under every subject key the registry keeps (identity) */
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
  /** the reuse meter; `agencyShares` feeds the data development index */
  meter: MeterService;
  offers: OffersService;
  dossiers: DossiersService;
  /** the sections the services add to "my data" (the person's open offers) */
  myDataSections: PageSection[];
  /** mounts the pages (after `webRoutes`, which registers the form parser) */
  pages(): void;
}

/** Every sub-part's page strings (static: `app.ts` lists them in `PAGE_CATALOGS`, which the strings' test reads). */
export const SERVICES_MESSAGES: Catalog[] = [DOSSIERS_MESSAGES, RESULTS_MESSAGES, METER_MESSAGES, OFFERS_MESSAGES];

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
  const meter = new MeterService(deps.db, {
    agencyId: async (key) => (await deps.masterData.agency(key)).id,
    registerNames: async (ids) => {
      const rows = await Promise.all(ids.map((id) => deps.catalog.databases.get(id).catch(() => undefined)));
      return new Map(rows.flatMap((r) => (r ? [[r.id, { vi: r.name_vi, en: r.name_en || r.name_vi }]] : [])));
    },
    elementLabels: (ids) => deps.catalog.dictionary.labels(ids),
  });
  resultsRoutes(deps.server, results, deps.baseUrl);
  meterRoutes(deps.server, meter);
  proceduresRoutes(deps.server, procedures, deps.baseUrl);
  const offers = new OffersService(deps.db, {
    procedures,
    agencyId: async (key) => (await deps.masterData.agency(key)).id,
    agencyNames: async (ids) => new Map((await deps.masterData.agenciesByIds(ids)).map((a) => [a.id, a])),
    subjectHash: deps.subjectHash,
    subjectHashes: deps.subjectHashes,
    now: deps.now,
  });
  offersRoutes(deps.server, offers);
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
  // an issued dossier links to its signed result's page
  const resultLink = async (dossierId: string) => {
    const r = await results.ofDossier(dossierId);
    return r ? resultUrl(r.id) : null;
  };
  dossiersRoutes(deps.server, dossiers, resultLink);
  // an offer accepted in one click: prefilled as the apply form is, submitted accepting every value registers gave
  offers.journey = {
    prefill: async (u, code, opts) => (await dossiers.start(u, code, opts)).prefill,
    submitAccepted: async (u, prefill) => {
      const { dossier } = await dossiers.submit(u, prefill.id, {});
      return { id: dossier.row.id, reference: dossier.row.reference };
    },
  };
  return {
    procedures,
    results,
    resultFact: (hashes, procedureId, field) => results.fact(hashes, procedureId, field),
    meter,
    offers,
    dossiers,
    myDataSections: [offersSection(offers)],
    pages() {
      resultPages(deps.server, results, deps.baseUrl);
      meterPages(deps.server, { meter, baseUrl: deps.baseUrl });
      offerPages(deps.server, offers, deps.baseUrl);
      dossierPages(deps.server, { dossiers, resultLink, baseUrl: deps.baseUrl });
    },
  };
}
