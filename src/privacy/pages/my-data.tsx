import type { PageContext } from '../../web/context.js';
import { formatNumber } from '../../web/format.js';
import { Layout } from '../../web/layout.js';
import { encodeCursor, proofPath } from '../my-data.presenter.js';
import type { Cursor, MyRecord } from '../my-data.service.js';
import { ConsentsSection, type MyConsents } from './consents.js';
import { purposeText } from './purpose.js';
import { inLang, when } from './when.js';

/** Where the browser verifier module is served (the page's script loads it when "verify" is pressed). */
export const VERIFIER_URL = '/assets/record-proof.js';

export interface MyDataView {
  records: MyRecord[];
  next: Cursor | null;
  /** this page started after a cursor (not the newest) */
  deeper: boolean;
  /** the reads of one consent only */
  consent: string | null;
  consents: MyConsents;
  done: 'approve' | 'refuse' | 'withdraw' | null;
  /** other parts' sections (`MyDataSection`), shown before the reads */
  extra?: preact.VNode[];
  /** the purposes' words by code (procedures' names), where another part names them */
  purposes?: Map<string, { vi: string; en: string }>;
}

/** The address in English on English pages: `lang=en` joins the query, before any `#fragment`. */
const withLang = (ctx: PageContext, href: string) => {
  if (ctx.lang !== 'en') return href;
  const [path, fragment] = href.split('#') as [string, string | undefined];
  return `${path}${path.includes('?') ? '&' : '?'}lang=en${fragment === undefined ? '' : `#${fragment}`}`;
};

function Read({
  ctx,
  r,
  purposes,
}: {
  ctx: PageContext;
  r: MyRecord;
  purposes: Map<string, { vi: string; en: string }>;
}) {
  const { t, lang } = ctx;
  return (
    <article
      class="dataset-card"
      data-record={`${r.gatewayId}/${r.logIndex}`}
      data-refused={r.status >= 400 ? String(r.status) : undefined}
    >
      <h3>{t(r.status >= 400 ? 'privacy.reads.refusedAt' : 'privacy.reads.at', { when: when(r.at, lang) })}</h3>
      {r.status >= 400 && (
        <p class="notice refusal" data-testid="refused">
          {t('privacy.reads.refused', { status: String(r.status) })}
        </p>
      )}
      <dl class="metadata">
        <dt>{t('privacy.reads.reader')}</dt>
        <dd data-testid="reader">
          {r.clientAgency ? `${inLang(lang, r.clientAgency, r.clientAgencyEn)} — ${r.clientSystem}` : r.client}
          {r.clientAgency && (
            <>
              {' '}
              <small>
                <code>{r.client}</code>
              </small>
            </>
          )}
        </dd>
        <dt>{t('privacy.reads.service')}</dt>
        <dd>
          {r.serviceTitle ?? r.service}
          {r.serviceAgency && ` (${inLang(lang, r.serviceAgency, r.serviceAgencyEn)})`}{' '}
          <small>
            <code>{r.service}</code>
          </small>
        </dd>
        <dt>{t('privacy.reads.purpose')}</dt>
        <dd data-testid="purpose">
          {r.purpose ? purposeText(ctx, r.purpose, purposes) : t('privacy.reads.none.purpose')}
        </dd>
        <dt>{t('privacy.reads.basis')}</dt>
        <dd data-testid="basis">
          {r.basis && <strong>{t(`privacy.basis.${r.basis}`)}</strong>}
          {r.basis && r.legalBasis && r.legalBasis !== r.basis && <br />}
          {r.legalBasis && r.legalBasis !== r.basis && r.legalBasis}
          {!r.basis && !r.legalBasis && '—'}
        </dd>
        {r.representedParty && (
          <>
            <dt>{t('privacy.reads.onBehalfOf')}</dt>
            <dd>
              <code>{r.representedParty}</code>
            </dd>
          </>
        )}
        {r.consentId && (
          <>
            <dt>{t('privacy.reads.consent')}</dt>
            <dd>
              <a href={`#consent-${r.consentId}`} data-testid="read-consent">
                {t('privacy.reads.consentLink', {
                  to: r.clientAgency
                    ? `${inLang(lang, r.clientAgency, r.clientAgencyEn)} — ${r.clientSystem}`
                    : r.client,
                })}
              </a>
            </dd>
          </>
        )}
        <dt>{t('privacy.reads.entry')}</dt>
        <dd>
          <small>
            <code>
              {r.gatewayId.slice(0, 8)}… #{formatNumber(r.logIndex, lang)}
            </code>
          </small>{' '}
          <a href={proofPath(r)} type="application/json" data-proof>
            {t('privacy.reads.proof')}
          </a>{' '}
          <span data-verify={proofPath(r)} data-label={t('privacy.reads.verify')} />{' '}
          <output aria-live="polite" data-verify-result />
        </dd>
      </dl>
    </article>
  );
}

