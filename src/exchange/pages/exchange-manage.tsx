import { DangerSubmit } from '../../web/confirm.js';
import type { PageContext } from '../../web/context.js';
import { formatDate } from '../../web/format.js';
import type { Credential, ExchangePageData } from './exchange-data.js';
import { GRANT_BASES } from '../protocol/consent.js';

/** An agency administrator's forms: the same rules as the API, errors shown above with what was typed kept. */
export function Manage({ ctx, data }: { ctx: PageContext; data: ExchangePageData }) {
  const { t, lang } = ctx;
  const m = data.manage;
  const v = (k: string) => m.values[k] ?? '';
  const csrf = <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />;
  return (
    <section id="manage">
      <h2>{t('exchange.manage')}</h2>
      {m.errors.length > 0 && (
        <div class="error-summary" role="alert">
          <p>{t('exchange.notSaved')}</p>
          <ul>
            {m.errors.map((e) => (
              <li>{lang === 'en' ? e.en : e.vi}</li>
            ))}
          </ul>
        </div>
      )}
      {m.newKey && (
        <p class="notice" role="status">
          {t('exchange.keyOnce')} <code>{m.newKey.key}</code>
        </p>
      )}
      <form method="post" action="/dashboard/exchange/subsystems">
        {csrf}
        <h3>{t('exchange.newSubsystem')}</h3>
        <label for="sub-agency">{t('facet.agency')}</label>
        <select id="sub-agency" name="agency">
          {m.agencies.map((a) => (
            <option value={a.id} selected={v('agency') === a.id}>
              {a.name}
            </option>
          ))}
        </select>
        <label for="sub-code">{t('exchange.code')}</label>
        <input
          id="sub-code"
          name="code"
          value={v('code')}
          required
          pattern="[A-Za-z0-9][A-Za-z0-9._-]*"
          maxLength={64}
        />
        <label for="sub-name">{t('exchange.name')}</label>
        <input id="sub-name" name="name" value={v('name')} required maxLength={300} />
        <button type="submit">{t('exchange.register')}</button>
      </form>
      {m.subsystems.length > 0 && (
        <>
          <form method="post" action="/dashboard/exchange/services">
            {csrf}
            <h3>{t('exchange.newService')}</h3>
            <label for="svc-sub">{t('exchange.subsystem')}</label>
            <select id="svc-sub" name="subsystem">
              {m.subsystems.map((s) => (
                <option value={s.id} selected={v('subsystem') === s.id}>
                  {s.label}
                </option>
              ))}
            </select>
            <label for="svc-code">{t('exchange.code')}</label>
            <input id="svc-code" name="code" value={v('svcCode')} required maxLength={64} />
            <label for="svc-title">{t('exchange.name')}</label>
            <input id="svc-title" name="title" value={v('title')} required maxLength={300} />
            <label for="svc-url">{t('exchange.baseUrl')}</label>
            <input id="svc-url" name="baseUrl" type="url" value={v('baseUrl')} required />
            <label for="svc-fields">{t('exchange.serviceFields')}</label>
            <p class="hint" id="svc-fields-hint">
              {t('exchange.serviceFieldsHint')}
            </p>
            <input
              id="svc-fields"
              name="fields"
              value={v('fields')}
              maxLength={10000}
              aria-describedby="svc-fields-hint"
            />
            <label for="svc-openapi">{t('exchange.openapi')}</label>
            <textarea id="svc-openapi" name="openapi" rows={10} cols={80} spellcheck={false}>
              {v('openapi')}
            </textarea>
            <button type="submit">{t('exchange.register')}</button>
          </form>
          <form method="post" action="/dashboard/exchange/keys">
            {csrf}
            <h3>{t('exchange.newKey')}</h3>
            <label for="key-sub">{t('exchange.subsystem')}</label>
            <select id="key-sub" name="subsystem">
              {m.subsystems.map((s) => (
                <option value={s.id}>{s.label}</option>
              ))}
            </select>
            <label for="key-label">{t('exchange.keyLabel')}</label>
            <input id="key-label" name="label" required maxLength={200} />
            <button type="submit">{t('exchange.makeKey')}</button>
          </form>
          <form method="post" action="/dashboard/exchange/certificates">
            {csrf}
            <h3>{t('exchange.newCertificate')}</h3>
            <p class="hint" id="cert-hint">
              {t('exchange.certificateHint')}
            </p>
            <label for="cert-sub">{t('exchange.subsystem')}</label>
            <select id="cert-sub" name="subsystem">
              {m.subsystems.map((s) => (
                <option value={s.id} selected={v('subsystem') === s.id}>
                  {s.label}
                </option>
              ))}
            </select>
            <label for="cert-label">{t('exchange.keyLabel')}</label>
            <input id="cert-label" name="label" required maxLength={200} value={v('label')} />
            <label for="cert-pem">{t('exchange.certificatePem')}</label>
            <textarea
              id="cert-pem"
              name="certificate"
              rows={8}
              cols={70}
              spellcheck={false}
              required
              aria-describedby="cert-hint"
            >
              {v('certificate')}
            </textarea>
            <button type="submit">{t('exchange.addCertificate')}</button>
          </form>
          {m.credentials.length > 0 && <Credentials ctx={ctx} rows={m.credentials} />}
          <form method="post" action="/dashboard/exchange/grants">
            {csrf}
            <h3>{t('exchange.askGrant')}</h3>
            <label for="g-client">{t('exchange.client')}</label>
            <select id="g-client" name="client">
              {m.subsystems.map((s) => (
                <option value={s.id} selected={v('client') === s.id}>
                  {s.label}
                </option>
              ))}
            </select>
            <label for="g-service">{t('exchange.service')}</label>
            <select id="g-service" name="service">
              {data.services.map((s) => (
                <option value={s.id} selected={v('service') === s.id}>
                  {s.serviceId}
                </option>
              ))}
            </select>
            <label for="g-endpoints">{t('exchange.endpoints')}</label>
            <textarea id="g-endpoints" name="endpoints" rows={3} cols={60} aria-describedby="g-endpoints-hint">
              {v('endpoints')}
            </textarea>
            <p class="hint" id="g-endpoints-hint">
              {t('exchange.endpointsHint')}
            </p>
            <label for="g-purposes">{t('exchange.purposes')}</label>
            <input id="g-purposes" name="purposes" value={v('purposes')} />
            <label for="g-basis-code">{t('exchange.basisCode')}</label>
            <select id="g-basis-code" name="basis">
              <option value="">{t('exchange.basisNone')}</option>
              {GRANT_BASES.map((b) => (
                <option value={b} selected={v('basis') === b}>
                  {t(`exchange.basis.${b}` as never)}
                </option>
              ))}
            </select>
            <label for="g-basis">{t('exchange.legalBasis')}</label>
            <input id="g-basis" name="legalBasis" value={v('legalBasis')} maxLength={500} />
            <label for="g-rate">{t('exchange.rate')}</label>
            <input id="g-rate" name="ratePerSecond" inputMode="numeric" value={v('ratePerSecond')} />
            <label for="g-quota">{t('exchange.quota')}</label>
            <input id="g-quota" name="dailyQuota" inputMode="numeric" value={v('dailyQuota')} />
            <label for="g-expires">{t('exchange.expires')}</label>
            <input id="g-expires" name="expiresAt" type="date" value={v('expiresAt')} />
            <button type="submit">{t('exchange.ask')}</button>
          </form>
        </>
      )}
    </section>
  );
}

