import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Server } from '../../../platform/http.js';
import { DomainError } from '../../../platform/errors.js';
import { signedInPage, userOf } from '../../../accounts/guards.js';
import { publicUser } from '../../../identity/guards.js';
import type { MasterDataService } from '../../../masterdata/masterdata.service.js';
import { page } from '../../../web/layout.js';
import { formValue, sendHtml, type FormBody } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import type { DatasetLookup } from '../../datasets.js';
import type { DiscussionService } from '../discussion.service.js';
import { AskPage, type AskValues } from './ask-form.js';
import { OpenQuestionsPage } from './open-questions.js';
import { QuestionsListPage } from './questions-list.js';
import { ThreadPage } from './thread-page.js';

const hide = { hide: true };
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const PER_PAGE = 20;
/** An error the asker or officer can correct, shown on the page instead of an error page. */
const SHOWN = ['VALIDATION_FAILED', 'TOO_MANY_ATTEMPTS'];
const langQuery = (req: FastifyRequest, sep: '?' | '&') =>
  (req.query as { lang?: string }).lang === 'en' ? `${sep}lang=en` : '';

export interface DiscussionPagesDeps {
  discussion: DiscussionService;
  datasets: DatasetLookup;
  masterData: Pick<MasterDataService, 'agenciesByIds'>;
  baseUrl: string;
}

/** The discussion's pages: a question's thread, asking (from the data set page), answering, the staff's open list. */
export function discussionPages(app: Server, d: DiscussionPagesDeps): void {
  const { discussion } = d;

  const thread = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    notice: string | null,
    answerError: string | null = null,
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const t = await discussion.thread(id);
    const answers = await discussion.answers(id);
    const canAnswer = discussion.canAnswer(req.principal, t.question);
    const now = discussion.clock();
    return sendHtml(
      reply,
      page(<ThreadPage ctx={ctx} thread={t} answers={answers} now={now} {...{ canAnswer, notice, answerError }} />),
      status,
    );
  };

  app.get('/questions', { schema: hide }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const q = req.query as { dataset?: string; page?: string };
    const n = Number(q.page);
    const at = Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
    const r = await discussion.ofPublished(String(q.dataset ?? '').slice(0, 200), PER_PAGE, (at - 1) * PER_PAGE);
    const now = discussion.clock();
    return sendHtml(
      reply,
      page(
        <QuestionsListPage
          ctx={ctx}
          dataset={r.dataset}
          rows={r.rows}
          total={r.total}
          page={at}
          perPage={PER_PAGE}
          now={now}
        />,
      ),
    );
  });

  app.get('/questions/:id', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const q = req.query as { sent?: string; answered?: string };
    const notice = q.sent
      ? ctx.t('discussion.thread.sent')
      : q.answered
        ? ctx.t('discussion.thread.answeredNotice')
        : null;
    return thread(req, reply, req.params.id, notice);
  });

  app.post(
    '/questions/new',
    { schema: hide, config: { publicSession: true }, preHandler: publicUser() },
    async (req, reply) => {
      const ctx = pageContext(req, reply, d.baseUrl);
      const body = (req.body as FormBody | undefined) ?? {};
      const slug = formValue(body, 'dataset', 200);
      const v: AskValues = { title: formValue(body, 'title', 400), body: formValue(body, 'body', 8000), errors: {} };
      try {
        const t = await discussion.ask(req.publicUser, slug, v);
        return reply.redirect(`/questions/${t.question.id}?sent=1${langQuery(req, '&')}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
        for (const x of err.details) v.errors[x.field ?? 'form'] = x[ctx.lang];
        if (!err.details.length) v.errors.form = err.messages[ctx.lang];
        const [dataset] = await d.datasets.published([slug]);
        if (!dataset) throw new DomainError('NOT_FOUND');
        return sendHtml(reply, page(<AskPage ctx={ctx} dataset={dataset} v={v} />), err.status);
      }
    },
  );

  app.post(
    '/questions/:id/answer',
    { schema: { ...hide, params: Id }, preHandler: signedInPage('/dashboard/questions') },
    async (req, reply) => {
      const ctx = pageContext(req, reply, d.baseUrl);
      const text = formValue((req.body as FormBody | undefined) ?? {}, 'body', 8000);
      try {
        await discussion.answer(req.principal, req.params.id, text);
      } catch (err) {
        if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
        const message = err.details[0]?.[ctx.lang] ?? err.messages[ctx.lang];
        return thread(req, reply, req.params.id, null, message, err.status);
      }
      return reply.redirect(`/questions/${req.params.id}?answered=1${langQuery(req, '&')}`, 303);
    },
  );

  app.get('/dashboard/questions', { schema: hide, preHandler: signedInPage() }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const { agencyIds, questions } = await discussion.openFor(userOf(req));
    const counts = await discussion.counts({ agencyIds });
    const agencies = await d.masterData.agenciesByIds(agencyIds);
    const now = discussion.clock();
    return sendHtml(
      reply,
      page(<OpenQuestionsPage ctx={ctx} questions={questions} counts={counts} agencies={agencies} now={now} />),
    );
  });
}
