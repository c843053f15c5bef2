import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, type ErrorDetail, invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import type { Logger } from '../../platform/logger.js';
import { actorOf, hasAgencyRole, requireAgencyRole, requireUser, type Principal } from '../../accounts/principal.js';
import { requirePublicUser, type PublicUser } from '../../identity/public-principal.js';
import type { CalendarService } from '../../masterdata/calendar/calendar.service.js';
import type { DatasetLookup, DatasetRef } from '../datasets.js';
import type { Notice, Notifier } from '../notify.js';
import { vnDay } from '../../masterdata/calendar/working-days.js';
import { answerDue } from './answer-clock.js';
import { DiscussionRepository, type AgencyCounts, type QuestionRow } from './discussion.repository.js';

/** Who answers for the publisher: an editor of the data set's agency (and above). */
export const ANSWER_ROLE = 'agency_editor' as const;
/** Questions one person may ask in 24 hours. */
export const QUESTIONS_PER_DAY = 10;
const NOBODY = { userId: null, tokenId: null };

export type { AgencyCounts } from './discussion.repository.js';

export interface DiscussionDeps {
  datasets: DatasetLookup;
  calendar: CalendarService;
  notifier: Notifier;
  logger: Logger;
  /** the clock (tests ask on one day and answer on another) */
  now?: () => Date;
}

/** A question with the data set it is about. */
export interface Thread {
  question: QuestionRow;
  dataset: DatasetRef;
}

/**
 * Questions on published data sets, asked by signed-in public users, answered by the publisher (an editor of the data
 * set's agency) by a deadline of 10 working days; the asker is told of each answer, the publisher of each question.
 * Counts per agency of asked, answered and answered in time are public (issue 22's index reads them).
 */
