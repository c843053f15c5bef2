import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';

export function SignInPage({
  ctx,
  email,
  failed,
  next,
  token,
  sso = false,
}: {
  ctx: PageContext;
  email: string;
  failed: boolean;
  next: string;
  token: string;
  /** agency SSO is configured (identity/): its button comes first, passwords stay below */
  sso?: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('signin.title')}>
      <h1>{t('signin.title')}</h1>
      {failed && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <p>{t('signin.failed')}</p>
        </div>
      )}
      {sso && (
        <p>
          <a class="button-link" href={`/signin/sso?next=${encodeURIComponent(next)}`}>
            {t('signin.sso')}
          </a>
        </p>
      )}
      <form method="post" action="/signin" class="narrow-form">
        <input type="hidden" name="next" value={next} />
        <input type="hidden" name="_csrf" value={token} />
        <div class="field">
          <label for="email">{t('signin.email')}</label>
          <input type="email" id="email" name="email" value={email} autocomplete="username" required />
        </div>
        <div class="field">
          <label for="password">{t('signin.password')}</label>
          <input type="password" id="password" name="password" autocomplete="current-password" required />
        </div>
        <button type="submit">{t('signin.submit')}</button>
      </form>
      <p>
        {t('signin.public')} <a href="/auth">{t('nav.eid')}</a>
      </p>
    </Layout>
  );
}
