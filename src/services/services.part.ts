import type { Kysely } from 'kysely';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { CalendarService } from '../masterdata/calendar/calendar.service.js';
import type { Server } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import type { Catalog } from '../web/i18n.js';
import type { PublicUser } from '../identity/public-principal.js';
import { meterRoutes } from './meter/meter.routes.js';
import { MeterService } from './meter/meter.service.js';
import { METER_MESSAGES } from './meter/pages/messages.js';
import { meterPages } from './meter/pages/meter.routes.js';
import { ProceduresService } from './procedures/procedures.service.js';
import { RESULTS_MESSAGES } from './results/pages/messages.js';
import { resultPages } from './results/pages/results.routes.js';
import type { ResultFact } from './results/result.js';
import { resultsRoutes } from './results/results.routes.js';
import { ResultsService } from './results/results.service.js';
import { proceduresRoutes } from './procedures/procedures.routes.js';
import { procedurePublicPages } from './procedures/pages/public.routes.js';
import { procedureDashboardPages } from './procedures/pages/dashboard.routes.js';
import { PROCEDURES_MESSAGES } from './procedures/pages/messages.js';
import { OffersService } from './offers/offers.service.js';
import { offersRoutes } from './offers/offers.routes.js';
import { offerPages, offersSection, type PageSection } from './offers/pages/offers.routes.js';
import { OFFERS_MESSAGES } from './offers/pages/messages.js';
import { DossiersService } from './dossiers/dossiers.service.js';
import { dossiersRoutes } from './dossiers/dossiers.routes.js';
import { dossierPages } from './dossiers/pages/dossiers.routes.js';
import { DOSSIERS_MESSAGES } from './dossiers/pages/messages.js';
import { PrefillService } from './prefill/prefill.service.js';
import { prefillRoutes } from './prefill/prefill.routes.js';
import { ANONYMOUS } from '../accounts/principal.js';

/** A code of the national list of administrative procedures (`1.004873`, the procedures' schema). */
const PROCEDURE_CODE = /^[0-9]\.[0-9]{6}(\.[0-9A-Z.]{1,30})?$/;

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
  /** the exchange's keyed hash of an X-Road user id (VN + CCCD) under the registry's current subject key */
  subjectHash(xRoadUserId: string): Promise<string>;
  /** a level-2 citizen's keyed hashes under every subject key the registry keeps (identity) */
  subjectHashes(u: PublicUser | null): Promise<string[]>;
  /** a correction request to one agency under Law 91/2025 (privacy's `RequestsService.fileTo`): a disputed field */
  fileCorrection(u: PublicUser | null, hashes: string[], agencyId: string, details: string): Promise<{ id: string }>;
  /** the person's in-force consent artefact for a client, service and purpose (privacy's `ConsentService`) */
  consentArtefact(hashes: string[], client: string, service: string, purpose: string): Promise<string | undefined>;
  now?: () => Date;
}

export interface ServicesPart {
  procedures: ProceduresService;
  /** fetches a procedure's facts for a citizen from the registers and earlier results (`prefill/`) */
  prefill: PrefillService;
  results: ResultsService;
  /** a person's fact from an earlier procedure's signed result: the prefill's source of kind `result` */
  resultFact: ResultFact;
  /** the reuse meter; `agencyShares` feeds the data development index */
  meter: MeterService;
  offers: OffersService;
  dossiers: DossiersService;
  /** what the services add to "my data": the person's open offers, and published procedures' names by code (the
   * purpose of a prefill's reads) */
  myData: { sections: PageSection[]; purposeLabels(codes: string[]): Promise<Map<string, { vi: string; en: string }>> };
  /** mounts the pages (after `webRoutes`, which registers the form parser) */
  pages(): void;
}

/** Every sub-part's page strings (static: `app.ts` lists them in `PAGE_CATALOGS`, which the strings' test reads). */
export const SERVICES_MESSAGES: Catalog[] = [
  PROCEDURES_MESSAGES,
  DOSSIERS_MESSAGES,
  RESULTS_MESSAGES,
  METER_MESSAGES,
  OFFERS_MESSAGES,
];

