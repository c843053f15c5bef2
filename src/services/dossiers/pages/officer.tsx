import { Layout } from '../../../web/layout.js';
import { DangerSubmit } from '../../../web/confirm.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import type { ShownDossier } from '../dossiers.service.js';
import { DossierFields, DueText, named, procedureName, type SourceNames } from './dossier-view.js';
import { DossierFacts } from './my-dossiers.js';

const isOpen = (d: ShownDossier) => d.row.status === 'submitted' || d.row.status === 'in_review';
const STATUSES = ['submitted', 'in_review', 'issued', 'rejected'] as const;

/** The deciding agencies' dossiers, the oldest due first (`/dashboard/services/dossiers`). */
export function InboxPage({
  ctx,
  dossiers,
  status,
  handles,
  now,
}: {
  ctx: PageContext;
  dossiers: ShownDossier[];
  status: string;
  /** whether the user handles dossiers for any agency */
  handles: boolean;
  now: Date;
}) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('dossiers.inbox.title')}>
      <h1>{t('dossiers.inbox.title')}</h1>
      <p>{t('dossiers.inbox.intro')}</p>
      <form method="get" action="/dashboard/services/dossiers" class="inline-form">
        {lang === 'en' && <input type="hidden" name="lang" value="en" />}
        <label for="status">{t('dossiers.col.status')}</label>{' '}
        <select id="status" name="status">
          <option value="">{t('dossiers.inbox.all')}</option>
          {STATUSES.map((s) => (
            <option value={s} selected={s === status}>
              {t(`dossiers.status.${s}`)}
            </option>
          ))}
        </select>{' '}
        <button type="submit">{t('dossiers.inbox.filter')}</button>
      </form>
      {!handles ? (
        <p>{t('dossiers.inbox.noAgency')}</p>
      ) : dossiers.length === 0 ? (
        <p>{t('dossiers.inbox.none')}</p>
      ) : (
        <table data-testid="dossier-inbox" class="stack-table">
          <caption>
            {formatNumber(dossiers.length, lang)} {t('dossiers.inbox.count')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('dossiers.col.reference')}</th>
              <th scope="col">{t('dossiers.col.procedure')}</th>
              <th scope="col">{t('dossiers.col.applicant')}</th>
              <th scope="col">{t('dossiers.col.submitted')}</th>
              <th scope="col">{t('dossiers.col.due')}</th>
              <th scope="col">{t('dossiers.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {dossiers.map((d) => (
              <tr>
                <td data-label={t('dossiers.col.reference')}>
                  <a href={`/dashboard/services/dossiers/${d.row.id}${lang === 'en' ? '?lang=en' : ''}`}>
                    {d.row.reference}
                  </a>
                </td>
                <td data-label={t('dossiers.col.procedure')}>
                  {procedureName(ctx, d.procedure)}
                  <br />
                  <span class="hint">{named(ctx, d.agency)}</span>
                </td>
                <td data-label={t('dossiers.col.applicant')}>{d.row.applicant_name}</td>
                <td data-label={t('dossiers.col.submitted')}>{formatDate(d.row.submitted_at, lang)}</td>
                <td data-label={t('dossiers.col.due')}>
                  <DueText ctx={ctx} due={d.row.due_at} open={isOpen(d)} now={now} />
                </td>
                <td data-label={t('dossiers.col.status')}>{t(`dossiers.status.${d.row.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** A step refused on the dossier page: shown with what was typed. */
export interface FailedStep {
  messages: string[];
  values: Record<string, string>;
}

/** One dossier for its officer (`/dashboard/services/dossiers/:id`): the fields with origins, take, reject, issue. */
export function OfficerDossierPage({
  ctx,
  d,
  names,
  now,
  resultUrl,
  notice,
  failed,
}: {
  ctx: PageContext;
  d: ShownDossier;
  names: SourceNames;
  now: Date;
  resultUrl: string | null;
  notice: string | null;
  failed: FailedStep | null;
}) {
  const { t } = ctx;
  const action = `/dashboard/services/dossiers/${d.row.id}`;
  const csrf = <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />;
  const typed = (key: string) => failed?.values[key] ?? '';
  const written = d.procedure.result.fields.filter((f) => f.from === null);
  return (
    <Layout ctx={ctx} title={`${t('dossiers.one.title')} ${d.row.reference}`}>
      <h1>
        {t('dossiers.one.title')} {d.row.reference}
      </h1>
      <p>
        <a href="/dashboard/services/dossiers">{t('dossiers.inbox.back')}</a>
      </p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {failed && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>{t('dossiers.step.notDone')}</h2>
          <ul>
            {failed.messages.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <DossierFacts ctx={ctx} d={d} now={now} />
      <p>
        {t('dossiers.col.applicant')}: {d.row.applicant_name}
      </p>
      {resultUrl && (
        <p>
          <a href={resultUrl} data-testid="result-link">
            {t('dossiers.one.result')}
          </a>
        </p>
      )}
      <DossierFields ctx={ctx} fields={d.row.fields} procedure={d.procedure} names={names} />
      {isOpen(d) && (
        <section aria-labelledby="steps-heading" class="request-steps">
          <h2 id="steps-heading">{t('dossiers.step.title')}</h2>
          {d.row.status === 'submitted' && (
            <form method="post" action={action}>
              {csrf}
              <input type="hidden" name="step" value="take" />
              <button type="submit">{t('dossiers.step.take')}</button>
            </form>
          )}
          <form method="post" action={action} class="narrow-form">
            {csrf}
            <input type="hidden" name="step" value="issue" />
            <h3>
              {t('dossiers.step.issueTitle', {
                title:
                  ctx.lang === 'en' && d.procedure.result.title_en
                    ? d.procedure.result.title_en
                    : d.procedure.result.title_vi,
              })}
            </h3>
            {written.map((f) => (
              <div class="field">
                <label for={`w-${f.key}`}>{ctx.lang === 'en' && f.label_en ? f.label_en : f.label_vi}</label>
                <input id={`w-${f.key}`} type="text" name={`w_${f.key}`} maxLength={4000} value={typed(`w_${f.key}`)} />
              </div>
            ))}
            <button type="submit">{t('dossiers.step.issue')}</button>
          </form>
          <form method="post" action={action} class="narrow-form">
            {csrf}
            <input type="hidden" name="step" value="reject" />
            <div class="field">
              <label for="note">{t('dossiers.step.note')}</label>
              <textarea id="note" name="note" rows={3} maxLength={4000} required>
                {typed('note')}
              </textarea>
            </div>
            <DangerSubmit ctx={ctx}>{t('dossiers.step.reject')}</DangerSubmit>
          </form>
        </section>
      )}
    </Layout>
  );
}