export class DiscussionService {
  private readonly repo: DiscussionRepository;
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<any>,
    private readonly deps: DiscussionDeps,
  ) {
    this.repo = new DiscussionRepository(db);
    this.now = deps.now ?? (() => new Date());
  }

  async ask(u: PublicUser | null, datasetKey: string, input: { title: string; body: string }): Promise<Thread> {
    const user = requirePublicUser(u);
    const title = input.title.trim();
    const body = input.body.trim();
    const errors: ErrorDetail[] = [];
    if (title.length < 3 || title.length > 200)
      errors.push({
        field: 'title',
        vi: 'Tiêu đề phải dài từ 3 đến 200 ký tự.',
        en: 'The title must be 3 to 200 characters long.',
      });
    if (body.length < 3 || body.length > 4000)
      errors.push({
        field: 'body',
        vi: 'Câu hỏi phải dài từ 3 đến 4.000 ký tự.',
        en: 'The question must be 3 to 4,000 characters long.',
      });
    if (errors.length) throw invalid(errors);
    const [dataset] = await this.deps.datasets.published([datasetKey]);
    if (!dataset) throw new DomainError('NOT_FOUND');
    const now = this.now();
    if ((await this.repo.askedSince(user.userId, new Date(now.getTime() - 86_400_000))) >= QUESTIONS_PER_DAY)
      throw new DomainError('TOO_MANY_ATTEMPTS', {
        vi: `Mỗi người hỏi được tối đa ${QUESTIONS_PER_DAY} câu trong 24 giờ.`,
        en: `One person may ask at most ${QUESTIONS_PER_DAY} questions in 24 hours.`,
      });
    // the calendar is read before the transaction: the embedded database has one connection
    const due = answerDue(now, await this.deps.calendar.rules());
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.insertQuestion(trx, {
        id,
        dataset_id: dataset.id,
        agency_id: dataset.agency.id,
        title,
        body,
        public_user_id: user.userId,
        asker_name: user.name,
        asked_at: now,
        answer_due: due,
      });
      await recordAudit(trx, NOBODY, {
        action: 'question.ask',
        entityType: 'dataset_question',
        entityId: id,
        agencyId: dataset.agency.id,
        after: {
          by: 'public_user',
          publicUser: user.userId,
          dataset: dataset.slug,
          title,
          answerDue: due.toISOString(),
        },
      });
    });
    const by = vnDay(due).split('-').reverse().join('/');
    await this.tell({
      to: { agencyId: dataset.agency.id },
      kind: 'question.asked',
      subject: { vi: `Câu hỏi mới về dữ liệu: ${title}`, en: `A new question on your data: ${title}` },
      text: {
        vi: `Câu hỏi về “${dataset.title_vi}”, cần trả lời trước hết ngày ${by}.`,
        en: `A question on “${dataset.title_en ?? dataset.title_vi}”, to answer by the end of ${by}.`,
      },
      link: `/questions/${id}`,
    });
    return this.thread(id);
  }

  /** The publisher's answer; the first one stops the clock. The asker is told. */
  async answer(p: Principal, questionId: string, text: string) {
    const staff = requireUser(p);
    const body = text.trim();
    if (body.length < 1 || body.length > 4000)
      throw invalid([
        {
          field: 'body',
          vi: 'Câu trả lời phải dài từ 1 đến 4.000 ký tự.',
          en: 'The answer must be 1 to 4,000 characters long.',
        },
      ]);
    const t = await this.thread(questionId);
    requireAgencyRole(p, t.question.agency_id, ANSWER_ROLE);
    const now = this.now();
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.insertAnswer(trx, {
        id,
        question_id: questionId,
        body,
        user_id: staff.userId,
        author_name: staff.name,
        answered_at: now,
      });
      await this.repo.markAnswered(trx, questionId, now);
      await recordAudit(trx, actorOf(p), {
        action: 'question.answer',
        entityType: 'dataset_question',
        entityId: questionId,
        agencyId: t.question.agency_id,
        after: { answer: id, inTime: now <= t.question.answer_due },
      });
    });
    await this.tell({
      to: { publicUserId: t.question.public_user_id },
      kind: 'question.answered',
      subject: {
        vi: `Câu hỏi của bạn đã được trả lời: ${t.question.title}`,
        en: `Your question was answered: ${t.question.title}`,
      },
      text: { vi: body.slice(0, 300), en: body.slice(0, 300) },
      link: `/questions/${questionId}`,
    });
    return this.thread(questionId);
  }

  /** Whether this staff member answers for the question's publisher (the page shows the form only then). */
  canAnswer(p: Principal, q: QuestionRow): boolean {
    return hasAgencyRole(p, q.agency_id, ANSWER_ROLE);
  }

  /** A question on a published data set, with its data set; any other is unknown. */
  async thread(id: string): Promise<Thread> {
    const question = await this.repo.question(id);
    if (!question) throw new DomainError('NOT_FOUND');
    const [dataset] = await this.deps.datasets.byIds([question.dataset_id]);
    if (!dataset?.published) throw new DomainError('NOT_FOUND');
    return { question, dataset };
  }

  answers(questionId: string) {
    return this.repo.answers(questionId);
  }

  /** A data set's questions, newest first (the data set is already checked visible by its page or the caller). */
  ofDataset(datasetId: string, limit: number, offset = 0) {
    return this.repo.ofDataset(datasetId, limit, offset);
  }

  /** The questions of a published data set, by slug or id. */
  async ofPublished(datasetKey: string, limit: number, offset: number) {
    const [dataset] = await this.deps.datasets.published([datasetKey]);
    if (!dataset) throw new DomainError('NOT_FOUND');
    return { dataset, ...(await this.repo.ofDataset(dataset.id, limit, offset)) };
  }

  /** The unanswered questions of every agency where the caller answers, the soonest due first. */
  async openFor(p: Principal): Promise<{ agencyIds: string[]; questions: Thread[] }> {
    const user = requireUser(p);
    const agencyIds = [...user.roles.keys()].filter((id) => hasAgencyRole(p, id, ANSWER_ROLE));
    const rows = await this.repo.open(agencyIds, 500);
    const refs = new Map((await this.deps.datasets.byIds(rows.map((r) => r.dataset_id))).map((d) => [d.id, d]));
    const questions = rows.flatMap((question) => {
      const dataset = refs.get(question.dataset_id);
      return dataset ? [{ question, dataset }] : [];
    });
    return { agencyIds, questions };
  }

  /**
   * Per agency, of the questions asked in [from, to): asked, answered, answered in time, and open past the deadline
   * now. Public figures (the data development index of issue 22 reads them); no agency given means every agency.
   */
  counts(f: { agencyIds?: string[]; from?: Date; to?: Date } = {}): Promise<AgencyCounts[]> {
    return this.repo.counts(f, this.now());
  }

  /** The clock the service runs on (pages show what is overdue as of it). */
  clock(): Date {
    return this.now();
  }

  /** A failed notice never undoes the question or answer. */
  private async tell(n: Notice) {
    try {
      await this.deps.notifier.notify(n);
    } catch (err) {
      this.deps.logger.warn({ err, kind: n.kind, link: n.link }, 'discussion notice not sent');
    }
  }
}
