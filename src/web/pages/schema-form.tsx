import type { PageContext } from '../context.js';

export interface SchemaRow {
  name: string;
  dictionary: string;
  type: string;
}

const TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'year', 'geopoint', 'any'];

/** Attach a Table Schema by picking a dictionary field (or a plain type) for each column. Works without JavaScript. */
export function SchemaForm({
  ctx,
  distributionId,
  rows,
  fields,
}: {
  ctx: PageContext;
  distributionId: string;
  rows: SchemaRow[];
  /** `personal`: the field's personal-data level (Decree 356), shown so a publisher sees what a pick brings */
  fields: { id: string; label: string; type: string; personal?: 'basic' | 'sensitive' | null; shared?: boolean }[];
}) {
  const { t } = ctx;
  // the approved dictionary fields, the platform's shared ones first, each group in its own optgroup
  const groups = [
    { label: t('dict.picker.shared'), fields: fields.filter((f) => f.shared) },
    { label: t('dict.picker.agency'), fields: fields.filter((f) => !f.shared) },
  ].filter((g) => g.fields.length);
  const option = (f: (typeof fields)[number], picked: string) => (
    <option value={f.id} selected={f.id === picked}>
      {f.label} ({f.id}, {f.type}
      {f.personal ? `; ${t('dictionary.personalData')}: ${t(`dictionary.${f.personal}`)}` : ''})
    </option>
  );
  const padded = [
    ...rows,
    ...Array.from({ length: Math.max(2, 6 - rows.length) }, () => ({ name: '', dictionary: '', type: '' })),
  ];
  return (
    <form method="post" action={`/dashboard/distributions/${distributionId}/schema`} class="schema-form">
      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
      <table>
        <caption class="visually-hidden">{t('schema.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dataset.schema.field')}</th>
            <th scope="col">{t('schema.dictionary')}</th>
            <th scope="col">{t('dataset.schema.type')}</th>
          </tr>
        </thead>
        <tbody>
          {padded.map((r, i) => (
            <tr>
              <td>
                <label class="visually-hidden" for={`col-${distributionId}-${i}`}>
                  {t('dataset.schema.field')} {i + 1}
                </label>
                <input type="text" id={`col-${distributionId}-${i}`} name="name" value={r.name} maxLength={120} />
              </td>
              <td>
                <label class="visually-hidden" for={`dict-${distributionId}-${i}`}>
                  {t('schema.dictionary')} {i + 1}
                </label>
                <select id={`dict-${distributionId}-${i}`} name="dictionary">
                  <option value="">{t('form.none')}</option>
                  {groups.map((g) => (
                    <optgroup label={g.label}>{g.fields.map((f) => option(f, r.dictionary))}</optgroup>
                  ))}
                </select>
              </td>
              <td>
                <label class="visually-hidden" for={`type-${distributionId}-${i}`}>
                  {t('dataset.schema.type')} {i + 1}
                </label>
                <select id={`type-${distributionId}-${i}`} name="type">
                  <option value="">{t('schema.fromDictionary')}</option>
                  {TYPES.map((ty) => (
                    <option value={ty} selected={ty === r.type}>
                      {ty}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit" class="secondary">
        {t('schema.save')}
      </button>
    </form>
  );
}
