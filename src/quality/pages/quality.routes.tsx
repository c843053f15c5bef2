import type { Server } from '../../platform/http.js';
import { DomainError } from '../../platform/errors.js';
import { signedInPage, userOf } from '../../accounts/guards.js';
import type { CatalogService } from '../../catalog/catalog.service.js';
import type { MasterDataService } from '../../masterdata/masterdata.service.js';
import type { QualityService } from '../checks/quality.service.js';
import type { CardService } from '../card/card.service.js';
import type { CheckResult } from '../checks/quality.schema.js';
import { parseSuite, suiteText } from '../checks/suite-text.js';
import { page } from '../../web/layout.js';
import { pageContext } from '../../web/web.context.js';
import { sendHtml, type FormBody } from '../../web/session.js';
import { QualitySuitePage, type SuitePageData } from './quality-suite.js';
import { OverduePage } from './overdue.js';
import { QualityCardPage, QualityRankingPage } from './quality.js';

/**
 * Quality's pages: the public card, ranking and overdue list; the publisher's check suite of a file (YAML or
 * JSON), runs on demand, their results. Mounted after `webRoutes` (which registers the form parser).
 */
export function qualityPages(
  app: Server,
  services: { catalog: CatalogService; masterData: MasterDataService; quality: QualityService; cards: CardService },
  baseUrl: string,
) {
  const { catalog, masterData, quality, cards } = services;
  const data = async (
    user: Parameters<QualityService['suite']>[0],
    id: string,
    over: Partial<SuitePageData> = {},
  ): Promise<SuitePageData> => {
    const { distribution, dataset } = await catalog.datasets.distribution(user, id);
    const runs = await quality.runs(user, id); // editors only
    const kept = await quality.suite(user, id);
    const suggestion = kept ? null : await quality.suggest(user, id).catch(() => null);
    return {
      dataset: { slug: dataset.slug, title: dataset.title_vi },
      distribution: { id, title: distribution.title_vi },
      text: kept ? suiteText(kept) : suggestion ? suiteText(suggestion) : 'checks:\n  - type: row_count\n    min: 1\n',
      suggested: !kept,
      notice: null,
      errors: [],
      runs: runs.slice(0, 10).map((r) => ({
        id: r.id as string,
        created_at: r.created_at as Date,
        passed: Number(r.passed),
        failed: Number(r.failed),
        errors: Number(r.errors),
        results: r.results as CheckResult[],
      })),
      ...over,
    };
  };

  app.get('/overdue', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const key = (req.query as { agency?: string }).agency;
    const agency = typeof key === 'string' && key ? await masterData.agency(key.slice(0, 200)) : null;
    return sendHtml(
      reply,
      page(<OverduePage ctx={ctx} data={await quality.overdue(agency?.id)} agency={agency?.slug ?? null} />),
    );
  });

  app.get('/dataset/:slug/quality', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const card = await cards.card(req.principal, String((req.params as { slug: string }).slug).slice(0, 200));
    return sendHtml(reply, page(<QualityCardPage ctx={ctx} card={card} />));
  });

  app.get('/quality', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    return sendHtml(reply, page(<QualityRankingPage ctx={ctx} data={await cards.rollup()} />));
  });

  app.get(
    '/dashboard/distributions/:id/quality',
    { schema: { hide: true }, preHandler: signedInPage() },
    async (req, reply) => {
      const user = userOf(req);
      const ctx = pageContext(req, reply, baseUrl);
      const { id } = req.params as { id: string };
      const q = req.query as { saved?: string; ran?: string };
      return sendHtml(
        reply,
        page(
          <QualitySuitePage
            ctx={ctx}
            data={
              await data(user, id, {
                notice: q.saved ? ctx.t('suite.savedNotice') : q.ran ? ctx.t('suite.ranNotice') : null,
              })
            }
          />,
        ),
      );
    },
  );

  app.post(
    '/dashboard/distributions/:id/quality/suite',
    { schema: { hide: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const { id } = req.params as { id: string };
      const text = String((req.body as FormBody | undefined)?.suite ?? '').slice(0, 200_000);
      try {
        await quality.setSuite(user, id, parseSuite(text));
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'VALIDATION_FAILED') throw err;
        // the text comes back as written, with what is wrong: nothing typed is lost
        const ctx = pageContext(req, reply, baseUrl);
        return sendHtml(
          reply,
          page(
            <QualitySuitePage
              ctx={ctx}
              data={await data(user, id, { text, suggested: false, errors: [err.messages, ...err.details] })}
            />,
          ),
          400,
        );
      }
      return reply.redirect(`/dashboard/distributions/${id}/quality?saved=1`, 303);
    },
  );

  app.post(
    '/dashboard/distributions/:id/quality/run',
    { schema: { hide: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const { id } = req.params as { id: string };
      await quality.run(user, id);
      return reply.redirect(`/dashboard/distributions/${id}/quality?ran=1`, 303);
    },
  );
}
