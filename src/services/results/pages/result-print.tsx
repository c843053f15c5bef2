import type { PageContext } from '../../../web/context.js';
import { DangerSubmit } from '../../../web/confirm.js';
import { Field } from '../../../web/components.js';
import { formatDate } from '../../../web/format.js';
import { Layout } from '../../../web/layout.js';
import { agencyName } from '../../../web/pages/agency-list.js';
import type { ResultRow } from '../result.js';
import type { AgencyInfo } from '../results.service.js';
import { ResultContent } from './result-view.js';

export interface PrintProps {
  ctx: PageContext;
  row: ResultRow;
  agency: AgencyInfo;
  /** the address the QR encodes, and the QR drawn as SVG (from the `qrcode` package: no user text in it) */
  url: string;
  qrSvg: string;
  /** the deciding agency's editor sees the revoke form */
  canRevoke: boolean;
  notice: string | null;
  error: string | null;
  now: Date;
}

/** `/my/results/{id}`: the result laid out for A4 (the stylesheet's `@media print` drops the site's chrome). */
export function ResultPrintPage({ ctx, row, agency, url, qrSvg, canRevoke, notice, error, now }: PrintProps) {
  const { t, lang } = ctx;
  const p = row.payload;
  const expired = !row.revoked_at && row.valid_until && row.valid_until.getTime() <= now.getTime();
  return (
    <Layout ctx={ctx} title={`${p.title} ${row.number}`}>
      {notice && (
        <p class="notice no-print" role="status">
          {notice}
        </p>
      )}
      <article class="result-print">
        <header class="result-head">
          <p class="result-issuer">{agencyName(ctx, agency)}</p>
          <p>
            {t('results.print.number')}: <span data-testid="result-number">{row.number}</span>
          </p>
        </header>
        <h1>{p.title}</h1>
        {row.revoked_at && (
          <p class="notice refusal" data-testid="result-revoked">
            {t('results.print.revoked', { date: formatDate(row.revoked_at, lang), reason: row.revoke_reason ?? '' })}
          </p>
        )}
        {expired && (
          <p class="notice refusal">{t('results.print.expired', { date: formatDate(row.valid_until, lang) })}</p>
        )}
        <dl class="metadata">
          <dt>{t('results.print.procedure')}</dt>
          <dd>
            {p.procedure.name} ({p.procedure.code})
          </dd>
        </dl>
        <ResultContent ctx={ctx} payload={p} />
        <dl class="metadata">
          <dt>{t('results.print.issued')}</dt>
          <dd>{formatDate(row.issued_at, lang)}</dd>
          <dt>{t('results.print.validUntil')}</dt>
          <dd>{row.valid_until ? formatDate(row.valid_until, lang) : t('results.print.noEnd')}</dd>
        </dl>
        {/* the SVG is drawn by `qrcode` from our own address: no user text reaches it */}
        <figure class="result-qr">
          <div
            class="qr"
            role="img"
            aria-label={t('results.print.qr')}
            data-testid="result-qr"
            dangerouslySetInnerHTML={{ __html: qrSvg }}
          />
          <figcaption>
            {t('results.print.qrCaption')} <code data-testid="result-url">{url}</code>
          </figcaption>
        </figure>
        <h2>{t('results.print.jws')}</h2>
        <p class="hint">{t('results.print.jwsHint')}</p>
        <pre class="result-jws" data-testid="result-jws">
          {row.jws}
        </pre>
      </article>
      <p class="hint no-print">
        {t('results.print.howToPrint')} <a href={url}>{t('results.print.verifyLink')}</a>
      </p>
      {canRevoke && !row.revoked_at && (
        <form method="post" action={`/my/results/${row.id}/revoke`} class="no-print">
          <h2>{t('results.revoke.title')}</h2>
          <p class="hint">{t('results.revoke.hint')}</p>
          <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
          <Field ctx={ctx} id="reason" label={t('results.revoke.reason')} error={error ?? undefined} required>
            <textarea id="reason" name="reason" rows={3} maxLength={1000} required />
          </Field>
          <DangerSubmit ctx={ctx} confirm={t('results.revoke.confirm')}>
            {t('results.revoke.submit')}
          </DangerSubmit>
        </form>
      )}
    </Layout>
  );
}
