import { levelOf } from '../catalog/personal-data.js';
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfMatches } from '../accounts/accounts.service.js';
import type { Server } from '../platform/http.js';
import { DomainError } from '../platform/errors.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import { SESSION_COOKIE, verifyDeferredCsrf } from '../accounts/auth.hook.js';
import { hasAgencyRole, requireAgencyRole, type Principal } from '../accounts/principal.js';
import { agencyRole, perRequest, signedInPage, userOf } from '../accounts/guards.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { presentDataset } from '../catalog/catalog.presenter.js';
import { page } from './layout.js';
import { pageContext } from './web.context.js';
import { sendHtml, type FormBody } from './session.js';
import { SignInPage } from './pages/signin.js';
import { DashboardPage } from './pages/dashboard.js';
import { DatasetFormPage, EMPTY_FORM, type DatasetFormValues } from './pages/dataset-form.js';
import { ManageDatasetPage } from './pages/manage.js';
import { checkTableSchema, domainFieldErrors, formErrors, readDatasetForm, toDatasetBody } from './forms.js';
import type { PageContext } from './context.js';
import { currentColumnTypes, pickedFields, type LoadedColumns } from './current-types.js';

const LOGIN_CSRF_COOKIE = 'ndp_login_csrf';
const STALE_DAYS: Record<string, number> = {
  DAILY: 3,
  WEEKLY: 14,
  MONTHLY: 45,
  QUARTERLY: 120,
  BIANNUAL: 200,
  ANNUAL: 400,
};
/** Only same-site paths are followed after sign-in, never another host. */
const safeNext = (v: unknown) => (typeof v === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(v) ? v : '/dashboard');

