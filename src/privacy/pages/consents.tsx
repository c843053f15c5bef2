import type { PageContext } from '../../web/context.js';
import { formatNumber } from '../../web/format.js';
import type { MyDataService } from '../my-data.service.js';
import { purposeText } from './purpose.js';
import { day, inLang } from './when.js';

export type MyConsents = Awaited<ReturnType<MyDataService['consents']>>;
type Shown = MyConsents['waiting'][number];
type Purposes = Map<string, { vi: string; en: string }>;

/** One consent or request, with everything the person decides on (DEPA's artefact, in words). */
function ConsentCard({
  ctx,
  c,
  actions,
  purposes,
}: {
  ctx: PageContext;
  c: Shown;
  actions: ('approve' | 'refuse' | 'withdraw')[];
  purposes: Purposes;
}) {
  const { t, lang } = ctx;
  return (
    <article class="dataset-card" id={`consent-${c.id}`} data-consent={c.id}>
      <h4>
        {inLang(lang, c.agencyName, c.agencyNameEn)} — {c.recipientName}
      </h4>
      <dl class="metadata">
        <dt>{t('privacy.consents.status')}</dt>
        <dd>
          <span class="status-tag" data-testid="consent-status">
            {t(`privacy.consents.status.${c.status}`)}
          </span>
        </dd>
        <dt>{t('privacy.consents.recipient')}</dt>
        <dd>
          {inLang(lang, c.agencyName, c.agencyNameEn)} — {c.recipientName}{' '}
          <small>
            <code>{c.recipient}</code>
          </small>
        </dd>
        <dt>{t('privacy.consents.purpose')}</dt>
        <dd>{purposes.has(c.purpose) ? purposeText(ctx, c.purpose, purposes) : <code>{c.purpose}</code>}</dd>
        {c.note && (
          <>
            <dt>{t('privacy.consents.note')}</dt>
            <dd>{c.note}</dd>
          </>
        )}
        <dt>{t('privacy.consents.services')}</dt>
        <dd>
          <ul class="plain-list">
            {c.services.map((s, i) => (
              <li>
                {c.serviceTitles[i] ?? s.service}{' '}
                <small>
                  <code>{s.service}</code>
                </small>
                <br />
                {s.fields.length ? (
                  <ul data-testid="consent-fields">
                    {s.fields.map((f, j) => {
                      const label = c.fieldLabels[i]?.[j];
                      return label ? (
                        <li>
                          {label[lang]}{' '}
                          <small>
                            <code>{f}</code>
                          </small>
                        </li>
                      ) : (
                        <li>
                          <code>{f}</code>
                        </li>
                      );
                    })}
                  </ul>
                ) : (
                  t('privacy.consents.allFields')
                )}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('privacy.consents.validity')}</dt>
        <dd>
          {t('privacy.consents.validRange', {
            from: day(c.valid_from, lang),
            until: day(c.valid_until, lang),
          })}
        </dd>
        <dt>{t('privacy.consents.usesPerDay')}</dt>
        <dd>{c.uses_per_day === null ? t('privacy.consents.unbounded') : formatNumber(c.uses_per_day, lang)}</dd>
        <dt>{t('privacy.consents.retention')}</dt>
        <dd>{t('privacy.consents.retentionDays', { n: formatNumber(c.retention_days, lang) })}</dd>
        {c.status !== 'requested' && (
          <>
            <dt>{t('privacy.consents.uses')}</dt>
            <dd>
              <a href={`/my-data?consent=${c.id}${lang === 'en' ? '&lang=en' : ''}#reads`} data-testid="consent-uses">
                {t('privacy.consents.usesLink', { n: formatNumber(c.uses, lang) })}
              </a>
            </dd>
          </>
        )}
        {c.decided_at && (
          <dd>
            <small>{t('privacy.consents.decided', { when: day(c.decided_at, lang) })}</small>
          </dd>
        )}
        {c.withdrawn_at && (
          <dd>
            <small>{t('privacy.consents.withdrawnAt', { when: day(c.withdrawn_at, lang) })}</small>
          </dd>
        )}
      </dl>
      {actions.map((a) => (
        <form method="post" action={`/my-data/consents/${c.id}`} class="inline-form">
          <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
          <input type="hidden" name="decision" value={a} />
          {/* approving is the main answer; refusing sits beside it as a secondary button, never its twin */}
          <button type="submit" data-decision={a} class={a === 'refuse' ? 'secondary' : undefined}>
            {t(`privacy.consents.${a}`)}
          </button>{' '}
        </form>
      ))}
    </article>
  );
}

/** The person's consents: requests waiting (approve or refuse), consents in force (withdraw), past ones. */
export function ConsentsSection({
  ctx,
  consents,
  purposes = new Map(),
}: {
  ctx: PageContext;
  consents: MyConsents;
  purposes?: Purposes;
}) {
  const { t } = ctx;
  return (
    <section id="consents" aria-labelledby="consents-title">
      <h2 id="consents-title">{t('privacy.consents.title')}</h2>
      <h3 id="waiting">{t('privacy.consents.waiting')}</h3>
      <p class="hint">{t('privacy.consents.silence')}</p>
      {consents.waiting.length === 0 && <p>{t('privacy.consents.waitingNone')}</p>}
      {consents.waiting.map((c) => (
        <ConsentCard ctx={ctx} c={c} actions={['approve', 'refuse']} purposes={purposes} />
      ))}
      <h3>{t('privacy.consents.active')}</h3>
      {consents.active.length === 0 && <p>{t('privacy.consents.activeNone')}</p>}
      {consents.active.map((c) => (
        <ConsentCard ctx={ctx} c={c} actions={['withdraw']} purposes={purposes} />
      ))}
      {consents.past.length > 0 && (
        <>
          <h3>{t('privacy.consents.past')}</h3>
          {consents.past.map((c) => (
            <ConsentCard ctx={ctx} c={c} actions={[]} purposes={purposes} />
          ))}
        </>
      )}
    </section>
  );
}
