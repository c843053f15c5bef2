import path from 'node:path';
import type { Config } from './platform/config.js';
import type { Database } from './platform/database.js';
import { createServer, type Server } from './platform/http.js';
import type { Logger } from './platform/logger.js';
import { localFileStore, type FileStore } from './platform/storage.js';
import { AccountsService } from './accounts/accounts.service.js';
import { registerAuth } from './accounts/auth.hook.js';
import { accountsRoutes } from './accounts/accounts.routes.js';
import { auditRoutes } from './accounts/audit.routes.js';
import { MasterDataService } from './masterdata/masterdata.service.js';
import { masterDataRoutes } from './masterdata/masterdata.routes.js';
import { SEARCH_CHANNEL } from './catalog/search-index-keeper.js';
import { CatalogService } from './catalog/catalog.service.js';
import { catalogRoutes } from './catalog/catalog.routes.js';
import { healthRoutes } from './platform/health.routes.js';
import { metricsRoutes } from './platform/metrics.routes.js';
import { ckanRoutes } from './ckan/ckan.routes.js';
import { DatastoreService } from './datastore/query/datastore.service.js';
import { DatastoreSql } from './datastore/query/sql.service.js';
import { AdaptiveIndexes } from './datastore/query/adaptive-index.js';
import { QualityService } from './quality/checks/quality.service.js';
import { qualityRoutes } from './quality/checks/quality.routes.js';
import { CardService } from './quality/card/card.service.js';
import { cardRoutes } from './quality/card/card.routes.js';
import { QualitySweep } from './quality/card/sweep.js';
import { registerSweepJob } from './quality/card/sweep.job.js';
import { registerHousekeepingJob } from './exchange/registry/housekeeping.js';
import { DcatValidator } from './dcat/dcat.validate.js';
import { PrivacyGate } from './quality/privacy/privacy.service.js';
import { privacyRoutes } from './quality/privacy/privacy.routes.js';
import { Jobs } from './platform/jobs.js';
import { QueryGate } from './platform/query-gate.js';
import { registerLoadJob } from './datastore/load/load.job.js';
import { datastoreRoutes } from './datastore/query/datastore.routes.js';
import { tablesRoutes } from './datastore/query/tables.routes.js';
import { PlacesService } from './datastore/places/places.service.js';
import { placesRoutes } from './datastore/places/places.routes.js';
import { dcatRoutes, graphContextOf } from './dcat/dcat.routes.js';
import { webRoutes } from './web/web.routes.js';
import { qualityPages } from './quality/pages/quality.routes.js';
import { qualityMessages } from './quality/pages/messages.js';
import { addMessages, type Catalog } from './web/i18n.js';
import { datasetHtml } from './web/public.routes.js';
import { RegistryService } from './exchange/registry/registry.service.js';
import { registryRoutes } from './exchange/registry/registry.routes.js';
import { ConsentService } from './privacy/consent.service.js';
import { consentRoutes } from './privacy/consent.routes.js';
import { CalendarService } from './masterdata/calendar/calendar.service.js';
import { calendarRoutes } from './masterdata/calendar/calendar.routes.js';
import { RequestsService } from './privacy/requests/requests.service.js';
import { requestsRoutes } from './privacy/requests/requests.routes.js';
import { requestPages } from './privacy/requests/pages/requests.routes.js';
import { REQUESTS_MESSAGES } from './privacy/requests/pages/messages.js';
import { MyDataService } from './privacy/my-data.service.js';
import { myDataRoutes } from './privacy/my-data.routes.js';
import { myDataPages } from './privacy/pages/my-data.routes.js';
import { PRIVACY_MESSAGES } from './privacy/pages/messages.js';
import { BreachService } from './privacy/breach.service.js';
import { breachRoutes } from './privacy/breach.routes.js';
import { breachPages } from './privacy/pages/breach.routes.js';
import { breachDeps } from './app-wiring.js';
import { exchangePages } from './exchange/pages/exchange.routes.js';
import { EXCHANGE_MESSAGES } from './exchange/pages/messages.js';
import { buildIdentity, type IdentityPart } from './identity/identity.part.js';
import { IDENTITY_MESSAGES } from './identity/pages/messages.js';
import { createMailer, type Mailer } from './identity/mailer.js';
import { subjectHash } from './exchange/registry/registry.service.js';
import { buildPortal, type PortalPart } from './portal/portal.part.js';
import type { UsageRanking } from './catalog/search.service.js';
import { dictionaryPages } from './catalog/dictionary/pages/dictionary.routes.js';
import { DICTIONARY_MESSAGES } from './catalog/dictionary/pages/messages.js';
import { ckanActionPaths } from './ckan/ckan.openapi.js';
import { apiDocsPages } from './apidocs/pages/apidocs.routes.js';
import { registerOpenApi } from './apidocs/openapi.js';
import { APIDOCS_MESSAGES } from './apidocs/pages/messages.js';
import { buildServices, SERVICES_MESSAGES, type ServicesPart } from './services/services.part.js';

