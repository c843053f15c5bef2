import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import type { AgencyCounts, Thread } from '../discussion.service.js';
import { datasetTitle } from './ask-form.js';
import { StateText } from './thread-page.js';

type AgencyName = { id: string; name_vi: string; name_en: string | null };

/** `/dashboard/questions`: the staff member's agencies' unanswered questions and their counts. */
export function OpenQuestionsPage({
  ctx,
  questions,
  counts,
  agencies,
  now,
}: {
  ctx: PageContext;
  questions: Thread[];
  counts: AgencyCounts[];
  agencies: AgencyName[];
  now: Date;
}) {
  const { t, lang } = ctx;
  const name = (id: string) => {
    const a = agencies.find((x) => x.id === id);
    return a ? (lang === 'en' ? (a.name_en ?? a.name_vi) : a.name_vi) : '';
  };
  const n = (x: number) => formatNumber(x, lang);
  return (
    <Layout ctx={ctx} title={t('discussion.staff.title')}>
      <h1 id="open-heading">{t('discussion.staff.title')}</h1>
      <p>{t('discussion.staff.lead')}</p>
      {questions.length === 0 ? (
        <p>{t('discussion.staff.none')}</p>
      ) : (
        <div class="table-scroll" tabindex={0} role="region" aria-labelledby="open-heading">
          <table data-testid="open-questions">
            <thead>
              <tr>
                <th scope="col">{t('discussion.col.question')}</th>
                <th scope="col">{t('discussion.col.dataset')}</th>
                <th scope="col">{t('discussion.col.asked')}</th>
                <th scope="col">{t('discussion.col.due')}</th>
                <th scope="col">{t('discussion.col.state')}</th>
              </tr>
            </thead>
            <tbody>
              {questions.map((x) => (
                <tr>
                  <td>
                    <a href={`/questions/${x.question.id}`}>{x.question.title}</a>
                  </td>
                  <td>{datasetTitle(ctx, x.dataset)}</td>
                  <td>{formatDate(x.question.asked_at, lang)}</td>
                  <td>{formatDate(x.question.answer_due, lang)}</td>
                  <td>
                    <StateText ctx={ctx} t={x} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="counts-heading">{t('discussion.staff.counts')}</h2>
      <div class="table-scroll" tabindex={0} role="region" aria-labelledby="counts-heading">
        <table data-testid="question-counts">
          <thead>
            <tr>
              <th scope="col">{t('discussion.col.agency')}</th>
              <th scope="col">{t('discussion.col.askedCount')}</th>
              <th scope="col">{t('discussion.col.answered')}</th>
              <th scope="col">{t('discussion.col.inTime')}</th>
              <th scope="col">{t('discussion.col.overdue')}</th>
            </tr>
          </thead>
          <tbody>
            {agencies.map((a) => {
              const c = counts.find((x) => x.agencyId === a.id);
              return (
                <tr>
                  <th scope="row">{name(a.id)}</th>
                  <td>{n(c?.asked ?? 0)}</td>
                  <td>{n(c?.answered ?? 0)}</td>
                  <td>{n(c?.answeredInTime ?? 0)}</td>
                  <td>{n(c?.overdue ?? 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
