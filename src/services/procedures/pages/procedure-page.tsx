import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import type { Described } from '../procedures.service.js';
import { agencyName, langQuery, named, procedureName, sourceText, workingDays } from './names.js';

/**
 * `/services/{code}`: what the procedure is, who decides it, on which legal basis, in how long; each field of its form
 * with where its value will come from; the result it issues; and the way in (the form, after the e-ID at level 2).
 */
export function ProcedurePage({ ctx, d }: { ctx: PageContext; d: Described }) {
  const { t, lang } = ctx;
  const p = d.procedure;
  const title = procedureName(ctx, p);
  const description = (lang === 'en' && p.description_en) || p.description_vi;
  const fromRegisters = p.fields.filter((f) => f.element && d.holders.has(f.element)).length;
  const r = p.result;
  // a citizen already signed in at level 2 goes straight to the form: no sign-in to announce
  const signedIn = ctx.publicUser?.kind === 'citizen' && ctx.publicUser.level >= 2;
  return (
    <Layout ctx={ctx} title={title}>
      <p class="breadcrumbs">
        <a href={`/services${langQuery(ctx)}`}>{t('procs.catalogue.title')}</a>
      </p>
      <h1>{title}</h1>
      {p.status !== 'published' && <p class="notice">{t(`procs.status.${p.status}`)}</p>}
      {description && <p class="lead description">{description}</p>}
      <dl class="metadata">
        <dt>{t('procs.code')}</dt>
        <dd>{p.code}</dd>
        <dt>{t('procs.agency')}</dt>
        <dd>
          <a href={`/agencies/${d.agency.slug}${langQuery(ctx)}`}>{agencyName(ctx, d.agency)}</a>
        </dd>
        <dt>{t('procs.legalBasis')}</dt>
        <dd class="description">{p.legal_basis}</dd>
        <dt>{t('procs.processing')}</dt>
        <dd>{workingDays(ctx, p.processing_days)}</dd>
        <dt>{t('procs.version')}</dt>
        <dd>
          {formatNumber(p.version, lang)} ({formatDate(p.updated_at, lang)})
        </dd>
      </dl>
      <p>
        <a class="button-link" href={`/services/${encodeURIComponent(p.code)}/apply${langQuery(ctx)}`}>
          {t(signedIn ? 'procs.startSignedIn' : 'procs.start')}
        </a>
      </p>
      {!signedIn && <p class="hint">{t('procs.startHint')}</p>}
      <h2>{t('procs.form.title')}</h2>
      <p>
        {t('procs.form.reused', {
          reused: formatNumber(fromRegisters, lang),
          total: formatNumber(p.fields.length, lang),
        })}
      </p>
      <div class="table-scroll" role="region" aria-labelledby="fields-caption" tabindex={0}>
        <table>
          <caption id="fields-caption" class="visually-hidden">
            {t('procs.form.title')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('procs.field')}</th>
              <th scope="col">{t('procs.field.source')}</th>
            </tr>
          </thead>
          <tbody>
            {p.fields.map((f) => (
              <tr>
                <td>
                  {(lang === 'en' && f.label_en) || f.label_vi}
                  {f.required ? '' : ` (${t('procs.field.optional')})`}
                </td>
                <td>{sourceText(ctx, f.element ? d.holders.get(f.element) : undefined)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('procs.result.title')}</h2>
      <p>
        {(lang === 'en' && r.title_en) || r.title_vi} ({t(`procs.result.kind.${r.kind}`)}
        {r.validity_days ? `, ${t('procs.result.validFor', { days: formatNumber(r.validity_days, lang) })}` : ''})
      </p>
      {r.fields.length > 0 && (
        <ul>
          {r.fields.map((f) => (
            <li>{(lang === 'en' && f.label_en) || f.label_vi}</li>
          ))}
        </ul>
      )}
      <p class="hint">{t('procs.result.signed', { agency: named(ctx, d.agency) })}</p>
      <p class="meta">
        {t('procs.api')}: <a href={`/api/v1/services/procedures/${encodeURIComponent(p.code)}`}>JSON</a>
      </p>
    </Layout>
  );
}