export { PORTAL_MESSAGES } from './portal/portal.part.js';
import { LOADABLE } from './datastore/load/load.job.js';
import type { CatalogEvent } from './catalog/datasets.service.js';

/** Each part's page strings (its `i18n/` beside its pages), merged into the portal's at start. */
export const PAGE_CATALOGS: Catalog[] = [
  qualityMessages,
  EXCHANGE_MESSAGES,
  IDENTITY_MESSAGES,
  REQUESTS_MESSAGES,
  PRIVACY_MESSAGES,
  DICTIONARY_MESSAGES,
  APIDOCS_MESSAGES,
  ...SERVICES_MESSAGES,
];

export interface App {
  server: Server;
  services: {
    accounts: AccountsService;
    masterData: MasterDataService;
    catalog: CatalogService;
    datastore: DatastoreService;
    places: PlacesService;
    quality: QualityService;
    cards: CardService;
    sweep: QualitySweep;
    registry: RegistryService;
    consents: ConsentService;
    calendar: CalendarService;
    requests: RequestsService;
    myData: MyDataService;
    breaches: BreachService;
    sql: DatastoreSql;
    queryGate: QueryGate;
    identity: IdentityPart['service'];
  };
  /** public users' sign-in: `useEid` points the e-ID at a provider (the stand-in e-ID in a demo) */
  identity: IdentityPart;
  /** background jobs: started by `ndp serve` (and by tests that need them) */
  jobs: Jobs;
  /** asks for this period's quality pass (`ndp serve`'s timer): once per period for every process on the database */
  askSweep: (periodHours: number) => Promise<string | null>;
  /** asks for today's exchange housekeeping (old access records, old checkpoints): once a day for the platform */
  askHousekeeping: () => Promise<string | null>;
  files: FileStore;
  /** issue 20's portal features: its services (counts: `flush()` writes what was counted, as every few seconds; follow: its delivery poller, for tests that drive it) */
  portal: PortalPart;
  /** issue 21's once-only public services: procedures, prefill, dossiers, results, offers, the reuse meter */
  publicServices: ServicesPart;
}

