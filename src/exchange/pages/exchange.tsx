import { Layout } from '../../web/layout.js';
import type { PageContext } from '../../web/context.js';
import { formatDate, formatNumber } from '../../web/format.js';
import { AccessRecordLookup, type AccessLookup } from './exchange-access.js';

export interface ExchangePageData {
  gateways: {
    id: string;
    agencyName: string;
    address: string;
    lastSeenAt: string | null;
    certificateUntil: string | null;
    services: { side: string; service: string; requests: number; errors: number; p50Ms: number; p99Ms: number }[];
    log: { size: number; failing?: string } | null;
    configValid: boolean | null;
    accessRecords: { waiting: number; spooledBytes: number; dropped: number } | null;
  }[];
  grants: {
    id: string;
    status: string;
    client: string;
    service: string;
    purposes: string[];
    legalBasis: string | null;
    ratePerSecond: number | null;
    dailyQuota: number | null;
    expiresAt: string | null;
    canDecide: boolean;
    canRevoke: boolean;
  }[];
  services: { id: string; serviceId: string; title: string; endpoints: { method: string; path: string }[] }[];
  notice: string | null;
  /** the supervisor's view of the configuration key's rotation (null for everyone else) */
  signingKey: {
    current: string;
    next: string | null;
    ca: string | null;
    nextCa: string | null;
    previousCa: string | null;
    subjectKeysKept: number;
    have: number;
    total: number;
    behind: string[];
  } | null;
  /** who may look up a person's access records (the supervisor: all; an agency's administrators: their own), and the last lookup */
  lookup: { all: boolean; agencies: { id: string; name: string }[]; result: AccessLookup | null } | null;
  /** what the user administers: forms to register subsystems and services, make keys and ask for grants */
  manage: {
    agencies: { id: string; name: string }[];
    subsystems: { id: string; label: string }[];
    newKey: { subsystem: string; key: string } | null;
    errors: { vi: string; en: string }[];
    values: Record<string, string>;
    credentials: Credential[];
  };
}
/** An API key (never shown again after it was made: only its label) or a pinned client certificate of a subsystem. */
export interface Credential {
  subsystemId: string;
  subsystem: string;
  kind: 'key' | 'certificate';
  id: string;
  label: string;
  detail: string | null;
  createdAt: string | null;
  notAfter: string | null;
  revokedAt: string | null;
}

/** Requests and errors per service as bars: the figures are in the table beside it. */
function Bars({
  rows,
  label,
}: {
  rows: { service: string; side: string; requests: number; errors: number }[];
  label: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.requests));
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
          >{`${r.side} ${r.service.split('/').slice(-2).join('/')}: ${r.requests}`}</text>
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
                — {t('exchange.logEntries')}: {formatNumber(g.log.size, lang)}
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
              <table>
                <caption>{t('exchange.figures')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('exchange.side')}</th>
                    <th scope="col">{t('exchange.service')}</th>
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
                      <td>{formatNumber(s.requests, lang)}</td>
                      <td>{formatNumber(s.errors, lang)}</td>
                      <td>≤ {s.p50Ms}</td>
                      <td>≤ {s.p99Ms}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
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
      <h2>{t('exchange.grants')}</h2>
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
                    <button type="submit">{t('exchange.revoke')}</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('exchange.services')}</h2>
      <ul>
        {data.services.map((s) => (
          <li>
            <code>{s.serviceId}</code> — {s.title} ({s.endpoints.map((e) => `${e.method} ${e.path}`).join(', ')})
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

/** An agency administrator's forms: the same rules as the API, errors shown above with what was typed kept. */
function Manage({ ctx, data }: { ctx: PageContext; data: ExchangePageData }) {
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
                    <button type="submit" aria-label={`${t('exchange.revoke')}: ${c.label}`}>
                      {t('exchange.revoke')}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The supervisor's rotation of the registry's keys (configurations and the CA): announce, then switch once every gateway has the next ones. */
function SigningKey({ ctx, k }: { ctx: PageContext; k: NonNullable<ExchangePageData['signingKey']> }) {
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
            <button type="submit">{t('exchange.switchKey')}</button>
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
        <button type="submit">{t('exchange.rotateSubjectKey')}</button>
      </form>
    </section>
  );
}
