import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';

export function SignInPage({
  ctx,
  email,
  failed,
  next,
  token,
}: {
  ctx: PageContext;
  email: string;
  failed: boolean;
  next: string;
  token: string;
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
    </Layout>
  );
}
