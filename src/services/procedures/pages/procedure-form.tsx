import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { FIELD_TYPES } from '../procedure.js';
import type { ProcedureForm } from './procedure-form-read.js';
import { labelOf, langQuery } from './names.js';

export interface ElementChoice {
  id: string;
  label: { vi: string; en: string };
}

const idOf = (name: string) => name.replace(/\./g, '-');

/** One labelled input with its mistake beside it; `name` is the form's and the error's key. */
function Input({
  ctx,
  f,
  name,
  label,
  value,
  hint,
  ...rest
}: {
  ctx: PageContext;
  f: ProcedureForm;
  name: string;
  label: string;
  value: string;
  hint?: string;
  required?: boolean;
  maxLength?: number;
  inputMode?: 'numeric';
  list?: string;
}) {
  const id = idOf(name);
  const error = f.errors[name];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>
        {label}
        {rest.required && <span class="required"> {ctx.t('form.required')}</span>}
      </label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      )}
      <input id={id} name={name} type="text" value={value} aria-describedby={described} {...rest} />
    </div>
  );
}

function ElementSelect({
  ctx,
  f,
  name,
  value,
  elements,
}: {
  ctx: PageContext;
  f: ProcedureForm;
  name: string;
  value: string;
  elements: ElementChoice[];
}) {
  const id = idOf(name);
  const error = f.errors[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{ctx.t('procs.edit.element')}</label>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      )}
      <select id={id} name={name} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">{ctx.t('procs.edit.asked')}</option>
        {elements.map((e) => (
          <option value={e.id} selected={e.id === value}>
            {labelOf(ctx, e.label, e.id)} ({e.id})
          </option>
        ))}
        {value && !elements.some((e) => e.id === value) && (
          <option value={value} selected>
            {value}
          </option>
        )}
      </select>
    </div>
  );
}

