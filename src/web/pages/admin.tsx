import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';
import { formatDate } from '../format.js';
import { SupervisorLinks } from './dashboard.js';
import { DangerSubmit } from '../confirm.js';

const ROLES = ['agency_editor', 'agency_admin', 'viewer'] as const;
const RoleSelect = ({ ctx, id, value }: { ctx: PageContext; id: string; value?: string }) => (
  <select id={id} name="role">
    {ROLES.map((r) => (
      <option value={r} selected={r === value}>
        {ctx.t(`role.${r}`)}
      </option>
    ))}
  </select>
);
const Csrf = ({ ctx }: { ctx: PageContext }) => <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />;
const Problems = ({ ctx, problems }: { ctx: PageContext; problems: string[] }) =>
  problems.length ? (
    <div class="error-summary" role="alert" tabindex={-1}>
      <h2>{ctx.t('form.errors', { count: problems.length })}</h2>
      <ul>
        {problems.map((p) => (
          <li>{p}</li>
        ))}
      </ul>
    </div>
  ) : null;

export interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  role: string;
}
export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  role: string;
  expires_at: string;
  revoked_at: string | null;
}

/** An agency admin's page: the agency's people and its API tokens. */
export function AgencyAdminPage({
  ctx,
  agency,
  members,
  tokens,
  secret,
  problems,
}: {
  ctx: PageContext;
  agency: { slug: string; name_vi: string };
  members: MemberRow[];
  tokens: TokenRow[];
  secret: string | null;
  problems: string[];
}) {
  const { t } = ctx;
  const base = `/admin/agency/${agency.slug}`;
  return (
    <Layout ctx={ctx} title={t('admin.agency.title')}>
      <p class="breadcrumbs">
        <a href="/dashboard">{t('nav.dashboard')}</a>
      </p>
      <h1>{t('admin.agency.title')}</h1>
      <p class="lead">{agency.name_vi}</p>
      <Problems ctx={ctx} problems={problems} />
      {secret && (
        <div class="notice" role="status">
          <p>{t('admin.token.once')}</p>
          <p>
            <code class="secret">{secret}</code>
          </p>
        </div>
      )}
      <h2>{t('admin.members')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('signin.email')}</th>
            <th scope="col">{t('admin.name')}</th>
            <th scope="col">{t('admin.role')}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m, i) => (
            <tr>
              <td>{m.email}</td>
              <td>{m.name}</td>
              <td>
                <form method="post" action={`${base}/members`} class="inline-form">
                  <Csrf ctx={ctx} />
                  <input type="hidden" name="user_id" value={m.user_id} />
                  <label class="visually-hidden" for={`role-${i}`}>
                    {t('admin.role')}: {m.email}
                  </label>
                  <RoleSelect ctx={ctx} id={`role-${i}`} value={m.role} />{' '}
                  <button type="submit" class="secondary">
                    {t('admin.change')}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel">
        <h2>{t('admin.addUser')}</h2>
        <form method="post" action={`${base}/users`} class="narrow-form">
          <Csrf ctx={ctx} />
          <div class="field">
            <label for="new-email">{t('signin.email')}</label>
            <input type="email" id="new-email" name="email" required autocomplete="off" />
          </div>
          <div class="field">
            <label for="new-name">{t('admin.name')}</label>
            <input type="text" id="new-name" name="name" required />
          </div>
          <div class="field">
            <label for="new-password">{t('admin.initialPassword')}</label>
            <p class="hint" id="new-password-hint">
              {t('admin.passwordHint')}
            </p>
            <input
              type="password"
              id="new-password"
              name="password"
              required
              minLength={10}
              autocomplete="new-password"
              aria-describedby="new-password-hint"
            />
          </div>
          <div class="field">
            <label for="new-role">{t('admin.role')}</label>
            <RoleSelect ctx={ctx} id="new-role" />
          </div>
          <button type="submit">{t('admin.addUser')}</button>
        </form>
      </section>
      <h2>{t('admin.tokens')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('admin.name')}</th>
            <th scope="col">{t('admin.role')}</th>
            <th scope="col">{t('admin.expires')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('admin.revoke')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((tk) => (
            <tr>
              <td>
                {tk.name} <code>{tk.prefix}</code>
              </td>
              <td>{t(`role.${tk.role}`)}</td>
              <td>{formatDate(tk.expires_at, ctx.lang)}</td>
              <td>
                {tk.revoked_at ? (
                  t('admin.revoked')
                ) : (
                  <form method="post" action={`${base}/tokens/${tk.id}/revoke`} class="inline-form">
                    <Csrf ctx={ctx} />
                    <DangerSubmit ctx={ctx}>
                      {t('admin.revoke')}
                      <span class="visually-hidden">: {tk.name}</span>
                    </DangerSubmit>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel">
        <h2>{t('admin.newToken')}</h2>
        <form method="post" action={`${base}/tokens`} class="narrow-form">
          <Csrf ctx={ctx} />
          <div class="field">
            <label for="token-name">{t('admin.name')}</label>
            <input type="text" id="token-name" name="name" required maxLength={200} />
          </div>
          <div class="field">
            <label for="token-role">{t('admin.role')}</label>
            <RoleSelect ctx={ctx} id="token-role" />
          </div>
          <div class="field">
            <label for="token-days">{t('admin.days')}</label>
            <input type="text" inputmode="numeric" id="token-days" name="days" value="90" />
          </div>
          <button type="submit">{t('admin.newToken')}</button>
        </form>
      </section>
    </Layout>
  );
}

/** A platform admin's page: agencies and the licence register. */
export function PlatformAdminPage({
  ctx,
  licences,
  problems,
  notice,
}: {
  ctx: PageContext;
  licences: { id: string; title_vi: string; url: string; is_open: boolean }[];
  problems: string[];
  notice: string | null;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.platform.title')}>
      <h1>{t('admin.platform.title')}</h1>
      <Problems ctx={ctx} problems={problems} />
      {notice && (
        <div class="notice" role="status">
          <p>{notice}</p>
        </div>
      )}
      <SupervisorLinks ctx={ctx} admin={false} />
      <h2>{t('admin.licences')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">{t('admin.name')}</th>
            <th scope="col">{t('admin.open')}</th>
          </tr>
        </thead>
        <tbody>
          {licences.map((l) => (
            <tr>
              <td>
                <code>{l.id}</code>
              </td>
              <td>
                <a href={l.url}>{l.title_vi}</a>
              </td>
              <td>{l.is_open ? '✓' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel">
        <h2>{t('admin.saveLicence')}</h2>
        <form method="post" action="/admin/licences" class="narrow-form">
          <Csrf ctx={ctx} />
          <div class="field">
            <label for="lic-id">ID</label>
            <input type="text" id="lic-id" name="id" required />
          </div>
          <div class="field">
            <label for="lic-vi">{t('admin.titleVi')}</label>
            <input type="text" id="lic-vi" name="title_vi" required />
          </div>
          <div class="field">
            <label for="lic-en">{t('admin.titleEn')}</label>
            <input type="text" id="lic-en" name="title_en" required />
          </div>
          <div class="field">
            <label for="lic-url">URL</label>
            <input type="text" id="lic-url" name="url" required />
          </div>
          <div class="checkbox">
            <input type="checkbox" id="lic-open" name="is_open" value="true" />
            <label for="lic-open">{t('admin.open')}</label>
          </div>
          <button type="submit">{t('admin.saveLicence')}</button>
        </form>
      </section>
      <section class="panel">
        <h2>{t('admin.newAgency')}</h2>
        <form method="post" action="/admin/agencies" class="narrow-form">
          <Csrf ctx={ctx} />
          <div class="field">
            <label for="ag-code">{t('agency.code')}</label>
            <p class="hint" id="ag-code-hint">
              000.00.00.G99
            </p>
            <input type="text" id="ag-code" name="code" required aria-describedby="ag-code-hint" />
          </div>
          <div class="field">
            <label for="ag-slug">{t('admin.slug')}</label>
            <input type="text" id="ag-slug" name="slug" required />
          </div>
          <div class="field">
            <label for="ag-vi">{t('admin.titleVi')}</label>
            <input type="text" id="ag-vi" name="name_vi" required />
          </div>
          <div class="field">
            <label for="ag-en">{t('admin.titleEn')}</label>
            <input type="text" id="ag-en" name="name_en" />
          </div>
          <div class="field">
            <label for="ag-kind">{t('db.category')}</label>
            <select id="ag-kind" name="kind">
              {['ministry', 'ministerial_agency', 'government_agency', 'province', 'commune', 'other'].map((k) => (
                <option value={k}>{t(`agency.kind.${k}`)}</option>
              ))}
            </select>
          </div>
          <button type="submit">{t('admin.newAgency')}</button>
        </form>
      </section>
    </Layout>
  );
}