/** Every read of the person's data, 50 at a time, with its proof; then their consents. */
export function MyDataPage({ ctx, v }: { ctx: PageContext; v: MyDataView }) {
  const { t, lang } = ctx;
  const purposes = v.purposes ?? new Map<string, { vi: string; en: string }>();
  return (
    <Layout ctx={ctx} title={t('privacy.my.title')} head={<script src="/assets/privacy/my-data.js" defer />}>
      <div
        data-my-data
        data-verifier={VERIFIER_URL}
        data-lang={lang}
        data-verifying={t('privacy.reads.verifying')}
        data-verified={t('privacy.reads.verified')}
        data-not-verified={t('privacy.reads.notVerified', { reason: '{reason}' })}
      >
        <h1>{t('privacy.my.title')}</h1>
        <p>{t('privacy.my.lead')}</p>
        <p data-testid="coverage">{t('privacy.my.coverage')}</p>
        {v.done && (
          <p class="notice" role="status" data-testid="done">
            {t(`privacy.my.done.${v.done}`)}
          </p>
        )}
        <nav aria-label={t('privacy.my.jump')}>
          <ul class="plain-list">
            <li>
              <a href="#waiting">
                {t('privacy.consents.waiting')} ({formatNumber(v.consents.waiting.length, lang)})
              </a>
            </li>
            <li>
              <a href="#reads">{t('privacy.reads.title')}</a>
            </li>
            <li>
              <a href="#consents">{t('privacy.consents.title')}</a>
            </li>
            <li>
              <a href={withLang(ctx, '/my-data/requests')} data-testid="requests-link">
                {t('privacy.my.requests')}
              </a>
            </li>
            <li>
              <a href={withLang(ctx, '/my/dossiers')} data-testid="dossiers-link">
                {t('privacy.my.dossiers')}
              </a>
            </li>
            <li>
              {t('privacy.my.export')}: <a href="/my-data/records.csv">{t('privacy.my.exportCsv')}</a> ·{' '}
              <a href="/my-data/records.json">{t('privacy.my.exportJson')}</a>
            </li>
          </ul>
        </nav>
        {v.extra}
        <section id="reads" aria-labelledby="reads-title">
          <h2 id="reads-title">{v.consent ? t('privacy.reads.ofConsent') : t('privacy.reads.title')}</h2>
          {v.consent && (
            <p>
              <a href={withLang(ctx, '/my-data#reads')}>{t('privacy.reads.allReads')}</a>
            </p>
          )}
          {v.records.length === 0 ? (
            <p data-testid="no-reads">{t('privacy.reads.none')}</p>
          ) : (
            <p>{t('privacy.reads.count', { n: formatNumber(v.records.length, lang) })}</p>
          )}
          {v.records.map((r) => (
            <Read ctx={ctx} r={r} purposes={purposes} />
          ))}
          <p>
            {v.deeper && <a href={withLang(ctx, '/my-data#reads')}>{t('privacy.reads.newest')}</a>}{' '}
            {v.next && (
              <a
                class="button-link"
                rel="next"
                href={withLang(ctx, `/my-data?before=${encodeURIComponent(encodeCursor(v.next))}#reads`)}
              >
                {t('privacy.reads.older')}
              </a>
            )}
          </p>
        </section>
        <ConsentsSection ctx={ctx} consents={v.consents} purposes={purposes} />
      </div>
    </Layout>
  );
}
