import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import type { ShownVersion } from '../dictionary.presenter.js';
import { changedText } from './field.js';
import { Notice, PersonalFlag, Problems } from './parts.js';

export interface ReviewView {
  /** the current content of each field a change proposal is about, by id */
  before?: Map<string, Record<string, unknown>>;
  toDecide: ShownVersion[];
  mine: ShownVersion[];
  /** the owners a proposal or import may name: the user's agencies, and 'shared' for a platform admin */
  owners: { id: string; name: string }[];
  agencyName: (id: string | null) => string;
  notice: string | null;
  problems: string[];
  /** what was pasted into the import, put back after a refusal */
  pasted: string;
}

/** A property's value as a reviewer reads it: none as a dash, lists and objects as JSON. */
const shown = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'object' && !Object.keys(v).length)
    ? '—'
    : typeof v === 'object'
      ? JSON.stringify(v)
      : String(v);

/** Each changed property of a change proposal, old → new. */
function Changes({ ctx, v, before }: { ctx: PageContext; v: ShownVersion; before: Record<string, unknown> }) {
  const content = v.content as unknown as Record<string, unknown>;
  return (
    <dl class="changes">
      {v.changed.map((k) => (
        <>
          <dt>{ctx.t(`dict.prop.${k}`)}</dt>
          <dd>
            <del>{shown(before[k])}</del> → <ins>{shown(content[k])}</ins>
          </dd>
        </>
      ))}
    </dl>
  );
}

function Summary({ ctx, v, before }: { ctx: PageContext; v: ShownVersion; before?: Record<string, unknown> }) {
  const { t } = ctx;
  const c = v.content;
  return (
    <>
      <strong>{ctx.lang === 'en' ? c.label_en : c.label_vi}</strong> <code>{v.field_id}</code>
      <p class="meta">
        {v.base_version === null ? t('dict.newField') : t('dict.changeOf', { version: v.base_version })}
        {' · '}
        {t(`dict.type.${c.type}`)}
        {c.unit ? ` · ${c.unit}` : ''}
        {v.base_version !== null && ` · ${t('dict.changed')}: ${changedText(ctx, v.changed)}`}
      </p>
      {c.personal_data && (
        <p class="meta">
          <PersonalFlag ctx={ctx} category={c.personal_data} level={c.personal_data_level} />
        </p>
      )}
      {before && v.base_version !== null && <Changes ctx={ctx} v={v} before={before} />}
    </>
  );
}

/** The dictionary on the dashboard (`/dashboard/dictionary`): proposals to decide, one's own, proposing, importing. */
export function ReviewPage({ ctx, view }: { ctx: PageContext; view: ReviewView }) {
  const { t } = ctx;
  const csrf = <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />;
  return (
    <Layout ctx={ctx} title={t('dict.review.title')}>
      <h1>{t('dict.review.title')}</h1>
      <p>{t('dict.review.intro')}</p>
      <Notice text={view.notice} />
      <Problems ctx={ctx} problems={view.problems} />
      <p>
        <a href="/dashboard/dictionary/propose">{t('dict.proposeNew')}</a> ·{' '}
        <a href="/dictionary">{t('dictionary.title')}</a>
      </p>
      <h2>{t('dict.review.toDecide')}</h2>
      {view.toDecide.length ? (
        <ul class="proposal-list" data-testid="to-decide">
          {view.toDecide.map((v) => (
            <li id={`p-${v.id}`}>
              <Summary ctx={ctx} v={v} before={view.before?.get(v.field_id)} />
              <p class="meta">
                {t('dict.proposedBy')}: {view.agencyName(v.proposed_agency)}, {formatDate(v.proposed_at, ctx.lang)}
              </p>
              <form method="post" action="/dashboard/dictionary">
                {csrf}
                <input type="hidden" name="proposal" value={v.id} />
                <label for={`comment-${v.id}`}>{t('dict.comment')}</label>
                <textarea id={`comment-${v.id}`} name="comment" rows={2} maxLength={2000} />
                <button type="submit" name="decision" value="approve">
                  {t('dict.approve')}
                </button>{' '}
                <button type="submit" name="decision" value="reject" class="secondary">
                  {t('dict.reject')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p class="empty">{t('dict.review.none')}</p>
      )}
      <h2 id="mine-heading">{t('dict.review.mine')}</h2>
      {view.mine.length ? (
        <div class="table-scroll" tabindex={0} role="region" aria-labelledby="mine-heading">
          <table data-testid="my-proposals">
            <thead>
              <tr>
                <th scope="col">{t('dictionary.label')}</th>
                <th scope="col">{t('dict.when')}</th>
                <th scope="col">{t('dict.state')}</th>
              </tr>
            </thead>
            <tbody>
              {view.mine.map((v) => (
                <tr>
                  <td>
                    <Summary ctx={ctx} v={v} />
                  </td>
                  <td>{formatDate(v.proposed_at, ctx.lang)}</td>
                  <td>
                    {t(`dict.state.${v.state}`)}
                    {v.version !== null && ` (${t('dict.version')} ${v.version})`}
                    {v.comment && <p class="meta">{v.comment}</p>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">{t('dict.review.noneMine')}</p>
      )}
      <h2 id="import">{t('dict.import.title')}</h2>
      <p>{t('dict.import.intro')}</p>
      <form method="post" action="/dashboard/dictionary/import" class="dict-import">
        {csrf}
        <div class="field">
          <label for="import-owner">{t('dict.import.owner')}</label>
          <select id="import-owner" name="agency_id">
            {view.owners.map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="import-schema">{t('dict.import.schema')}</label>
          <textarea id="import-schema" name="schema" rows={8} maxLength={1_000_000} required>
            {view.pasted}
          </textarea>
        </div>
        <button type="submit">{t('dict.import.submit')}</button>
      </form>
      <form method="post" action="/dashboard/dictionary/import-file" enctype="multipart/form-data" class="dict-import">
        {csrf}
        <div class="field">
          <label for="upload-owner">{t('dict.import.owner')}</label>
          <select id="upload-owner" name="agency_id">
            {view.owners.map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="import-file">{t('dict.import.file')}</label>
          <input type="file" id="import-file" name="file" accept=".json,application/json" required />
        </div>
        <button type="submit" class="secondary">
          {t('dict.import.upload')}
        </button>
      </form>
    </Layout>
  );
}
