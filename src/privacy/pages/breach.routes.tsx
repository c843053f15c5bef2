import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from '../../platform/http.js';
import { DomainError } from '../../platform/errors.js';
import type { User } from '../../accounts/principal.js';
import { signedInPage, userOf } from '../../accounts/guards.js';
import { page } from '../../web/layout.js';
import type { Lang } from '../../web/i18n.js';
import { pageContext } from '../../web/web.context.js';
import { formValue, sendHtml, type FormBody } from '../../web/session.js';
import { MEMBER_CLASS, type RegistryService } from '../../exchange/registry/registry.service.js';
import { presentBreach } from '../breach.presenter.js';
import type { BreachService } from '../breach.service.js';
import { BreachListPage, BreachPage, type BreachListData } from './breach-pages.js';
import { inLang } from './when.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const back = signedInPage('/dashboard/privacy/breaches');
/** A datetime-local field, read as Vietnam time; anything else is passed on for the API's schema to refuse. */
const vietnamTime = (v: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00+07:00` : v);
const CONFIRM = {
  vi: 'Hãy đánh dấu ô “Tôi đã kiểm tra bản thảo” trước khi gửi: thông báo đã gửi thì không sửa được.',
  en: 'Tick “I have checked the draft” before sending: a sent notification cannot be changed.',
};
const asList = (v: FormBody[string]) => (Array.isArray(v) ? v : v ? [v] : []).filter((x) => UUID.test(x));

/** The breach pages: an agency's administrators record and notify, the supervisor reads every agency's. */
export function breachPages(
  app: Server,
  breaches: BreachService,
  registry: RegistryService,
  instance: string,
  baseUrl: string,
) {
  const named = async (lang: Lang, rows: Awaited<ReturnType<BreachService['list']>>) => {
    const names = await breaches.agencyNames(rows.map((r) => r.breach.agency_id));
    return rows.map((r) => {
      const n = names.get(r.breach.agency_id);
      return { ...presentBreach(r.breach, r.clock), agencyName: n ? inLang(lang, n.vi, n.en) : '' };
    });
  };
  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    user: User,
    form: { errors: { field?: string; vi: string; en: string }[]; values: Record<string, string> } = {
      errors: [],
      values: {},
    },
    status = 200,
  ) => {
    const supervisor = user.isPlatformAdmin && user.via === 'session';
    const adminOf = [...user.roles.entries()].filter(([, r]) => r === 'agency_admin').map(([a]) => a);
    if (!supervisor && !adminOf.length) throw new DomainError('FORBIDDEN');
    const ctx = pageContext(req, reply, baseUrl);
    const lang = ctx.lang;
    const names = await breaches.agencyNames(adminOf);
    const services = (await registry.listServices()).filter((s) => adminOf.includes(s.agency_id));
    const data: BreachListData = {
      breaches: await named(lang, await breaches.list(user)),
      overdue: supervisor ? await named(lang, await breaches.list(user, { overdue: true })) : null,
      form: adminOf.length
        ? {
            agencies: adminOf.map((id) => {
              const n = names.get(id);
              return { id, name: n ? inLang(lang, n.vi, n.en) : id };
            }),
            services: services.map((s) => ({
              id: s.id,
              label: `${instance}/${MEMBER_CLASS}/${s.member_code}/${s.subsystem_code}/${s.code} — ${s.title}`,
            })),
            ...form,
          }
        : null,
    };
    return sendHtml(reply, page(<BreachListPage ctx={ctx} data={data} />), status);
  };
  const detailPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    user: User,
    id: string,
    errors: { vi: string; en: string }[] = [],
    status = 200,
  ) => {
    if (!UUID.test(id)) throw new DomainError('NOT_FOUND');
    const ctx = pageContext(req, reply, baseUrl);
    const b = await breaches.get(user, id);
    const [breach] = await named(ctx.lang, [b]);
    const services = await Promise.all(b.breach.service_ids.map((s) => registry.service(s)));
    const done = (req.query as { done?: string }).done;
    return sendHtml(
      reply,
      page(
        <BreachPage
          ctx={ctx}
          data={{
            breach: breach!,
            services: services.flatMap((v) =>
              v ? [`${instance}/${MEMBER_CLASS}/${v.member_code}/${v.subsystem_code}/${v.code}`] : [],
            ),
            people: await breaches.people(user, id, { limit: 50 }),
            canEdit: user.roles.get(b.breach.agency_id) === 'agency_admin',
            notice: done === 'saved' || done === 'sent' ? ctx.t(`breach.${done}`) : null,
            errors,
          }}
        />,
      ),
      status,
    );
  };

  app.get('/dashboard/privacy/breaches', { schema: { hide: true }, preHandler: signedInPage() }, async (req, reply) =>
    listPage(req, reply, userOf(req)),
  );
  app.post('/dashboard/privacy/breaches', { schema: { hide: true }, preHandler: back }, async (req, reply) => {
    const user = userOf(req);
    const body = (req.body as FormBody | undefined) ?? {};
    const values = {
      agency: formValue(body, 'agency', 40),
      detectedAt: formValue(body, 'detectedAt', 40),
      windowFrom: formValue(body, 'windowFrom', 40),
      windowUntil: formValue(body, 'windowUntil', 40),
      description: formValue(body, 'description', 5000),
      services: asList(body.services).join(','),
    };
    try {
      const row = await breaches.record(user, {
        agency: values.agency,
        // the form asks for it: an empty field is refused, not read as "now"
        detectedAt: vietnamTime(values.detectedAt),
        windowFrom: vietnamTime(values.windowFrom),
        windowUntil: vietnamTime(values.windowUntil),
        description: values.description,
        services: values.services ? values.services.split(',') : [],
      });
      return reply.redirect(`/dashboard/privacy/breaches/${row.id}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'VALIDATION_FAILED') throw err;
      return listPage(req, reply, user, { errors: [err.messages, ...err.details], values }, 400);
    }
  });
  app.get(
    '/dashboard/privacy/breaches/:id',
    { schema: { hide: true }, preHandler: signedInPage() },
    async (req, reply) => detailPage(req, reply, userOf(req), (req.params as { id: string }).id),
  );
  app.post(
    '/dashboard/privacy/breaches/:id/notification',
    { schema: { hide: true }, preHandler: back },
    async (req, reply) => {
      const user = userOf(req);
      const id = (req.params as { id: string }).id;
      if (!UUID.test(id)) throw new DomainError('NOT_FOUND');
      const body = (req.body as FormBody | undefined) ?? {};
      const version = Number(formValue(body, 'version', 12));
      const vi = formValue(body, 'notificationVi', 20_000);
      const en = formValue(body, 'notificationEn', 20_000);
      try {
        if (!Number.isInteger(version) || version < 1 || !vi || !en)
          throw new DomainError('VALIDATION_FAILED', undefined, [
            {
              field: 'notification',
              vi: 'Thông báo cần đủ hai thứ tiếng.',
              en: 'The notification needs both languages.',
            },
          ]);
        await breaches.editNotification(user, id, { notificationVi: vi, notificationEn: en, version });
      } catch (err) {
        if (!(err instanceof DomainError) || !['VALIDATION_FAILED', 'CONFLICT'].includes(err.code)) throw err;
        return detailPage(req, reply, user, id, [err.messages, ...err.details], 400);
      }
      return reply.redirect(`/dashboard/privacy/breaches/${id}?done=saved`, 303);
    },
  );
  app.post(
    '/dashboard/privacy/breaches/:id/notify',
    { schema: { hide: true }, preHandler: back },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (!UUID.test(id)) throw new DomainError('NOT_FOUND');
      const body = (req.body as FormBody | undefined) ?? {};
      // sent once and for good: the officer confirms they have read the draft (the […] filled in) first
      if (formValue(body, 'checked', 3) !== 'on')
        return detailPage(req, reply, userOf(req), id, [{ vi: CONFIRM.vi, en: CONFIRM.en }], 400);
      await breaches.notify(userOf(req), id);
      return reply.redirect(`/dashboard/privacy/breaches/${id}?done=sent`, 303);
    },
  );
}
