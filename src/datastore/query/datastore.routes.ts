import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Server } from '../../platform/http.js';
import { DomainError } from '../../platform/errors.js';
import { agencyRole, perRequest, signedIn } from '../../accounts/guards.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { Jobs } from '../../platform/jobs.js';
import type { DatastoreService, TableRow, VersionDecision } from './datastore.service.js';
import { LOAD_QUEUE, LOADABLE } from '../load/load.job.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const VersionParams = Type.Object({ id: Type.String({ format: 'uuid' }), version: Type.Integer({ minimum: 1 }) });

/** One version of a file's table: `current` is the one readers get; `pending` waits for its publisher. */
const presentVersion = (v: TableRow) => ({
  version: v.version,
  status: v.status,
  current: v.current,
  rows: Number(v.row_count),
  rejected: Number(v.rejected_count),
  created_at: v.created_at.toISOString(),
  finished_at: v.finished_at?.toISOString() ?? null,
  columns: v.columns,
  report: v.report,
});

const DumpQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])) },
  { additionalProperties: false },
);

export function datastoreRoutes(app: Server, datastore: DatastoreService, datasets: DatasetsService, jobs: Jobs): void {
  const tags = ['DataStore'];
  // read once per request: the guard checks its agency, the handler uses it
  const fileOf = perRequest((req: FastifyRequest) =>
    datasets.distribution(req.principal, (req.params as { id: string }).id),
  );
  const agencyOfFile = async (req: FastifyRequest) => (await fileOf(req)).dataset.agency_id;
  app.get(
    '/datastore/dump/:id',
    {
      schema: {
        tags,
        summary: 'The whole table (latest version), streamed as CSV or JSON',
        params: Id,
        querystring: DumpQuery,
      },
    },
    async (req, reply) => {
      const format = req.query.format ?? 'csv';
      const body = await datastore.dump(req.principal, req.params.id, format);
      reply.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${req.params.id}.${format}"`);
      return reply.send(Readable.from(body));
    },
  );
  app.get(
    '/api/v1/distributions/:id/datastore',
    {
      schema: {
        tags,
        summary: 'Loaded versions of a file as a table: status, rows, rejected rows with reasons',
        params: Id,
      },
    },
    async (req) => {
      const versions = await datastore.versions(req.principal, req.params.id);
      return { versions: versions.map(presentVersion) };
    },
  );
  const decisions: [VersionDecision, string][] = [
    [
      'publish',
      'Publish a pending version (its load rejected rows): it becomes the current version readers get (publishers)',
    ],
    ['discard', 'Discard a pending version: its table is dropped, the current version stays (publishers)'],
    ['current', 'Make an earlier (or later) ready version current again: roll back (publishers)'],
  ];
  for (const [decision, summary] of decisions)
    app.post(
      `/api/v1/distributions/:id/datastore/:version/${decision}`,
      {
        schema: { tags, summary, params: VersionParams },
        preHandler: [signedIn, agencyRole('agency_editor', agencyOfFile)],
      },
      async (req) => presentVersion(await datastore.decide(req.principal, req.params.id, req.params.version, decision)),
    );
  app.get(
    '/api/v1/distributions/:id/datastore/:version/rejected',
    {
      schema: {
        tags,
        summary:
          'Rows a load rejected, as CSV: line, column, value, reason (vi, en), then the row as in the file (publishers)',
        params: VersionParams,
      },
      preHandler: signedIn,
    },
    async (req, reply) => {
      const { table, csv } = await datastore.rejectedRows(req.principal, req.params.id, req.params.version);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header(
        'content-disposition',
        `attachment; filename="rejected-${table.distribution_id}-v${table.version}.csv"`,
      );
      return reply.send(Readable.from(csv));
    },
  );
  app.post(
    '/api/v1/distributions/:id/datastore/load',
    {
      schema: { tags, summary: 'Load (or re-type) the stored file again as a new version', params: Id },
      preHandler: [signedIn, agencyRole('agency_editor', agencyOfFile)],
    },
    async (req, reply) => {
      const { distribution } = await fileOf(req);
      if (distribution.kind !== 'file' || !LOADABLE.has(distribution.format ?? '')) {
        throw new DomainError('VALIDATION_FAILED', {
          vi: `Chưa nạp được tệp dạng ${distribution.format ?? '?'} thành bảng.`,
          en: `Files in ${distribution.format ?? '?'} format cannot be loaded as tables yet.`,
        });
      }
      const job = await jobs.send(LOAD_QUEUE, { distributionId: distribution.id });
      if (!job)
        throw new DomainError('INTERNAL', { vi: 'Hàng đợi xử lý chưa chạy.', en: 'The job queue is not running.' });
      return reply.status(202).send({ job });
    },
  );
}
