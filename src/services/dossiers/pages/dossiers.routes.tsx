import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Server } from '../../../platform/http.js';
import { DomainError } from '../../../platform/errors.js';
import { hasAgencyRole } from '../../../accounts/principal.js';
import { signedInPage, userOf } from '../../../accounts/guards.js';
import { citizen } from '../../../identity/guards.js';
import { requireConfirmed } from '../../../web/confirm.js';
import { page } from '../../../web/layout.js';
import { formValue, sendHtml, type FormBody } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import type { Answers } from '../dossier-rules.js';
import type { DossierStatus } from '../dossier.types.js';
import { OFFICER_ROLE, type DossiersService, type ShownDossier } from '../dossiers.service.js';
import { DOSSIER_STATUSES } from '../dossiers.schema.js';
import { ApplyPage, EMPTY_FORM, type ApplyForm } from './apply.js';
import { MyDossierPage, MyDossiersPage } from './my-dossiers.js';
import { InboxPage, OfficerDossierPage, type FailedStep } from './officer.js';

const hide = { hide: true };
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Code = Type.Object({ code: Type.String({ maxLength: 40 }) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Errors the applicant or officer can act on: shown on the page instead of an error page. */
const SHOWN = ['VALIDATION_FAILED', 'INVALID_STATE', 'TOO_MANY_ATTEMPTS', 'FORBIDDEN'];

export interface DossierPagesDeps {
  dossiers: DossiersService;
  /** the signed result's page of an issued dossier (the results sub-part), or null */
  resultLink(dossierId: string): Promise<string | null>;
  baseUrl: string;
}

/**
 * The dossiers' pages: the applicant's form (`/services/:code/apply`) and dossiers (`/my/dossiers`), e-ID level 2,
 * writes with the public session's CSRF token; the deciding agency's inbox and dossier pages on the dashboard.
 */
export function dossierPages(app: Server, d: DossierPagesDeps): void {
  const { dossiers } = d;
  const namesOf = (x: ShownDossier) => dossiers.sourceNames(x.row.fields.map((f) => f.source));
  const resultOf = (x: ShownDossier) => (x.row.status === 'issued' ? d.resultLink(x.row.id) : Promise.resolve(null));

  const applyPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    started: Awaited<ReturnType<DossiersService['start']>>,
    form: ApplyForm,
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const { prefill, preview } = started;
    const names = await dossiers.sourceNames([
      ...preview.flatMap((p) => (p.prefilled && 'value' in p.prefilled ? [p.prefilled.source] : [])),
      {
        kind: 'register',
        agency_id: prefill.procedure.agency_id,
        database_id: null,
        service: null,
        result_id: null,
        at: '',
      },
    ]);
    return sendHtml(
      reply,
      page(
        <ApplyPage
          ctx={ctx}
          procedure={prefill.procedure}
          prefillId={prefill.id}
          fetchedAt={prefill.createdAt}
          preview={preview}
          names={names}
          form={form}
        />,
      ),
      status,
    );
  };

  app.get(
    '/services/:code/apply',
    { schema: { ...hide, params: Code }, preHandler: citizen({ level: 2 }) },
    async (req, reply) => {
      // back to a form already fetched (`?prefill=`): the person's own, of this procedure; else the one fetched in the
      // last minutes, or anew
      const q = req.query as { prefill?: string; fresh?: string };
      const kept = q.prefill ?? '';
      if (q.fresh === '1') {
        await dossiers.start(req.publicUser, req.params.code, { fresh: true });
        // fetched once: a reload of the page shows it, not another fetch
        const lang = pageContext(req, reply, d.baseUrl).lang === 'en' ? '?lang=en' : '';
        return reply.redirect(`/services/${encodeURIComponent(req.params.code)}/apply${lang}`, 303);
      }
      const started = UUID.test(kept)
        ? await dossiers.resume(req.publicUser, kept)
        : await dossiers.start(req.publicUser, req.params.code);
      if (started.prefill.procedure.code !== req.params.code) throw new DomainError('NOT_FOUND');
      return applyPage(req, reply, started, EMPTY_FORM);
    },
  );

  app.post(
    '/services/:code/apply',
    { schema: { ...hide, params: Code }, config: { publicSession: true }, preHandler: citizen({ level: 2 }) },
    async (req, reply) => {
      const ctx = pageContext(req, reply, d.baseUrl);
      const body = (req.body as FormBody | undefined) ?? {};
      const prefillId = formValue(body, 'prefill', 36);
      if (!UUID.test(prefillId)) throw new DomainError('NOT_FOUND');
      const form: ApplyForm = { values: {}, wrong: new Set(), errors: new Map(), general: [] };
      const started = await dossiers.resume(req.publicUser, prefillId).catch(async (err) => {
        if (!(err instanceof DomainError) || err.code !== 'INVALID_STATE') throw err;
        // the fetched values expired: fetch them afresh, say so, keep what was typed
        form.general.push(err.messages[ctx.lang]);
        return dossiers.start(req.publicUser, req.params.code, { fresh: true });
      });
      if (form.general.length) {
        for (const { field } of started.preview) form.values[field.key] = formValue(body, field.key, 8000);
        return applyPage(req, reply, started, form, 409);
      }
      const answers: Answers = {};
      for (const { field, prefilled } of started.preview) {
        const value = formValue(body, field.key, 8000);
        form.values[field.key] = value;
        const dispute = !!prefilled && 'value' in prefilled && formValue(body, `${field.key}__check`, 10) === 'wrong';
        if (dispute) form.wrong.add(field.key);
        answers[field.key] = { dispute, value };
      }
      try {
        const { dossier, corrections } = await dossiers.submit(req.publicUser, prefillId, answers);
        const sent = corrections.filter((c) => c.requestId).length;
        const failed = corrections.length - sent;
        return reply.redirect(`/my/dossiers/${dossier.row.id}?sent=1&corrections=${sent}&failed=${failed}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
        for (const x of err.details) if (x.field) form.errors.set(x.field, x[ctx.lang]);
        if (!err.details.length || err.code !== 'VALIDATION_FAILED') form.general.push(err.messages[ctx.lang]);
        return applyPage(req, reply, started, form, err.status);
      }
    },
  );

  app.get('/my/dossiers', { schema: hide, preHandler: citizen({ level: 2 }) }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const mine = await dossiers.ofPerson(req.publicUser);
    return sendHtml(reply, page(<MyDossiersPage ctx={ctx} dossiers={mine} now={dossiers.clock()} />));
  });

  app.get(
    '/my/dossiers/:id',
    { schema: { ...hide, params: Id }, preHandler: citizen({ level: 2 }) },
    async (req, reply) => {
      const ctx = pageContext(req, reply, d.baseUrl);
      const x = await dossiers.own(req.publicUser, req.params.id);
      const q = req.query as { sent?: string; corrections?: string; failed?: string };
      const notice: string[] = [];
      if (q.sent === '1') notice.push(ctx.t('dossiers.one.sent'));
      const sent = Number(q.corrections);
      if (Number.isInteger(sent) && sent > 0) notice.push(ctx.t('dossiers.one.corrections', { count: sent }));
      const failed = Number(q.failed);
      if (Number.isInteger(failed) && failed > 0) notice.push(ctx.t('dossiers.one.correctionsFailed'));
      return sendHtml(
        reply,
        page(
          <MyDossierPage
            ctx={ctx}
            d={x}
            names={await namesOf(x)}
            now={dossiers.clock()}
            resultUrl={await resultOf(x)}
            notice={notice}
          />,
        ),
      );
    },
  );

  app.get('/dashboard/services/dossiers', { schema: hide, preHandler: signedInPage() }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const user = userOf(req);
    const raw = (req.query as { status?: string }).status ?? '';
    const status = (DOSSIER_STATUSES as readonly string[]).includes(raw) ? (raw as DossierStatus) : undefined;
    const handles = [...user.roles.keys()].some((id) => hasAgencyRole(user, id, OFFICER_ROLE));
    const rows = await dossiers.inbox(user, undefined, status);
    return sendHtml(
      reply,
      page(<InboxPage ctx={ctx} dossiers={rows} status={status ?? ''} handles={handles} now={dossiers.clock()} />),
    );
  });

  const officerPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    notice: string | null,
    failed: FailedStep | null = null,
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const x = await dossiers.forAgency(userOf(req), id);
    return sendHtml(
      reply,
      page(
        <OfficerDossierPage
          ctx={ctx}
          d={x}
          names={await namesOf(x)}
          now={dossiers.clock()}
          resultUrl={await resultOf(x)}
          notice={notice}
          failed={failed}
        />,
      ),
      status,
    );
  };

  app.get(
    '/dashboard/services/dossiers/:id',
    { schema: { ...hide, params: Id }, preHandler: signedInPage() },
    async (req, reply) => {
      const ctx = pageContext(req, reply, d.baseUrl);
      const done = (req.query as { done?: string }).done;
      const notice = done && /^(take|reject|issue)$/.test(done) ? ctx.t(`dossiers.step.done.${done}`) : null;
      return officerPage(req, reply, req.params.id, notice);
    },
  );

  app.post(
    '/dashboard/services/dossiers/:id',
    { schema: { ...hide, params: Id }, preHandler: signedInPage('/dashboard/services/dossiers') },
    async (req, reply) => {
      const ctx = pageContext(req, reply, d.baseUrl);
      const user = userOf(req);
      const id = req.params.id;
      const body = (req.body as FormBody | undefined) ?? {};
      const step = formValue(body, 'step', 10);
      try {
        if (step === 'take') await dossiers.take(user, id);
        else if (step === 'reject') {
          requireConfirmed(body);
          await dossiers.reject(user, id, formValue(body, 'note', 8000));
        } else if (step === 'issue') {
          const written = Object.fromEntries(
            Object.keys(body)
              .filter((k) => /^w_[a-z][a-z0-9_]{0,63}$/.test(k))
              .map((k) => [k.slice(2), formValue(body, k, 4000)] as const),
          );
          await dossiers.issue(user, id, written);
        } else throw new DomainError('VALIDATION_FAILED');
      } catch (err) {
        if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
        const messages = [err.messages[ctx.lang], ...err.details.map((x) => x[ctx.lang])];
        const values = Object.fromEntries(Object.keys(body).map((k) => [k, formValue(body, k, 4000)] as const));
        return officerPage(req, reply, id, null, { messages, values }, err.status);
      }
      return reply.redirect(`/dashboard/services/dossiers/${id}?done=${step}`, 303);
    },
  );
}
