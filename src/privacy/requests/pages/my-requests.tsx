import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import type { Lateness } from '../clocks.js';
import type { RequestRow } from '../requests.repository.js';
import { REQUEST_KINDS } from '../requests.schema.js';

/** A request with its agency's names, as the pages show it. */
export interface ShownRequest {
  row: RequestRow;
  agency: { name_vi: string; name_en: string | null };
  late: Lateness[];
}

export interface FilingForm {
  kind: string;
  details: string;
  errors: string[];
}

export const agencyName = (ctx: PageContext, a: ShownRequest['agency']) =>
  ctx.lang === 'en' ? (a.name_en ?? a.name_vi) : a.name_vi;

/** How late a request is, in words: “not acknowledged, 2 days late”. */
export function LateText({ ctx, late }: { ctx: PageContext; late: Lateness[] }) {
  if (!late.length) return null;
  return (
    <strong class="late">{late.map((l) => ctx.t(`requests.late.${l.clock}`, { days: l.daysLate })).join('; ')}</strong>
  );
}

/** The person's requests and the form to file one (`/my-data/requests`). */
export function MyRequestsPage({
  ctx,
  requests,
  form,
  notice,
}: {
  ctx: PageContext;
  requests: ShownRequest[];
  form: FilingForm;
  notice: string | null;
}) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('requests.my.title')}>
      <h1>{t('requests.my.title')}</h1>
      <p>{t('requests.my.intro')}</p>
      <p>{t('requests.my.clocks')}</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <section aria-labelledby="file-heading">
        <h2 id="file-heading">{t('requests.form.title')}</h2>
        {form.errors.length > 0 && (
          <div class="error-summary" role="alert" tabindex={-1}>
            <ul>
              {form.errors.map((e) => (
                <li>{e}</li>
              ))}
            </ul>
          </div>
        )}
        <form method="post" action="/my-data/requests" class="narrow-form">
          <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
          <fieldset class="field">
            <legend>{t('requests.form.kind')}</legend>
            {REQUEST_KINDS.map((k) => (
              <label class="checkbox">
                <input type="radio" name="kind" value={k} checked={form.kind === k} required />{' '}
                {t(`requests.kind.${k}`)}
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label for="details">{t('requests.form.details')}</label>
            <p class="hint" id="details-hint">
              {t('requests.form.detailsHint')}
            </p>
            <textarea id="details" name="details" rows={6} maxLength={4000} aria-describedby="details-hint" required>
              {form.details}
            </textarea>
          </div>
          <button type="submit">{t('requests.form.submit')}</button>
        </form>
      </section>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">{t('requests.list.title')}</h2>
        {requests.length === 0 ? (
          <p>{t('requests.list.none')}</p>
        ) : (
          <div class="table-scroll">
            <table data-testid="my-requests">
              <thead>
                <tr>
                  <th scope="col">{t('requests.col.received')}</th>
                  <th scope="col">{t('requests.col.kind')}</th>
                  <th scope="col">{t('requests.col.agency')}</th>
                  <th scope="col">{t('requests.col.status')}</th>
                  <th scope="col">{t('requests.col.ackDue')}</th>
                  <th scope="col">{t('requests.col.completeDue')}</th>
                </tr>
              </thead>
              <tbody>
                {requests.map((r) => (
                  <tr>
                    <td>
                      <a href={`/my-data/requests/${r.row.id}`}>{formatDate(r.row.received_at, lang)}</a>
                    </td>
                    <td>{t(`requests.kind.${r.row.kind}`)}</td>
                    <td>{agencyName(ctx, r.agency)}</td>
                    <td>
                      {t(`requests.status.${r.row.status}`)} <LateText ctx={ctx} late={r.late} />
                    </td>
                    <td>{formatDate(r.row.acknowledge_due, lang)}</td>
                    <td>{formatDate(r.row.complete_due, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}

/** What a request says and where it stands: shared by the person's page and the agency's inbox. */
export function RequestFacts({ ctx, r, agencyView }: { ctx: PageContext; r: ShownRequest; agencyView?: boolean }) {
  const { t, lang } = ctx;
  const x = r.row;
  return (
    <dl class="metadata">
      <dt>{t('requests.col.kind')}</dt>
      <dd>{t(`requests.kind.${x.kind}`)}</dd>
      <dt>{t('requests.col.agency')}</dt>
      <dd>
        {agencyName(ctx, r.agency)} ({t(agencyView ? `requests.whyAgency.${x.why}` : `requests.why.${x.why}`)})
      </dd>
      <dt>{t('requests.detail.details')}</dt>
      <dd class="prewrap">{x.details}</dd>
      <dt>{t('requests.col.status')}</dt>
      <dd data-testid="request-status">
        {t(`requests.status.${x.status}`)} <LateText ctx={ctx} late={r.late} />
      </dd>
      <dt>{t('requests.col.received')}</dt>
      <dd>{formatDate(x.received_at, lang)}</dd>
      <dt>{t('requests.col.ackDue')}</dt>
      <dd>{formatDate(x.acknowledge_due, lang)}</dd>
      {x.acknowledged_at && (
        <>
          <dt>{t('requests.detail.acknowledgedAt')}</dt>
          <dd>{formatDate(x.acknowledged_at, lang)}</dd>
        </>
      )}
      <dt>{t('requests.col.completeDue')}</dt>
      <dd>
        {formatDate(x.complete_due, lang)}
        {x.third_party && <> ({t('requests.detail.thirdParty')})</>}
      </dd>
      {x.extension_days && (
        <>
          <dt>{t('requests.detail.extension')}</dt>
          <dd>{t('requests.detail.extensionDays', { days: x.extension_days, reason: x.extension_reason ?? '' })}</dd>
        </>
      )}
      {x.closed_at && (
        <>
          <dt>{t('requests.detail.closedAt')}</dt>
          <dd>{formatDate(x.closed_at, lang)}</dd>
          <dt>{t('requests.detail.outcome')}</dt>
          <dd class="prewrap">{x.outcome}</dd>
        </>
      )}
    </dl>
  );
}

/** One of the person's requests (`/my-data/requests/{id}`). */
export function MyRequestPage({ ctx, r }: { ctx: PageContext; r: ShownRequest }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('requests.detail.title')}>
      <h1>{t('requests.detail.title')}</h1>
      <RequestFacts ctx={ctx} r={r} />
      <p>
        <a href="/my-data/requests">{t('requests.detail.back')}</a>
      </p>
    </Layout>
  );
}
