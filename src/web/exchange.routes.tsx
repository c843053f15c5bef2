import type { Server } from '../platform/http.js';
import { hasAgencyRole, type User } from '../accounts/principal.js';
import type { RegistryService } from '../exchange/registry.service.js';
import { presentGateway, presentGrant, presentService } from '../exchange/registry.presenter.js';
import { page } from './layout.js';
import { pageContext } from './web.context.js';
import { sendHtml, signedIn, type FormBody } from './session.js';
import { ExchangePage, type ExchangePageData } from './pages/exchange.js';

/** The exchange in the portal: gateways' figures, grants to approve, reject or revoke, services. Access as in the API. */
export function exchangePages(app: Server, registry: RegistryService, instance: string, baseUrl: string) {
  const data = async (user: User, notice: string | null): Promise<ExchangePageData> => {
    const gateways = (await registry.monitoring(user)).map(presentGateway);
    const grants = await registry.listGrants(user);
    const services = await registry.repo.listServices();
    return {
      notice,
      gateways: gateways.map((g) => {
        const report = g.lastReport as { metrics?: { services?: ExchangePageData['gateways'][number]['services']; log?: { size: number; failing?: string }; configuration?: { valid: boolean } } } | null;
        return { id: g.id, agencyName: g.agencyName, address: g.address, lastSeenAt: g.lastSeenAt, services: report?.metrics?.services ?? [], log: report?.metrics?.log ?? null, configValid: report?.metrics?.configuration?.valid ?? null };
      }),
      grants: grants.map((g) => ({ ...presentGrant(g, instance), canDecide: hasAgencyRole(user, g.provider_agency_id, 'agency_admin'), canRevoke: hasAgencyRole(user, g.provider_agency_id, 'agency_admin') || hasAgencyRole(user, g.client_agency_id, 'agency_admin') })),
      services: services.map((v) => presentService(v, instance)),
    };
  };

  app.get('/dashboard/exchange', { schema: { hide: true } }, async (req, reply) => {
    const user = signedIn(req.principal, reply, req.url);
    if (!user) return reply;
    const ctx = pageContext(req, reply, baseUrl);
    const done = (req.query as { done?: string }).done;
    return sendHtml(reply, page(<ExchangePage ctx={ctx} data={await data(user, done ? ctx.t(`exchange.done.${done === 'approve' || done === 'reject' ? done : 'revoke'}` as never) : null)} />));
  });

  app.post('/dashboard/exchange/grants/:id/decision', { schema: { hide: true } }, async (req, reply) => {
    const user = signedIn(req.principal, reply, '/dashboard/exchange');
    if (!user) return reply;
    const { id } = req.params as { id: string };
    const decision = String((req.body as FormBody | undefined)?.decision ?? '');
    const d = decision === 'approve' || decision === 'reject' ? decision : 'revoke';
    await registry.decideGrant(user, id.slice(0, 40), d);
    return reply.redirect(`/dashboard/exchange?done=${d}`, 303);
  });
}
