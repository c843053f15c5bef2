import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import type { DatasetRef } from '../../datasets.js';
import { REUSE_KINDS } from '../reuses.repository.js';
import { datasetTitle } from './reuse-card.js';

/** What the form holds: the typed values, the data sets offered to tick, and the mistakes by field. */
export interface ReuseForm {
  id: string | null;
  kind: string;
  title: string;
  description: string;
  url: string;
  image_url: string;
  /** ticked data sets (ids or slugs) */
  ticked: string[];
  /** other data sets, by slug, one a line */
  other: string;
  /** data sets to offer: those ticked, the one the form was opened from, and what the search found */
  offered: DatasetRef[];
  q: string;
  errors: Record<string, string>;
}

const describedBy = (id: string, f: ReuseForm, hint = false) =>
  [hint ? `${id}-hint` : '', f.errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

function Problem({ id, f }: { id: string; f: ReuseForm }) {
  return f.errors[id] ? (
    <p class="error-message" id={`${id}-error`}>
      {f.errors[id]}
    </p>
  ) : null;
}

/** `/reuses/new` and `/reuses/{id}/edit`: a search for data sets (GET) above the reuse's form (POST). */
export function ReuseFormPage({ ctx, f }: { ctx: PageContext; f: ReuseForm }) {
  const { t, lang } = ctx;
  const title = t(f.id ? 'reuses.form.edit' : 'reuses.form.new');
  const action = f.id ? `/reuses/${f.id}/edit` : '/reuses/new';
  const errors = Object.values(f.errors);
  const cls = (id: string) => (f.errors[id] ? 'field field-error' : 'field');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('reuses.form.intro')}</p>
      {errors.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <ul>
            {errors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {!f.id && (
        <form method="get" action="/reuses/new" class="filter-row" role="search">
          {lang === 'en' && <input type="hidden" name="lang" value="en" />}
          <div class="field">
            <label for="q">{t('reuses.form.search')}</label>
            <input id="q" name="q" type="search" value={f.q} maxLength={200} />
          </div>
          <button type="submit" class="secondary">
            {t('reuses.form.searchSubmit')}
          </button>
        </form>
      )}
      {f.q && f.offered.length === 0 && <p>{t('reuses.form.noMatch')}</p>}
      <form method="post" action={`${action}${lang === 'en' ? '?lang=en' : ''}`} class="narrow-form">
        <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
        <fieldset class={cls('datasets')} aria-describedby={describedBy('datasets', f, true)}>
          <legend>{t('reuses.form.datasets')}</legend>
          <p class="hint" id="datasets-hint">
            {t('reuses.form.datasetsHint')}
          </p>
          <Problem id="datasets" f={f} />
          {f.offered.map((d) => (
            <label class="checkbox">
              <input
                type="checkbox"
                name="datasets"
                value={d.slug}
                checked={f.ticked.includes(d.slug) || f.ticked.includes(d.id)}
              />{' '}
              {datasetTitle(ctx, d)}
            </label>
          ))}
          <label for="other">{t('reuses.form.otherDatasets')}</label>
          <textarea id="other" name="other" rows={2} maxLength={4000}>
            {f.other}
          </textarea>
        </fieldset>
        <div class={cls('kind')}>
          <label for="kind">{t('reuses.form.kind')}</label>
          <Problem id="kind" f={f} />
          <select id="kind" name="kind" required aria-describedby={describedBy('kind', f)}>
            {REUSE_KINDS.map((k) => (
              <option value={k} selected={f.kind === k}>
                {t(`reuses.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class={cls('title')}>
          <label for="title">{t('reuses.form.title')}</label>
          <Problem id="title" f={f} />
          <input
            id="title"
            name="title"
            value={f.title}
            maxLength={200}
            required
            aria-describedby={describedBy('title', f)}
          />
        </div>
        <div class={cls('description')}>
          <label for="description">{t('reuses.form.description')}</label>
          <p class="hint" id="description-hint">
            {t('reuses.form.descriptionHint')}
          </p>
          <Problem id="description" f={f} />
          <textarea
            id="description"
            name="description"
            rows={6}
            maxLength={4000}
            required
            aria-describedby={describedBy('description', f, true)}
          >
            {f.description}
          </textarea>
        </div>
        <div class={cls('url')}>
          <label for="url">{t('reuses.form.url')}</label>
          <p class="hint" id="url-hint">
            {t('reuses.form.urlHint')}
          </p>
          <Problem id="url" f={f} />
          <input
            id="url"
            name="url"
            type="url"
            value={f.url}
            maxLength={2000}
            required
            aria-describedby={describedBy('url', f, true)}
          />
        </div>
        <div class={cls('image_url')}>
          <label for="image_url">{t('reuses.form.image')}</label>
          <Problem id="image_url" f={f} />
          <input
            id="image_url"
            name="image_url"
            type="url"
            value={f.image_url}
            maxLength={2000}
            aria-describedby={describedBy('image_url', f)}
          />
        </div>
        <button type="submit">{t(f.id ? 'reuses.form.update' : 'reuses.form.save')}</button>
      </form>
    </Layout>
  );
}
