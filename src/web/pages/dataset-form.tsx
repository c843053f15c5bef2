import { Layout } from '../layout.js';
import { Field } from '../components.js';
import type { PageContext } from '../context.js';

export interface DatasetFormValues {
  title_vi: string;
  title_en: string;
  description_vi: string;
  description_en: string;
  keywords: string;
  themes: string[];
  licence_id: string;
  access_rights: string;
  update_frequency: string;
  spatial: string;
  contact_email: string;
}

export const EMPTY_FORM: DatasetFormValues = {
  title_vi: '',
  title_en: '',
  description_vi: '',
  description_en: '',
  keywords: '',
  themes: [],
  licence_id: 'CC-BY-4.0',
  access_rights: 'public',
  update_frequency: 'UNKNOWN',
  spatial: '',
  contact_email: '',
};

const FREQUENCIES = [
  'UNKNOWN',
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'QUARTERLY',
  'BIANNUAL',
  'ANNUAL',
  'IRREG',
  'CONT',
  'NEVER',
];

export function DatasetFormPage({
  ctx,
  agency,
  values,
  errors,
  licences,
  themes,
  action,
  heading,
}: {
  ctx: PageContext;
  agency: { slug: string; name_vi: string };
  values: DatasetFormValues;
  errors: Record<string, string>;
  licences: { id: string; title: string }[];
  themes: { id: string; label: string }[];
  /** where the form posts, and its heading: a new data set or an edit */
  action?: string;
  heading?: string;
}) {
  const { t } = ctx;
  const count = Object.keys(errors).length;
  const describedBy = (id: string, hint = false) =>
    [hint ? `${id}-hint` : '', errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <Layout ctx={ctx} title={heading ?? t('dashboard.new')}>
      <p class="breadcrumbs">
        <a href="/dashboard">{t('nav.dashboard')}</a>
      </p>
      <h1>{heading ?? t('dashboard.new')}</h1>
      <p class="lead">{agency.name_vi}</p>
      {count > 0 && (
        <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
          <h2>{t('form.errors', { count })}</h2>
          <ul>
            {Object.entries(errors).map(([field, message]) => (
              <li>
                <a href={`#${field}`}>{message}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form
        method="post"
        action={action ?? `/dashboard/datasets?agency=${encodeURIComponent(agency.slug)}`}
        class="dataset-form"
        noValidate
        data-validate
      >
        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
        <Field ctx={ctx} id="title_vi" label={t('form.title_vi')} error={errors.title_vi} required>
          <input
            type="text"
            id="title_vi"
            name="title_vi"
            value={values.title_vi}
            required
            maxLength={300}
            aria-describedby={describedBy('title_vi')}
            aria-invalid={errors.title_vi ? 'true' : undefined}
          />
        </Field>
        <Field ctx={ctx} id="title_en" label={t('form.title_en')} error={errors.title_en}>
          <input type="text" id="title_en" name="title_en" value={values.title_en} maxLength={300} lang="en" />
        </Field>
        <Field ctx={ctx} id="description_vi" label={t('form.description_vi')} error={errors.description_vi} required>
          <textarea
            id="description_vi"
            name="description_vi"
            rows={5}
            required
            aria-describedby={describedBy('description_vi')}
            aria-invalid={errors.description_vi ? 'true' : undefined}
          >
            {values.description_vi}
          </textarea>
        </Field>
        <Field ctx={ctx} id="description_en" label={t('form.description_en')} error={errors.description_en}>
          <textarea id="description_en" name="description_en" rows={3} lang="en">
            {values.description_en}
          </textarea>
        </Field>
        <Field ctx={ctx} id="keywords" label={t('form.keywords')} hint={t('form.keywordsHint')} error={errors.keywords}>
          <input
            type="text"
            id="keywords"
            name="keywords"
            value={values.keywords}
            aria-describedby={describedBy('keywords', true)}
          />
        </Field>
        <fieldset class={errors.themes ? 'field field-error' : 'field'} id="themes">
          <legend>{t('form.themes')}</legend>
          {errors.themes && <p class="error-message">{errors.themes}</p>}
          <div class="checkbox-grid">
            {themes.map((th) => (
              <div class="checkbox">
                <input
                  type="checkbox"
                  id={`theme-${th.id}`}
                  name="themes"
                  value={th.id}
                  checked={values.themes.includes(th.id)}
                />
                <label for={`theme-${th.id}`}>{th.label}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <Field ctx={ctx} id="licence_id" label={t('form.licence')} error={errors.licence_id}>
          <select id="licence_id" name="licence_id" aria-describedby={describedBy('licence_id')}>
            <option value="">{t('form.none')}</option>
            {licences.map((l) => (
              <option value={l.id} selected={l.id === values.licence_id}>
                {l.title}
              </option>
            ))}
          </select>
        </Field>
        <Field ctx={ctx} id="access_rights" label={t('form.access')} error={errors.access_rights}>
          <select id="access_rights" name="access_rights">
            {['public', 'restricted', 'non_public'].map((a) => (
              <option value={a} selected={a === values.access_rights}>
                {t(`access.${a}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field ctx={ctx} id="update_frequency" label={t('form.frequency')} error={errors.update_frequency}>
          <select id="update_frequency" name="update_frequency">
            {FREQUENCIES.map((f) => (
              <option value={f} selected={f === values.update_frequency}>
                {t(`freq.${f}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field ctx={ctx} id="spatial" label={t('form.spatial')} hint={t('form.spatialHint')} error={errors.spatial}>
          <input
            type="text"
            id="spatial"
            name="spatial"
            value={values.spatial}
            inputmode="numeric"
            aria-describedby={describedBy('spatial', true)}
            aria-invalid={errors.spatial ? 'true' : undefined}
          />
        </Field>
        <Field ctx={ctx} id="contact_email" label={t('form.contact_email')} error={errors.contact_email}>
          <input
            type="email"
            id="contact_email"
            name="contact_email"
            value={values.contact_email}
            autocomplete="email"
            aria-describedby={describedBy('contact_email')}
            aria-invalid={errors.contact_email ? 'true' : undefined}
          />
        </Field>
        <button type="submit">{t('form.save')}</button>
      </form>
    </Layout>
  );
}
