import { Type } from '@sinclair/typebox';
import type { Server } from '../../platform/http.js';
import { signedIn } from '../../accounts/guards.js';
import { publicUser } from '../../identity/guards.js';
import type { MasterDataService } from '../../masterdata/masterdata.service.js';
import { presentAnswer, presentQuestion } from './discussion.presenter.js';
import { AnswerBody, CountsQuery, QuestionBody, QuestionListQuery } from './discussion.schema.js';
import type { DiscussionService } from './discussion.service.js';

const tags = ['discussion'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** The end of a Vietnamese day given as YYYY-MM-DD: the next day's start in Hà Nội. */
const vnStart = (day: string) => new Date(`${day}T00:00:00+07:00`);

/**
 * Questions on data sets through the API: reading is open; a public user asks (public session, `X-CSRF-Token`); the
 * publisher's editors answer (staff session or token); the counts per agency are public.
 */
export function discussionRoutes(
  app: Server,
  discussion: DiscussionService,
  agencies: Pick<MasterDataService, 'agency'>,
  baseUrl: string,
): void {
  app.get(
    '/api/v1/questions',
    { schema: { tags, summary: 'The questions on a data set, newest first', querystring: QuestionListQuery } },
    async (req) => {
      const limit = req.query.limit ?? 20;
      const page = req.query.page ?? 1;
      const r = await discussion.ofPublished(req.query.dataset, limit, (page - 1) * limit);
      const now = discussion.clock();
      return { total: r.total, page, limit, results: r.rows.map((q) => presentQuestion(q, now, baseUrl)) };
    },
  );
  app.get(
    '/api/v1/questions/counts',
    {
      schema: {
        tags,
        summary:
          'Per agency: questions asked, answered, answered within 10 working days, and open past that (by the day asked, Vietnam time)',
        querystring: CountsQuery,
      },
    },
    async (req) => {
      const q = req.query;
      const agencyIds = q.agency ? [(await agencies.agency(q.agency)).id] : undefined;
      const counts = await discussion.counts({
        agencyIds,
        from: q.from ? vnStart(q.from) : undefined,
        to: q.to ? new Date(vnStart(q.to).getTime() + 86_400_000) : undefined,
      });
      return { counts };
    },
  );
  app.get(
    '/api/v1/questions/:id',
    { schema: { tags, summary: 'A question and its answers', params: Id } },
    async (req) => {
      const t = await discussion.thread(req.params.id);
      return {
        ...presentQuestion(t.question, discussion.clock(), baseUrl, t.dataset),
        answers: (await discussion.answers(t.question.id)).map(presentAnswer),
      };
    },
  );
  app.post(
    '/api/v1/questions',
    {
      config: { publicSession: true },
      preHandler: publicUser({ api: true }),
      schema: { tags, summary: 'Ask a question on a published data set (a signed-in public user)', body: QuestionBody },
    },
    async (req, reply) => {
      const t = await discussion.ask(req.publicUser, req.body.dataset, req.body);
      return reply.status(201).send(presentQuestion(t.question, discussion.clock(), baseUrl, t.dataset));
    },
  );
  app.post(
    '/api/v1/questions/:id/answers',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: "Answer a question on one of your agency's data sets (its editors and administrators)",
        params: Id,
        body: AnswerBody,
      },
    },
    async (req, reply) => {
      const t = await discussion.answer(req.principal, req.params.id, req.body.body);
      return reply.status(201).send({
        ...presentQuestion(t.question, discussion.clock(), baseUrl, t.dataset),
        answers: (await discussion.answers(t.question.id)).map(presentAnswer),
      });
    },
  );
}
