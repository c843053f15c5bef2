import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { signedIn, userOf } from '../../accounts/guards.js';
import type { Server } from '../../platform/http.js';
import { publicUser, publicUserOf } from '../../identity/guards.js';
import { EmailBody, FollowBody, WebhookBody } from './follow.schema.js';
import { presentDelivery, presentFollow, presentNotification, presentWebhook } from './follow.presenter.js';
import type { FollowService } from './follow.service.js';
import type { NoticesService } from './notices.service.js';
import type { WebhooksService } from './webhooks.service.js';

const tags = ['follow'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const guard = publicUser({ api: true });
const write = { publicSession: true };
const me = (req: FastifyRequest) => ({ publicUserId: publicUserOf(req).userId });
const staff = (req: FastifyRequest) => ({ staffUserId: userOf(req).userId });

export interface FollowRouteDeps {
  follows: FollowService;
  notices: NoticesService;
  webhooks: WebhooksService;
}

/**
 * A public user's follows, notifications and webhooks through the API (signed in; a write needs the public
 * session's CSRF token in `X-CSRF-Token`).
 */
export function followRoutes(app: Server, d: FollowRouteDeps): void {
  app.get('/api/v1/my/follows', { preHandler: guard, schema: { tags, summary: 'What I follow' } }, async (req) => ({
    follows: (await d.follows.mine(req.publicUser)).map(presentFollow),
    email: await d.follows.emailOn(req.publicUser),
  }));
  app.post(
    '/api/v1/my/follows',
    {
      config: write,
      preHandler: guard,
      schema: { tags, summary: 'Follow a data set, an agency or a search', body: FollowBody },
    },
    async (req, reply) => reply.status(201).send(presentFollow(await d.follows.follow(req.publicUser, req.body))),
  );
  app.delete(
    '/api/v1/my/follows/:id',
    { config: write, preHandler: guard, schema: { tags, summary: 'Stop following', params: Id } },
    async (req, reply) => {
      await d.follows.unfollow(req.publicUser, req.params.id);
      return reply.status(204).send();
    },
  );
  app.put(
    '/api/v1/my/follows/email',
    {
      config: write,
      preHandler: guard,
      schema: { tags, summary: 'E-mail me what I am told, or not', body: EmailBody },
    },
    async (req) => {
      await d.follows.setEmail(req.publicUser, req.body.email);
      return { email: req.body.email };
    },
  );
  app.get(
    '/api/v1/my/notifications',
    { preHandler: guard, schema: { tags, summary: 'What I was told, newest first (the newest 100)' } },
    async (req) => {
      const to = { publicUserId: publicUserOf(req).userId };
      return { notifications: (await d.notices.notifications(to)).map(presentNotification) };
    },
  );
  app.get('/api/v1/my/webhooks', { preHandler: guard, schema: { tags, summary: 'My webhooks' } }, async (req) => ({
    webhooks: (await d.webhooks.mine(me(req))).map((w) => presentWebhook(w)),
  }));
  app.post(
    '/api/v1/my/webhooks',
    {
      config: write,
      preHandler: guard,
      schema: {
        tags,
        summary:
          'Register a webhook (https): it receives everything I am told, signed as Standard Webhooks; the secret is shown once',
        body: WebhookBody,
      },
    },
    async (req, reply) => reply.status(201).send(presentWebhook(await d.webhooks.create(me(req), req.body.url), true)),
  );
  app.get(
    '/api/v1/my/webhooks/:id/deliveries',
    { preHandler: guard, schema: { tags, summary: "A webhook's delivery log (the newest 50)", params: Id } },
    async (req) => {
      const log = await d.webhooks.log(me(req), req.params.id);
      return { webhook: presentWebhook(log.hook), deliveries: log.deliveries.map(presentDelivery) };
    },
  );
  staffWebhookRoutes(app, d.webhooks);
  app.delete(
    '/api/v1/my/webhooks/:id',
    { config: write, preHandler: guard, schema: { tags, summary: 'Delete a webhook', params: Id } },
    async (req, reply) => {
      await d.webhooks.remove(me(req), req.params.id);
      return reply.status(204).send();
    },
  );
}

/** Staff's webhooks (a session or an API token): each receives what the portal tells its owner's agencies. */
function staffWebhookRoutes(app: Server, webhooks: WebhooksService): void {
  const stags = ['follow'];
  app.get(
    '/api/v1/staff/webhooks',
    { preHandler: signedIn, schema: { tags: stags, summary: 'My webhooks (agency staff)' } },
    async (req) => ({ webhooks: (await webhooks.mine(staff(req))).map((w) => presentWebhook(w)) }),
  );
  app.post(
    '/api/v1/staff/webhooks',
    {
      preHandler: signedIn,
      schema: {
        tags: stags,
        summary:
          'Register a webhook (agency staff, https): it receives what the portal tells my agencies (reuses, questions, data requests), signed as Standard Webhooks; the secret is shown once',
        body: WebhookBody,
      },
    },
    async (req, reply) => reply.status(201).send(presentWebhook(await webhooks.create(staff(req), req.body.url), true)),
  );
  app.get(
    '/api/v1/staff/webhooks/:id/deliveries',
    { preHandler: signedIn, schema: { tags: stags, summary: "A webhook's delivery log (agency staff)", params: Id } },
    async (req) => {
      const log = await webhooks.log(staff(req), req.params.id);
      return { webhook: presentWebhook(log.hook), deliveries: log.deliveries.map(presentDelivery) };
    },
  );
  app.delete(
    '/api/v1/staff/webhooks/:id',
    { preHandler: signedIn, schema: { tags: stags, summary: 'Delete a webhook (agency staff)', params: Id } },
    async (req, reply) => {
      await webhooks.remove(staff(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
