import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { Pager } from '../../../web/components.js';
import { formatDate } from '../../../web/format.js';
import type { DatasetRef } from '../../datasets.js';
import type { QuestionRow } from '../discussion.repository.js';
import { datasetTitle } from './ask-form.js';
import { StateText } from './thread-page.js';

/** `/questions?dataset=`: every question on a data set, newest first, a page at a time. */
export function QuestionsListPage({
  ctx,
  dataset,
  rows,
  total,
  page,
  perPage,
  now,
}: {
  ctx: PageContext;
  dataset: DatasetRef;
  rows: QuestionRow[];
  total: number;
  page: number;
  perPage: number;
  now: Date;
}) {
  const { t, lang } = ctx;
  const base = new URLSearchParams({ dataset: dataset.slug });
  if (lang === 'en') base.set('lang', 'en');
  return (
    <Layout ctx={ctx} title={t('discussion.section.title')}>
      <h1>{t('discussion.section.title')}</h1>
      <p>
        {t('discussion.thread.about')}: <a href={`/dataset/${dataset.slug}`}>{datasetTitle(ctx, dataset)}</a>
      </p>
      <ul class="plain-list">
        {rows.map((question) => (
          <li>
            <a href={`/questions/${question.id}`}>{question.title}</a>{' '}
            <span class="meta">
              {formatDate(question.asked_at, lang)} · <StateText ctx={ctx} t={{ question, dataset }} now={now} />
            </span>
          </li>
        ))}
      </ul>
      <Pager ctx={ctx} total={total} limit={perPage} offset={(page - 1) * perPage} base={base} />
    </Layout>
  );
}
