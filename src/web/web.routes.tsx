import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import formbody from '@fastify/formbody';
import staticFiles from '@fastify/static';
import type { Server } from '../platform/http.js';
import { DomainError } from '../platform/errors.js';
import type { Principal } from '../accounts/principal.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { page } from './layout.js';
import { htmlHeaders, pageContext } from './web.context.js';
import { ErrorPage } from './pages/errors.js';
import { publicPages } from './public.routes.js';
import { publisherPages } from './publisher.routes.js';
import { registerPages } from './register.routes.js';
import { adminPages } from './admin.routes.js';
import { tablePages } from './tables.routes.js';
import type { DatastoreService } from '../datastore/query/datastore.service.js';
import type { PrivacyGate } from '../quality/privacy/privacy.service.js';
import type { PlacesService } from '../datastore/places/places.service.js';
import type { PortalFigures } from './portal-figures.js';

const ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
// the package's exports do not list its UMD build: find the package, then the file beside its entry
const CHART_JS = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), '..', 'dist');

export async function webRoutes(
  app: Server,
  services: {
    accounts: AccountsService;
    catalog: CatalogService;
    masterData: MasterDataService;
    datastore: DatastoreService;
    privacy?: PrivacyGate;
    places?: PlacesService;
    /** views, downloads and quality grades of data sets (from app.ts) */
    figures?: PortalFigures;
  },
  opts: { baseUrl: string; secureCookies: boolean; staffSso?: boolean },
) {
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(staticFiles, {
    root: ASSETS,
    prefix: '/assets/',
    maxAge: '1h',
    index: false,
    decorateReply: false,
  });
  // the chart library, served from its package (no copy in the repo)
  await app.register(staticFiles, {
    root: CHART_JS,
    prefix: '/assets/vendor/chartjs/',
    maxAge: '1d',
    index: false,
    decorateReply: false,
    allowedPath: (p) => p === '/chart.umd.min.js',
  });
  // browsers ask for /favicon.ico whatever the page links: send them to the one icon there is
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) =>
    reply.redirect('/assets/favicon.svg', 301),
  );
  publicPages(app, services.catalog, services.masterData, opts.baseUrl, services.figures);
  // the schema picker keeps an unmapped column's loaded type (none loaded yet: NOT_FOUND)
  const loadedColumns = (p: Principal, id: string) =>
    services.datastore.table(p, id).then(
      (t) => t.columns,
      (err: unknown) => {
        if (err instanceof DomainError && err.code === 'NOT_FOUND') return null;
        throw err;
      },
    );
  publisherPages(app, services.accounts, services.catalog, services.masterData, { ...opts, loadedColumns });
  registerPages(app, services.catalog, services.masterData, opts.baseUrl);
  adminPages(app, services.accounts, services.masterData, opts.baseUrl);
  tablePages(
    app,
    services.catalog,
    services.datastore,
    opts.baseUrl,
    services.privacy,
    services.masterData,
    services.places,
  );
  // Browsers get friendly pages for errors; a signed-out visitor is sent to sign in.
  app.errorPage.render = (req, reply, err) => {
    htmlHeaders(reply);
    const ctx = pageContext(req, reply, opts.baseUrl);
    if (err.code === 'UNAUTHENTICATED') {
      reply.status(303).header('location', `/signin?next=${encodeURIComponent(req.url)}`);
    }
    return page(<ErrorPage ctx={ctx} status={err.status} message={err.messages[ctx.lang]} />);
  };
}
