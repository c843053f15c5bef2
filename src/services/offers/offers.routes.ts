import type { Server } from '../../platform/http.js';
import { signedIn } from '../../accounts/guards.js';
import { citizen } from '../../identity/guards.js';
import { presentAnnounced, presentMyOffer, presentRule } from './offers.presenter.js';
import { Decision, EventBody, Id, RuleActiveBody, RuleBody } from './offers.schema.js';
import type { OffersService } from './offers.service.js';

const tags = ['services'];
/** An event names a fact about a person: a few kilobytes at most. */
const EVENT_BODY_LIMIT = 8 * 1024;

/**
 * Offers through the API: registers' systems announce events with their agency's API token; deciding agencies'
 * administrators write rules; the person lists and answers their offers (e-ID level 2, the public session's CSRF).
 */
export function offersRoutes(app: Server, offers: OffersService): void {
  app.post(
    '/api/v1/services/events',
    {
      bodyLimit: EVENT_BODY_LIMIT,
      preHandler: signedIn,
      schema: {
        tags,
        summary:
          'Announce an event of a register about a person (an editor of the announcing agency, by API token): kept with the offers its rules make before the answer (202); the same id again: 200 with the same offers',
        body: EventBody,
      },
    },
    async (req, reply) => {
      const a = await offers.announce(req.principal, req.body);
      return reply.status(a.outcome === 'repeated' ? 200 : 202).send(presentAnnounced(a));
    },
  );
  app.get(
    '/api/v1/services/offer-rules',
    { preHandler: signedIn, schema: { tags, summary: 'The offer rules of the agencies I administer' } },
    async (req) => ({ results: (await offers.rules(req.principal)).map(presentRule) }),
  );
  app.post(
    '/api/v1/services/offer-rules',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary:
          'A rule turning each event of a kind from one agency into an offer of a procedure (its agency’s admin)',
        body: RuleBody,
      },
    },
    async (req, reply) => reply.status(201).send(presentRule(await offers.createRule(req.principal, req.body))),
  );
  app.patch(
    '/api/v1/services/offer-rules/:id',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Stop or resume a rule', params: Id, body: RuleActiveBody },
    },
    async (req) => presentRule(await offers.setRuleActive(req.principal, req.params.id, req.body.active)),
  );
  app.get(
    '/api/v1/my/offers',
    { preHandler: citizen({ level: 2, api: true }), schema: { tags, summary: 'My open offers of procedures' } },
    async (req) => ({ results: (await offers.mine(req.publicUser)).map(presentMyOffer) }),
  );
  app.post(
    '/api/v1/my/offers/:id/:decision',
    {
      config: { publicSession: true },
      preHandler: citizen({ level: 2, api: true }),
      schema: {
        tags,
        summary:
          'Accept (prefilled, and submitted at once when registers gave every required field) or decline an offer',
        params: Decision,
      },
    },
    async (req) => {
      const { id, decision } = req.params;
      if (decision === 'decline') return presentMyOffer(await offers.decline(req.publicUser, id));
      const a = await offers.accept(req.publicUser, id);
      return { offer: presentMyOffer(a.offer), dossier: a.dossier, apply_url: a.applyUrl };
    },
  );
}
