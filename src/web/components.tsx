import type { PageContext } from './context.js';
import { formatDate, formatNumber } from './format.js';

export function SearchBox({ ctx, q, large }: { ctx: PageContext; q?: string; large?: boolean }) {
  const { t } = ctx;
  return (
    <form role="search" method="get" action="/datasets" class={large ? 'search-box search-box-large' : 'search-box'}>
      <label for="q" class={large ? '' : 'visually-hidden'}>
        {t('search.label')}
      </label>
      <div class="search-row">
        <input type="search" id="q" name="q" value={q ?? ''} placeholder={t('search.placeholder')} autocomplete="off" />
        <button type="submit">{t('search.button')}</button>
      </div>
    </form>
  );
}

export interface DatasetSummary {
  slug: string;
  title_vi: string;
  title_en: string | null;
  description_vi: string;
  description_en: string | null;
  agency: { name_vi: string; name_en: string | null; slug: string };
  modified: string | null;
  formats: string[];
  /** why a search found it: words matched of the query's, and the columns of its data that hold the others */
  match?: { words: number; matched: number; columns: { title: string; values: string[] }[] };
  /** views and downloads (portal/counts), when counted */
  usage?: { views: number; downloads: number };
  /** the grade of its latest quality card */
  grade?: string;
}

export function DatasetCard({ ctx, d }: { ctx: PageContext; d: DatasetSummary }) {
  const title = ctx.lang === 'en' && d.title_en ? d.title_en : d.title_vi;
  const description = ctx.lang === 'en' && d.description_en ? d.description_en : d.description_vi;
  const agency = ctx.lang === 'en' && d.agency.name_en ? d.agency.name_en : d.agency.name_vi;
  return (
    <li class="dataset-card">
      <h3>
        <a href={`/dataset/${d.slug}`}>{title}</a>
      </h3>
      <p class="meta">
        <a href={`/agency/${d.agency.slug}`}>{agency}</a> · {ctx.t('dataset.modified')}{' '}
        <time datetime={d.modified ?? ''}>{formatDate(d.modified, ctx.lang)}</time>
      </p>
      <p>{description.length > 240 ? `${description.slice(0, 240)}…` : description}</p>
      <MatchWhy ctx={ctx} match={d.match} />
      <UsageLine ctx={ctx} d={d} />
      {d.formats.length > 0 && (
        <p class="formats">
          {d.formats.map((f) => (
            <span class="format-tag">{f}</span>
          ))}
        </p>
      )}
    </li>
  );
}

/** A result's views and downloads, and its quality grade as a badge. */
function UsageLine({ ctx, d }: { ctx: PageContext; d: DatasetSummary }) {
  if (!d.usage && !d.grade) return null;
  return (
    <p class="usage">
      {d.grade && <span class={`grade-badge grade-${d.grade}`}>{ctx.t('search.grade', { grade: d.grade })}</span>}
      {d.usage &&
        ctx.t('search.usage', {
          views: formatNumber(d.usage.views, ctx.lang),
          downloads: formatNumber(d.usage.downloads, ctx.lang),
        })}
    </p>
  );
}

/** "Found in column Tỉnh/thành: “Hà Nội”": why a search result matched, when its metadata alone does not say. */
function MatchWhy({ ctx, match }: { ctx: PageContext; match: DatasetSummary['match'] }) {
  if (!match || (match.matched >= match.words && !match.columns.length)) return null;
  const parts = [
    ...(match.matched < match.words
      ? [
          ctx.t('search.matchedWords', {
            matched: formatNumber(match.matched, ctx.lang),
            words: formatNumber(match.words, ctx.lang),
          }),
        ]
      : []),
    ...match.columns.map((c) =>
      ctx.t('search.inColumn', { column: c.title, values: c.values.map((v) => `“${v}”`).join(', ') }),
    ),
  ];
  return (
    <p class="match-why">
      {ctx.t('search.why')} {parts.join('; ')}
    </p>
  );
}

export function Pager({
  ctx,
  total,
  limit,
  offset,
  base,
}: {
  ctx: PageContext;
  total: number;
  limit: number;
  offset: number;
  base: URLSearchParams;
}) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  if (pages <= 1) return null;
  const href = (p: number) => {
    const q = new URLSearchParams(base);
    q.set('page', String(p));
    return `?${q.toString()}`;
  };
  return (
    <nav aria-label={ctx.t('paging.label')} class="pager">
      {page > 1 && (
        <a href={href(page - 1)} rel="prev">
          {ctx.t('paging.previous')}
        </a>
      )}
      <span>{ctx.t('paging.page', { page: formatNumber(page, ctx.lang), pages: formatNumber(pages, ctx.lang) })}</span>
      {page < pages && (
        <a href={href(page + 1)} rel="next">
          {ctx.t('paging.next')}
        </a>
      )}
    </nav>
  );
}

export function Field({
  id,
  label,
  error,
  hint,
  required,
  children,
  ctx,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  children: preact.ComponentChildren;
  ctx: PageContext;
}) {
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>
        {label}
        {required ? <span class="required"> {ctx.t('form.required')}</span> : null}
      </label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

export const label = (ctx: PageContext, key: string) => ctx.t(key);
