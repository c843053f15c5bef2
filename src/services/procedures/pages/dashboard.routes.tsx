import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Server } from '../../../platform/http.js';
import { DomainError } from '../../../platform/errors.js';
import { bodyChecker } from '../../../platform/schema-messages.js';
import { hasAgencyRole, requireAgencyRole } from '../../../accounts/principal.js';
import { signedInPage, userOf } from '../../../accounts/guards.js';
import { page } from '../../../web/layout.js';
import { formValue, sendHtml, type FormBody } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import type { AgencyRef, DatabaseRef } from '../procedure.js';
import { DeskBody, RegisterSourceBody } from '../procedures.schema.js';
import { PROCEDURE_ROLE, type ProceduresService } from '../procedures.service.js';
import { DashboardProceduresPage } from './dashboard-list.js';
import { agencyName } from './names.js';
import { ProcedureFormPage, type ElementChoice } from './procedure-form.js';
import {
  domainErrors,
  emptyForm,
  formOf,
  readForm,
  toBody,
  withBlankRows,
  type ProcedureForm,
} from './procedure-form-read.js';
import { SourcesPage, type DeskForm, type SourceForm, type SourcesView } from './sources-page.js';

export interface ProcedureDashboardDeps {
  procedures: ProceduresService;
  /** the dictionary's elements, for the form's choices */
  elements(): Promise<ElementChoice[]>;
  /** an agency's register of databases entries */
  databases(agencyId: string): Promise<DatabaseRef[]>;
  /** an agency's exchange services, as full ids */
  exchangeServices(agencyId: string): Promise<string[]>;
  baseUrl: string;
}

const hide = { hide: true };
const Code = Type.Object({ code: Type.String({ maxLength: 60 }) });
/** Errors the administrator can correct, shown on the page rather than an error page. */
const SHOWN = ['VALIDATION_FAILED', 'CONFLICT', 'NOT_FOUND'];
const checkSource = bodyChecker(RegisterSourceBody);
const checkDesk = bodyChecker(DeskBody);
/** Keeps an English page English after a form's redirect (the form's action carries `lang`). */
const en = (req: FastifyRequest) => ((req.query as { lang?: string }).lang === 'en' ? '&lang=en' : '');