/** A subsystem's keys and certificates, each revocable by the agency's administrators; revoked ones kept, with when. */
function Credentials({ ctx, rows }: { ctx: PageContext; rows: Credential[] }) {
  const { t, lang } = ctx;
  return (
    <>
      <h3 id="credentials">{t('exchange.credentials')}</h3>
      <div class="table-scroll" tabindex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('exchange.subsystem')}</th>
              <th scope="col">{t('exchange.credentialKind')}</th>
              <th scope="col">{t('exchange.keyLabel')}</th>
              <th scope="col">{t('exchange.credentialDetail')}</th>
              <th scope="col">{t('exchange.status')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('exchange.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr>
                <td>{c.subsystem}</td>
                <td>{t(c.kind === 'key' ? 'exchange.credential.key' : 'exchange.credential.certificate')}</td>
                <td>{c.label}</td>
                <td>
                  {c.detail && <code>{c.detail}</code>}
                  {c.notAfter && (
                    <>
                      {' '}
                      · {t('exchange.validUntil')} {formatDate(c.notAfter, lang)}
                    </>
                  )}
                </td>
                <td>
                  {c.revokedAt
                    ? `${t('exchange.status.revoked')} ${formatDate(c.revokedAt, lang)}`
                    : `${t('exchange.credentialSince')} ${formatDate(c.createdAt, lang)}`}
                </td>
                <td>
                  {!c.revokedAt && (
                    <form method="post" action="/dashboard/exchange/credentials/revoke" class="inline">
                      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
                      <input type="hidden" name="subsystem" value={c.subsystemId} />
                      <input type="hidden" name="kind" value={c.kind} />
                      <input type="hidden" name="id" value={c.id} />
                      <DangerSubmit ctx={ctx} label={`${t('exchange.revoke')}: ${c.label}`}>
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
    </>
  );
}