/** Builds the once-only services part (issue 21): each sub-part adds its service, routes, pages and strings here. */
export function buildServices(deps: ServicesDeps): ServicesPart {
  // a register of databases entry, or nothing for an unknown id: every sub-part names databases through this
  const databaseOf = (id: string) => deps.catalog.databases.get(id).catch(() => undefined);
  const databasesOf = async (ids: string[]) => (await Promise.all(ids.map(databaseOf))).filter((d) => d !== undefined);
  const procedures = new ProceduresService(deps.db, {
    knownElements: async (ids) => {
      const labels = await deps.catalog.dictionary.labels(ids);
      return new Set(labels.keys());
    },
    databaseAgency: async (id) => (await databaseOf(id))?.agency_id,
    agencyCode: async (id) => (await deps.masterData.agency(id)).code,
    agency: (key) => deps.masterData.agency(key),
    agencies: (ids) => deps.masterData.agenciesByIds(ids),
    databaseNames: async (ids) => databasesOf(ids),
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
      const rows = await databasesOf(ids);
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
  const prefill = new PrefillService(deps.db, {
    procedures,
    subjectHashes: (u) => deps.subjectHashes(u),
    consentArtefact: (...a) => deps.consentArtefact(...a),
    resultFact: (hashes, procedureId, field) => results.fact(hashes, procedureId, field),
    databaseName: async (id) => {
      const d = await databaseOf(id);
      return d ? { vi: d.name_vi, en: d.name_en ?? d.name_vi } : undefined;
    },
    agencyName: async (id) => {
      const a = await deps.masterData.agency(id).catch(() => undefined);
      return a ? { vi: a.name_vi, en: a.name_en ?? a.name_vi } : undefined;
    },
    now: deps.now,
  });
  prefillRoutes(deps.server, prefill);
  const dossiers = new DossiersService(deps.db, {
    procedures,
    prefills: prefill,
    results,
    masterData: deps.masterData,
    calendar: deps.calendar,
    subjectHashes: deps.subjectHashes,
    fileCorrection: deps.fileCorrection,
    databaseNames: async (ids) => {
      const rows = await databasesOf(ids);
      return new Map(rows.flatMap((r) => (r ? [[r.id, { name_vi: r.name_vi, name_en: r.name_en }] as const] : [])));
    },
    elementRules: async (ids) => {
      const rows = await Promise.all(ids.map((id) => deps.catalog.dictionary.get(id).catch(() => undefined)));
      return new Map(
        rows.flatMap((r) =>
          r
            ? [
                [
                  r.id,
                  {
                    label_vi: r.label_vi,
                    label_en: r.label_en,
                    constraints: r.constraints ?? {},
                    category: r.personal_data,
                  },
                ] as const,
              ]
            : [],
        ),
      );
    },
    now: deps.now,
  });
  // an issued dossier links to its signed result's page
  const resultLink = (dossierId: string) => results.resultLink(dossierId);
  dossiersRoutes(deps.server, dossiers, resultLink);
  // an offer accepted in one click: prefilled, and submitted at once accepting every prefilled value
  offers.journey = {
    prefill: (u, code, opts) => prefill.prefill(u, code, opts),
    submitAccepted: async (u, p) => {
      const d = await dossiers.submit(u, p.id, {});
      return { id: d.dossier.row.id, reference: d.dossier.row.reference };
    },
  };
  return {
    procedures,
    prefill,
    results,
    resultFact: (hashes, procedureId, field) => results.fact(hashes, procedureId, field),
    meter,
    offers,
    dossiers,
    myData: { sections: [offersSection(offers)], purposeLabels: (codes) => procedureNames(procedures, codes) },
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
      resultPages(deps.server, results, deps.baseUrl);
      meterPages(deps.server, { meter, baseUrl: deps.baseUrl });
      offerPages(deps.server, offers, deps.baseUrl);
      dossierPages(deps.server, { dossiers, resultLink, baseUrl: deps.baseUrl });
    },
  };
}

/** Published procedures' names by code; a code no published procedure has (a legal citation, a withdrawn one) is left out. */
async function procedureNames(procedures: ProceduresService, codes: string[]) {
  const named = await Promise.all(
    codes
      .filter((c) => PROCEDURE_CODE.test(c))
      .slice(0, 100)
      .map((c) => procedures.get(ANONYMOUS, c).catch(() => undefined)),
  );
  return new Map(named.flatMap((p) => (p ? [[p.code, { vi: p.name_vi, en: p.name_en || p.name_vi }] as const] : [])));
}
