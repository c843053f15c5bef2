import { Layout } from '../../web/layout.js';
import type { PageContext } from '../../web/context.js';
import { formatBytes, formatDate, formatNumber } from '../../web/format.js';
import type { HistoryEntry } from '../../catalog/history.service.js';

/** One change in words: “Table “dan_so.csv”, version 2: 34 rows; 63 rows before; columns added: Mã tỉnh”. */
export function describe(ctx: PageContext, e: HistoryEntry): string {
  const { t, lang } = ctx;
  const n = (x: number) => formatNumber(x, lang);
  switch (e.kind) {
    case 'created':
    case 'published':
    case 'withdrawn':
    case 'archived':
      return t(`history.${e.kind}`);
    case 'metadata':
      return t('history.metadata', { fields: e.fields.map((f) => t(`history.field.${f}`)).join(', ') });
    case 'file_added': {
      const added = t('history.fileAdded', { file: e.file, size: formatBytes(e.size, lang) });
      const hash = e.sha256 ? ` SHA-256 ${e.sha256.slice(0, 12)}…` : '';
      const same = e.hashChanged === null ? '' : `; ${t(e.hashChanged ? 'history.hashChanged' : 'history.hashSame')}`;
      return `${added}${hash}${same}`;
    }
    case 'link_added':
      return t('history.linkAdded', { file: e.file });
    case 'file_removed':
      return t('history.fileRemoved', { file: e.file });
    case 'schema_changed':
      return t('history.schemaChanged', { file: e.file });
    case 'code_column':
      return t('history.codeColumn', { file: e.file });
    case 'version':
      return [
        t('history.version', { file: e.file, version: n(e.version), rows: n(e.rows) }),
        e.rowsBefore === null ? '' : t('history.rowsChange', { before: n(e.rowsBefore) }),
        e.columnsAdded.length ? t('history.columnsAdded', { columns: e.columnsAdded.join(', ') }) : '',
        e.columnsRemoved.length ? t('history.columnsRemoved', { columns: e.columnsRemoved.join(', ') }) : '',
      ]
        .filter(Boolean)
        .join('; ');
  }
}

/** A data set's public change history (`/dataset/{slug}/history`). */
export function HistoryPage({
  ctx,
  slug,
  title,
  agency,
  entries,
}: {
  ctx: PageContext;
  slug: string;
  title: string;
  agency: string;
  entries: HistoryEntry[];
}) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('history.of', { title })}>
      <p class="breadcrumbs">
        <a href={`/dataset/${slug}`}>{t('history.back')}</a>
      </p>
      <h1>{t('history.of', { title })}</h1>
      <p class="lead">{t('history.lead', { agency })}</p>
      {entries.length === 0 ? (
        <p>{t('history.none')}</p>
      ) : (
        <ol class="plain-list" data-testid="history">
          {entries.map((e) => (
            <li>
              <time datetime={e.at.toISOString()}>{formatDate(e.at, lang)}</time> — {describe(ctx, e)}
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
}
