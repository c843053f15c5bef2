import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import type { Reuse } from '../reuses.service.js';
import { datasetTitle } from './reuse-card.js';

/** `/reuses/{id}`: the reuse; its submitter's edit and withdraw; the moderators' hide form. */
export function ReusePage({
  ctx,
  r,
  own,
  canHide,
  notice,
  hideError,
}: {
  ctx: PageContext;
  r: Reuse;
  own: boolean;
  canHide: boolean;
  notice: string | null;
  hideError: string | null;
}) {
  const { t, lang } = ctx;
  const x = r.row;
  const en = lang === 'en' ? '?lang=en' : '';
  return (
    <Layout ctx={ctx} title={x.title}>
      <p class="meta">{t(`reuses.kind.${x.kind}`)}</p>
      <h1>{x.title}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {x.status === 'hidden' && (
        <p class="error-summary" data-testid="reuse-hidden">
          {t('reuses.hidden', { reason: x.hidden_reason ?? '' })}
        </p>
      )}
      <p class="hint">{t('reuses.by', { name: x.submitter_name, date: formatDate(x.created_at, lang) })}</p>
      <p class="prewrap">{x.description}</p>
      {/* only linked: the pages' policy loads no image from elsewhere, and a reader's visit is told to no third party */}
      {x.image_url && (
        <p>
          <a href={x.image_url} rel="nofollow noopener ugc">
            {t('reuses.image')}
          </a>
        </p>
      )}
      <p>
        <a href={x.url} rel="nofollow noopener ugc">
          {t('reuses.open')}
        </a>
      </p>
      <h2>{t('reuses.uses')}</h2>
      <ul>
        {r.datasets
          .filter((d) => d.published)
          .map((d) => (
            <li>
              <a href={`/dataset/${d.slug}`}>{datasetTitle(ctx, d)}</a>
            </li>
          ))}
      </ul>
      {own && (
        <section aria-labelledby="mine-heading">
          <h2 id="mine-heading">{t('reuses.mine')}</h2>
          <p>
            <a href={`/reuses/${x.id}/edit${en}`}>{t('reuses.edit')}</a>
          </p>
          <form method="post" action={`/reuses/${x.id}/withdraw`}>
            <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
            <button type="submit" class="secondary">
              {t('reuses.withdraw')}
            </button>
          </form>
        </section>
      )}
      {canHide && x.status === 'shown' && (
        <section aria-labelledby="hide-heading">
          <h2 id="hide-heading">{t('reuses.hide.title')}</h2>
          <form method="post" action={`/reuses/${x.id}/hide`} class="narrow-form">
            <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
            <div class={hideError ? 'field field-error' : 'field'}>
              <label for="reason">{t('reuses.hide.reason')}</label>
              <p class="hint" id="reason-hint">
                {t('reuses.hide.hint')}
              </p>
              {hideError && (
                <p class="error-message" id="reason-error">
                  {hideError}
                </p>
              )}
              <textarea
                id="reason"
                name="reason"
                rows={3}
                maxLength={2000}
                required
                aria-describedby={hideError ? 'reason-hint reason-error' : 'reason-hint'}
              />
            </div>
            <button type="submit" class="secondary">
              {t('reuses.hide.submit')}
            </button>
          </form>
        </section>
      )}
    </Layout>
  );
}
