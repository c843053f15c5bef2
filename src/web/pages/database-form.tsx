import { Layout } from '../layout.js';
import { Field } from '../components.js';
import type { PageContext } from '../context.js';

export const REGISTER_TEXT_FIELDS = [
  'purpose',
  'scope',
  'content',
  'collection_mechanism',
  'update_mechanism',
  'data_sources',
  'legal_basis',
] as const;
export const REGISTER_CHOICES = {
  category: ['national', 'specialised', 'shared', 'master', 'big_data'],
  access_class: ['open', 'shared', 'private'],
  importance: ['core', 'important', 'other'],
  status: ['planned', 'building', 'operating', 'retired'],
} as const;
export type RegisterValues = Record<string, string>;

/** The register-of-databases entry form (Decision 1437/QĐ-TTg II.2.a), for a new entry or a new version of one. */
export function DatabaseFormPage({
  ctx,
  agency,
  values,
  errors,
  action,
  title,
}: {
  ctx: PageContext;
  agency: { name_vi: string };
  values: RegisterValues;
  errors: Record<string, string>;
  action: string;
  title: string;
}) {
  const { t } = ctx;
  const count = Object.keys(errors).length;
  return (
    <Layout ctx={ctx} title={title}>
      <p class="breadcrumbs">
        <a href="/dashboard">{t('nav.dashboard')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">{agency.name_vi}</p>
      {count > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>{t('form.errors', { count })}</h2>
          <ul>
            {Object.entries(errors).map(([f, m]) => (
              <li>
                <a href={`#${f}`}>{m}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action={action} noValidate data-validate>
        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
        <Field ctx={ctx} id="name_vi" label={t('register.name_vi')} error={errors.name_vi} required>
          <input
            type="text"
            id="name_vi"
            name="name_vi"
            value={values.name_vi ?? ''}
            required
            maxLength={300}
            aria-invalid={errors.name_vi ? 'true' : undefined}
          />
        </Field>
        <Field ctx={ctx} id="name_en" label={t('register.name_en')} error={errors.name_en}>
          <input type="text" id="name_en" name="name_en" value={values.name_en ?? ''} maxLength={300} lang="en" />
        </Field>
        {REGISTER_TEXT_FIELDS.map((f) => (
          <Field ctx={ctx} id={f} label={t(`register.${f}`)} error={errors[f]} required>
            <textarea id={f} name={f} rows={3} required aria-invalid={errors[f] ? 'true' : undefined}>
              {values[f] ?? ''}
            </textarea>
          </Field>
        ))}
        {Object.entries(REGISTER_CHOICES).map(([f, options]) => (
          <Field ctx={ctx} id={f} label={t(`register.${f}`)} error={errors[f]} required>
            <select id={f} name={f}>
              {options.map((o) => (
                <option value={o} selected={values[f] === o}>
                  {t(`register.${f}.${o}`)}
                </option>
              ))}
            </select>
          </Field>
        ))}
        <button type="submit">{t('register.save')}</button>
      </form>
    </Layout>
  );
}
