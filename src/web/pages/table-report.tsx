import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';
import { formatDate } from '../format.js';
import type { TableRow } from '../../datastore/query/datastore.service.js';
import type { CodeListReport } from '../../datastore/load/codelists.js';
import { LoadNotes } from './table-report-load.js';
import { PlaceColumns } from './table-report-places.js';
import type { PlacesView } from '../../datastore/places/places.service.js';

const TYPES = ['text', 'integer', 'number', 'boolean', 'date', 'datetime'] as const;

interface Rejection {
  line: number;
  column_name: string;
  value: string;
  reason_vi: string;
  reason_en: string;
}

/** The publisher's view of a file loaded as a table: versions, rejected rows with reasons, and column types to correct. */
interface Personal {
  hits: { column: string; kind_vi: string; kind_en: string; values: number; of: number; signed_off: boolean }[];
  signoffs: { columns: string[]; reason: string; signed_at: Date }[];
}

export function TableReportPage({
  ctx,
  dataset,
  distribution,
  versions,
  rejections,
  notice,
  personal = null,
  canSign = false,
  places = null,
}: {
  ctx: PageContext;
  dataset: { slug: string; title: string };
  distribution: { id: string; title: string };
  versions: TableRow[];
  rejections: Rejection[];
  notice: string | null;
  personal?: Personal | null;
  canSign?: boolean;
  places?: PlacesView | null;
}) {
  const { t, lang } = ctx;
  const latest = versions[0];
  const current = versions.find((v) => v.current);
  const pending = versions.filter((v) => v.status === 'pending');
  const count = (n: number) => Number(n).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB');
  /** a button in a form of its own, for one decision about one version */
  const decide = (v: TableRow, decision: 'publish' | 'discard' | 'current', label: string) => (
    <form method="post" action={`/dashboard/distributions/${distribution.id}/versions/${v.version}/${decision}`}>
      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
      <button type="submit">{label}</button>
    </form>
  );
  const codeLists = (latest?.report as { code_lists?: CodeListReport[] } | null)?.code_lists ?? [];
  return (
    <Layout ctx={ctx} title={`${distribution.title} — ${t('table.report.title')}`}>
      <p class="breadcrumbs">
        <a href="/dashboard">{t('nav.dashboard')}</a> ›{' '}
        <a href={`/dashboard/datasets/${dataset.slug}`}>{dataset.title}</a>
      </p>
      <h1>
        {t('table.report.title')}: {distribution.title}
      </h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>
        <a href={`/dashboard/distributions/${distribution.id}/quality`}>{t('table.report.quality')}</a>
      </p>
      {current && (
        <p>
          <a href={`/dataset/${dataset.slug}/table/${distribution.id}`}>{t('table.report.open')}</a>
        </p>
      )}
      {pending.map((v) => (
        <section class="pending-version">
          <h2>{t('table.report.pending.title', { version: v.version })}</h2>
          <p>
            {t('table.report.pending.intro', {
              rows: count(v.row_count),
              rejected: count(v.rejected_count),
              current: current?.version ?? '—',
            })}{' '}
            <a href={`/api/v1/distributions/${distribution.id}/datastore/${v.version}/rejected`} download>
              {t('table.report.pending.download')}
            </a>
          </p>
          <div class="actions">
            {decide(v, 'publish', t('table.report.pending.publish'))}
            {decide(v, 'discard', t('table.report.pending.discard'))}
          </div>
        </section>
      ))}
      <h2>{t('table.report.versions')}</h2>
      {versions.length === 0 ? (
        <p>{t('table.report.none')}</p>
      ) : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t('table.report.versions')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('table.version')}</th>
                <th scope="col">{t('table.report.status')}</th>
                <th scope="col">{t('table.rows')}</th>
                <th scope="col">{t('table.report.rejected')}</th>
                <th scope="col">{t('table.loaded')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('table.report.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr>
                  <td>
                    {v.version}
                    {v.id === current?.id ? ` (${t('table.report.current')})` : ''}
                  </td>
                  <td>{t(`table.report.status.${v.status}`)}</td>
                  <td class="num">{count(v.row_count)}</td>
                  <td class="num">
                    {Number(v.rejected_count) > 0 ? (
                      <a href={`/api/v1/distributions/${distribution.id}/datastore/${v.version}/rejected`} download>
                        {count(v.rejected_count)} (CSV)
                      </a>
                    ) : (
                      '0'
                    )}
                  </td>
                  <td>{formatDate((v.finished_at ?? v.created_at).toISOString(), lang)}</td>
                  <td>
                    {v.status === 'ready' &&
                      !v.current &&
                      decide(
                        v,
                        'current',
                        t(
                          current && v.version > current.version ? 'table.report.makeCurrent' : 'table.report.rollback',
                        ),
                      )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadNotes ctx={ctx} distributionId={distribution.id} versions={versions} />
      {rejections.length > 0 && (
        <section>
          <h2>
            {t('table.report.rejections')} ({t('table.version')} {latest!.version})
          </h2>
          <div class="table-scroll" tabindex={0} role="region" aria-label={t('table.report.rejections')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('table.report.line')}</th>
                  <th scope="col">{t('table.column')}</th>
                  <th scope="col">{t('table.value')}</th>
                  <th scope="col">{t('table.report.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {rejections.map((r) => (
                  <tr>
                    <td class="num">{r.line}</td>
                    <td>{r.column_name}</td>
                    <td>
                      <code>{r.value}</code>
                    </td>
                    <td>{lang === 'en' ? r.reason_en : r.reason_vi}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {personal && personal.hits.length > 0 && (
        <section>
          <h2>{t('privacy.title')}</h2>
          <p>{t('privacy.intro')}</p>
          <ul>
            {personal.hits.map((h) => (
              <li>
                <code>{h.column}</code>: {lang === 'en' ? h.kind_en : h.kind_vi} ({h.values}/{h.of})
                {h.signed_off ? ` — ${t('privacy.signedOff')}` : ''}
              </li>
            ))}
          </ul>
          {personal.signoffs.map((s) => (
            <p class="meta">
              {t('privacy.signoff')} {formatDate(new Date(s.signed_at).toISOString(), lang)}: {s.columns.join(', ')} —{' '}
              {s.reason}
            </p>
          ))}
          {personal.hits.some((h) => !h.signed_off) && (
            <form
              method="post"
              action={`/dashboard/distributions/${distribution.id}/privacy/deidentify`}
              class="deidentify-form"
            >
              <h3>{t('privacy.deidentify')}</h3>
              <p>{t('privacy.deidentifyHint')}</p>
              <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
              {[...new Set(personal.hits.filter((h) => !h.signed_off).map((h) => h.column))].map((column) => (
                <p>
                  <label for={`deid-${column}`}>
                    <code>{column}</code>
                  </label>{' '}
                  <select id={`deid-${column}`} name={`method_${column}`}>
                    {(['keep', 'drop', 'mask', 'hash', 'year', 'address'] as const).map((m) => (
                      <option value={m}>{t(`privacy.method.${m}` as never)}</option>
                    ))}
                  </select>
                </p>
              ))}
              <button type="submit">{t('privacy.deidentifyButton')}</button>
            </form>
          )}
          {canSign && personal.hits.some((h) => !h.signed_off) && (
            <form method="post" action={`/dashboard/distributions/${distribution.id}/privacy/signoff`}>
              <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
              <label for="signoff-reason">{t('privacy.reason')}</label>
              <textarea id="signoff-reason" name="reason" required minLength={20} maxLength={2000} rows={3} />
              <button type="submit">{t('privacy.sign')}</button>
            </form>
          )}
        </section>
      )}
      <PlaceColumns ctx={ctx} distributionId={distribution.id} places={places} />
      {codeLists.length > 0 && (
        <section>
          <h2>{t('table.report.codeLists')}</h2>
          {codeLists.map((c) => (
            <div>
              <h3>
                <code>{c.column}</code> ({c.code_list})
              </h3>
              <p>
                {t('table.report.codes.current')}: {c.rows_current} · {t('table.report.codes.old')}: {c.rows_old} ·{' '}
                {t('table.report.codes.unknown')}: {c.rows_unknown}
              </p>
              {c.old.length > 0 && (
                <div class="table-scroll" tabindex={0} role="region" aria-label={t('table.report.codes.mapping')}>
                  <table>
                    <caption>{t('table.report.codes.mapping')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('table.report.codes.oldCode')}</th>
                        <th scope="col">{t('table.rows')}</th>
                        <th scope="col">{t('table.report.codes.becomes')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.old.map((o) => (
                        <tr>
                          <td>
                            <code>{o.code}</code>
                          </td>
                          <td class="num">{o.rows}</td>
                          <td>
                            {o.becomes
                              .map(
                                (b) =>
                                  `${b.code} ${b.name}${b.coverage === 'partial' ? ` (${t('table.report.codes.partial')})` : ''}`,
                              )
                              .join('; ')}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {c.unknown.length > 0 && (
                <p>
                  {t('table.report.codes.unknownList')}: {c.unknown.map((u) => `${u.code} (${u.rows})`).join(', ')}
                </p>
              )}
            </div>
          ))}
        </section>
      )}
      {latest && (
        <form method="post" action={`/dashboard/distributions/${distribution.id}/types`} class="types-form">
          <h2>{t('table.report.types')}</h2>
          <p>{t('table.report.typesHint')}</p>
          <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
          <div class="table-scroll" tabindex={0} role="region" aria-label={t('table.report.types')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('table.column')}</th>
                  <th scope="col">{t('table.report.inferred')}</th>
                  <th scope="col">{t('table.report.type')}</th>
                  <th scope="col">{t('table.report.numberFormat')}</th>
                </tr>
              </thead>
              <tbody>
                {latest.columns
                  // a code column added after the load is not in the file: nothing to re-type
                  .filter((c) => c.type !== 'geometry' && !c.derivedFrom)
                  .map((c) => (
                    <tr>
                      <td>
                        <code>{c.title}</code>
                      </td>
                      <td>{t(`table.type.${c.inferred}`)}</td>
                      <td>
                        <label class="visually-hidden" for={`type-${c.id}`}>
                          {t('table.report.type')}: {c.title}
                        </label>
                        <select id={`type-${c.id}`} name={`type_${c.id}`}>
                          {TYPES.map((x) => (
                            <option value={x} selected={x === c.type}>
                              {t(`table.type.${x}`)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        {(c.type === 'integer' || c.type === 'number') && (
                          <>
                            <label class="visually-hidden" for={`format-${c.id}`}>
                              {t('table.report.numberFormat')}: {c.title}
                            </label>
                            <select id={`format-${c.id}`} name={`format_${c.id}`}>
                              {(['vietnamese', 'international'] as const).map((x) => (
                                <option value={x} selected={x === c.numberStyle}>
                                  {t(`table.report.numberFormat.${x}`)}
                                </option>
                              ))}
                            </select>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
          <button type="submit">{t('table.report.retype')}</button>
        </form>
      )}
    </Layout>
  );
}
