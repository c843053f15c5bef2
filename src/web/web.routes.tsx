import path from 'node:path';
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import staticFiles from '@fastify/static';
import type { Server } from '../platform/http.js';
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

const ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

export async function webRoutes(app: Server, services: { accounts: AccountsService; catalog: CatalogService; masterData: MasterDataService }, opts: { baseUrl: string; secureCookies: boolean }) {
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(staticFiles, { root: ASSETS, prefix: '/assets/', maxAge: '1h', index: false, decorateReply: false });
  publicPages(app, services.catalog, services.masterData, opts.baseUrl);
  publisherPages(app, services.accounts, services.catalog, services.masterData, opts);
  registerPages(app, services.catalog, services.masterData, opts.baseUrl);
  adminPages(app, services.accounts, services.masterData, opts.baseUrl);
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
