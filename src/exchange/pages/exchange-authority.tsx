import { DangerSubmit } from '../../web/confirm.js';
import type { PageContext } from '../../web/context.js';
import type { ExchangePageData } from './exchange-data.js';

/** The supervisor's rotation of the registry's keys (configurations and the CA): announce, then switch once every gateway has the next ones. */
export function SigningKey({ ctx, k }: { ctx: PageContext; k: NonNullable<ExchangePageData['signingKey']> }) {
  const { t } = ctx;
  const csrf = <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />;
  return (
    <section id="authority">
      <h2>{t('exchange.signingKey')}</h2>
      <p>
        {t('exchange.signingKeyCurrent')}: <code>{k.current}</code>
        {k.ca && (
          <>
            <br />
            {t('exchange.caCurrent')}: <code>{k.ca}</code>
          </>
        )}
        {k.previousCa && (
          <>
            <br />
            {t('exchange.caPrevious')}: <code>{k.previousCa}</code>
          </>
        )}
      </p>
      {k.next ? (
        <>
          <p>
            {t('exchange.signingKeyNext')}: <code>{k.next}</code>
            {k.nextCa && (
              <>
                <br />
                {t('exchange.caNext')}: <code>{k.nextCa}</code>
              </>
            )}
            <br />
            {t('exchange.signingKeyHave', { n: String(k.have), total: String(k.total) })}
          </p>
          {k.behind.length > 0 && (
            <p>
              {t('exchange.signingKeyBehind')}: {k.behind.join(', ')}
            </p>
          )}
          <form method="post" action="/dashboard/exchange/authority/switch">
            {csrf}
            {k.behind.length > 0 && (
              <p>
                <input type="checkbox" id="sk-force" name="force" value="1" aria-describedby="sk-force-hint" />{' '}
                <label for="sk-force">{t('exchange.forceSwitch')}</label>
                <span class="hint" id="sk-force-hint">
                  {' '}
                  {t('exchange.forceHint')}
                </span>
              </p>
            )}
            <DangerSubmit ctx={ctx}>{t('exchange.switchKey')}</DangerSubmit>
          </form>
        </>
      ) : (
        <form method="post" action="/dashboard/exchange/authority/announce">
          {csrf}
          <p class="hint">{t('exchange.announceHint')}</p>
          <button type="submit">{t('exchange.announceKey')}</button>
        </form>
      )}
      <h3>{t('exchange.subjectKey')}</h3>
      <form method="post" action="/dashboard/exchange/authority/subject-key">
        {csrf}
        <p class="hint">{t('exchange.subjectKeyHint', { n: String(k.subjectKeysKept) })}</p>
        <DangerSubmit ctx={ctx}>{t('exchange.rotateSubjectKey')}</DangerSubmit>
      </form>
    </section>
  );
}
