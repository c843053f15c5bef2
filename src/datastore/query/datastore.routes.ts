import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { dumpCsv, dumpJson, rejectedCsv } from './dump.js';
import type { Server } from '../../platform/http.js';
import { DomainError } from '../../platform/errors.js';
import { requireAgencyRole } from '../../accounts/principal.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { Jobs } from '../../platform/jobs.js';
import type { DatastoreService } from './datastore.service.js';
import { LOAD_QUEUE, LOADABLE } from '../load/load.job.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

const DumpQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])) },
  { additionalProperties: false },
);

export function datastoreRoutes(app: Server, datastore: DatastoreService, datasets: DatasetsService, jobs: Jobs): void {
  const tags = ['DataStore'];
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
      const table = await datastore.table(req.principal, req.params.id);
      const format = req.query.format ?? 'csv';
      reply.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${req.params.id}.${format}"`);
      return reply.send(
        Readable.from(format === 'csv' ? dumpCsv(datastore.repo, table) : dumpJson(datastore.repo, table)),
      );
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
      const { distribution, dataset } = await datasets.distribution(req.principal, req.params.id);
      if (dataset.access_rights !== 'public') requireAgencyRole(req.principal, dataset.agency_id, 'viewer');
      const versions = await datastore.repo.versions(distribution.id);
      return {
        versions: versions.map((v) => ({
          version: v.version,
          status: v.status,
          rows: Number(v.row_count),
          rejected: Number(v.rejected_count),
          created_at: v.created_at.toISOString(),
          finished_at: v.finished_at?.toISOString() ?? null,
          columns: v.columns,
          report: v.report,
        })),
      };
    },
  );
  app.get(
    '/api/v1/distributions/:id/datastore/:version/rejected',
    {
      schema: {
        tags,
        summary:
          'Rows a load rejected, as CSV: line, column, value, reason (vi, en), then the row as in the file (publishers)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), version: Type.Integer({ minimum: 1 }) }),
      },
    },
    async (req, reply) => {
      const { distribution, dataset } = await datasets.distribution(req.principal, req.params.id);
      requireAgencyRole(req.principal, dataset.agency_id, 'agency_editor');
      const table = (await datastore.repo.versions(distribution.id)).find((v) => v.version === req.params.version);
      if (!table)
        throw new DomainError('NOT_FOUND', {
          vi: `Không có phiên bản ${req.params.version}.`,
          en: `There is no version ${req.params.version}.`,
        });
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="rejected-${distribution.id}-v${table.version}.csv"`);
      return reply.send(Readable.from(rejectedCsv(datastore.repo, table)));
    },
  );
  app.post(
    '/api/v1/distributions/:id/datastore/load',
    { schema: { tags, summary: 'Load (or re-type) the stored file again as a new version', params: Id } },
    async (req, reply) => {
      const { distribution, dataset } = await datasets.distribution(req.principal, req.params.id);
      requireAgencyRole(req.principal, dataset.agency_id, 'agency_editor');
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
