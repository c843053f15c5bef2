import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import type { AgencyRow } from '../../../masterdata/masterdata.service.js';
import type { DataRequestDetail, DataRequestView } from '../data-requests.service.js';
import { RequestFacts } from './request.js';
import { AgencyOptions, agencyName, ClockText } from './shared.js';

/** The open requests an officer answers, with the days left (`/dashboard/data-requests`). */
export function InboxPage({ ctx, requests }: { ctx: PageContext; requests: DataRequestView[] }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('datareq.inbox.title')}>
      <h1>{t('datareq.inbox.title')}</h1>
      <p>{t('datareq.inbox.intro')}</p>
      {requests.length === 0 ? (
        <p>{t('datareq.inbox.none')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="data-request-inbox">
            <thead>
              <tr>
                <th scope="col">{t('datareq.col.title')}</th>
                <th scope="col">{t('datareq.col.agency')}</th>
                <th scope="col">{t('datareq.col.status')}</th>
                <th scope="col">{t('datareq.col.due')}</th>
                <th scope="col">{t('datareq.col.daysLeft')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr>
                  <td>
                    <a href={`/dashboard/data-requests/${r.row.id}`}>{r.row.title}</a>
                  </td>
                  <td>{agencyName(ctx, r.agency)}</td>
                  <td>{t(`datareq.status.${r.row.status}`)}</td>
                  <td>{r.row.due_at ? formatDate(r.row.due_at, lang) : '—'}</td>
                  <td>
                    <ClockText ctx={ctx} clock={r.clock} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a href="/data-requests">{t('datareq.back')}</a>
      </p>
    </Layout>
  );
}

/** A step refused: the messages, and what was typed. */
export interface FailedStep {
  messages: string[];
  values: Record<string, string>;
}

/** The answering page of one request (`/dashboard/data-requests/{id}`): the steps it can take now. */
export function AnswerPage({
  ctx,
  r,
  agencies,
  triage,
  notice,
  failed,
}: {
  ctx: PageContext;
  r: DataRequestDetail;
  agencies: AgencyRow[];
  /** the caller is a platform administrator and the request waits for its agency */
  triage: boolean;
  notice: string | null;
  failed: FailedStep | null;
}) {
  const { t } = ctx;
  const x = r.row;
  const action = `/dashboard/data-requests/${x.id}`;
  const typed = (step: string, key: string) => (failed?.values.step === step ? (failed.values[key] ?? '') : '');
  const csrf = (step: string) => (
    <>
      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
      <input type="hidden" name="step" value={step} />
    </>
  );
  const text = (step: string, key: string, label: string, max: number) => (
    <div class="field">
      <label for={`${step}-${key}`}>{label}</label>
      <input id={`${step}-${key}`} type="text" name={key} maxLength={max} required value={typed(step, key)} />
    </div>
  );
  const open = x.status === 'open' || x.status === 'in_progress';
  return (
    <Layout ctx={ctx} title={x.title}>
      <p class="breadcrumbs">
        <a href="/dashboard/data-requests">{t('datareq.inbox.title')}</a>
      </p>
      <h1>{x.title}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {failed && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <p>{t('datareq.step.notDone')}</p>
          <ul>
            {failed.messages.map((m) => (
              <li>{m}</li>
            ))}
          </ul>
        </div>
      )}
      <RequestFacts ctx={ctx} r={r} />
      <p>
        <a href={`/data-requests/${x.id}`}>{t('datareq.title')}</a>
      </p>
      {triage && (
        <form method="post" action={action} class="narrow-form">
          {csrf('assign')}
          <div class="field">
            <label for="assign-agency">{t('datareq.col.agency')}</label>
            <select id="assign-agency" name="agency" required>
              <AgencyOptions ctx={ctx} agencies={agencies} selected={typed('assign', 'agency')} none="—" />
            </select>
          </div>
          <button type="submit">{t('datareq.step.assign')}</button>
        </form>
      )}
      {open && (
        <div class="request-steps">
          {x.status === 'open' && (
            <form method="post" action={action}>
              {csrf('start')}
              <button type="submit">{t('datareq.step.start')}</button>
            </form>
          )}
          {!x.extension_reason && (
            <form method="post" action={action} class="narrow-form">
              {csrf('extend')}
              {text('extend', 'reason', t('datareq.step.reason'), 2000)}
              <button type="submit">{t('datareq.step.extend')}</button>
            </form>
          )}
          <form method="post" action={action} class="narrow-form">
            {csrf('publish')}
            {text('publish', 'dataset', t('datareq.step.dataset'), 200)}
            <div class="field">
              <label for="publish-answer">{t('datareq.step.note')}</label>
              <input
                id="publish-answer"
                type="text"
                name="answer"
                maxLength={4000}
                value={typed('publish', 'answer')}
              />
            </div>
            <button type="submit">{t('datareq.step.publish')}</button>
          </form>
          <form method="post" action={action} class="narrow-form">
            {csrf('refuse')}
            {text('refuse', 'answer', t('datareq.step.reason'), 4000)}
            {text('refuse', 'legalGround', t('datareq.step.legalGround'), 500)}
            <button type="submit">{t('datareq.step.refuse')}</button>
          </form>
          <form method="post" action={action} class="narrow-form">
            {csrf('not_held')}
            {text('not_held', 'answer', t('datareq.step.note'), 4000)}
            <div class="field">
              <label for="not_held-redirectTo">{t('datareq.step.redirect')}</label>
              <select id="not_held-redirectTo" name="redirectTo">
                <AgencyOptions
                  ctx={ctx}
                  agencies={agencies.filter((a) => a.id !== x.agency_id)}
                  selected={typed('not_held', 'redirectTo')}
                  none={t('datareq.step.toTriage')}
                />
              </select>
            </div>
            <button type="submit">{t('datareq.step.notHeld')}</button>
          </form>
        </div>
      )}
    </Layout>
  );
}
