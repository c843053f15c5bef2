import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import type { DatasetRef } from '../../datasets.js';

export interface AskValues {
  title: string;
  body: string;
  errors: Record<string, string>;
}

export const datasetTitle = (ctx: PageContext, d: DatasetRef) =>
  ctx.lang === 'en' ? (d.title_en ?? d.title_vi) : d.title_vi;

/** The form to ask a question on a data set (in its page's section and, with the mistakes, on its own page). */
export function AskForm({ ctx, slug, v }: { ctx: PageContext; slug: string; v: AskValues }) {
  const { t } = ctx;
  const problem = (id: string) =>
    v.errors[id] ? (
      <p class="error-message" id={`q-${id}-error`}>
        {v.errors[id]}
      </p>
    ) : null;
  return (
    <form method="post" action={`/questions/new${ctx.lang === 'en' ? '?lang=en' : ''}`} class="narrow-form">
      <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
      <input type="hidden" name="dataset" value={slug} />
      <div class={v.errors.title ? 'field field-error' : 'field'}>
        <label for="q-title">{t('discussion.ask.subject')}</label>
        {problem('title')}
        <input
          id="q-title"
          name="title"
          value={v.title}
          maxLength={200}
          required
          aria-describedby={v.errors.title ? 'q-title-error' : undefined}
        />
      </div>
      <div class={v.errors.body ? 'field field-error' : 'field'}>
        <label for="q-body">{t('discussion.ask.body')}</label>
        <p class="hint" id="q-body-hint">
          {t('discussion.ask.hint')}
        </p>
        {problem('body')}
        <textarea
          id="q-body"
          name="body"
          rows={4}
          maxLength={4000}
          required
          aria-describedby={v.errors.body ? 'q-body-hint q-body-error' : 'q-body-hint'}
        >
          {v.body}
        </textarea>
      </div>
      <button type="submit">{t('discussion.ask.submit')}</button>
    </form>
  );
}

/** `/questions/new`: the form again, with what was wrong (a page without script posts the section's form here). */
export function AskPage({ ctx, dataset, v }: { ctx: PageContext; dataset: DatasetRef; v: AskValues }) {
  const { t } = ctx;
  const errors = Object.values(v.errors);
  return (
    <Layout ctx={ctx} title={t('discussion.ask.title')}>
      <h1>{t('discussion.ask.title')}</h1>
      <p>
        {t('discussion.thread.about')}: <a href={`/dataset/${dataset.slug}`}>{datasetTitle(ctx, dataset)}</a>
      </p>
      {errors.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <ul>
            {errors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <AskForm ctx={ctx} slug={dataset.slug} v={v} />
    </Layout>
  );
}