export function publisherPages(
  app: Server,
  accounts: AccountsService,
  catalog: CatalogService,
  md: MasterDataService,
  opts: { baseUrl: string; secureCookies: boolean; staffSso?: boolean; loadedColumns?: LoadedColumns },
) {
  const { baseUrl } = opts;
  const sso = !!opts.staffSso;
  const send = sendHtml;

  // Before there is a session, the sign-in form is protected by a double-submit token: a cookie and a field that must match.
  const loginToken = (reply: FastifyReply) => {
    const token = randomBytes(24).toString('base64url');
    reply.setCookie(LOGIN_CSRF_COOKIE, token, {
      path: '/signin',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
    });
    return token;
  };

  app.get('/signin', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    return send(
      reply,
      page(
        <SignInPage
          ctx={ctx}
          email=""
          failed={false}
          next={safeNext((req.query as { next?: string }).next)}
          token={loginToken(reply)}
          sso={sso}
        />,
      ),
    );
  });

  app.post('/signin', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const body = (req.body ?? {}) as FormBody;
    const email = String(body.email ?? '')
      .trim()
      .slice(0, 254);
    const password = String(body.password ?? '').slice(0, 1024);
    const next = safeNext(body.next);
    if (!csrfMatches(req.cookies[LOGIN_CSRF_COOKIE] ?? '', typeof body._csrf === 'string' ? body._csrf : undefined))
      throw new DomainError('CSRF_FAILED');
    const wait = accounts.throttle.retryAfter(email, req.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new DomainError('TOO_MANY_ATTEMPTS');
    }
    try {
      const s = await accounts.signIn(email, password);
      accounts.throttle.succeed(email, req.ip);
      reply.setCookie(SESSION_COOKIE, s.sessionId, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookies,
        expires: s.expiresAt,
      });
      reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/signin' });
      return reply.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'INVALID_CREDENTIALS')) throw err;
      accounts.throttle.fail(email, req.ip);
      return send(
        reply,
        page(<SignInPage ctx={ctx} email={email} failed next={next} token={loginToken(reply)} sso={sso} />),
        401,
      );
    }
  });

  app.post('/signout', { schema: { hide: true } }, async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) await accounts.signOut(sid);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  const myAgencies = async (p: Principal) => {
    if (p.kind !== 'user') return [];
    return md.agenciesByIds([...p.roles.keys()]);
  };

  app.get('/dashboard', { schema: { hide: true }, preHandler: signedInPage('/dashboard') }, async (req, reply) => {
    const user = userOf(req);
    const ctx = pageContext(req, reply, baseUrl);
    const agencies = await myAgencies(user);
    const supervisor = user.isPlatformAdmin && user.via === 'session'; // the supervisor's links on top
    const wanted = (req.query as { agency?: string }).agency;
    const agency = agencies.find((a) => a.slug === wanted || a.id === wanted) ?? agencies[0] ?? null;
    let rows: { slug: string; title_vi: string; status: string; modified: string; stale: boolean }[] = [];
    let registers: { id: string; name_vi: string; version: number }[] = [];
    if (agency) {
      registers = (await catalog.databases.list({ agency: agency.id, limit: 500, offset: 0 })).rows;
      const { views } = await catalog.datasets.list(user, { agency: agency.id, limit: 500, offset: 0 });
      const now = Date.now();
      rows = views.map(({ dataset: d }) => ({
        slug: d.slug,
        title_vi: d.title_vi,
        status: d.status,
        modified: d.modified.toISOString(),
        stale:
          STALE_DAYS[d.update_frequency] !== undefined &&
          now - d.modified.getTime() > STALE_DAYS[d.update_frequency]! * 86400_000,
      }));
    }
    const can = { edit: !!agency && hasAgencyRole(user, agency.id, 'agency_editor'), admin: false };
    can.admin = !!agency && hasAgencyRole(user, agency.id, 'agency_admin');
    return send(reply, page(<DashboardPage ctx={ctx} {...{ agencies, agency, rows, registers, supervisor, can }} />));
  });

  const formPage = async (
    ctx: PageContext,
    agency: { slug: string; name_vi: string },
    values: DatasetFormValues,
    errors: Record<string, string>,
    edit?: { slug: string },
  ) => {
    const [licences, themes] = await Promise.all([md.licences(), md.themes()]);
    return page(
      <DatasetFormPage
        ctx={ctx}
        agency={agency}
        values={values}
        errors={errors}
        action={edit ? `/dashboard/datasets/${edit.slug}/edit` : undefined}
        heading={edit ? ctx.t('dataset.edit') : undefined}
        licences={licences.map((l) => ({ id: l.id, title: ctx.lang === 'en' ? l.title_en : l.title_vi }))}
        themes={themes.map((th) => ({ id: th.id, label: ctx.lang === 'en' ? th.label_en : th.label_vi }))}
      />,
    );
  };

  // The agency a new data set goes to is named in the address (`?agency=`), and its editors may add one.
  const agencyInQuery = perRequest((req) => md.agency(String((req.query as { agency?: string }).agency ?? '')));
  const agencyEditor = agencyRole('agency_editor', async (req) => (await agencyInQuery(req)).id);

  app.get(
    '/dashboard/datasets/new',
    { schema: { hide: true }, preHandler: [signedInPage(), agencyEditor] },
    async (req, reply) => {
      const agency = await agencyInQuery(req);
      return send(reply, await formPage(pageContext(req, reply, baseUrl), agency, EMPTY_FORM, {}));
    },
  );

  app.post(
    '/dashboard/datasets',
    { schema: { hide: true }, preHandler: [signedInPage('/dashboard'), agencyEditor] },
    async (req, reply) => {
      const user = userOf(req);
      const ctx = pageContext(req, reply, baseUrl);
      const agency = await agencyInQuery(req);
      const values = readDatasetForm((req.body ?? {}) as FormBody);
      const body = toDatasetBody(values, agency.id);
      const errors = formErrors(body, ctx.lang);
      if (Object.keys(errors).length) return send(reply, await formPage(ctx, agency, values, errors), 400);
      try {
        const view = await catalog.datasets.create(user, body);
        return reply.redirect(`/dashboard/datasets/${view.dataset.slug}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError && (err.code === 'VALIDATION_FAILED' || err.code === 'CONFLICT'))) throw err;
        return send(reply, await formPage(ctx, agency, values, domainFieldErrors(err, ctx.lang)), 400);
      }
    },
  );

  const manage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    notice: string | null,
    problems: string[],
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, baseUrl);
    const view = await catalog.datasets.get(req.principal, (req.params as { slug: string }).slug);
    requireAgencyRole(req.principal, view.dataset.agency_id, 'agency_editor');
    const schemas = await Promise.all(
      view.distributions
        .filter((x) => x.kind === 'file')
        .map(async (x) => {
          const existing = (
            x.table_schema as { fields?: { name: string; type: string; 'ndp:dictionary'?: string }[] } | null
          )?.fields;
          const rows = existing
            ? existing.map((f) => ({
                name: f.name,
                dictionary: f['ndp:dictionary'] ?? '',
                type: f['ndp:dictionary'] ? '' : f.type,
              }))
            : (await catalog.datasets.columnNames(req.principal, x.id)).map((name) => ({
                name,
                dictionary: '',
                type: '',
              }));
          return { distributionId: x.id, title: x.title_vi, rows };
        }),
    );
    const fields = (await catalog.dictionary.all()).map((f) => ({
      id: f.id,
      label: ctx.lang === 'en' ? f.label_en : f.label_vi,
      type: f.type,
      personal: levelOf(f.personal_data),
      shared: f.agency_id === null,
    }));
    return send(
      reply,
      page(
        <ManageDatasetPage
          ctx={ctx}
          d={presentDataset(view, baseUrl)}
          notice={notice}
          problems={problems}
          schemas={schemas}
          fields={fields}
        />,
      ),
      status,
    );
  };

  app.get('/dashboard/datasets/:slug', { schema: { hide: true }, preHandler: signedInPage() }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const q = req.query as { published?: string; schema?: string };
    const notice = q.published ? ctx.t('publish.done') : q.schema ? ctx.t('schema.saved') : null;
    return manage(req, reply, notice, []);
  });

  app.post(
    '/dashboard/datasets/:slug/files',
    { schema: { hide: true }, config: { multipartCsrf: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const slug = (req.params as { slug: string }).slug;
      const part = await req.file();
      if (!part) return manage(req, reply, null, [pageContext(req, reply, baseUrl).t('problem.noFile')], 400);
      const field = (name: string) => {
        const f = part.fields[name];
        return f && !Array.isArray(f) && f.type === 'field' ? String(f.value).slice(0, 300) : undefined;
      };
      verifyDeferredCsrf(req, field('_csrf'));
      await catalog.datasets.addFile(user, slug, {
        stream: part.file,
        fileName: part.filename.slice(0, 255),
        mimeType: part.mimetype,
        title_vi: field('title_vi') || undefined,
      });
      return reply.redirect(`/dashboard/datasets/${slug}`, 303);
    },
  );

  const form = { schema: { hide: true }, preHandler: signedInPage('/dashboard') };

  app.post('/dashboard/datasets/:slug/publish', form, async (req, reply) => {
    const user = userOf(req);
    const slug = (req.params as { slug: string }).slug;
    const lang = pageContext(req, reply, baseUrl).lang;
    try {
      await catalog.datasets.setStatus(user, slug, 'published');
      return reply.redirect(`/dashboard/datasets/${slug}?published=1`, 303);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'INVALID_STATE')) throw err;
      return manage(req, reply, null, err.details.length ? err.details.map((d) => d[lang]) : [err.messages[lang]], 409);
    }
  });

  app.post('/dashboard/distributions/:id/schema', form, async (req, reply) => {
    const user = userOf(req);
    const lang = pageContext(req, reply, baseUrl).lang;
    const id = (req.params as { id: string }).id;
    const { dataset, distribution } = await catalog.datasets.distribution(user, id);
    const body = (req.body ?? {}) as FormBody;
    const col = (k: string) =>
      Array.isArray(body[k]) ? (body[k] as string[]) : body[k] !== undefined ? [String(body[k])] : [];
    const names = col('name');
    const dicts = col('dictionary');
    const types = col('type');
    const loaded = (await opts.loadedColumns?.(user, id)) ?? null;
    const fields = pickedFields(names, dicts, types, currentColumnTypes(distribution.table_schema, loaded));
    (req.params as { slug?: string }).slug = dataset.slug;
    if (!fields.length) return manage(req, reply, null, [pageContext(req, reply, baseUrl).t('problem.noColumn')], 400);
    const checked = checkTableSchema({ fields }, lang);
    if ('problems' in checked) return manage(req, reply, null, checked.problems, 400);
    try {
      const resolved = await catalog.dictionary.resolveSchema(checked.schema);
      await catalog.datasets.setTableSchema(user, id, resolved);
      return reply.redirect(`/dashboard/datasets/${dataset.slug}?schema=1`, 303);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'VALIDATION_FAILED')) throw err;
      return manage(req, reply, null, err.details.length ? err.details.map((d) => d[lang]) : [err.messages[lang]], 400);
    }
  });

  app.get(
    '/dashboard/datasets/:slug/edit',
    { schema: { hide: true }, preHandler: signedInPage() },
    async (req, reply) => {
      const user = userOf(req);
      const ctx = pageContext(req, reply, baseUrl);
      const { dataset: d, agency } = await catalog.datasets.get(user, (req.params as { slug: string }).slug);
      requireAgencyRole(user, d.agency_id, 'agency_editor');
      const values: DatasetFormValues = {
        title_vi: d.title_vi,
        title_en: d.title_en ?? '',
        description_vi: d.description_vi,
        description_en: d.description_en ?? '',
        keywords: d.keywords.join(', '),
        themes: d.themes,
        licence_id: d.licence_id ?? '',
        access_rights: d.access_rights,
        update_frequency: d.update_frequency,
        spatial: d.spatial.join(', '),
        contact_email: d.contact_email ?? '',
      };
      return send(reply, await formPage(ctx, agency, values, {}, { slug: d.slug }));
    },
  );

  app.post('/dashboard/datasets/:slug/edit', form, async (req, reply) => {
    const user = userOf(req);
    const ctx = pageContext(req, reply, baseUrl);
    const { dataset: d, agency } = await catalog.datasets.get(user, (req.params as { slug: string }).slug);
    requireAgencyRole(user, d.agency_id, 'agency_editor');
    const values = readDatasetForm((req.body ?? {}) as FormBody);
    const body = toDatasetBody(values, agency.id);
    const errors = formErrors(body, ctx.lang);
    if (Object.keys(errors).length)
      return send(reply, await formPage(ctx, agency, values, errors, { slug: d.slug }), 400);
    const { agency_id: _agency, ...patch } = body;
    // Fields emptied on the form are cleared, not left as they were.
    const cleared = {
      title_en: patch.title_en ?? '',
      description_en: patch.description_en ?? '',
      licence_id: patch.licence_id ?? null,
      ...patch,
    };
    try {
      await catalog.datasets.update(user, d.id, cleared);
      return reply.redirect(`/dashboard/datasets/${d.slug}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError && (err.code === 'VALIDATION_FAILED' || err.code === 'CONFLICT'))) throw err;
      return send(reply, await formPage(ctx, agency, values, domainFieldErrors(err, ctx.lang), { slug: d.slug }), 400);
    }
  });
}
