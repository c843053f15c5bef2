import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import YAML from 'yaml';
import { DomainError } from '../../platform/errors.js';
import { writeView } from '../../datastore/query/formats.js';
import type { Server } from '../../platform/http.js';
import type { QualityService } from './quality.service.js';
import { MAX_CHECKS, SuiteBody, type Suite } from './quality.schema.js';

const RunBody = Type.Object({ checks: Type.Optional(SuiteBody.properties.checks) }, { additionalProperties: false });

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

function presentRun(r: Record<string, unknown>) {
  return {
    id: r.id,
    distribution_id: r.distribution_id,
    table: { id: r.table_id, version: r.table_version },
    created_at: (r.created_at as Date).toISOString(),
    summary: { passed: r.passed, failed: r.failed, errors: r.errors },
    suite: r.suite,
    results: r.results,
    links: { self: `/api/v1/quality/runs/${String(r.id)}` },
  };
}

/** Check suites per file, runs on demand, the stored reports, and the overdue list. */
export function qualityRoutes(
  app: Server,
  quality: QualityService,
  agencyIdOf: (key: string) => Promise<string>,
): void {
  const tags = ['Quality'];
  // a suite may be sent as YAML too (JSON is YAML); the schema checks it all the same
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string' },
    (_req, body, done) => {
      try {
        done(null, YAML.parse(body as string, { maxAliasCount: 50 }));
      } catch (err) {
        done(
          new DomainError('VALIDATION_FAILED', {
            vi: `Không đọc được YAML: ${(err as Error).message}`,
            en: `The YAML is not valid: ${(err as Error).message}`,
          }),
          undefined,
        );
      }
    },
  );
  app.get(
    '/api/v1/distributions/:id/quality/suite',
    { schema: { tags, summary: 'The check suite of a file loaded as a table', params: Id } },
    async (req) => ({ suite: await quality.suite(req.principal, req.params.id) }),
  );
  app.put(
    '/api/v1/distributions/:id/quality/suite',
    {
      schema: {
        tags,
        summary: 'Set the check suite (built-in check types with their parameters)',
        params: Id,
        body: SuiteBody,
      },
    },
    async (req) => {
      await quality.setSuite(req.principal, req.params.id, req.body);
      return { suite: req.body };
    },
  );
  app.get(
    '/api/v1/distributions/:id/quality/suggestion',
    {
      schema: {
        tags,
        summary:
          'A suite suggested from the data profile (what holds today), to review and save with PUT …/quality/suite',
        params: Id,
      },
    },
    async (req) => ({ suite: await quality.suggest(req.principal, req.params.id) }),
  );
  app.post(
    '/api/v1/distributions/:id/quality/runs',
    {
      schema: {
        tags,
        summary:
          'Run the stored suite (or `checks` sent here) over the current table version; the report is kept, immutable',
        params: Id,
        body: Type.Optional(RunBody),
      },
    },
    async (req, reply) => {
      const checks = (req.body as { checks?: Suite['checks'] } | undefined)?.checks;
      return reply
        .status(201)
        .send(presentRun(await quality.run(req.principal, req.params.id, checks ? { checks } : undefined)));
    },
  );
  app.get(
    '/api/v1/distributions/:id/quality/runs',
    { schema: { tags, summary: 'The latest quality reports of a file', params: Id } },
    async (req) => ({ runs: (await quality.runs(req.principal, req.params.id)).map(presentRun) }),
  );
  app.get(
    '/api/v1/quality/overdue',
    {
      schema: {
        tags,
        summary: 'Published data sets late on their declared update frequency, per agency (public)',
        querystring: Type.Object(
          { agency: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => quality.overdue(req.query.agency ? await agencyIdOf(req.query.agency) : undefined),
  );
  app.get(
    '/api/v1/quality/runs/:id/checks/:index/rows',
    {
      schema: {
        tags,
        summary:
          'The rows a check of this report failed, as CSV (_row is the line in the file), read from the table version it ran on (publishers)',
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          index: Type.Integer({ minimum: 0, maximum: MAX_CHECKS - 1 }),
        }),
      },
    },
    async (req, reply) => {
      const { table, batches } = await quality.failingRows(req.principal, req.params.id, req.params.index);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="failing-${req.params.id}-${req.params.index}.csv"`);
      return reply.send(
        Readable.from(
          writeView(
            'csv',
            [{ id: '_row', type: 'integer' }, ...table.columns.map((c) => ({ id: c.id, type: c.type }))],
            batches,
          ),
        ),
      );
    },
  );
  app.get('/api/v1/quality/runs/:id', { schema: { tags, summary: 'One quality report', params: Id } }, async (req) =>
    presentRun(await quality.report(req.principal, req.params.id)),
  );
}
