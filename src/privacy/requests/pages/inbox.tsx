import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import { agencyName, LateText, RequestFacts, type ShownRequest } from './my-requests.js';

/** A step refused at one request: shown there, with what was typed. */
export interface FailedStep {
  id: string;
  messages: string[];
  values: Record<string, string>;
}

/**
 * The forms of the steps an open request can take, each posting to the inbox's own address with the request named
 * (back at its anchor); `failed`: the step just refused here, its typed text put back.
 */
function Steps({ ctx, r, failed }: { ctx: PageContext; r: ShownRequest; failed: FailedStep | null }) {
  const { t } = ctx;
  const x = r.row;
  if (x.status === 'completed' || x.status === 'refused') return null;
  const action = `/dashboard/requests#req-${x.id}`;
  const csrf = (
    <>
      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
      <input type="hidden" name="request" value={x.id} />
    </>
  );
  /** the typed value of a field, if the step that failed here was this one */
  const typed = (step: string, key: string) => (failed?.values.step === step ? (failed.values[key] ?? '') : '');
  return (
    <div class="request-steps">
      {x.status === 'received' && (
        <form method="post" action={action}>
          {csrf}
          <input type="hidden" name="step" value="acknowledge" />
          <label class="checkbox">
            <input type="checkbox" name="thirdParty" value="on" /> {t('requests.step.thirdParty')}
          </label>{' '}
          <button type="submit">{t('requests.step.acknowledge')}</button>
        </form>
      )}
      {x.status !== 'received' && (
        <form method="post" action={action}>
          {csrf}
          <input type="hidden" name="step" value="third_party" />
          <input type="hidden" name="thirdParty" value={x.third_party ? '' : 'on'} />
          <button type="submit">{t(x.third_party ? 'requests.step.thirdPartyOff' : 'requests.step.thirdParty')}</button>
        </form>
      )}
      {x.status === 'acknowledged' && x.extension_days === null && (
        <form method="post" action={action}>
          {csrf}
          <input type="hidden" name="step" value="extend" />
          <label for={`days-${x.id}`}>{t('requests.step.days')}</label>{' '}
          <input
            id={`days-${x.id}`}
            type="number"
            name="days"
            min={1}
            max={15}
            required
            value={typed('extend', 'days')}
          />{' '}
          <label for={`why-${x.id}`}>{t('requests.step.reason')}</label>{' '}
          <input
            id={`why-${x.id}`}
            type="text"
            name="reason"
            maxLength={2000}
            required
            value={typed('extend', 'reason')}
          />{' '}
          <button type="submit">{t('requests.step.extend')}</button>
        </form>
      )}
      <form method="post" action={action}>
        {csrf}
        <input type="hidden" name="step" value="complete" />
        <label for={`note-${x.id}`}>{t('requests.step.note')}</label>{' '}
        <input
          id={`note-${x.id}`}
          type="text"
          name="note"
          maxLength={4000}
          required
          value={typed('complete', 'note')}
        />{' '}
        <button type="submit">{t('requests.step.complete')}</button>
      </form>
      <form method="post" action={action}>
        {csrf}
        <input type="hidden" name="step" value="refuse" />
        <label for={`refuse-${x.id}`}>{t('requests.step.reason')}</label>{' '}
        <input
          id={`refuse-${x.id}`}
          type="text"
          name="reason"
          maxLength={4000}
          required
          value={typed('refuse', 'reason')}
        />{' '}
        <button type="submit">{t('requests.step.refuse')}</button>
      </form>
    </div>
  );
}

/** An agency's inbox of data subjects' requests, on its dashboard (`/dashboard/requests`). */
export function InboxPage({
  ctx,
  requests,
  handles,
  supervisor,
  notice,
  failed,
}: {
  ctx: PageContext;
  requests: ShownRequest[];
  /** whether the user handles requests for any agency */
  handles: boolean;
  supervisor: boolean;
  notice: string | null;
  /** a step refused at one request, shown at it */
  failed: FailedStep | null;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('requests.inbox.title')}>
      <h1>{t('requests.inbox.title')}</h1>
      <p>{t('requests.inbox.intro')}</p>
      {supervisor && (
        <p>
          <a href="/dashboard/requests/overdue">{t('requests.inbox.overdueLink')}</a>
        </p>
      )}
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {!handles ? (
        <p>{t('requests.inbox.noAgency')}</p>
      ) : requests.length === 0 ? (
        <p>{t('requests.inbox.none')}</p>
      ) : (
        requests.map((r) => (
          <section class="request" aria-labelledby={`req-${r.row.id}`} data-testid="inbox-request">
            <h2 id={`req-${r.row.id}`}>
              {t(`requests.kind.${r.row.kind}`)} — {r.row.subject_name} · {formatDate(r.row.received_at, ctx.lang)}
            </h2>
            <p class="hint">
              {t('requests.col.person')}: {r.row.subject_name} ({r.row.subject_hash.slice(0, 16)}…)
            </p>
            <RequestFacts ctx={ctx} r={r} agencyView />
            {failed?.id === r.row.id && (
              <div class="error-summary" role="alert" tabindex={-1} id={`error-${r.row.id}`}>
                <p>{t('requests.step.notDone')}</p>
                <ul>
                  {failed.messages.map((e) => (
                    <li>{e}</li>
                  ))}
                </ul>
              </div>
            )}
            <Steps ctx={ctx} r={r} failed={failed?.id === r.row.id ? failed : null} />
          </section>
        ))
      )}
    </Layout>
  );
}

/** The supervisor's list of overdue requests, every agency's, with how late (`/dashboard/requests/overdue`). */
export function OverdueRequestsPage({ ctx, requests }: { ctx: PageContext; requests: ShownRequest[] }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('requests.overdue.title')}>
      <h1>{t('requests.overdue.title')}</h1>
      <p>{t('requests.overdue.intro')}</p>
      {requests.length === 0 ? (
        <p>{t('requests.overdue.none')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="overdue-requests">
            <caption>
              {formatNumber(requests.length, lang)} {t('requests.overdue.count')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('requests.col.agency')}</th>
                <th scope="col">{t('requests.col.kind')}</th>
                <th scope="col">{t('requests.col.received')}</th>
                <th scope="col">{t('requests.col.status')}</th>
                <th scope="col">{t('requests.col.late')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr>
                  <td>{agencyName(ctx, r.agency)}</td>
                  <td>{t(`requests.kind.${r.row.kind}`)}</td>
                  <td>{formatDate(r.row.received_at, lang)}</td>
                  <td>{t(`requests.status.${r.row.status}`)}</td>
                  <td>
                    <LateText ctx={ctx} late={r.late} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