/** The agency administrators' pages of procedures, sources and the desk (staff sessions; writes with the staff CSRF). */
export function procedureDashboardPages(app: Server, d: ProcedureDashboardDeps): void {
  const { procedures } = d;
  const guard = { schema: hide, preHandler: signedInPage() };

  /** The agency the page is about (`?agency=`, else the reader's first) and every agency the reader works in. */
  const chosen = async (req: FastifyRequest) => {
    const user = userOf(req);
    const agencies = await procedures.agencies(
      [...user.roles.keys()].filter((id) => hasAgencyRole(user, id, 'viewer')),
    );
    const asked = String((req.query as { agency?: string }).agency ?? '').slice(0, 100);
    const agency: AgencyRef | undefined = asked ? await procedures.agency(asked) : agencies[0];
    if (!agency) throw new DomainError('FORBIDDEN');
    requireAgencyRole(user, agency.id, 'viewer');
    return { agency, agencies, admin: hasAgencyRole(user, agency.id, PROCEDURE_ROLE) };
  };

  app.get('/dashboard/services', guard, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const c = await chosen(req);
    const rows = await procedures.list(req.principal, { agency: c.agency.id, mine: true });
    const done = (req.query as { done?: string }).done;
    const notice =
      done === 'published' || done === 'withdrawn' || done === 'saved' ? ctx.t(`procs.done.${done}`) : null;
    return sendHtml(reply, page(<DashboardProceduresPage ctx={ctx} {...c} rows={rows} notice={notice} />));
  });

  app.post('/dashboard/services/:code/status', { ...guard, schema: { ...hide, params: Code } }, async (req, reply) => {
    const action = formValue((req.body as FormBody | undefined) ?? {}, 'action', 20);
    const status = action === 'publish' ? 'published' : 'withdrawn';
    const row = await procedures.changeStatus(req.principal, req.params.code, status);
    const [agency] = await procedures.agencies([row.agency_id]);
    return reply.redirect(`/dashboard/services?agency=${agency?.slug}&done=${status}${en(req)}`, 303);
  });

  const formPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    f: ProcedureForm,
    agency: AgencyRef,
    editing: string | null,
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const a = { slug: agency.slug, name: agencyName(ctx, agency) };
    const elements = await d.elements();
    return sendHtml(
      reply,
      page(<ProcedureFormPage ctx={ctx} f={f} agency={a} editing={editing} elements={elements} />),
      status,
    );
  };

  /** Reads the form, adds rows or saves it (a new procedure or a new version), shows the mistakes beside the fields. */
  const save = async (req: FastifyRequest, reply: FastifyReply, agency: AgencyRef, editing: string | null) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const body = (req.body as FormBody | undefined) ?? {};
    const f = readForm(body);
    if (formValue(body, 'more', 2) === '1') return formPage(req, reply, withBlankRows(f, 1), agency, editing);
    const { body: parsed, errors, rowOf } = toBody(f, ctx.lang);
    if (Object.keys(errors).length) return formPage(req, reply, { ...f, errors }, agency, editing, 400);
    try {
      if (editing) await procedures.update(req.principal, editing, parsed);
      else await procedures.create(req.principal, agency.id, parsed);
    } catch (err) {
      if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
      return formPage(req, reply, { ...f, errors: domainErrors(err, ctx.lang, rowOf) }, agency, editing, err.status);
    }
    return reply.redirect(`/dashboard/services?agency=${agency.slug}&done=saved${en(req)}`, 303);
  };

  const adminOf = async (req: FastifyRequest) => {
    const c = await chosen(req);
    requireAgencyRole(req.principal, c.agency.id, PROCEDURE_ROLE);
    return c.agency;
  };
  app.get('/dashboard/services/new', guard, async (req, reply) =>
    formPage(req, reply, emptyForm(), await adminOf(req), null),
  );
  app.post('/dashboard/services/new', guard, async (req, reply) => save(req, reply, await adminOf(req), null));

  const editable = async (req: FastifyRequest, code: string) => {
    const row = await procedures.get(req.principal, code);
    requireAgencyRole(req.principal, row.agency_id, PROCEDURE_ROLE);
    const [agency] = await procedures.agencies([row.agency_id]);
    return { row, agency: agency! };
  };
  app.get('/dashboard/services/:code/edit', { ...guard, schema: { ...hide, params: Code } }, async (req, reply) => {
    const { row, agency } = await editable(req, req.params.code);
    return formPage(req, reply, formOf(row), agency, row.code);
  });
  app.post('/dashboard/services/:code/edit', { ...guard, schema: { ...hide, params: Code } }, async (req, reply) => {
    const { row, agency } = await editable(req, req.params.code);
    return save(req, reply, agency, row.code);
  });

  const sourcesPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    over: Partial<Pick<SourcesView, 'sourceForm' | 'deskForm' | 'errors' | 'notice'>> = {},
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const c = await chosen(req);
    const desk = c.admin ? await procedures.desk(req.principal, c.agency.id) : undefined;
    const done = (req.query as { done?: string }).done;
    const v: SourcesView = {
      ...c,
      held: await procedures.holders({ agency: c.agency.id }),
      gaps: await procedures.gaps(req.principal, c.agency.id),
      desk,
      elements: c.admin ? await d.elements() : [],
      databases: c.admin ? await d.databases(c.agency.id) : [],
      services: c.admin ? await d.exchangeServices(c.agency.id) : [],
      sourceForm: { element: '', database: '', service: '', path: '', field: '' },
      deskForm: {
        client: desk?.client ?? '',
        gatewayUrl: desk?.gateway_url ?? '',
        timeoutMs: String(desk?.timeout_ms ?? 3000),
      },
      errors: {},
      notice: done === 'source' || done === 'removed' || done === 'desk' ? ctx.t(`procs.done.${done}`) : null,
      ...over,
    };
    return sendHtml(reply, page(<SourcesPage ctx={ctx} v={v} />), status);
  };
  app.get('/dashboard/services/sources', guard, (req, reply) => sourcesPage(req, reply));

  /** Runs a write of the sources page; a mistake is shown beside its field (`prefix-field`), anything else thrown. */
  const write = async (
    req: FastifyRequest,
    reply: FastifyReply,
    prefix: 'source' | 'desk',
    run: (lang: 'vi' | 'en') => Promise<Record<string, string> | null>,
    keep: Partial<SourcesView>,
    done: string,
  ) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    let errors: Record<string, string> | null;
    let status = 400;
    try {
      errors = await run(ctx.lang);
    } catch (err) {
      if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
      status = err.status;
      errors = err.details.length
        ? Object.fromEntries(err.details.map((x) => [x.field ?? 'form', x[ctx.lang]]))
        : { [prefix === 'source' ? 'element' : 'client']: err.messages[ctx.lang] };
    }
    if (errors) {
      const byId = Object.fromEntries(
        Object.entries(errors).map(([k, m]) => [`${prefix}-${k.replace(/^body\./, '')}`, m]),
      );
      return sourcesPage(req, reply, { ...keep, errors: byId }, status);
    }
    const c = await chosen(req);
    return reply.redirect(`/dashboard/services/sources?agency=${c.agency.slug}&done=${done}${en(req)}`, 303);
  };

  app.post('/dashboard/services/sources', guard, async (req, reply) => {
    const b = (req.body as FormBody | undefined) ?? {};
    const form: SourceForm = {
      element: formValue(b, 'element', 100).trim(),
      database: formValue(b, 'database', 100).trim(),
      service: formValue(b, 'service', 300).trim(),
      path: formValue(b, 'path', 300).trim(),
      field: formValue(b, 'field', 300).trim(),
    };
    const body = { kind: 'register' as const, ...form };
    return write(
      req,
      reply,
      'source',
      async (lang) => {
        const complaints = checkSource(body);
        if (complaints) return Object.fromEntries(complaints.map((x) => [x.field, x[lang]]));
        const c = await chosen(req);
        await procedures.setSource(req.principal, c.agency.id, body);
        return null;
      },
      { sourceForm: form },
      'source',
    );
  });

  app.post('/dashboard/services/sources/delete', guard, async (req, reply) => {
    const element = formValue((req.body as FormBody | undefined) ?? {}, 'element', 100);
    await procedures.deleteSource(req.principal, element);
    const c = await chosen(req);
    return reply.redirect(`/dashboard/services/sources?agency=${c.agency.slug}&done=removed${en(req)}`, 303);
  });

  app.post('/dashboard/services/desk', guard, async (req, reply) => {
    const b = (req.body as FormBody | undefined) ?? {};
    const form: DeskForm = {
      client: formValue(b, 'client', 300).trim(),
      gatewayUrl: formValue(b, 'gatewayUrl', 300).trim(),
      timeoutMs: formValue(b, 'timeoutMs', 10).trim(),
    };
    const ms = form.timeoutMs;
    const body = {
      client: form.client,
      gatewayUrl: form.gatewayUrl,
      apiKey: formValue(b, 'apiKey', 300),
      ...(ms ? { timeoutMs: /^\d+$/.test(ms) ? Number(ms) : ms } : {}),
    };
    return write(
      req,
      reply,
      'desk',
      async (lang) => {
        const complaints = checkDesk(body);
        if (complaints) return Object.fromEntries(complaints.map((x) => [x.field, x[lang]]));
        const c = await chosen(req);
        await procedures.setDesk(req.principal, c.agency.id, body as DeskBody);
        return null;
      },
      { deskForm: form },
      'desk',
    );
  });
}
