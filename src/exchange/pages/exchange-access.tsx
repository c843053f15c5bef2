import type { PageContext } from '../../web/context.js';
import { formatNumber } from '../../web/format.js';

/** A person's access records as the lookup shows them (the API's presenter's shape). */
export interface AccessLookup {
  subject: string;
  agency: string;
  records:
    | {
        at: string | null;
        id: string;
        client: string;
        service: string;
        purpose: string | null;
        legalBasis: string | null;
        representedParty: string | null;
        status: number;
        gateway: string;
        logIndex: number | null;
      }[]
    | null;
  error: string | null;
}

/**
 * Who read a person's data: the supervisor across the exchange, an agency's administrators through their own
 * services. A form that posts (a person's id never goes in an address, where logs would keep it).
 */
export function AccessRecordLookup({
  ctx,
  agencies,
  all,
  lookup,
}: {
  ctx: PageContext;
  agencies: { id: string; name: string }[];
  all: boolean;
  lookup: AccessLookup | null;
}) {
  const { t, lang } = ctx;
  const time = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'vi-VN', {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: 'Asia/Ho_Chi_Minh',
  });
  return (
    <section id="access-records">
      <h2>{t('exchange.lookup')}</h2>
      <p class="hint">{t('exchange.lookupHint')}</p>
      <form method="post" action="/dashboard/exchange/access-records#access-records">
        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
        <p>
          <label for="lk-subject">{t('exchange.lookupSubject')}</label>{' '}
          <input
            id="lk-subject"
            name="subject"
            required
            pattern="[A-Za-z]{2}[0-9]{9,12}"
            autocomplete="off"
            value={lookup?.subject ?? ''}
            aria-describedby={lookup?.error ? 'lk-error' : undefined}
          />{' '}
          <label for="lk-agency">{t('exchange.lookupAgency')}</label>{' '}
          <select id="lk-agency" name="agency">
            {all && (
              <option value="" selected={!lookup?.agency}>
                {t('exchange.lookupAll')}
              </option>
            )}
            {agencies.map((a) => (
              <option value={a.id} selected={lookup?.agency === a.id}>
                {a.name}
              </option>
            ))}
          </select>{' '}
          <button type="submit">{t('exchange.lookupButton')}</button>
        </p>
        {lookup?.error && (
          <p class="error" id="lk-error" role="alert">
            {lookup.error}
          </p>
        )}
      </form>
      {lookup?.records &&
        (lookup.records.length === 0 ? (
          <p>{t('exchange.lookupNone')}</p>
        ) : (
          <div class="table-scroll" tabindex={0}>
            <table>
              <caption>{t('exchange.lookupCount', { n: formatNumber(lookup.records.length, lang) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('exchange.lookupAt')}</th>
                  <th scope="col">{t('exchange.client')}</th>
                  <th scope="col">{t('exchange.service')}</th>
                  <th scope="col">{t('exchange.purposes')}</th>
                  <th scope="col">{t('exchange.status')}</th>
                  <th scope="col">{t('exchange.lookupEntry')}</th>
                </tr>
              </thead>
              <tbody>
                {lookup.records.map((r) => (
                  <tr>
                    <td>{r.at ? time.format(new Date(r.at)) : '—'}</td>
                    <td>
                      <code>{r.client}</code>
                      {r.representedParty && (
                        <>
                          <br />
                          <small>
                            {t('exchange.lookupOnBehalfOf')} <code>{r.representedParty}</code>
                          </small>
                        </>
                      )}
                    </td>
                    <td>
                      <code>{r.service}</code>
                    </td>
                    <td>
                      {r.purpose ?? '—'}
                      {r.legalBasis && (
                        <>
                          <br />
                          <small>{r.legalBasis}</small>
                        </>
                      )}
                    </td>
                    <td>{r.status}</td>
                    <td>
                      <small>
                        <code>{r.id}</code>
                        <br />
                        {r.logIndex === null ? '—' : `${r.gateway.slice(0, 8)}… #${formatNumber(r.logIndex, lang)}`}
                      </small>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
