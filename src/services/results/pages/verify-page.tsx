import { Field } from '../../../web/components.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { Verification } from '../results.service.js';
import { MAX_JWS } from '../results.schema.js';
import { ResultContent, ResultFacts, Verdict } from './result-view.js';

/** `/verify/{id}?h=…`: what the QR leads to, for anyone. */
export function VerifyPage({ ctx, v }: { ctx: PageContext; v: Verification }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('results.verify.title')}>
      <h1>{t('results.verify.title')}</h1>
      <Verdict ctx={ctx} v={v} />
      {v.status !== 'invalid' && v.result && v.agency && <ResultFacts ctx={ctx} agency={v.agency} r={v.result} />}
      {v.holder === 'absent' && v.status !== 'invalid' && <p class="hint">{t('results.verify.absent')}</p>}
      {v.payload && (
        <section aria-labelledby="result-content">
          <h2 id="result-content">{v.payload.title}</h2>
          <ResultContent ctx={ctx} payload={v.payload} />
        </section>
      )}
      <p>
        <a href="/verify">{t('results.verify.pasteTitle')}</a> ·{' '}
        <a href="/api/v1/services/result-keys">{t('results.verify.keys')}</a>
      </p>
    </Layout>
  );
}

/** `/verify`: paste a compact JWS; after a post, the verdict above the form. */
export function PastePage({ ctx, v, error }: { ctx: PageContext; v: Verification | null; error: string | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('results.verify.pasteTitle')}>
      <h1>{t('results.verify.pasteTitle')}</h1>
      <p class="lead">{t('results.verify.intro')}</p>
      {v && (
        <section aria-labelledby="verdict-heading">
          <h2 id="verdict-heading">{t('results.verify.status')}</h2>
          <Verdict ctx={ctx} v={v} />
          {v.result && v.agency && <ResultFacts ctx={ctx} agency={v.agency} r={v.result} />}
          {v.payload && v.status !== 'invalid' && (
            <>
              <h3>{v.payload.title}</h3>
              <ResultContent ctx={ctx} payload={v.payload} />
            </>
          )}
        </section>
      )}
      <form method="post" action="/verify" noValidate data-validate>
        {ctx.publicCsrf && <input type="hidden" name="_csrf" value={ctx.publicCsrf} />}
        <Field
          ctx={ctx}
          id="jws"
          label={t('results.verify.pasteLabel')}
          hint={t('results.verify.pasteHint')}
          error={error ?? undefined}
          required
        >
          <textarea
            id="jws"
            name="jws"
            rows={6}
            maxLength={MAX_JWS}
            required
            aria-describedby={error ? 'jws-hint jws-error' : 'jws-hint'}
          />
        </Field>
        <button type="submit">{t('results.verify.pasteSubmit')}</button>
      </form>
      <p>
        <a href="/api/v1/services/result-keys">{t('results.verify.keys')}</a>
      </p>
    </Layout>
  );
}
