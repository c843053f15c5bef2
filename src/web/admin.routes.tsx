import { requireConfirmed } from './confirm.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from '../platform/http.js';
import { DomainError } from '../platform/errors.js';
import { strictAjv } from '../platform/http.js';
import { ROLES, type Role } from '../accounts/principal.js';
import { agencyRole, perRequest, platformAdmin, signedInPage, userOf } from '../accounts/guards.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { AgencyBody, LicenceBody } from '../masterdata/masterdata.schema.js';
import { presentToken } from '../accounts/accounts.presenter.js';
import { page } from './layout.js';
import { pageContext } from './web.context.js';
import { formValue, sendHtml, type FormBody } from './session.js';
import { AgencyAdminPage, PlatformAdminPage } from './pages/admin.js';
import type { PageContext } from './context.js';
import { domainProblems, formProblems, type FormField } from './form-problems.js';

const checkLicence = strictAjv().compile(LicenceBody);
const checkAgency = strictAjv().compile(AgencyBody);
const role = (v: string): Role => ((ROLES as readonly string[]).includes(v) ? (v as Role) : 'viewer');
const problemsOf = (err: unknown, ctx: PageContext, fields: Record<string, FormField> = {}): string[] => {
  if (!(err instanceof DomainError) || err.status >= 500 || err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED')
    throw err;
  return domainProblems(ctx, err, fields);
};
/** The labels the platform's forms show beside their fields, for the problems they report. */
const licenceFields = (t: PageContext['t']): Record<string, FormField> => ({
  id: { label: 'ID', example: 'CC-BY-4.0' },
  title_vi: { label: t('admin.titleVi') },
  title_en: { label: t('admin.titleEn') },
  url: { label: 'URL' },
  is_open: { label: t('admin.open') },
});
const agencyFields = (t: PageContext['t']): Record<string, FormField> => ({
  code: { label: t('agency.code'), example: '000.00.00.G12' },
  slug: { label: t('admin.slug'), example: 'bo-tai-chinh' },
  name_vi: { label: t('admin.titleVi') },
  name_en: { label: t('admin.titleEn') },
  kind: { label: t('db.category') },
});

/** Agency admins manage their people and API tokens; platform admins manage agencies and licences. */
export function adminPages(app: Server, accounts: AccountsService, md: MasterDataService, baseUrl: string) {
  const agencyOf = perRequest((req) => md.agency((req.params as { slug: string }).slug));
  const agencyAdmin = agencyRole('agency_admin', async (req) => (await agencyOf(req)).id);
  /** The agency's page, shown after its guards: a signed-in admin of the agency the address names. */
  const agencyPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { secret?: string; problems?: string[]; status?: number } = {},
  ) => {
    const user = userOf(req);
    const ctx = pageContext(req, reply, baseUrl);
    const agency = await agencyOf(req);
    const [members, tokens] = await Promise.all([
      accounts.members(user, agency.id),
      accounts.listTokens(user, agency.id),
    ]);
    return sendHtml(
      reply,
      page(
        <AgencyAdminPage
          ctx={ctx}
          agency={agency}
          secret={opts.secret ?? null}
          problems={opts.problems ?? []}
          members={members.map((m) => ({ user_id: m.id, email: m.email, name: m.name, role: m.role }))}
          tokens={tokens.map(presentToken)}
        />,
      ),
      opts.status ?? 200,
    );
  };
  const forAgencyAdmins = { schema: { hide: true }, preHandler: [signedInPage('/dashboard'), agencyAdmin] };

  app.get('/admin/agency/:slug', { schema: { hide: true }, preHandler: [signedInPage(), agencyAdmin] }, (req, reply) =>
    agencyPage(req, reply),
  );

  app.post('/admin/agency/:slug/users', forAgencyAdmins, async (req, reply) => {
    const user = userOf(req);
    const agency = await agencyOf(req);
    const b = (req.body ?? {}) as FormBody;
    try {
      const input = {
        email: formValue(b, 'email', 254),
        name: formValue(b, 'name', 200),
        password: formValue(b, 'password', 1024),
        agencyId: agency.id,
        role: role(formValue(b, 'role')),
      };
      // an agency administrator is answered alike whether or not the e-mail is registered
      if (user.isPlatformAdmin && user.via === 'session') await accounts.createUser(user, input);
      else await accounts.requestUser(user, input);
    } catch (err) {
      const ctx = pageContext(req, reply, baseUrl);
      const fields = {
        email: { label: ctx.t('signin.email') },
        name: { label: ctx.t('admin.name') },
        password: { label: ctx.t('admin.initialPassword') },
      };
      return agencyPage(req, reply, { problems: problemsOf(err, ctx, fields), status: 400 });
    }
    return reply.redirect(`/admin/agency/${agency.slug}`, 303);
  });

  app.post('/admin/agency/:slug/members', forAgencyAdmins, async (req, reply) => {
    const user = userOf(req);
    const agency = await agencyOf(req);
    const b = (req.body ?? {}) as FormBody;
    await accounts.setMembership(user, formValue(b, 'user_id', 60), agency.id, role(formValue(b, 'role')));
    return reply.redirect(`/admin/agency/${agency.slug}`, 303);
  });

  app.post('/admin/agency/:slug/tokens', forAgencyAdmins, async (req, reply) => {
    const user = userOf(req);
    const agency = await agencyOf(req);
    const b = (req.body ?? {}) as FormBody;
    const days = Number.parseInt(formValue(b, 'days', 5), 10);
    const { t } = pageContext(req, reply, baseUrl);
    if (!formValue(b, 'name') || !Number.isInteger(days) || days < 1 || days > 365) {
      return agencyPage(req, reply, { problems: [t('problem.tokenForm')], status: 400 });
    }
    // The secret is shown on this response only; it is never stored or shown again.
    const { secret } = await accounts.createToken(user, {
      agencyId: agency.id,
      name: formValue(b, 'name', 200),
      role: role(formValue(b, 'role')),
      expiresInDays: days,
    });
    reply.header('cache-control', 'no-store');
    return agencyPage(req, reply, { secret });
  });

  // No agency guard: the owner of a token may revoke it without being the agency's admin (the service checks).
  app.post(
    '/admin/agency/:slug/tokens/:id/revoke',
    { schema: { hide: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const agency = await agencyOf(req);
      requireConfirmed(req.body as FormBody | undefined);
      await accounts.revokeToken(user, (req.params as { id: string }).id);
      return reply.redirect(`/admin/agency/${agency.slug}`, 303);
    },
  );

  /** The platform's page, shown after its guards: a signed-in platform administrator. */
  const platformPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    problems: string[] = [],
    notice: string | null = null,
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, baseUrl);
    return sendHtml(
      reply,
      page(<PlatformAdminPage ctx={ctx} licences={await md.licences()} problems={problems} notice={notice} />),
      status,
    );
  };
  const forPlatformAdmins = { schema: { hide: true }, preHandler: [signedInPage('/admin'), platformAdmin] };
  app.get('/admin', forPlatformAdmins, async (req, reply) => {
    const saved = (req.query as { saved?: string }).saved;
    return platformPage(req, reply, [], saved ? pageContext(req, reply, baseUrl).t('admin.saved') : null);
  });

  app.post('/admin/licences', forPlatformAdmins, async (req, reply) => {
    const user = userOf(req);
    const b = (req.body ?? {}) as FormBody;
    const candidate = {
      id: formValue(b, 'id', 40),
      title_vi: formValue(b, 'title_vi', 200),
      title_en: formValue(b, 'title_en', 200),
      url: formValue(b, 'url', 500),
      is_open: formValue(b, 'is_open') === 'true',
    };
    const ctx = pageContext(req, reply, baseUrl);
    if (!checkLicence(candidate))
      return platformPage(req, reply, formProblems(ctx, checkLicence.errors, licenceFields(ctx.t)), null, 400);
    await md.saveLicence(user, candidate);
    return reply.redirect('/admin?saved=1', 303);
  });

  app.post('/admin/agencies', forPlatformAdmins, async (req, reply) => {
    const user = userOf(req);
    const b = (req.body ?? {}) as FormBody;
    const candidate: Record<string, string> = {
      code: formValue(b, 'code', 20),
      slug: formValue(b, 'slug', 100),
      name_vi: formValue(b, 'name_vi', 300),
      kind: formValue(b, 'kind', 30),
    };
    if (formValue(b, 'name_en')) candidate.name_en = formValue(b, 'name_en', 300);
    const ctx = pageContext(req, reply, baseUrl);
    if (!checkAgency(candidate))
      return platformPage(req, reply, formProblems(ctx, checkAgency.errors, agencyFields(ctx.t)), null, 400);
    try {
      const agency = await md.createAgency(user, candidate as never);
      return reply.redirect(`/agency/${agency.slug}`, 303);
    } catch (err) {
      return platformPage(req, reply, problemsOf(err, ctx, agencyFields(ctx.t)), null, 400);
    }
  });
}
