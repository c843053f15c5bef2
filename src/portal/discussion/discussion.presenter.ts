import type { DatasetRef } from '../datasets.js';
import { timeliness } from './answer-clock.js';
import type { AnswerRow, QuestionRow } from './discussion.repository.js';

/** A question as anyone may read it: never the asker's account id, nor the answering officer's. */
export function presentQuestion(q: QuestionRow, now: Date, baseUrl: string, dataset?: DatasetRef) {
  return {
    id: q.id,
    title: q.title,
    body: q.body,
    asked_by: q.asker_name,
    asked: q.asked_at.toISOString(),
    answer_due: q.answer_due.toISOString(),
    answered: q.answered_at?.toISOString() ?? null,
    timeliness: timeliness(q, now),
    page: `${baseUrl}/questions/${q.id}`,
    ...(dataset
      ? {
          dataset: {
            slug: dataset.slug,
            title_vi: dataset.title_vi,
            title_en: dataset.title_en,
            publisher: { slug: dataset.agency.slug, name_vi: dataset.agency.name_vi, name_en: dataset.agency.name_en },
          },
        }
      : {}),
  };
}

export function presentAnswer(a: AnswerRow) {
  return { id: a.id, body: a.body, answered_by: a.author_name, answered: a.answered_at.toISOString() };
}
