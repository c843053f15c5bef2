import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatMoment } from '../../../web/table-cells.js';
import type { ProcedureField, ProcedureRow } from '../../procedures/procedure.js';
import type { PreviewField } from '../../prefill/prefill.types.js';
import { fieldLabel, named, procedureName, shownValue, sourceText, type SourceNames } from './dossier-view.js';

/** What the applicant sent back, kept when the form is shown again with its errors. */
export interface ApplyForm {
  /** typed values by field key (for a prefilled field: the corrected value) */
  values: Record<string, string>;
  /** prefilled fields the applicant marked wrong */
  wrong: Set<string>;
  /** per field errors, in the page's language */
  errors: Map<string, string>;
  /** errors of the whole form */
  general: string[];
}

export const EMPTY_FORM: ApplyForm = { values: {}, wrong: new Set(), errors: new Map(), general: [] };

const id = (key: string) => `f-${key}`;

/** The input of a typed value, by the field's type: dates as dd/mm/yyyy, yes/no as radios. */
function Input({
  ctx,
  field,
  value,
  describedBy,
}: {
  ctx: PageContext;
  field: ProcedureField;
  value: string;
  describedBy: string;
}) {
  const common = { id: id(field.key), name: field.key, 'aria-describedby': describedBy || undefined };
  switch (field.type) {
    case 'text':
      return (
        <textarea {...common} rows={4} maxLength={4000}>
          {value}
        </textarea>
      );
    case 'date':
      return (
        <input
          {...common}
          type="text"
          inputMode="numeric"
          autocomplete="off"
          placeholder={ctx.t('dossiers.apply.datePlaceholder')}
          value={value}
        />
      );
    case 'integer':
    case 'number':
      return (
        <input {...common} type="text" inputMode={field.type === 'integer' ? 'numeric' : 'decimal'} value={value} />
      );
    case 'boolean':
      return (
        <select {...common}>
          <option value="">—</option>
          <option value="true" selected={value === 'true'}>
            {ctx.t('dossiers.bool.true')}
          </option>
          <option value="false" selected={value === 'false'}>
            {ctx.t('dossiers.bool.false')}
          </option>
        </select>
      );
    default:
      return <input {...common} type="text" maxLength={500} value={value} />;
  }
}

function ErrorText({ ctx: _ctx, field, form }: { ctx: PageContext; field: ProcedureField; form: ApplyForm }) {
  const e = form.errors.get(field.key);
  return e ? (
    <p class="error-message" id={`${id(field.key)}-error`}>
      {e}
    </p>
  ) : null;
}

/** One field of the form: a prefilled value with its source and “correct / wrong, I fix it”, or an input. */
function FormField({
  ctx,
  p,
  names,
  form,
}: {
  ctx: PageContext;
  p: PreviewField;
  names: SourceNames;
  form: ApplyForm;
}) {
  const { t } = ctx;
  const { field, prefilled } = p;
  const label = fieldLabel(ctx, field);
  const error = form.errors.get(field.key);
  const errorId = error ? `${id(field.key)}-error` : '';
  const required = field.required ? <span class="required"> {t('form.required')}</span> : null;
  if (prefilled && 'value' in prefilled) {
    const wrong = form.wrong.has(field.key);
    return (
      <fieldset class={error ? 'field prefilled field-error' : 'field prefilled'} data-testid="prefilled-field">
        <legend>{label}</legend>
        <p class="prefilled-value">
          <strong>{shownValue(ctx, field.type, prefilled.value)}</strong>
        </p>
        <p class="hint">{sourceText(ctx, prefilled.source, names)}</p>
        <ErrorText ctx={ctx} field={field} form={form} />
        <div class="choice">
          <label class="checkbox">
            <input type="radio" name={`${field.key}__check`} value="ok" checked={!wrong} />{' '}
            {t('dossiers.apply.correct')}
          </label>
          <label class="checkbox">
            <input type="radio" name={`${field.key}__check`} value="wrong" checked={wrong} />{' '}
            {t('dossiers.apply.wrong')}
          </label>
        </div>
        <div class="correction">
          <label for={id(field.key)}>{t('dossiers.apply.rightValue', { field: label })}</label>
          <p class="hint" id={`${id(field.key)}-hint`}>
            {t('dossiers.apply.rightValueHint')}
          </p>
          <Input
            ctx={ctx}
            field={field}
            value={form.values[field.key] ?? ''}
            describedBy={`${id(field.key)}-hint ${errorId}`.trim()}
          />
        </div>
      </fieldset>
    );
  }
  const hints: string[] = [];
  if (prefilled && 'problem' in prefilled) hints.push(prefilled.problem[ctx.lang]);
  else if (field.element) hints.push(t('dossiers.apply.noSource'));
  if (field.type === 'date') hints.push(t('dossiers.apply.dateHint'));
  const help = ctx.lang === 'en' ? (field.help_en ?? field.help_vi) : field.help_vi;
  if (help) hints.push(help);
  const hintId = hints.length ? `${id(field.key)}-hint` : '';
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id(field.key)}>
        {label}
        {required}
      </label>
      {hints.length > 0 && (
        <p class="hint" id={hintId}>
          {hints.join(' ')}
        </p>
      )}
      <ErrorText ctx={ctx} field={field} form={form} />
      <Input ctx={ctx} field={field} value={form.values[field.key] ?? ''} describedBy={`${hintId} ${errorId}`.trim()} />
    </div>
  );
}

/** The form of a procedure, prefilled from the registers (`/services/:code/apply`). */
export function ApplyPage({
  ctx,
  procedure,
  prefillId,
  fetchedAt,
  preview,
  names,
  form,
}: {
  ctx: PageContext;
  procedure: ProcedureRow;
  prefillId: string;
  /** when the registers were read for this form */
  fetchedAt: Date;
  preview: PreviewField[];
  names: SourceNames;
  form: ApplyForm;
}) {
  const { t } = ctx;
  const title = procedureName(ctx, procedure);
  const reused = preview.filter((p) => p.prefilled && 'value' in p.prefilled).length;
  const errors = [...form.general, ...form.errors.values()];
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="hint">
        {t('dossiers.apply.code')}: {procedure.code} · {named(ctx, names.agencies.get(procedure.agency_id))}
      </p>
      <p>{t('dossiers.apply.intro', { reused, total: preview.length })}</p>
      <form method="get" action={`/services/${encodeURIComponent(procedure.code)}/apply`} class="inline-form">
        <input type="hidden" name="fresh" value="1" />
        {ctx.lang === 'en' && <input type="hidden" name="lang" value="en" />}
        <p class="hint">
          {t('dossiers.apply.fetchedAt', { at: formatMoment(fetchedAt, ctx.lang) })}{' '}
          <button type="submit" class="secondary">
            {t('dossiers.apply.fetchAgain')}
          </button>
        </p>
      </form>
      {errors.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1} data-testid="apply-errors">
          <h2>{t('dossiers.apply.notSent')}</h2>
          <ul>
            {form.general.map((e) => (
              <li>{e}</li>
            ))}
            {[...form.errors].map(([key, e]) => (
              <li>
                <a href={`#${id(key)}`}>{e}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form
        method="post"
        action={`/services/${encodeURIComponent(procedure.code)}/apply`}
        class="narrow-form"
        novalidate
      >
        <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
        <input type="hidden" name="prefill" value={prefillId} />
        {preview.map((p) => (
          <FormField ctx={ctx} p={p} names={names} form={form} />
        ))}
        <p class="hint">{t('dossiers.apply.disputeNote')}</p>
        <button type="submit">{t('dossiers.apply.submit')}</button>
      </form>
    </Layout>
  );
}
