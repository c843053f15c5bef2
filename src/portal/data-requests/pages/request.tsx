import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import type { DataRequestDetail } from '../data-requests.service.js';
import { stillOpen } from '../steps.js';
import { agencyName, ClockText } from './shared.js';

/** What a request asks and where it stands: the public page and the agency's answering page share it. */
export function RequestFacts({ ctx, r }: { ctx: PageContext; r: DataRequestDetail }) {
  const { t, lang } = ctx;
  const x = r.row;
  return (
    <dl class="metadata">
      <dt>{t('datareq.col.status')}</dt>
      <dd data-testid="data-request-status">
        {t(`datareq.status.${x.status}`)} <ClockText ctx={ctx} clock={r.clock} />
      </dd>
      <dt>{t('datareq.detail.requester')}</dt>
      <dd>{x.display_name ?? t('datareq.citizen')}</dd>
      <dt>{t('datareq.col.asked')}</dt>
      <dd>{formatDate(x.created_at, lang)}</dd>
      <dt>{t('datareq.col.agency')}</dt>
      <dd>{agencyName(ctx, r.agency)}</dd>
      {x.received_at && x.due_at && (
        <>
          <dt>{t('datareq.detail.received')}</dt>
          <dd>{formatDate(x.received_at, lang)}</dd>
          <dt>{t('datareq.col.due')}</dt>
          <dd>{formatDate(x.due_at, lang)}</dd>
        </>
      )}
      {x.extension_reason && (
        <>
          <dt>{t('datareq.detail.extension')}</dt>
          <dd class="prewrap">{x.extension_reason}</dd>
        </>
      )}
      <dt>{t('datareq.detail.description')}</dt>
      <dd class="prewrap">{x.description}</dd>
      <dt>{t('datareq.detail.purpose')}</dt>
      <dd class="prewrap">{x.purpose}</dd>
    </dl>
  );
}

/** The answer, if any, and the agencies the request went to (a redirect shows as one agency's “not held”). */
function Answer({ ctx, r }: { ctx: PageContext; r: DataRequestDetail }) {
  const { t, lang } = ctx;
  const x = r.row;
  return (
    <>
      {x.answered_at && (
        <section aria-labelledby="answer-heading" data-testid="data-request-answer">
          <h2 id="answer-heading">{t('datareq.detail.answer')}</h2>
          <dl class="metadata">
            <dt>{t('datareq.detail.answeredAt')}</dt>
            <dd>{formatDate(x.answered_at, lang)}</dd>
            {r.dataset && (
              <>
                <dt>{t('datareq.detail.dataset')}</dt>
                <dd>
                  <a href={`/dataset/${r.dataset.slug}`}>
                    {lang === 'en' && r.dataset.title_en ? r.dataset.title_en : r.dataset.title_vi}
                  </a>
                </dd>
              </>
            )}
            {x.answer && (
              <>
                <dt>{t('datareq.detail.answer')}</dt>
                <dd class="prewrap">{x.answer}</dd>
              </>
            )}
            {x.legal_ground && (
              <>
                <dt>{t('datareq.detail.legalGround')}</dt>
                <dd>{x.legal_ground}</dd>
              </>
            )}
          </dl>
        </section>
      )}
      {r.trail.length > 1 && (
        <section aria-labelledby="trail-heading">
          <h2 id="trail-heading">{t('datareq.detail.trail')}</h2>
          <ol>
            {r.trail.map(({ assignment: a, agency }) => (
              <li>
                {agencyName(ctx, agency)}: {formatDate(a.received_at, lang)} —{' '}
                {a.outcome ? t(`datareq.status.${a.outcome}`) : t('datareq.detail.trailOpen')}
                {a.answer && <span class="prewrap"> “{a.answer}”</span>}
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}

/** One request, public (`/data-requests/{id}`): anyone reads it; a signed-in public user gives a “+1”. */
export function DataRequestPage({
  ctx,
  r,
  voted,
  answers,
  notice,
}: {
  ctx: PageContext;
  r: DataRequestDetail;
  voted: boolean;
  /** the signed-in staff member answers for its agency: a link to the answering page */
  answers: boolean;
  notice: string | null;
}) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={r.row.title}>
      <p class="breadcrumbs">
        <a href="/data-requests">{t('datareq.back')}</a>
      </p>
      <h1>{r.row.title}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <RequestFacts ctx={ctx} r={r} />
      <Answer ctx={ctx} r={r} />
      <section aria-labelledby="votes-heading">
        <h2 id="votes-heading" data-testid="data-request-votes">
          {t('datareq.vote.count', { count: formatNumber(r.row.votes, lang) })}
        </h2>
        {voted ? (
          <p>{t('datareq.vote.done')}</p>
        ) : !stillOpen(r.row) ? (
          <p>{t('datareq.vote.closed')}</p>
        ) : ctx.publicUser ? (
          <form method="post" action={`/data-requests/${r.row.id}/votes`} class="inline-form">
            <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
            <button type="submit">{t('datareq.vote.button')}</button>
          </form>
        ) : (
          <p>
            <a href={`/auth?next=${encodeURIComponent(`/data-requests/${r.row.id}`)}`}>{t('datareq.vote.signIn')}</a>
          </p>
        )}
      </section>
      {answers && (
        <p>
          <a class="button-link" href={`/dashboard/data-requests/${r.row.id}`}>
            {t('datareq.inbox.answer')}
          </a>
        </p>
      )}
    </Layout>
  );
}
