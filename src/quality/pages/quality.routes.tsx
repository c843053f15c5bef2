import type { Server } from '../../platform/http.js';
import { DomainError } from '../../platform/errors.js';
import type { CatalogService } from '../../catalog/catalog.service.js';
import type { QualityService } from '../quality.service.js';
import type { CheckResult } from '../quality.schema.js';
import { parseSuite, suiteText } from '../suite-text.js';
import { page } from '../../web/layout.js';
import { pageContext } from '../../web/web.context.js';
import { sendHtml, signedIn, type FormBody } from '../../web/session.js';
import { QualitySuitePage, type SuitePageData } from './quality-suite.js';

/** The publisher's quality pages: a file's check suite (YAML or JSON), runs on demand, their results. */
export function qualityPages(app: Server, catalog: CatalogService, quality: QualityService, baseUrl: string) {
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

  app.get('/dashboard/distributions/:id/quality', { schema: { hide: true } }, async (req, reply) => {
    const user = signedIn(req.principal, reply, req.url);
    if (!user) return reply;
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
  });

  app.post('/dashboard/distributions/:id/quality/suite', { schema: { hide: true } }, async (req, reply) => {
    const user = signedIn(req.principal, reply, '/dashboard');
    if (!user) return reply;
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
  });

  app.post('/dashboard/distributions/:id/quality/run', { schema: { hide: true } }, async (req, reply) => {
    const user = signedIn(req.principal, reply, '/dashboard');
    if (!user) return reply;
    const { id } = req.params as { id: string };
    await quality.run(user, id);
    return reply.redirect(`/dashboard/distributions/${id}/quality?ran=1`, 303);
  });
}
