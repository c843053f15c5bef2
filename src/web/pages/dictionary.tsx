import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';
import type { presentField } from '../../catalog/catalog.presenter.js';
import { CATEGORY_LABELS, type PersonalDataCategory } from '../../catalog/personal-data.js';

export function DictionaryPage({ ctx, fields }: { ctx: PageContext; fields: ReturnType<typeof presentField>[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('dictionary.title')}>
      <h1>{t('dictionary.title')}</h1>
      <p class="lead">{t('dictionary.lead')}</p>
      <p class="meta">{t('dictionary.personalDataNote')}</p>
      <p>
        <a href="/api/v1/dictionary/export" download>
          {t('dictionary.export')}
        </a>
      </p>
      {fields.length ? (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dictionary.id')}</th>
                <th scope="col">{t('dictionary.label')}</th>
                <th scope="col">{t('dictionary.type')}</th>
                <th scope="col">{t('dictionary.codeList')}</th>
                <th scope="col">{t('dictionary.personalData')}</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((f) => (
                <tr>
                  <td>
                    <code>{f.id}</code>
                  </td>
                  <td>
                    {ctx.lang === 'en' ? f.label_en : f.label_vi}
                    {f.description_vi ? (
                      <p class="meta">{ctx.lang === 'en' && f.description_en ? f.description_en : f.description_vi}</p>
                    ) : null}
                  </td>
                  <td>{f.type}</td>
                  <td>{f.code_list ? <a href="/units">{f.code_list}</a> : ''}</td>
                  <td data-personal={f.personal_data ?? ''}>
                    {f.personal_data ? (
                      <>
                        {CATEGORY_LABELS[f.personal_data as PersonalDataCategory]?.[ctx.lang === 'en' ? 'en' : 'vi'] ??
                          f.personal_data}{' '}
                        <strong class={f.personal_data_level === 'sensitive' ? 'format-tag sensitive' : 'format-tag'}>
                          {t(f.personal_data_level === 'sensitive' ? 'dictionary.sensitive' : 'dictionary.basic')}
                        </strong>
                      </>
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">{t('dictionary.none')}</p>
      )}
    </Layout>
  );
}
