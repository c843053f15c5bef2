import { DangerSubmit } from '../../web/confirm.js';
import { Layout } from '../../web/layout.js';
import type { PageContext } from '../../web/context.js';
import { formatDate, formatNumber } from '../../web/format.js';
import { formatMoment } from '../../web/table-cells.js';
import { AccessRecordLookup } from './exchange-access.js';
import type { ExchangePageData } from './exchange-data.js';
import { Manage } from './exchange-manage.js';
import { SigningKey } from './exchange-authority.js';

/** Exchanges the service answered 2xx/3xx: what a reader means by reads (a 404 is not one). */
const successful = (s: { requests: number; ok?: number; errors: number }) => s.ok ?? s.requests - s.errors;

/** Requests and errors per service as bars: the figures are in the table beside it. */
function Bars({
  rows,
  label,
}: {
  rows: { service: string; side: string; requests: number; ok?: number; errors: number }[];
  label: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.requests));
  // the label says the successful reads, as the table's first column does
  const h = 22;
  return (
    <svg role="img" aria-label={label} width="100%" viewBox={`0 0 600 ${rows.length * h + 4}`} class="bars">
      {rows.map((r, i) => (
        <g>
          <rect x="0" y={i * h + 2} width={(r.requests / max) * 420} height={h - 6} fill="#1d5fa8" />
          <rect x="0" y={i * h + 2} width={(r.errors / max) * 420} height={h - 6} fill="#b3261e" />
          <text
            x={(r.requests / max) * 420 + 6}
            y={i * h + h - 8}
            font-size="12"
          >{`${r.side} ${r.service.split('/').slice(-2).join('/')}: ${successful(r)}/${r.requests}`}</text>
        </g>
      ))}
    </svg>
  );
}

