import { Layout } from '../../web/layout.js';
import type { PageContext } from '../../web/context.js';
import { formatMoment } from '../../web/table-cells.js';
import type { PublicUser } from '../public-principal.js';

/** The signed-in public user's own page: who they are to the portal and at which level this sign-in stands. */
export function AccountPage({ ctx, user, eid }: { ctx: PageContext; user: PublicUser; eid: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.account.title')}>
      <h1>{t('identity.account.title')}</h1>
      <dl class="metadata">
        <dt>{t('identity.account.name')}</dt>
        <dd data-testid="account-name">{user.name}</dd>
        <dt>{t('identity.account.kind')}</dt>
        <dd>{t(`identity.account.kind.${user.kind}`)}</dd>
        {user.email && (
          <>
            <dt>{t('identity.account.email')}</dt>
            <dd>{user.email}</dd>
          </>
        )}
        <dt>{t('identity.account.level')}</dt>
        <dd data-testid="account-level">{t(`identity.account.level.${user.level}`)}</dd>
        <dt>{t('identity.account.until')}</dt>
        <dd>{formatMoment(user.expiresAt, ctx.lang)}</dd>
      </dl>
      {user.kind === 'citizen' && user.level >= 2 && (
        <p>
          <a class="button-link" href="/my-data">
            {t('identity.account.myData')}
          </a>
        </p>
      )}
      {eid && user.kind === 'citizen' && user.level < 2 && (
        <p>
          <a class="button-link" href="/auth/eid?level=2&next=%2Faccount">
            {t('identity.account.stepUp')}
          </a>
        </p>
      )}
      <form method="post" action="/auth/signout">
        <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
        <button type="submit">{t('identity.account.signout')}</button>
      </form>
    </Layout>
  );
}
