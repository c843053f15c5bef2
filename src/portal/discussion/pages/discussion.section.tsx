import type { DatasetSection } from '../../../web/dataset-sections.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import type { DiscussionService } from '../discussion.service.js';
import { AskForm } from './ask-form.js';
import { StateText } from './thread-page.js';

const SHOWN = 5;

/** A data set's questions on its page, newest first, each with its state; the form to ask one, for a public user. */
export function discussionSection(discussion: DiscussionService): DatasetSection {
  return async ({ req, ctx, view }) => {
    if (view.dataset.status !== 'published') return null;
    const { t, lang } = ctx;
    const { rows, total } = await discussion.ofDataset(view.dataset.id, SHOWN);
    const now = discussion.clock();
    const slug = view.dataset.slug;
    const a = view.agency;
    const dataset = {
      id: view.dataset.id,
      slug,
      title_vi: view.dataset.title_vi,
      title_en: view.dataset.title_en,
      agency: { id: a.id, slug: a.slug, name_vi: a.name_vi, name_en: a.name_en },
      published: true,
    };
    const next = encodeURIComponent(`/dataset/${slug}${lang === 'en' ? '?lang=en' : ''}#ask-heading`);
    return {
      main: (
        <section aria-labelledby="questions-heading" data-testid="dataset-questions">
          <h2 id="questions-heading">{t('discussion.section.title')}</h2>
          <p>{t('discussion.section.lead')}</p>
          {rows.length === 0 ? (
            <p>{t('discussion.section.none')}</p>
          ) : (
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
          )}
          {total > rows.length && (
            <p>
              <a href={`/questions?dataset=${encodeURIComponent(slug)}${lang === 'en' ? '&lang=en' : ''}`}>
                {t('discussion.section.all', { count: formatNumber(total, lang) })}
              </a>
            </p>
          )}
          <h3 id="ask-heading">{t('discussion.ask.title')}</h3>
          {req.publicUser ? (
            <AskForm ctx={ctx} slug={slug} v={{ title: '', body: '', errors: {} }} />
          ) : (
            <p>
              <a href={`/auth?next=${next}`}>{t('discussion.section.signIn')}</a>
            </p>
          )}
        </section>
      ),
    };
  };
}
