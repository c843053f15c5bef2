import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatNumber } from '../../../web/format.js';
import type { ShownField } from '../dictionary.presenter.js';
import { PersonalFlag } from './parts.js';

export interface ListFilters {
  q: string;
  agency: string;
  personal: string;
}

/** The public dictionary (`/dictionary`): approved fields, searched and filtered with a plain form. */
export function DictionaryPage({
  ctx,
  fields,
  total,
  filters,
  owners,
}: {
  ctx: PageContext;
  fields: ShownField[];
  total: number;
  filters: ListFilters;
  /** the agencies owning fields, by id, with their names ('shared': the platform's) */
  owners: { id: string; name: string }[];
}) {
  const { t } = ctx;
  const ownerName = new Map(owners.map((o) => [o.id, o.name]));
  return (
    <Layout ctx={ctx} title={t('dictionary.title')}>
      <h1>{t('dictionary.title')}</h1>
      <p class="lead">{t('dictionary.lead')}</p>
      <p class="meta">{t('dictionary.personalDataNote')}</p>
      <form method="get" action="/dictionary" class="dict-filters" role="search">
        {ctx.lang === 'en' && <input type="hidden" name="lang" value="en" />}
        <div class="field">
          <label for="dict-q">{t('dict.search')}</label>
          <input type="search" id="dict-q" name="q" value={filters.q} maxLength={200} />
        </div>
        <div class="field">
          <label for="dict-agency">{t('dict.owner')}</label>
          <select id="dict-agency" name="agency">
            <option value="">{t('dict.anyOwner')}</option>
            {owners.map((o) => (
              <option value={o.id} selected={o.id === filters.agency}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="dict-personal">{t('dictionary.personalData')}</label>
          <select id="dict-personal" name="personal">
            <option value="">{t('dict.personal.any')}</option>
            {(['none', 'basic', 'sensitive'] as const).map((p) => (
              <option value={p} selected={p === filters.personal}>
                {t(`dict.personal.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          {t('dict.filter')}
        </button>
      </form>
      <p role="status" class="result-count">
        {t('dict.count', { count: formatNumber(total, ctx.lang) })}
      </p>
      <p>
        <a href="/api/v1/dictionary/export" download>
          {t('dictionary.export')}
        </a>
        {ctx.user && (
          <>
            {' · '}
            <a href="/dashboard/dictionary">{t('dict.review.link')}</a>
          </>
        )}
      </p>
      {fields.length ? (
        <div class="table-scroll">
          <table data-testid="dictionary-fields">
            <thead>
              <tr>
                <th scope="col">{t('dictionary.label')}</th>
                <th scope="col">{t('dictionary.type')}</th>
                <th scope="col">{t('dict.owner')}</th>
                <th scope="col">{t('dictionary.personalData')}</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((f) => (
                <tr>
                  <td>
                    <a href={`/dictionary/${f.id}`}>{ctx.lang === 'en' ? f.label_en : f.label_vi}</a>{' '}
                    <code>{f.id}</code>
                    {f.description_vi ? (
                      <p class="meta">{ctx.lang === 'en' && f.description_en ? f.description_en : f.description_vi}</p>
                    ) : null}
                  </td>
                  <td>{t(`dict.type.${f.type}`)}</td>
                  <td>{ownerName.get(f.agency_id ?? 'shared') ?? ''}</td>
                  <td data-personal={f.personal_data ?? ''}>
                    <PersonalFlag ctx={ctx} category={f.personal_data} level={f.personal_data_level} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">{t(filters.q || filters.agency || filters.personal ? 'dict.noMatch' : 'dictionary.none')}</p>
      )}
    </Layout>
  );
}
