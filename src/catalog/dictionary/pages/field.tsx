import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import type { ShownField, ShownVersion } from '../dictionary.presenter.js';
import { PersonalFlag } from './parts.js';

/** The names of what a version changed, in the page's language. */
export const changedText = (ctx: PageContext, keys: string[]) => keys.map((k) => ctx.t(`dict.prop.${k}`)).join(', ');

/** One approved field (`/dictionary/{id}`): what it says, and every version with who changed it and when. */
export function FieldPage({
  ctx,
  f,
  versions,
  agencyName,
}: {
  ctx: PageContext;
  f: ShownField;
  versions: ShownVersion[];
  agencyName: (id: string | null) => string;
}) {
  const { t } = ctx;
  const en = ctx.lang === 'en';
  const constraints = Object.entries(f.constraints);
  return (
    <Layout ctx={ctx} title={`${en ? f.label_en : f.label_vi} — ${t('dictionary.title')}`}>
      <p>
        <a href="/dictionary">{t('dictionary.title')}</a>
      </p>
      <h1>{en ? f.label_en : f.label_vi}</h1>
      <dl class="facts" data-testid="field-facts">
        <dt>{t('dictionary.id')}</dt>
        <dd>
          <code>{f.id}</code>
        </dd>
        <dt>{t(en ? 'dict.prop.label_vi' : 'dict.prop.label_en')}</dt>
        <dd lang={en ? 'vi' : 'en'}>{en ? f.label_vi : f.label_en}</dd>
        <dt>{t('dict.definition')}</dt>
        <dd>{(en ? f.description_en || f.description_vi : f.description_vi) ?? '—'}</dd>
        <dt>{t('dictionary.type')}</dt>
        <dd>
          {t(`dict.type.${f.type}`)}
          {f.format ? ` (${f.format})` : ''}
        </dd>
        {f.unit && (
          <>
            <dt>{t('dict.prop.unit')}</dt>
            <dd>{f.unit}</dd>
          </>
        )}
        {constraints.length > 0 && (
          <>
            <dt>{t('dict.prop.constraints')}</dt>
            <dd>
              {constraints.map(([k, v]) => (
                <code class="constraint">
                  {k}: {JSON.stringify(v)}
                </code>
              ))}
            </dd>
          </>
        )}
        {f.code_list && (
          <>
            <dt>{t('dictionary.codeList')}</dt>
            <dd>
              <a href="/units">{t(`dict.codeList.${f.code_list}`)}</a>
            </dd>
          </>
        )}
        <dt>{t('dictionary.personalData')}</dt>
        <dd data-personal={f.personal_data ?? ''}>
          {f.personal_data ? (
            <PersonalFlag ctx={ctx} category={f.personal_data} level={f.personal_data_level} />
          ) : (
            t('dict.personal.none')
          )}
        </dd>
        <dt>{t('dict.owner')}</dt>
        <dd>{agencyName(f.agency_id)}</dd>
        <dt>{t('dict.version')}</dt>
        <dd>{f.version}</dd>
      </dl>
      {f.codes.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption>{t('dict.codes')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dict.code')}</th>
                <th scope="col">{t('dictionary.label')}</th>
              </tr>
            </thead>
            <tbody>
              {f.codes.map((c) => (
                <tr>
                  <td>
                    <code>{c.code}</code>
                  </td>
                  <td>{en && c.label_en ? c.label_en : c.label_vi}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a href={`/api/v1/dictionary/export?ids=${f.id}`} download={`${f.id}.json`}>
          {t('dict.exportOne')}
        </a>
        {ctx.user && (
          <>
            {' · '}
            <a href={`/dashboard/dictionary/propose?field=${f.id}`}>{t('dict.proposeChange')}</a>
          </>
        )}
      </p>
      <h2>{t('dict.versions')}</h2>
      <div class="table-scroll">
        <table data-testid="field-versions">
          <thead>
            <tr>
              <th scope="col">{t('dict.version')}</th>
              <th scope="col">{t('dict.when')}</th>
              <th scope="col">{t('dict.proposedBy')}</th>
              <th scope="col">{t('dict.changed')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr>
                <td>{v.version}</td>
                <td>{formatDate(v.decided_at ?? v.proposed_at, ctx.lang)}</td>
                <td>{agencyName(v.proposed_agency)}</td>
                <td>{v.base_version === null ? t('dict.created') : changedText(ctx, v.changed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
