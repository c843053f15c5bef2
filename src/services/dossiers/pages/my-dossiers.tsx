import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import type { ShownDossier } from '../dossiers.service.js';
import { DossierFields, DueText, named, procedureName, type SourceNames } from './dossier-view.js';

const isOpen = (d: ShownDossier) => d.row.status === 'submitted' || d.row.status === 'in_review';

/** The facts of a dossier both its applicant and its officer read. */
export function DossierFacts({ ctx, d, now }: { ctx: PageContext; d: ShownDossier; now: Date }) {
  const { t, lang } = ctx;
  const r = d.row;
  return (
    <dl class="metadata" data-testid="dossier-facts">
      <dt>{t('dossiers.col.reference')}</dt>
      <dd>{r.reference}</dd>
      <dt>{t('dossiers.col.procedure')}</dt>
      <dd>
        {procedureName(ctx, d.procedure)} ({d.procedure.code})
      </dd>
      <dt>{t('dossiers.col.agency')}</dt>
      <dd>{named(ctx, d.agency)}</dd>
      <dt>{t('dossiers.col.status')}</dt>
      <dd data-testid="dossier-status">{t(`dossiers.status.${r.status}`)}</dd>
      <dt>{t('dossiers.col.submitted')}</dt>
      <dd>{formatDate(r.submitted_at, lang)}</dd>
      <dt>{t('dossiers.col.due')}</dt>
      <dd>
        <DueText ctx={ctx} due={r.due_at} open={isOpen(d)} now={now} />
      </dd>
      <dt>{t('dossiers.col.reuse')}</dt>
      <dd>{t('dossiers.reuse', { reused: formatNumber(r.reused, lang), typed: formatNumber(r.typed, lang) })}</dd>
      {r.decision_note && (
        <>
          <dt>{t('dossiers.col.note')}</dt>
          <dd class="prewrap">{r.decision_note}</dd>
        </>
      )}
    </dl>
  );
}

/** The applicant's dossiers (`/my/dossiers`). */
export function MyDossiersPage({ ctx, dossiers, now }: { ctx: PageContext; dossiers: ShownDossier[]; now: Date }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('dossiers.my.title')}>
      <h1>{t('dossiers.my.title')}</h1>
      <p>{t('dossiers.my.intro')}</p>
      <p>
        <a href="/services">{t('dossiers.my.services')}</a>
      </p>
      {dossiers.length === 0 ? (
        <p>{t('dossiers.my.none')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="my-dossiers">
            <thead>
              <tr>
                <th scope="col">{t('dossiers.col.reference')}</th>
                <th scope="col">{t('dossiers.col.procedure')}</th>
                <th scope="col">{t('dossiers.col.submitted')}</th>
                <th scope="col">{t('dossiers.col.status')}</th>
                <th scope="col">{t('dossiers.col.due')}</th>
              </tr>
            </thead>
            <tbody>
              {dossiers.map((d) => (
                <tr>
                  <td>
                    <a href={`/my/dossiers/${d.row.id}${lang === 'en' ? '?lang=en' : ''}`}>{d.row.reference}</a>
                  </td>
                  <td>{procedureName(ctx, d.procedure)}</td>
                  <td>{formatDate(d.row.submitted_at, lang)}</td>
                  <td>{t(`dossiers.status.${d.row.status}`)}</td>
                  <td>
                    <DueText ctx={ctx} due={d.row.due_at} open={isOpen(d)} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** One of the applicant's dossiers (`/my/dossiers/:id`): each field's origin, the due date, the result once issued. */
export function MyDossierPage({
  ctx,
  d,
  names,
  now,
  resultUrl,
  notice,
}: {
  ctx: PageContext;
  d: ShownDossier;
  names: SourceNames;
  now: Date;
  resultUrl: string | null;
  notice: string[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={`${t('dossiers.one.title')} ${d.row.reference}`}>
      <h1>
        {t('dossiers.one.title')} {d.row.reference}
      </h1>
      {notice.length > 0 && (
        <div class="notice" role="status">
          {notice.map((n) => (
            <p>{n}</p>
          ))}
        </div>
      )}
      <DossierFacts ctx={ctx} d={d} now={now} />
      {resultUrl && (
        <p>
          <a href={resultUrl} data-testid="result-link">
            {t('dossiers.one.result')}
          </a>
        </p>
      )}
      <DossierFields ctx={ctx} fields={d.row.fields} procedure={d.procedure} names={names} />
      <p>
        <a href="/my/dossiers">{t('dossiers.one.back')}</a> ·{' '}
        <a href="/my-data/requests">{t('dossiers.one.requests')}</a>
      </p>
    </Layout>
  );
}
