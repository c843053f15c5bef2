import { Layout } from '../../web/layout.js';
import type { PageContext } from '../../web/context.js';
import { formatDate } from '../../web/format.js';
import type { CheckResult } from '../checks/quality.schema.js';

export interface SuitePageData {
  dataset: { slug: string; title: string };
  distribution: { id: string; title: string };
  text: string;
  suggested: boolean;
  runs: { id: string; created_at: Date; passed: number; failed: number; errors: number; results: CheckResult[] }[];
  notice: string | null;
  errors: { vi: string; en: string }[];
}

const ROW_LEVEL = new Set(['missing', 'in_set', 'code_list', 'pattern', 'format', 'bounds', 'reference', 'duplicates']);

/** The publisher's check suite of one file, written in YAML or JSON, its runs, and the failing rows of each. */
export function QualitySuitePage({ ctx, data }: { ctx: PageContext; data: SuitePageData }) {
  const { t, lang } = ctx;
  const text = (x: { vi: string; en: string }) => (lang === 'en' ? x.en : x.vi);
  const latest = data.runs[0];
  return (
    <Layout ctx={ctx} title={`${data.distribution.title} — ${t('suite.title')}`}>
      <p class="breadcrumbs">
        <a href="/dashboard">{t('nav.dashboard')}</a> ›{' '}
        <a href={`/dashboard/datasets/${data.dataset.slug}`}>{data.dataset.title}</a> ›{' '}
        <a href={`/dashboard/distributions/${data.distribution.id}/table`}>{t('table.report.title')}</a>
      </p>
      <h1>
        {t('suite.title')}: {data.distribution.title}
      </h1>
      {data.notice && (
        <p class="notice" role="status">
          {data.notice}
        </p>
      )}
      {data.errors.length > 0 && (
        <div class="error-summary" role="alert">
          <p>{t('suite.invalid')}</p>
          <ul>
            {data.errors.map((e) => (
              <li>{text(e)}</li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action={`/dashboard/distributions/${data.distribution.id}/quality/suite`}>
        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
        <label for="suite">{t('suite.label')}</label>
        <p class="hint" id="suite-hint">
          {data.suggested ? t('suite.suggested') : t('suite.hint')}
        </p>
        <textarea id="suite" name="suite" rows={18} cols={80} spellcheck={false} aria-describedby="suite-hint">
          {data.text}
        </textarea>
        <button type="submit">{t('suite.save')}</button>
      </form>
      <form method="post" action={`/dashboard/distributions/${data.distribution.id}/quality/run`}>
        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
        <button type="submit">{t('suite.run')}</button>
      </form>
      <p>
        <a href={`/dataset/${data.dataset.slug}/quality`}>{t('quality.card')}</a>
      </p>
      <h2>{t('suite.runs')}</h2>
      {latest ? (
        <>
          <table>
            <caption>
              {t('suite.latest')} — {formatDate(latest.created_at.toISOString(), lang)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('suite.check')}</th>
                <th scope="col">{t('suite.status')}</th>
                <th scope="col">{t('suite.result')}</th>
              </tr>
            </thead>
            <tbody>
              {latest.results.map((r, i) => (
                <tr>
                  <td>
                    <code>{r.check.type}</code>
                  </td>
                  <td>
                    {r.status === 'passed' && r.check.type === 'missing' && (r.failures ?? 0) > 0
                      ? t('suite.status.within')
                      : t(`suite.status.${r.status}` as never)}
                  </td>
                  <td>
                    {text(r.message)}
                    {r.status === 'failed' && ROW_LEVEL.has(r.check.type) && (
                      <>
                        {' '}
                        —{' '}
                        <a href={`/api/v1/quality/runs/${latest.id}/checks/${i}/rows`} download>
                          {t('suite.failingRows')}
                        </a>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul>
            {data.runs.map((r) => (
              <li>
                <a href={`/api/v1/quality/runs/${r.id}`}>{formatDate(r.created_at.toISOString(), lang)}</a>: {r.passed}{' '}
                {t('suite.passed')}, {r.failed} {t('suite.failed')}, {r.errors} {t('suite.errors')}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t('quality.history.none')}</p>
      )}
    </Layout>
  );
}
