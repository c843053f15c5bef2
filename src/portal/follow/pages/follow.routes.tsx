import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Server } from '../../../platform/http.js';
import { DomainError } from '../../../platform/errors.js';
import { signedInPage, userOf } from '../../../accounts/guards.js';
import { publicUser, publicUserOf } from '../../../identity/guards.js';
import type { CatalogService } from '../../../catalog/catalog.service.js';
import type { MasterDataService } from '../../../masterdata/masterdata.service.js';
import { page } from '../../../web/layout.js';
import { formValue, sendHtml, type FormBody } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import type { FollowBody } from '../follow.schema.js';
import type { FollowService } from '../follow.service.js';
import type { NoticesService } from '../notices.service.js';
import type { WebhookRow } from '../notices.repository.js';
import type { WebhooksService } from '../webhooks.service.js';
import { searchOf } from '../feeds.routes.js';
import { followHref, MyFollowsPage } from './my-follows.js';
import { StaffNotificationsPage } from './staff-notifications.js';
import { WebhookLogPage } from './webhook-log.js';

const hide = { hide: true };
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const write = { publicSession: true };
const DONE = ['followed', 'unfollowed', 'email', 'read', 'hookDeleted'];

export interface FollowPagesDeps {
  follows: FollowService;
  notices: NoticesService;
  webhooks: WebhooksService;
  catalog: CatalogService;
  masterData: MasterDataService;
  baseUrl: string;
}

/** A return address on this site only (a path, never `//host`). */
const safeNext = (raw: string) => (/^\/(?!\/)[^\s\\]*$/.test(raw) ? raw : null);

export function followPages(app: Server, d: FollowPagesDeps): void {
  const myPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { created?: WebhookRow | null; errors?: string[]; url?: string } = {},
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const user = publicUserOf(req);
    const to = { publicUserId: user.userId };
    const [follows, notifications, unread, email, hooks] = await Promise.all([
      d.follows.mine(user),
      d.notices.notifications(to),
      d.notices.unread(to),
      d.follows.emailOn(user),
      d.webhooks.mine({ publicUserId: user.userId }),
    ]);
    const ids = follows.filter((f) => f.target_kind === 'dataset').map((f) => f.target);
    const slugs = new Map((await d.catalog.datasets.byIds(ids)).map((x) => [x.id, x.slug]));
    const agencies = new Map(
      (await d.masterData.agenciesByIds(follows.filter((f) => f.target_kind === 'agency').map((f) => f.target))).map(
        (a) => [a.id, a.slug],
      ),
    );
    const done = String((req.query as { done?: string }).done ?? '');
    return sendHtml(
      reply,
      page(
        <MyFollowsPage
          ctx={ctx}
          d={{
            follows: follows.map((f) => ({
              ...f,
              href: followHref(f, slugs.get(f.target) ?? agencies.get(f.target)),
            })),
            notifications,
            unread,
            email,
            hasEmail: !!user.email,
            hooks,
            created: extra.created ?? null,
            notice: DONE.includes(done) ? ctx.t(`follow.notice.${done}`) : null,
            errors: extra.errors ?? [],
            url: extra.url ?? '',
          }}
        />,
      ),
      status,
    );
  };

  app.get('/my/follows', { schema: hide, preHandler: publicUser() }, (req, reply) => myPage(req, reply));

  app.post('/my/follows', { schema: hide, config: write, preHandler: publicUser() }, async (req, reply) => {
    const body = (req.body as FormBody | undefined) ?? {};
    const kind = formValue(body, 'kind', 10);
    let follow: FollowBody;
    if (kind === 'dataset') follow = { kind, dataset: formValue(body, 'dataset', 200) };
    else if (kind === 'agency') follow = { kind, agency: formValue(body, 'agency', 200) };
    else if (kind === 'search') follow = { kind, search: searchOf(body) };
    else throw new DomainError('VALIDATION_FAILED');
    await d.follows.follow(req.publicUser, follow);
    return reply.redirect(safeNext(formValue(body, 'next', 2000)) ?? '/my/follows?done=followed', 303);
  });

  app.post(
    '/my/follows/:id/delete',
    { schema: { ...hide, params: Id }, config: write, preHandler: publicUser() },
    async (req, reply) => {
      await d.follows.unfollow(req.publicUser, req.params.id);
      const next = safeNext(formValue((req.body as FormBody | undefined) ?? {}, 'next', 2000));
      return reply.redirect(next ?? '/my/follows?done=unfollowed', 303);
    },
  );

  app.post('/my/follows/email', { schema: hide, config: write, preHandler: publicUser() }, async (req, reply) => {
    await d.follows.setEmail(req.publicUser, formValue((req.body as FormBody | undefined) ?? {}, 'email', 3) === 'on');
    return reply.redirect('/my/follows?done=email', 303);
  });

  app.post('/my/notifications/read', { schema: hide, config: write, preHandler: publicUser() }, async (req, reply) => {
    await d.notices.markRead({ publicUserId: publicUserOf(req).userId });
    return reply.redirect('/my/follows?done=read', 303);
  });

  app.post('/my/webhooks', { schema: hide, config: write, preHandler: publicUser() }, async (req, reply) => {
    const url = formValue((req.body as FormBody | undefined) ?? {}, 'url', 2000).trim();
    try {
      // the secret is shown on this answer only: no redirect
      return await myPage(req, reply, {
        created: await d.webhooks.create({ publicUserId: publicUserOf(req).userId }, url),
      });
    } catch (err) {
      if (!(err instanceof DomainError) || !['VALIDATION_FAILED', 'INVALID_STATE'].includes(err.code)) throw err;
      const lang = pageContext(req, reply, d.baseUrl).lang;
      const errors = [err.messages[lang], ...err.details.map((x) => x[lang])];
      return myPage(req, reply, { errors, url }, err.status);
    }
  });

  app.get('/my/webhooks/:id', { schema: { ...hide, params: Id }, preHandler: publicUser() }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const log = await d.webhooks.log({ publicUserId: publicUserOf(req).userId }, req.params.id);
    return sendHtml(reply, page(<WebhookLogPage ctx={ctx} hook={log.hook} deliveries={log.deliveries} />));
  });

  app.post(
    '/my/webhooks/:id/delete',
    { schema: { ...hide, params: Id }, config: write, preHandler: publicUser() },
    async (req, reply) => {
      await d.webhooks.remove({ publicUserId: publicUserOf(req).userId }, req.params.id);
      return reply.redirect('/my/follows?done=hookDeleted', 303);
    },
  );

  app.get('/dashboard/notifications', { schema: hide, preHandler: signedInPage() }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const to = { staffUserId: userOf(req).userId };
    const [items, unread] = await Promise.all([d.notices.notifications(to), d.notices.unread(to)]);
    const notice = (req.query as { done?: string }).done === 'read' ? ctx.t('follow.notice.read') : null;
    return sendHtml(reply, page(<StaffNotificationsPage ctx={ctx} items={items} unread={unread} notice={notice} />));
  });

  app.post(
    '/dashboard/notifications/read',
    { schema: hide, preHandler: signedInPage('/dashboard/notifications') },
    async (req, reply) => {
      await d.notices.markRead({ staffUserId: userOf(req).userId });
      return reply.redirect('/dashboard/notifications?done=read', 303);
    },
  );
}
