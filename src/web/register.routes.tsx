import type { ValidateFunction } from 'ajv';
import type { Server } from '../platform/http.js';
import { DomainError } from '../platform/errors.js';
import { strictAjv } from '../platform/http.js';
import { requireAgencyRole } from '../accounts/principal.js';
import { agencyRole, perRequest, signedInPage, userOf } from '../accounts/guards.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { DatabaseBody, DatabasePatch } from '../catalog/catalog.schema.js';
import { page } from './layout.js';
import type { T } from './i18n.js';
import { pageContext } from './web.context.js';
import { formValue, sendHtml, type FormBody } from './session.js';
import {
  DatabaseFormPage,
  REGISTER_CHOICES,
  REGISTER_TEXT_FIELDS,
  type RegisterValues,
} from './pages/database-form.js';

const FIELDS = ['name_vi', 'name_en', ...REGISTER_TEXT_FIELDS, ...Object.keys(REGISTER_CHOICES)];
const checkNew = strictAjv().compile(DatabaseBody);
const checkPatch = strictAjv().compile(DatabasePatch);

/** Agency editors keep their register of databases from the dashboard; every save is a new version. */
export function registerPages(app: Server, catalog: CatalogService, md: MasterDataService, baseUrl: string) {
  const read = (body: FormBody): RegisterValues => Object.fromEntries(FIELDS.map((f) => [f, formValue(body, f)]));
  const errorsOf = (validate: ValidateFunction, candidate: object, t: T) => {
    const errors: Record<string, string> = {};
    if (validate(candidate)) return errors;
    for (const e of validate.errors ?? []) {
      const f = e.instancePath.split('/')[1] || String(e.params.missingProperty ?? 'name_vi');
      errors[f] ??=
        e.keyword === 'minLength' || e.keyword === 'required'
          ? t('register.required')
          : `${t('problem.invalid')}: ${e.message}`;
    }
    return errors;
  };
  const clean = (v: RegisterValues) =>
    Object.fromEntries(Object.entries(v).filter(([k, x]) => x !== '' || k !== 'name_en'));

  // A new entry goes to the agency named in the address (`?agency=`), whose editors keep its register.
  const agencyInQuery = perRequest((req) => md.agency(String((req.query as { agency?: string }).agency ?? '')));
  const agencyEditor = agencyRole('agency_editor', async (req) => (await agencyInQuery(req)).id);

  app.get(
    '/dashboard/databases/new',
    { schema: { hide: true }, preHandler: [signedInPage(), agencyEditor] },
    async (req, reply) => {
      const ctx = pageContext(req, reply, baseUrl);
      const agency = await agencyInQuery(req);
      const values: RegisterValues = {
        category: 'specialised',
        access_class: 'shared',
        importance: 'important',
        status: 'operating',
      };
      return sendHtml(
        reply,
        page(
          <DatabaseFormPage
            ctx={ctx}
            agency={agency}
            values={values}
            errors={{}}
            action={`/dashboard/databases?agency=${agency.slug}`}
            title={ctx.t('register.new')}
          />,
        ),
      );
    },
  );

  app.post(
    '/dashboard/databases',
    { schema: { hide: true }, preHandler: [signedInPage('/dashboard'), agencyEditor] },
    async (req, reply) => {
      const user = userOf(req);
      const ctx = pageContext(req, reply, baseUrl);
      const agency = await agencyInQuery(req);
      const values = read((req.body ?? {}) as FormBody);
      const candidate = { agency_id: agency.id, ...clean(values) };
      const errors = errorsOf(checkNew, candidate, ctx.t);
      if (Object.keys(errors).length) {
        return sendHtml(
          reply,
          page(
            <DatabaseFormPage
              ctx={ctx}
              agency={agency}
              values={values}
              errors={errors}
              action={`/dashboard/databases?agency=${agency.slug}`}
              title={ctx.t('register.new')}
            />,
          ),
          400,
        );
      }
      const row = await catalog.databases.create(user, candidate as DatabaseBody);
      return reply.redirect(`/databases/${row.id}`, 303);
    },
  );

  app.get(
    '/dashboard/databases/:id/edit',
    { schema: { hide: true }, preHandler: signedInPage() },
    async (req, reply) => {
      const user = userOf(req);
      const ctx = pageContext(req, reply, baseUrl);
      const row = await catalog.databases.get((req.params as { id: string }).id);
      requireAgencyRole(user, row.agency_id, 'agency_editor');
      const [agency] = await md.agenciesByIds([row.agency_id]);
      const values = Object.fromEntries(
        FIELDS.map((f) => [f, String((row as unknown as Record<string, unknown>)[f] ?? '')]),
      );
      return sendHtml(
        reply,
        page(
          <DatabaseFormPage
            ctx={ctx}
            agency={agency!}
            values={values}
            errors={{}}
            action={`/dashboard/databases/${row.id}/edit`}
            title={ctx.t('register.edit')}
          />,
        ),
      );
    },
  );

  app.post(
    '/dashboard/databases/:id/edit',
    { schema: { hide: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const ctx = pageContext(req, reply, baseUrl);
      const row = await catalog.databases.get((req.params as { id: string }).id);
      requireAgencyRole(user, row.agency_id, 'agency_editor');
      const [agency] = await md.agenciesByIds([row.agency_id]);
      const values = read((req.body ?? {}) as FormBody);
      const patch = clean(values);
      const errors = errorsOf(checkPatch, patch, ctx.t);
      if (Object.keys(errors).length) {
        return sendHtml(
          reply,
          page(
            <DatabaseFormPage
              ctx={ctx}
              agency={agency!}
              values={values}
              errors={errors}
              action={`/dashboard/databases/${row.id}/edit`}
              title={ctx.t('register.edit')}
            />,
          ),
          400,
        );
      }
      try {
        await catalog.databases.update(user, row.id, patch as DatabasePatch);
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'VALIDATION_FAILED')) throw err;
        return sendHtml(
          reply,
          page(
            <DatabaseFormPage
              ctx={ctx}
              agency={agency!}
              values={values}
              errors={{ name_vi: err.messages[ctx.lang] }}
              action={`/dashboard/databases/${row.id}/edit`}
              title={ctx.t('register.edit')}
            />,
          ),
          400,
        );
      }
      return reply.redirect(`/databases/${row.id}`, 303);
    },
  );
}
