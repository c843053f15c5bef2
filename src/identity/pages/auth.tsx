import { Layout } from '../../web/layout.js';
import type { PageContext } from '../../web/context.js';

export interface EmailFormState {
  email: string;
  name: string;
  errors: { email?: boolean; name?: boolean };
}

/** Public sign-in: the national e-ID first, an e-mailed link for those without one; staff are pointed to theirs. */
export function PublicSignInPage({
  ctx,
  eid,
  next,
  token,
  form,
}: {
  ctx: PageContext;
  eid: boolean;
  next: string;
  token: string;
  form: EmailFormState;
}) {
  const { t } = ctx;
  const q = `next=${encodeURIComponent(next)}`;
  const invalid = form.errors.email || form.errors.name;
  return (
    <Layout ctx={ctx} title={t('identity.auth.title')}>
      <h1>{t('identity.auth.title')}</h1>
      {invalid && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <ul>
            {form.errors.email && <li>{t('identity.auth.invalidEmail')}</li>}
            {form.errors.name && <li>{t('identity.auth.invalidName')}</li>}
          </ul>
        </div>
      )}
      <section aria-labelledby="eid-heading">
        <h2 id="eid-heading">{t('identity.auth.eid')}</h2>
        <p>{t('identity.auth.eidLead')}</p>
        {eid ? (
          <p>
            <a class="button-link" href={`/auth/eid?level=1&${q}`}>
              {t('identity.auth.eidLevel1')}
            </a>{' '}
            <a class="button-link" href={`/auth/eid?level=2&${q}`}>
              {t('identity.auth.eidLevel2')}
            </a>
          </p>
        ) : (
          <p>{t('identity.auth.eidOff')}</p>
        )}
      </section>
      <section aria-labelledby="email-heading">
        <h2 id="email-heading">{t('identity.auth.email')}</h2>
        <p>{t('identity.auth.emailLead')}</p>
        <form method="post" action="/auth/email" class="narrow-form" novalidate>
          <input type="hidden" name="_csrf" value={token} />
          <input type="hidden" name="next" value={next} />
          <div class={form.errors.email ? 'field field-error' : 'field'}>
            <label for="email">{t('identity.auth.emailLabel')}</label>
            <input type="email" id="email" name="email" value={form.email} autocomplete="email" required />
          </div>
          <div class={form.errors.name ? 'field field-error' : 'field'}>
            <label for="name">{t('identity.auth.nameLabel')}</label>
            <input type="text" id="name" name="name" value={form.name} autocomplete="name" maxLength={200} required />
          </div>
          <button type="submit">{t('identity.auth.send')}</button>
        </form>
      </section>
      <p>
        {t('identity.auth.staff')} <a href="/signin">{t('identity.auth.staffLink')}</a>
      </p>
    </Layout>
  );
}

export function EmailSentPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.sent.title')}>
      <h1>{t('identity.sent.title')}</h1>
      <p role="status">{t('identity.sent.body')}</p>
    </Layout>
  );
}

/** The e-mailed link opens this page, whose button uses the link: mail scanners that open links use nothing. */
export function ConfirmEmailPage({
  ctx,
  link,
  next,
  token,
}: {
  ctx: PageContext;
  link: string;
  next: string;
  token: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.confirm.title')}>
      <h1>{t('identity.confirm.title')}</h1>
      <p>{t('identity.confirm.body')}</p>
      <form method="post" action="/auth/email/confirm">
        <input type="hidden" name="_csrf" value={token} />
        <input type="hidden" name="token" value={link} />
        <input type="hidden" name="next" value={next} />
        <button type="submit">{t('identity.confirm.submit')}</button>
      </form>
    </Layout>
  );
}

/** A sign-in at a lower level than the page needs: why, and the way to sign in again at the level it needs. */
export function StepUpPage({ ctx, message, again }: { ctx: PageContext; message: string; again: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.stepUp.title')}>
      <h1>{t('identity.stepUp.title')}</h1>
      <div class="error-summary" role="alert" tabindex={-1}>
        <p>{message}</p>
      </div>
      <p>{t('identity.stepUp.lead')}</p>
      <p>
        <a class="button-link" href={again} data-testid="step-up">
          {t('identity.stepUp.again')}
        </a>
      </p>
      <p>
        <a href="/">{t('error.back')}</a>
      </p>
    </Layout>
  );
}