/** Agency administrators' and the supervisor's page of the exchange: gateways and their figures, grants to decide, services. */
export function ExchangePage({ ctx, data }: { ctx: PageContext; data: ExchangePageData }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('exchange.title')}>
      <p class="breadcrumbs">
        <a href="/dashboard">{t('nav.dashboard')}</a>
      </p>
      <h1>{t('exchange.title')}</h1>
      {data.notice && (
        <p class="notice" role="status">
          {data.notice}
        </p>
      )}
      <h2>{t('exchange.gateways')}</h2>
      {data.gateways.length === 0 && <p>{t('exchange.noGateways')}</p>}
      {data.gateways.map((g) => (
        <section>
          <h3>{g.agencyName}</h3>
          <p>
            <code>{g.address}</code> — {t('exchange.lastSeen')}: {g.lastSeenAt ? formatDate(g.lastSeenAt, lang) : '—'}
            {g.log && (
              <>
                {' '}
                — {t('exchange.logEntries')}: {formatNumber(g.log.entries, lang)}
              </>
            )}
            {g.log?.failing && <strong> — {t('exchange.logFailing')}</strong>}
            {g.configValid === false && <strong> — {t('exchange.configExpired')}</strong>}
            {g.certificateUntil && (
              <>
                {' '}
                — {t('exchange.certificateUntil')}: {formatDate(g.certificateUntil, lang)}
              </>
            )}
          </p>
          {g.accessRecords &&
            (g.accessRecords.waiting > 0 || g.accessRecords.spooledBytes > 0 || g.accessRecords.dropped > 0) && (
              <p>
                {t('exchange.accessRecordsWaiting')}: {formatNumber(g.accessRecords.waiting, lang)}
                {g.accessRecords.spooledBytes > 0 && (
                  <>
                    {' '}
                    — {t('exchange.accessRecordsSpooled')}:{' '}
                    {formatNumber(Math.ceil(g.accessRecords.spooledBytes / 1e6), lang)} MB
                  </>
                )}
                {g.accessRecords.dropped > 0 && (
                  <strong>
                    {' '}
                    — {t('exchange.accessRecordsDropped', { n: formatNumber(g.accessRecords.dropped, lang) })}
                  </strong>
                )}
              </p>
            )}
          {g.services.length > 0 && (
            <>
              <Bars rows={g.services} label={t('exchange.barsLabel')} />
              <div class="table-scroll" tabindex={0}>
                <table>
                  <caption>
                    {t('exchange.figures')}
                    {g.reportedAt && ` (${formatMoment(g.reportedAt, lang)})`}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('exchange.side')}</th>
                      <th scope="col">{t('exchange.service')}</th>
                      <th scope="col">{t('exchange.successful')}</th>
                      <th scope="col">{t('exchange.requests')}</th>
                      <th scope="col">{t('exchange.errors')}</th>
                      <th scope="col">p50 (ms)</th>
                      <th scope="col">p99 (ms)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.services.map((s) => (
                      <tr>
                        <td>{t(s.side === 'provider' ? 'exchange.provider' : 'exchange.consumer')}</td>
                        <td>
                          <code>{s.service}</code>
                        </td>
                        <td>{formatNumber(successful(s), lang)}</td>
                        <td>{formatNumber(s.requests, lang)}</td>
                        <td>{formatNumber(s.errors, lang)}</td>
                        <td>≤ {s.p50Ms}</td>
                        <td>≤ {s.p99Ms}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      ))}
      {data.signingKey && <SigningKey ctx={ctx} k={data.signingKey} />}
      {data.lookup && (
        <AccessRecordLookup
          ctx={ctx}
          agencies={data.lookup.agencies}
          all={data.lookup.all}
          lookup={data.lookup.result}
        />
      )}
      {data.gaps.length > 0 && (
        <section class="error-summary" id="grant-gaps" aria-labelledby="grant-gaps-title">
          <h2 id="grant-gaps-title">{t('exchange.gaps')}</h2>
          <p>{t('exchange.gapsLead')}</p>
          <ul>
            {data.gaps.map((g) => (
              <li>
                <code>{g.client}</code> → <code>{g.service}</code> ({t(`exchange.status.${g.status}` as never)}):{' '}
                {t('exchange.gapsFields')} <strong>{g.sensitiveFields.join(', ')}</strong>; {t('exchange.gapsMissing')}{' '}
                {g.missing.map((m) => t(m === 'basis' ? 'exchange.gapsBasis' : 'exchange.gapsPurpose')).join(', ')}
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>{t('exchange.grants')}</h2>
      <div class="table-scroll" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('exchange.client')}</th>
              <th scope="col">{t('exchange.service')}</th>
              <th scope="col">{t('exchange.purposes')}</th>
              <th scope="col">{t('exchange.limits')}</th>
              <th scope="col">{t('exchange.status')}</th>
              <th scope="col">{t('exchange.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.grants.map((g) => (
              <tr>
                <td>
                  <code>{g.client}</code>
                </td>
                <td>
                  <code>{g.service}</code>
                </td>
                <td>
                  {g.purposes.join(', ') || t('exchange.anyPurpose')}
                  {g.legalBasis && (
                    <>
                      <br />
                      <small>{g.legalBasis}</small>
                    </>
                  )}
                </td>
                <td>
                  {g.ratePerSecond ? `${g.ratePerSecond}/s` : ''}{' '}
                  {g.dailyQuota ? `${formatNumber(g.dailyQuota, lang)}/${t('exchange.day')}` : ''}{' '}
                  {g.expiresAt ? `→ ${formatDate(g.expiresAt, lang)}` : ''}
                </td>
                <td>{t(`exchange.status.${g.status}` as never)}</td>
                <td>
                  {g.canDecide &&
                    g.status === 'requested' &&
                    (['approve', 'reject'] as const).map((d) => (
                      <form method="post" action={`/dashboard/exchange/grants/${g.id}/decision`} class="inline">
                        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
                        <input type="hidden" name="decision" value={d} />
                        <button type="submit">{t(`exchange.${d}` as never)}</button>
                      </form>
                    ))}
                  {g.canRevoke && (g.status === 'approved' || g.status === 'requested') && (
                    <form method="post" action={`/dashboard/exchange/grants/${g.id}/decision`} class="inline">
                      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
                      <input type="hidden" name="decision" value="revoke" />
                      <DangerSubmit ctx={ctx} label={`${t('exchange.revoke')}: ${g.client} → ${g.service}`}>
                        {t('exchange.revoke')}
                      </DangerSubmit>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('exchange.services')}</h2>
      <ul>
        {data.services.map((s) => (
          <li>
            <code>{s.serviceId}</code> — {s.title} ({s.endpoints.map((e) => `${e.method} ${e.path}`).join(', ')})
            {s.fields.length > 0 && (
              <>
                <br />
                <small>
                  {t('exchange.serviceFields')}: {s.fields.join(', ')}
                </small>
              </>
            )}
          </li>
        ))}
      </ul>
      {data.manage.agencies.length > 0 && <Manage ctx={ctx} data={data} />}
      <p>
        <a href="/api/docs">{t('exchange.apiDocs')}</a>
      </p>
    </Layout>
  );
}
