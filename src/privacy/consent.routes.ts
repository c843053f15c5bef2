import type { Server } from '../platform/http.js';
import { Type } from '@sinclair/typebox';
import { signedIn } from '../accounts/guards.js';
import type { RegistryService } from '../exchange/registry/registry.service.js';
import { presentConsent } from './consent.presenter.js';
import { ConsentRequest } from './consent.schema.js';
import type { ConsentService } from './consent.service.js';

const tags = ['privacy'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * The agencies' side of consent (the person's side is "my data", with the e-ID), and the provider gateways' feed of
 * withdrawals. A system asks with an agency API token; it fetches the artefact once the person approved it.
 */
export function consentRoutes(app: Server, consents: ConsentService, registry: RegistryService): void {
  app.post(
    '/api/v1/privacy/consents',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Ask a person for consent, for one of the agency’s systems (the person decides in “my data”)',
        body: ConsentRequest,
      },
    },
    async (req, reply) => {
      const c = await consents.request(req.principal, req.body as ConsentRequest);
      return reply.status(201).send(presentConsent(c, c.recipient));
    },
  );
  app.get(
    '/api/v1/privacy/consents/:id',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'A consent the agency asked for: its status, and the signed artefact to send with calls while active',
        params: Id,
      },
    },
    async (req) => {
      const c = await consents.forRecipient(req.principal, req.params.id);
      return presentConsent(c, c.recipient, c.artefact);
    },
  );
  // signed by the gateway as its other calls to the registry are; answered with the ids withdrawn after `after`.
  // Every provider gateway asks each second: its requests are not logged at info (they buried `npm start`'s
  // "how to sign in" under 2 lines a second); warnings and errors still are.
  app.get(
    '/api/v1/exchange/consents/withdrawn',
    {
      logLevel: 'warn',
      schema: {
        tags,
        summary:
          'Consents withdrawn after a sequence number (gateway-signed request): provider gateways ask every second',
        querystring: Type.Object({ after: Type.Integer({ minimum: 0, default: 0 }) }),
      },
    },
    async (req, reply) => {
      await registry.authenticateGateway('GET', req.url, req.headers, Buffer.alloc(0));
      const withdrawn = await consents.withdrawnAfter(req.query.after);
      reply.header('cache-control', 'no-store');
      return { withdrawn };
    },
  );
}