/** The composition root: wires parts together; the only file that knows them all. */
export async function buildApp(
  config: Config,
  database: Database,
  logger: Logger,
  opts: { queueLoads?: boolean; mailer?: Mailer } = {},
): Promise<App> {
  const { db } = database;
  const files = localFileStore(path.join(config.dataDir, 'files'));
  const masterData = new MasterDataService(db);
  const accounts = new AccountsService({
    db,
    sessionTtlHours: config.sessionTtlHours,
    agencyExists: (id) => masterData.agencyExists(id),
  });
  const jobs = new Jobs(database, logger);
  // quality is built further down; a load finished later runs its suite through this
  let afterLoad: ((distributionId: string) => Promise<void>) | undefined;
  let privacy: PrivacyGate | undefined;
  // the portal's counts are built further down; the sorts by use read their ranking through this
  let usageRanking: UsageRanking | undefined;
  // followers are told of published data sets and added files (the portal, built below); a table's file tells
  // them when its load makes a version current instead
  let portal: PortalPart | undefined;
  const catalogChanged = async (e: CatalogEvent) => {
    if (e.kind === 'file.added' && LOADABLE.has(e.distribution.format ?? '')) return;
    await portal?.follow.catalogChanged(e);
  };
  const queueLoad = registerLoadJob(jobs, database, files, logger, (id) => afterLoad?.(id) ?? Promise.resolve());
  const catalog = new CatalogService({
    db,
    files,
    masterData,
    baseUrl: config.baseUrl,
    maxUploadBytes: config.maxUploadBytes,
    searchCacheSeconds: config.searchCacheSeconds,
    // the server keeps the search index; console commands (which load tables themselves) need none
    searchIndex: config.searchIndex && opts.queueLoads !== false,
    onSearchIndexError: (err) => logger.error({ err }, 'search index'),
    // Console commands load tables themselves, with progress; the server queues them.
    onTableSourceChanged: opts.queueLoads === false ? undefined : (x) => queueLoad(x),
    // the personal-data gate lives with quality, built below
    beforePublish: (d) => privacy?.problems(d) ?? Promise.resolve([]),
    usageRanking: (by) => usageRanking?.(by) ?? Promise.resolve([]),
    onChanged: catalogChanged,
  });
  const mailer =
    opts.mailer ?? createMailer({ smtpUrl: config.identity.smtpUrl, from: config.identity.mailFrom, logger });

  const server = await createServer({ logger, maxUploadBytes: config.maxUploadBytes, trustProxy: config.trustProxy });
  await registerOpenApi(server, config.baseUrl, ckanActionPaths);
  registerAuth(server, accounts);
  // public users (citizens, reusers) are known on every request after staff: the person's id number becomes the
  // exchange's keyed hashes (of the X-Road-UserId "VN" + CCCD) under every subject key the registry keeps
  const identity = buildIdentity(server, {
    db,
    config: config.identity,
    baseUrl: config.baseUrl,
    secureCookies: config.secureCookies,
    logger,
    staff: accounts,
    mailer,
    subjectHashes: async (xRoadUserId) => {
      const a = await registry.authority();
      return [a.subjectKey, ...a.previousSubjectKeys].map((k) => subjectHash(k, xRoadUserId));
    },
  });
  healthRoutes(server, database);
  metricsRoutes(server, database, config.metricsToken);
  accountsRoutes(server, accounts, { secureCookies: config.secureCookies });
  auditRoutes(server, db);
  masterDataRoutes(server, masterData, config.baseUrl);
  catalogRoutes(server, catalog, config.baseUrl);
  const datastore = new DatastoreService(
    db,
    catalog.datasets,
    new AdaptiveIndexes(db, database.driver, logger),
    database.queryDb,
  );
  datastoreRoutes(server, datastore, catalog.datasets, jobs);
  // strangers' queries (SQL and table APIs): their own pool on PostgreSQL, a few at once, a share per client
  const queryGate = new QueryGate({ slots: config.queryPoolSize, perClient: config.queryPerClient });
  const datastoreSql = new DatastoreSql(database.queryDb, database.driver, datastore, {
    gate: queryGate,
    maxBytes: config.queryMaxBytes,
  });
  tablesRoutes(server, datastore, queryGate);
  const places = new PlacesService(db, catalog.datasets, datastore, () => masterData.placeNames());
  placesRoutes(server, places, catalog.datasets);
  const quality = new QualityService(db, catalog.datasets, datastore, undefined, files);
  const cards = new CardService(db, quality, catalog.datasets, datastore, () => new Date());
  quality.onReport = (datasetId, reason) => cards.snapshot(datasetId, reason);
  const dcatValidator = new DcatValidator(graphContextOf(masterData, config.baseUrl));
  cards.compliance = (view) => dcatValidator.compliant(view);
  const agencyIdOf = async (key: string) => (await masterData.agency(key)).id;
  qualityRoutes(server, quality, agencyIdOf);
  cardRoutes(server, cards, agencyIdOf);
  const sweep = new QualitySweep(quality, cards, { allowPrivateLinks: config.probePrivateLinks });
  const askSweep = registerSweepJob(jobs, sweep, logger);
  afterLoad = async (id) => {
    const current = await datastore.latestReady(id);
    if (current) await portal?.follow.versionCurrent(id, current.version);
    catalog.searchWritten(); // a version made current changed what its data set is found by
    // place-name columns are recognised for the load report and the code columns added to the file kept; a failure
    // there never stops the quality run
    await places.afterLoad(id).catch((err: unknown) => logger.warn({ err, distributionId: id }, 'place names'));
    // the kept suite runs over the new version (and the card keeps a snapshot); without a suite, the card still changes
    if (await quality.runAfterLoad(id)) return;
    const distribution = await catalog.datasets.findDistribution(id);
    if (distribution) await cards.snapshot(distribution.dataset_id, 'load');
  };
  // a version published, or rolled back to, is checked and scored as a new load is: the card follows the current one
  datastore.onCurrentChanged = (id) => afterLoad!(id);
  privacy = new PrivacyGate(db, catalog.datasets, datastore, database, catalog.dictionary);
  privacyRoutes(server, privacy);
  const askHousekeeping = registerHousekeepingJob(
    jobs,
    db,
    { accessRecordDays: config.exchangeAccessRecordDays, checkpointThinDays: config.exchangeCheckpointThinDays },
    logger,
  );
  const registry = new RegistryService(db, {
    instance: config.exchangeInstance,
    baseUrl: config.baseUrl,
    validityHours: config.exchangeValidityHours,
    keyEncryptionKey: config.exchangeKeyEncryptionKey,
    resolveAgency: async (key) => (await masterData.agency(key)).id,
    // services declare the dictionary fields they return; a sensitive one makes grants need a basis and a purpose
    fieldFlags: (ids) => catalog.dictionary.flags(ids),
  });
  registryRoutes(server, registry, config.exchangeInstance);
  const consents = new ConsentService(db, registry, config.exchangeInstance);
  consentRoutes(server, consents, registry);
  const calendar = new CalendarService(db);
  calendarRoutes(server, calendar);
  const requests = new RequestsService(db, { registry, masterData, calendar });
  requestsRoutes(server, { requests, subjectHashes: (u) => identity.service.subjectHashes(u) });
  // "my data": the person's own reads and consents, from the keyed hashes of their level-2 e-ID sign-in
  const myData = new MyDataService({
    db,
    registry,
    consents,
    subjectHashes: (u) => identity.service.subjectHashes(u),
    proofs: (refs) => registry.recordProofs(refs),
    fieldLabels: (ids) => catalog.dictionary.labels(ids),
  });
  myDataRoutes(server, myData);
  const breaches = new BreachService(db, registry, config.exchangeInstance, breachDeps(masterData, catalog));
  breachRoutes(server, breaches);
  // every process drops its kept search pages, and reads again into its search index, what any process wrote; a
  // console command (no load queue) serves no searches, and a LISTEN connection of its own would keep it from exiting
  const unlistenSearch =
    opts.queueLoads === false
      ? async () => undefined
      : await database.listen(SEARCH_CHANNEL, (payload) => catalog.searchNotice(payload));
  void catalog.startSearchIndex().catch(() => undefined); // errors are logged by the keeper
  server.addHook('onClose', async () => {
    await unlistenSearch();
    await datastore.indexes?.settled();
  });
  await server.register(async (scope) =>
    ckanRoutes(scope as unknown as Server, catalog, masterData, datastore, config.baseUrl, datastoreSql, (ids) =>
      portalPart.counts.tracking(ids),
    ),
  );
  const portalPart = buildPortal({
    db,
    server,
    logger,
    baseUrl: config.baseUrl,
    catalog,
    masterData,
    calendar,
    tableVersions: (id) => datastore.versionsOf(id),
    mailer,
    publicContact: (id) => identity.service.contact(id),
    agencyStaff: (id) => accounts.agencyStaff(id),
    allowPrivateLinks: config.probePrivateLinks,
  });
  portal = portalPart;
  usageRanking = (by) => portalPart.counts.ranking(by);
  const deliverer = portalPart.follow.deliverer;
  // the poller of notices runs in the server (and tests), never in a console command
  if (opts.queueLoads !== false) server.addHook('onReady', async () => deliverer.start());
  server.addHook('onClose', () => deliverer.stop());
  const kek = config.exchangeKeyEncryptionKey;
  const publicServices = buildServices({
    db,
    server,
    logger,
    baseUrl: config.baseUrl,
    catalog,
    masterData,
    calendar,
    kek,
    exchange: { instance: config.exchangeInstance, services: (id) => registry.listServices(id) },
    subjectHash: async (xRoadUserId) => subjectHash((await registry.authority()).subjectKey, xRoadUserId),
    subjectHashes: (u) => identity.service.subjectHashes(u),
    fileCorrection: (u, hashes, agencyId, details) => requests.fileTo(u, hashes, agencyId, details),
    consentArtefact: (...a) => consents.artefactInForce(...a),
  });
  for (const catalog of [...PAGE_CATALOGS, ...portalPart.messages]) addMessages(catalog);
  await webRoutes(
    server,
    {
      accounts,
      catalog,
      masterData,
      datastore,
      privacy,
      places,
      figures: {
        usage: (ids) => portalPart.counts.totals(ids),
        grades: (ids) => cards.grades(ids),
        mostDownloaded: () => portalPart.counts.ranking('downloads'),
        downloads: () => portalPart.counts.downloads(),
      },
    },
    { baseUrl: config.baseUrl, secureCookies: config.secureCookies, staffSso: identity.staffSso },
  );
  // after webRoutes, which registers the form parser for every page
  identity.routes();
  qualityPages(server, { catalog, masterData, quality, cards }, config.baseUrl);
  exchangePages(server, registry, masterData, config.exchangeInstance, config.baseUrl);
  requestPages(server, {
    requests,
    subjectHashes: (u) => identity.service.subjectHashes(u),
    baseUrl: config.baseUrl,
  });
  myDataPages(server, myData, config.baseUrl, publicServices.myData);
  breachPages(server, breaches, registry, config.exchangeInstance, config.baseUrl);
  dictionaryPages(server, { dictionary: catalog.dictionary, masterData, baseUrl: config.baseUrl });
  portalPart.pages();
  publicServices.pages();
  apiDocsPages(server, config.baseUrl);
  const datasetPage = datasetHtml(catalog, masterData, datastore, config.baseUrl, portalPart.datasetSections);
  dcatRoutes(server, catalog, masterData, config.baseUrl, datasetPage);
  return {
    server,
    services: {
      accounts,
      masterData,
      catalog,
      datastore,
      places,
      quality,
      cards,
      sweep,
      registry,
      consents,
      calendar,
      requests,
      myData,
      breaches,
      sql: datastoreSql,
      queryGate,
      identity: identity.service,
    },
    identity,
    portal: portalPart,
    publicServices,
    files,
    jobs,
    askSweep,
    askHousekeeping,
  };
}
