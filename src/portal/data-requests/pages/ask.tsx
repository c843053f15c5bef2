import { Layout } from '../../../web/layout.js';
import { Field } from '../../../web/components.js';
import type { PageContext } from '../../../web/context.js';
import type { AgencyRow } from '../../../masterdata/masterdata.service.js';
import { AgencyOptions } from './shared.js';

export interface AskForm {
  title: string;
  description: string;
  purpose: string;
  agency: string;
  showName: boolean;
  errors: Partial<Record<'title' | 'description' | 'purpose' | 'agency' | 'form', string>>;
}

export const EMPTY_ASK: AskForm = { title: '', description: '', purpose: '', agency: '', showName: false, errors: {} };

/** The form to ask for data (`/data-requests/new`), for a signed-in public user. */
export function AskPage({
  ctx,
  form,
  agencies,
  name,
}: {
  ctx: PageContext;
  form: AskForm;
  agencies: AgencyRow[];
  name: string;
}) {
  const { t } = ctx;
  const errors = Object.values(form.errors);
  const described = (id: string, hint: boolean) =>
    [hint ? `${id}-hint` : '', form.errors[id as keyof AskForm['errors']] ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <Layout ctx={ctx} title={t('datareq.ask.title')}>
      <h1>{t('datareq.ask.title')}</h1>
      <p>{t('datareq.ask.intro')}</p>
      <p>{t('datareq.lead')}</p>
      {errors.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <ul>
            {errors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/data-requests/new" class="narrow-form">
        <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
        <Field ctx={ctx} id="title" label={t('datareq.ask.fieldTitle')} error={form.errors.title} required>
          <input
            id="title"
            name="title"
            type="text"
            maxLength={200}
            required
            value={form.title}
            aria-describedby={described('title', false)}
            aria-invalid={form.errors.title ? 'true' : undefined}
          />
        </Field>
        <Field
          ctx={ctx}
          id="description"
          label={t('datareq.ask.fieldDescription')}
          hint={t('datareq.ask.descriptionHint')}
          error={form.errors.description}
          required
        >
          <textarea
            id="description"
            name="description"
            rows={6}
            maxLength={4000}
            required
            aria-describedby={described('description', true)}
            aria-invalid={form.errors.description ? 'true' : undefined}
          >
            {form.description}
          </textarea>
        </Field>
        <Field ctx={ctx} id="purpose" label={t('datareq.ask.fieldPurpose')} error={form.errors.purpose} required>
          <textarea
            id="purpose"
            name="purpose"
            rows={3}
            maxLength={2000}
            required
            aria-describedby={described('purpose', false)}
            aria-invalid={form.errors.purpose ? 'true' : undefined}
          >
            {form.purpose}
          </textarea>
        </Field>
        <Field ctx={ctx} id="agency" label={t('datareq.ask.fieldAgency')} error={form.errors.agency}>
          <select id="agency" name="agency" aria-describedby={described('agency', false)}>
            <AgencyOptions ctx={ctx} agencies={agencies} selected={form.agency} none={t('datareq.ask.dontKnow')} />
          </select>
        </Field>
        <label class="checkbox">
          <input type="checkbox" name="showName" value="on" checked={form.showName} />{' '}
          {t('datareq.ask.showName', { name })}
        </label>
        <button type="submit">{t('datareq.ask.submit')}</button>
      </form>
    </Layout>
  );
}
