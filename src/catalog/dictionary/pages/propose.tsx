import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { BASIC_CATEGORIES, CATEGORY_LABELS, SENSITIVE_CATEGORIES } from '../../personal-data.js';
import { CODE_LISTS, FRICTIONLESS_TYPES } from '../dictionary.schema.js';
import { Problems } from './parts.js';

/** The form's values as typed (strings), so a refused proposal comes back as it was. */
export type ProposeValues = Record<(typeof FORM_KEYS)[number], string>;
export const FORM_KEYS = [
  'id',
  'label_vi',
  'label_en',
  'description_vi',
  'description_en',
  'type',
  'format',
  'unit',
  'code_list',
  'codes',
  'required',
  'pattern',
  'minimum',
  'maximum',
  'personal_data',
  'agency_id',
] as const;

function Text({
  ctx,
  k,
  v,
  rows,
  required,
}: {
  ctx: PageContext;
  k: string;
  v: string;
  rows?: number;
  required?: boolean;
}) {
  const label = (
    <label for={`f-${k}`}>
      {ctx.t(`dict.prop.${k}`)}
      {required ? <span class="required"> {ctx.t('form.required')}</span> : null}
    </label>
  );
  return (
    <div class="field">
      {label}
      {rows ? (
        <textarea id={`f-${k}`} name={k} rows={rows} maxLength={k === 'codes' ? 40_000 : 2000}>
          {v}
        </textarea>
      ) : (
        <input
          type="text"
          id={`f-${k}`}
          name={k}
          value={v}
          maxLength={k === 'pattern' ? 500 : 200}
          required={required}
        />
      )}
    </div>
  );
}

/** Propose a new field, or a change of one (`field` given): the owner reviews it on their dashboard. */
export function ProposePage({
  ctx,
  values,
  field,
  owners,
  problems,
}: {
  ctx: PageContext;
  values: ProposeValues;
  /** the field changed, with its owner's name; null: a new field */
  field: { id: string; owner: string } | null;
  owners: { id: string; name: string }[];
  problems: string[];
}) {
  const { t } = ctx;
  const title = field ? t('dict.propose.changeTitle', { id: field.id }) : t('dict.propose.newTitle');
  const cat = (c: string) => CATEGORY_LABELS[c as keyof typeof CATEGORY_LABELS][ctx.lang === 'en' ? 'en' : 'vi'];
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('dict.propose.intro')}</p>
      <Problems ctx={ctx} problems={problems} />
      <form method="post" action="/dashboard/dictionary/propose" class="dict-form">
        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
        {field ? (
          <>
            <input type="hidden" name="id" value={field.id} />
            <input type="hidden" name="change" value="1" />
            <p>
              {t('dict.owner')}: {field.owner}
            </p>
          </>
        ) : (
          <>
            <div class="field">
              <label for="f-id">
                {t('dictionary.id')}
                <span class="required"> {t('form.required')}</span>
              </label>
              <p class="hint" id="f-id-hint">
                {t('dict.propose.idHint')}
              </p>
              <input
                type="text"
                id="f-id"
                name="id"
                value={values.id}
                required
                maxLength={63}
                pattern="[a-z][a-z0-9_]{0,62}"
                aria-describedby="f-id-hint"
              />
            </div>
            <div class="field">
              <label for="f-agency_id">{t('dict.owner')}</label>
              <select id="f-agency_id" name="agency_id">
                {owners.map((o) => (
                  <option value={o.id} selected={o.id === values.agency_id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        <Text ctx={ctx} k="label_vi" v={values.label_vi} required />
        <Text ctx={ctx} k="label_en" v={values.label_en} required />
        <Text ctx={ctx} k="description_vi" v={values.description_vi} rows={3} />
        <Text ctx={ctx} k="description_en" v={values.description_en} rows={3} />
        <div class="field">
          <label for="f-type">{t('dictionary.type')}</label>
          <select id="f-type" name="type">
            {FRICTIONLESS_TYPES.map((ty) => (
              <option value={ty} selected={ty === (values.type || 'string')}>
                {t(`dict.type.${ty}`)}
              </option>
            ))}
          </select>
        </div>
        <Text ctx={ctx} k="format" v={values.format} />
        <Text ctx={ctx} k="unit" v={values.unit} />
        <div class="field">
          <label for="f-code_list">{t('dictionary.codeList')}</label>
          <select id="f-code_list" name="code_list">
            <option value="">{t('form.none')}</option>
            {CODE_LISTS.map((c) => (
              <option value={c} selected={c === values.code_list}>
                {t(`dict.codeList.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-codes">{t('dict.prop.codes')}</label>
          <p class="hint" id="f-codes-hint">
            {t('dict.propose.codesHint')}
          </p>
          <textarea id="f-codes" name="codes" rows={4} maxLength={40_000} aria-describedby="f-codes-hint">
            {values.codes}
          </textarea>
        </div>
        <fieldset class="field">
          <legend>{t('dict.prop.constraints')}</legend>
          <label class="checkbox">
            <input type="checkbox" name="required" value="on" checked={values.required === 'on'} />{' '}
            {t('dict.constraint.required')}
          </label>
          <Text ctx={ctx} k="pattern" v={values.pattern} />
          <Text ctx={ctx} k="minimum" v={values.minimum} />
          <Text ctx={ctx} k="maximum" v={values.maximum} />
        </fieldset>
        <div class="field">
          <label for="f-personal_data">{t('dictionary.personalData')}</label>
          <select id="f-personal_data" name="personal_data">
            <option value="">{t('dict.personal.none')}</option>
            <optgroup label={t('dict.personal.basic')}>
              {BASIC_CATEGORIES.map((c) => (
                <option value={c} selected={c === values.personal_data}>
                  {cat(c)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('dict.personal.sensitive')}>
              {SENSITIVE_CATEGORIES.map((c) => (
                <option value={c} selected={c === values.personal_data}>
                  {cat(c)}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <button type="submit">{t('dict.propose.submit')}</button>
      </form>
    </Layout>
  );
}
