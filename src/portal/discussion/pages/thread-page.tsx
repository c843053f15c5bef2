import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import { timeliness } from '../answer-clock.js';
import type { AnswerRow } from '../discussion.repository.js';
import type { Thread } from '../discussion.service.js';
import { datasetTitle } from './ask-form.js';

/** How a question stands against its deadline, in words. */
export function StateText({ ctx, t: thread, now }: { ctx: PageContext; t: Thread; now: Date }) {
  const state = timeliness(thread.question, now);
  const late = state === 'overdue' || state === 'answered_late';
  return <span class={late ? 'late' : undefined}>{ctx.t(`discussion.state.${state}`)}</span>;
}

/** `/questions/{id}`: the question, its deadline and state, the answers, and the publisher's form to answer. */
export function ThreadPage({
  ctx,
  thread,
  answers,
  now,
  canAnswer,
  notice,
  answerError,
}: {
  ctx: PageContext;
  thread: Thread;
  answers: AnswerRow[];
  now: Date;
  canAnswer: boolean;
  notice: string | null;
  answerError: string | null;
}) {
  const { t, lang } = ctx;
  const q = thread.question;
  const agency =
    lang === 'en' ? (thread.dataset.agency.name_en ?? thread.dataset.agency.name_vi) : thread.dataset.agency.name_vi;
  return (
    <Layout ctx={ctx} title={q.title}>
      <h1>{q.title}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>
        {t('discussion.thread.about')}:{' '}
        <a href={`/dataset/${thread.dataset.slug}`}>{datasetTitle(ctx, thread.dataset)}</a>
      </p>
      <p class="hint">{t('discussion.thread.asked', { name: q.asker_name, date: formatDate(q.asked_at, lang) })}</p>
      <p class="prewrap">{q.body}</p>
      <p data-testid="question-state">
        {t('discussion.thread.due', { date: formatDate(q.answer_due, lang) })} —{' '}
        <StateText ctx={ctx} t={thread} now={now} />
      </p>
      <h2>{t('discussion.thread.answers')}</h2>
      {answers.length === 0 ? (
        <p>{t('discussion.thread.noAnswer')}</p>
      ) : (
        <ul class="plain-list" data-testid="answers">
          {answers.map((a) => (
            <li>
              <p class="hint">
                {t('discussion.thread.answeredBy', {
                  name: a.author_name,
                  agency,
                  date: formatDate(a.answered_at, lang),
                })}
              </p>
              <p class="prewrap">{a.body}</p>
            </li>
          ))}
        </ul>
      )}
      {canAnswer && (
        <section aria-labelledby="answer-heading">
          <h2 id="answer-heading">{t('discussion.answer.title')}</h2>
          <form
            method="post"
            action={`/questions/${q.id}/answer${lang === 'en' ? '?lang=en' : ''}`}
            class="narrow-form"
          >
            <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
            <div class={answerError ? 'field field-error' : 'field'}>
              <label for="answer">{t('discussion.answer.body')}</label>
              {answerError && (
                <p class="error-message" id="answer-error">
                  {answerError}
                </p>
              )}
              <textarea
                id="answer"
                name="body"
                rows={5}
                maxLength={4000}
                required
                aria-describedby={answerError ? 'answer-error' : undefined}
              />
            </div>
            <button type="submit">{t('discussion.answer.submit')}</button>
          </form>
        </section>
      )}
    </Layout>
  );
}
