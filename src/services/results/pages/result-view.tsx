import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import { agencyName } from '../../../web/pages/agency-list.js';
import type { ResultPayload } from '../result.js';
import type { AgencyInfo, Verification } from '../results.service.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A value as the page's language writes it: a date 03/08/1990 or 3 Aug 1990, anything else as signed. */
const shownValue = (ctx: PageContext, v: string) => (ISO_DAY.test(v) ? formatDate(`${v}T12:00:00Z`, ctx.lang) : v);

/** What the result says: the person it was issued to and each field, labelled in the page's language. */
export function ResultContent({ ctx, payload }: { ctx: PageContext; payload: ResultPayload }) {
  const { t, lang } = ctx;
  return (
    <dl class="metadata result-fields">
      <dt>{t('results.print.subject')}</dt>
      <dd>{payload.subject}</dd>
      {payload.fields.map((f) => (
        <>
          <dt>{lang === 'en' ? (f.label_en ?? f.label_vi) : f.label_vi}</dt>
          <dd>{shownValue(ctx, f.value)}</dd>
        </>
      ))}
    </dl>
  );
}

/** The issuer, the number and the dates of a result. */
export function ResultFacts({
  ctx,
  agency,
  r,
}: {
  ctx: PageContext;
  agency: AgencyInfo;
  r: NonNullable<Verification['result']>;
}) {
  const { t, lang } = ctx;
  return (
    <dl class="metadata">
      <dt>{t('results.print.issuer')}</dt>
      <dd>{agencyName(ctx, agency)}</dd>
      <dt>{t('results.print.number')}</dt>
      <dd data-testid="result-number">{r.number}</dd>
      <dt>{t('results.print.issued')}</dt>
      <dd>{formatDate(r.issued_at, lang)}</dd>
      <dt>{t('results.print.validUntil')}</dt>
      <dd>{r.valid_until ? formatDate(r.valid_until, lang) : t('results.print.noEnd')}</dd>
      {r.revoked_at && (
        <>
          <dt>{t('results.verify.revokeReason')}</dt>
          <dd>{r.revoke_reason}</dd>
        </>
      )}
    </dl>
  );
}

/** The verification's verdict in one sentence: the QR's mismatch and an invalid signature before the standing. */
export function Verdict({ ctx, v }: { ctx: PageContext; v: Verification }) {
  const key =
    v.status === 'invalid'
      ? `results.verify.invalid.${v.reason}`
      : v.holder === 'mismatch'
        ? 'results.verify.mismatch'
        : `results.verify.${v.status}`;
  const good = v.status === 'valid' && v.holder !== 'mismatch';
  return (
    <p class={good ? 'notice' : 'notice refusal'} role="status" data-testid="verdict" data-verdict={verdictOf(v)}>
      <strong>{ctx.t(key)}</strong>
    </p>
  );
}

/** One word for tests and scripts: valid, revoked, expired, mismatch or invalid. */
export const verdictOf = (v: Verification) =>
  v.status === 'invalid' ? 'invalid' : v.holder === 'mismatch' ? 'mismatch' : v.status;