/** `/dashboard/services/new` and `/dashboard/services/{code}/edit`: the procedure, its form's rows, its result. */
export function ProcedureFormPage({
  ctx,
  f,
  agency,
  editing,
  elements,
}: {
  ctx: PageContext;
  f: ProcedureForm;
  agency: { slug: string; name: string };
  /** the code of the procedure edited; null: a new one */
  editing: string | null;
  elements: ElementChoice[];
}) {
  const { t } = ctx;
  const title = editing ? t('procs.edit.titleEdit', { code: editing }) : t('procs.edit.titleNew');
  const action = editing
    ? `/dashboard/services/${encodeURIComponent(editing)}/edit${langQuery(ctx)}`
    : `/dashboard/services/new?agency=${agency.slug}${langQuery(ctx, '&')}`;
  const errors = Object.values(f.errors);
  const fieldsError = f.errors.fields ?? f.errors['result.fields'];
  return (
    <Layout ctx={ctx} title={title}>
      <p class="breadcrumbs">
        <a href={`/dashboard/services?agency=${agency.slug}${langQuery(ctx, '&')}`}>{t('procs.dash.title')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">{agency.name}</p>
      {errors.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>{t('procs.edit.problems')}</h2>
          <ul>
            {Object.entries(f.errors).map(([name, message]) => (
              <li>
                <a href={`#${idOf(name)}`}>{message}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action={action} class="rows-form">
        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
        <fieldset>
          <legend>{t('procs.edit.about')}</legend>
          <Input
            ctx={ctx}
            f={f}
            name="code"
            label={t('procs.code')}
            value={f.code}
            hint={t('procs.edit.codeHint')}
            required
            maxLength={60}
          />
          <Input
            ctx={ctx}
            f={f}
            name="name_vi"
            label={t('procs.edit.nameVi')}
            value={f.name_vi}
            required
            maxLength={300}
          />
          <Input ctx={ctx} f={f} name="name_en" label={t('procs.edit.nameEn')} value={f.name_en} maxLength={300} />
          <Input
            ctx={ctx}
            f={f}
            name="description_vi"
            label={t('procs.edit.descriptionVi')}
            value={f.description_vi}
            maxLength={4000}
          />
          <Input
            ctx={ctx}
            f={f}
            name="description_en"
            label={t('procs.edit.descriptionEn')}
            value={f.description_en}
            maxLength={4000}
          />
          <Input
            ctx={ctx}
            f={f}
            name="legal_basis"
            label={t('procs.legalBasis')}
            value={f.legal_basis}
            required
            maxLength={1000}
          />
          <Input
            ctx={ctx}
            f={f}
            name="processing_days"
            label={t('procs.edit.days')}
            value={f.processing_days}
            inputMode="numeric"
            required
            maxLength={3}
          />
        </fieldset>
        <h2>{t('procs.form.title')}</h2>
        <p class="hint">{t('procs.edit.rowsHint')}</p>
        {fieldsError && <p class="error-message">{fieldsError}</p>}
        {f.fields.map((r, i) => (
          <fieldset class="panel">
            <legend>{t('procs.edit.row', { n: i + 1 })}</legend>
            <Input ctx={ctx} f={f} name={`fields.${i}.key`} label={t('procs.edit.key')} value={r.key} maxLength={40} />
            <Input
              ctx={ctx}
              f={f}
              name={`fields.${i}.label_vi`}
              label={t('procs.edit.labelVi')}
              value={r.label_vi}
              maxLength={200}
            />
            <Input
              ctx={ctx}
              f={f}
              name={`fields.${i}.label_en`}
              label={t('procs.edit.labelEn')}
              value={r.label_en}
              maxLength={200}
            />
            <ElementSelect ctx={ctx} f={f} name={`fields.${i}.element`} value={r.element} elements={elements} />
            <div class="field">
              <label for={`fields-${i}-type`}>{t('procs.edit.type')}</label>
              <select id={`fields-${i}-type`} name={`fields.${i}.type`}>
                {FIELD_TYPES.map((x) => (
                  <option value={x} selected={r.type === x}>
                    {t(`procs.type.${x}`)}
                  </option>
                ))}
              </select>
            </div>
            <label class="checkbox">
              <input type="checkbox" name={`fields.${i}.required`} checked={r.required} /> {t('procs.edit.required')}
            </label>
          </fieldset>
        ))}
        <p>
          <button type="submit" name="more" value="1" class="secondary">
            {t('procs.edit.more')}
          </button>
        </p>
        <h2>{t('procs.result.title')}</h2>
        <fieldset>
          <legend>{t('procs.edit.resultAbout')}</legend>
          <div class="field">
            <label for="result-kind">{t('procs.edit.resultKind')}</label>
            <select id="result-kind" name="result.kind">
              {(['certificate', 'decision'] as const).map((k) => (
                <option value={k} selected={f.result.kind === k}>
                  {t(`procs.result.kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <Input
            ctx={ctx}
            f={f}
            name="result.title_vi"
            label={t('procs.edit.resultTitleVi')}
            value={f.result.title_vi}
            required
            maxLength={200}
          />
          <Input
            ctx={ctx}
            f={f}
            name="result.title_en"
            label={t('procs.edit.resultTitleEn')}
            value={f.result.title_en}
            maxLength={200}
          />
          <Input
            ctx={ctx}
            f={f}
            name="result.validity_days"
            label={t('procs.edit.validity')}
            value={f.result.validity_days}
            hint={t('procs.edit.validityHint')}
            inputMode="numeric"
            maxLength={5}
          />
        </fieldset>
        {f.result.fields.map((r, i) => (
          <fieldset class="panel">
            <legend>{t('procs.edit.resultRow', { n: i + 1 })}</legend>
            <Input
              ctx={ctx}
              f={f}
              name={`result.fields.${i}.key`}
              label={t('procs.edit.key')}
              value={r.key}
              maxLength={40}
            />
            <Input
              ctx={ctx}
              f={f}
              name={`result.fields.${i}.label_vi`}
              label={t('procs.edit.labelVi')}
              value={r.label_vi}
              maxLength={200}
            />
            <Input
              ctx={ctx}
              f={f}
              name={`result.fields.${i}.label_en`}
              label={t('procs.edit.labelEn')}
              value={r.label_en}
              maxLength={200}
            />
            <ElementSelect ctx={ctx} f={f} name={`result.fields.${i}.element`} value={r.element} elements={elements} />
            <Input
              ctx={ctx}
              f={f}
              name={`result.fields.${i}.from`}
              label={t('procs.edit.from')}
              value={r.from}
              hint={t('procs.edit.fromHint')}
              maxLength={40}
            />
          </fieldset>
        ))}
        <button type="submit">{t(editing ? 'procs.edit.saveVersion' : 'procs.edit.create')}</button>
      </form>
    </Layout>
  );
}
