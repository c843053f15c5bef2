import type { PageContext } from '../../../web/context.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import { Layout } from '../../../web/layout.js';
import type { OfferStatus } from '../offer.js';
import { offerWhy } from '../offers.presenter.js';
import type { OffersService, OfferShown } from '../offers.service.js';

const nameIn = (lang: string, vi: string, en: string | null) => (lang === 'en' && en ? en : vi);
const STATUSES: OfferStatus[] = ['open', 'accepted', 'declined', 'expired'];

/** On "my data": the person's open offers, each with why, and Accept (one click) or Decline. */
export function OffersSection({ ctx, offers }: { ctx: PageContext; offers: OfferShown[] }) {
  const { t, lang } = ctx;
  return (
    <section id="offers" aria-labelledby="offers-title">
      <h2 id="offers-title">{t('offers.my.title')}</h2>
      <p>{t('offers.my.lead')}</p>
      {offers.map((o) => (
        <article class="dataset-card" id={`offer-${o.id}`} data-offer={o.id}>
          <h3>{nameIn(lang, o.procedure.name_vi, o.procedure.name_en)}</h3>
          <p data-testid="offer-why">{offerWhy(o)[lang]}</p>
          <p>
            <small>
              {t('offers.my.until', { date: formatDate(o.expires_at, lang) })} · {t('offers.my.code')}{' '}
              <code>{o.procedure.code}</code>
            </small>
          </p>
          {(['accept', 'decline'] as const).map((d) => (
            <form method="post" action={`/my-data/offers/${o.id}/${d}`} class="inline-form">
              <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
              <button type="submit" data-decision={d} class={d === 'decline' ? 'secondary' : undefined}>
                {t(`offers.my.${d}`)}
              </button>{' '}
            </form>
          ))}
        </article>
      ))}
    </section>
  );
}

type Board = Awaited<ReturnType<OffersService['board']>>;

/** The deciding agency's view: its rules with their offers by status, and the latest offers made. */
export function OffersBoardPage({ ctx, board }: { ctx: PageContext; board: Board }) {
  const { t, lang } = ctx;
  const n = (x: number) => formatNumber(x, lang);
  return (
    <Layout ctx={ctx} title={t('offers.board.title')}>
      <h1>{t('offers.board.title')}</h1>
      <p>{t('offers.board.lead')}</p>
      <h2>{t('offers.board.rules')}</h2>
      {board.rules.length === 0 && <p data-testid="no-rules">{t('offers.board.noRules')}</p>}
      {board.rules.map((r) => (
        <article class="dataset-card" data-rule={r.rule.id}>
          <h3>
            {nameIn(lang, r.procedure.name_vi, r.procedure.name_en)} <code>{r.procedure.code}</code>
          </h3>
          <p>
            {t('offers.board.when', { from: nameIn(lang, r.from.name_vi, r.from.name_en) })}{' '}
            <code>{r.rule.event_kind}</code>
            {!r.rule.active && ` · ${t('offers.board.stopped')}`}
          </p>
          <ul class="stats">
            {STATUSES.map((s) => (
              <li>
                <strong data-count={s}>{n(r.counts[s])}</strong> {t(`offers.status.${s}`)}
              </li>
            ))}
          </ul>
        </article>
      ))}
      <h2 id="latest-heading">{t('offers.board.latest')}</h2>
      {board.latest.length === 0 ? (
        <p>{t('offers.board.noOffers')}</p>
      ) : (
        <div class="table-scroll" tabindex={0} role="region" aria-labelledby="latest-heading">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('offers.board.made')}</th>
                <th scope="col">{t('offers.board.procedure')}</th>
                <th scope="col">{t('offers.board.eventId')}</th>
                <th scope="col">{t('offers.board.status')}</th>
              </tr>
            </thead>
            <tbody>
              {board.latest.map((o) => (
                <tr data-offer={o.id}>
                  <td>{formatDate(o.created_at, lang)}</td>
                  <td>
                    <code>{o.procedure.code}</code>
                  </td>
                  <td>
                    <code>{o.event.external_id}</code>
                  </td>
                  <td>
                    {t(`offers.status.${o.status}`)}
                    {o.dossier_id && ` · ${t('offers.board.dossier')}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <small>{t('offers.board.api')}</small>
      </p>
    </Layout>
  );
}
