import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Server } from '../../../platform/http.js';
import { signedInPage, userOf } from '../../../accounts/guards.js';
import { citizen } from '../../../identity/guards.js';
import type { PageContext } from '../../../web/context.js';
import { page } from '../../../web/layout.js';
import { sendHtml } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import { Decision } from '../offers.schema.js';
import type { OffersService } from '../offers.service.js';
import { OffersBoardPage, OffersSection } from './offer-views.js';

const hide = { hide: true };

/** A section of another part's page (privacy's "my data" takes these from `app.ts`): null when there is nothing. */
export type PageSection = (req: FastifyRequest, ctx: PageContext) => Promise<VNode | null>;

/** The person's open offers on "my data"; nothing when they have none. */
export function offersSection(offers: OffersService): PageSection {
  return async (req, ctx) => {
    const mine = await offers.mine(req.publicUser);
    return mine.length ? <OffersSection ctx={ctx} offers={mine} /> : null;
  };
}

/**
 * The offers' pages: the person's answers from "my data" (e-ID level 2, the public session's CSRF token in `_csrf`)
 * and the deciding agency's dashboard of rules and offers (staff session).
 */
export function offerPages(app: Server, offers: OffersService, baseUrl: string): void {
  app.post(
    '/my-data/offers/:id/:decision',
    { schema: { ...hide, params: Decision }, config: { publicSession: true }, preHandler: citizen({ level: 2 }) },
    async (req, reply) => {
      const { id, decision } = req.params as { id: string; decision: 'accept' | 'decline' };
      const en = pageContext(req, reply, baseUrl).lang === 'en' ? '?lang=en' : '';
      if (decision === 'decline') {
        await offers.decline(req.publicUser, id);
        return reply.redirect(`/my-data${en}#offers`, 303);
      }
      const a = await offers.accept(req.publicUser, id);
      // the dossier submitted in the one click (its page says so, as after the form), or the apply form with what
      // the registers gave
      const lang = en ? '&lang=en' : '';
      const to = a.dossier ? `/my/dossiers/${a.dossier.id}?sent=1${lang}` : `${a.applyUrl}${lang}`;
      return reply.redirect(to, 303);
    },
  );

  app.get('/dashboard/services/offers', { schema: hide, preHandler: signedInPage() }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const board = await offers.board(userOf(req));
    return sendHtml(reply, page(<OffersBoardPage ctx={ctx} board={board} />));
  });
}
