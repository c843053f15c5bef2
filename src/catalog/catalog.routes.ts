import type { Server } from '../platform/http.js';
import { DomainError } from '../platform/errors.js';
import { verifyDeferredCsrf } from '../accounts/auth.hook.js';
import { agencyRole, userOf } from '../accounts/guards.js';
import type { CatalogService } from './catalog.service.js';
import {
  DatabaseBody,
  DatabasePatch,
  DatasetBody,
  DatasetPatch,
  IdParam,
  LinkBody,
  PagingQuery,
  SearchQuery,
  StatusBody,
  TableSchemaBody,
} from './catalog.schema.js';
import { presentMatch } from './search-why.js';
import { presentDatabase, presentDataset, presentDistribution } from './catalog.presenter.js';
import { dictionaryRoutes } from './dictionary/dictionary.routes.js';

export function catalogRoutes(app: Server, catalog: CatalogService, baseUrl: string): void {
  const { datasets, databases, dictionary, search } = catalog;
  const tags = ['catalog'];

  app.get(
    '/api/v1/datasets',
    { schema: { tags, summary: 'Search data sets (diacritics-insensitive), with facets', querystring: SearchQuery } },
    async (req) => {
      const q = req.query;
      const r = await search.search(req.principal, {
        ...q,
        limit: q.limit ?? 20,
        offset: q.offset ?? 0,
        facetLimit: q.facet_limit ?? 20,
      });
      return {
        total: r.total,
        partial: r.partial,
        results: r.results.map((v) => {
          const match = presentMatch(r.matches[v.dataset.id]);
          return match ? { ...presentDataset(v, baseUrl), match } : presentDataset(v, baseUrl);
        }),
        facets: r.facets,
      };
    },
  );
  app.post(
    '/api/v1/datasets',
    {
      schema: { tags, summary: 'Create a data set (draft)', body: DatasetBody },
      preHandler: agencyRole('agency_editor', (req) => (req.body as DatasetBody).agency_id),
    },
    async (req, reply) => {
      return reply.status(201).send({ dataset: presentDataset(await datasets.create(userOf(req), req.body), baseUrl) });
    },
  );
  app.get(
    '/api/v1/datasets/:id',
    { schema: { tags, summary: 'One data set by id or slug', params: IdParam } },
    async (req) => {
      return { dataset: presentDataset(await datasets.get(req.principal, req.params.id), baseUrl) };
    },
  );
  app.patch(
    '/api/v1/datasets/:id',
    { schema: { tags, summary: 'Change a data set', params: IdParam, body: DatasetPatch } },
    async (req) => {
      return { dataset: presentDataset(await datasets.update(req.principal, req.params.id, req.body), baseUrl) };
    },
  );
  app.put(
    '/api/v1/datasets/:id/status',
    { schema: { tags, summary: 'Publish, archive or unpublish', params: IdParam, body: StatusBody } },
    async (req) => {
      return {
        dataset: presentDataset(await datasets.setStatus(req.principal, req.params.id, req.body.status), baseUrl),
      };
    },
  );

  app.post(
    '/api/v1/datasets/:id/distributions',
    {
      schema: {
        tags,
        summary: 'Upload a file (multipart/form-data: optional title_vi, title_en, description, then file)',
        params: IdParam,
        consumes: ['multipart/form-data'],
      },
      config: { multipartCsrf: true },
    },
    async (req, reply) => {
      const part = await req.file();
      if (!part)
        throw new DomainError('VALIDATION_FAILED', { vi: 'Thiếu tệp tải lên.', en: 'No file was uploaded.' }, [
          { field: 'file', vi: 'Bắt buộc.', en: 'Required.' },
        ]);
      const field = (name: string) => {
        const f = part.fields[name];
        const v = f && !Array.isArray(f) && f.type === 'field' ? String(f.value) : undefined;
        return v?.slice(0, 2000);
      };
      verifyDeferredCsrf(req, field('_csrf'));
      const row = await datasets.addFile(req.principal, req.params.id, {
        stream: part.file,
        fileName: part.filename.slice(0, 255),
        mimeType: part.mimetype,
        title_vi: field('title_vi'),
        title_en: field('title_en'),
        description: field('description'),
      });
      return reply.status(201).send({ distribution: presentDistribution(row, baseUrl) });
    },
  );
  app.post(
    '/api/v1/datasets/:id/links',
    { schema: { tags, summary: 'Add a link to data held elsewhere', params: IdParam, body: LinkBody } },
    async (req, reply) => {
      return reply.status(201).send({
        distribution: presentDistribution(await datasets.addLink(req.principal, req.params.id, req.body), baseUrl),
      });
    },
  );
  app.get(
    '/api/v1/distributions/:id',
    { schema: { tags, summary: 'One distribution', params: IdParam } },
    async (req) => {
      return {
        distribution: presentDistribution(
          (await datasets.distribution(req.principal, req.params.id)).distribution,
          baseUrl,
        ),
      };
    },
  );
  app.get(
    '/api/v1/distributions/:id/download',
    { schema: { tags, summary: 'Download an uploaded file', params: IdParam } },
    async (req, reply) => {
      const { distribution, stream } = await datasets.openFile(req.principal, req.params.id);
      const name = encodeURIComponent(distribution.file_name ?? 'data');
      reply.header('content-type', distribution.media_type ?? 'application/octet-stream');
      reply.header('content-disposition', `attachment; filename*=UTF-8''${name}`);
      if (distribution.byte_size !== null) reply.header('content-length', String(distribution.byte_size));
      if (distribution.sha256) reply.header('etag', `"${distribution.sha256}"`);
      return reply.send(stream);
    },
  );
  app.delete(
    '/api/v1/distributions/:id',
    { schema: { tags, summary: 'Remove a distribution', params: IdParam } },
    async (req, reply) => {
      await datasets.removeDistribution(req.principal, req.params.id);
      return reply.status(204).send();
    },
  );
  app.put(
    '/api/v1/distributions/:id/schema',
    {
      schema: {
        tags,
        summary: 'Attach a Table Schema whose fields may reference the dictionary',
        params: IdParam,
        body: TableSchemaBody,
      },
    },
    async (req) => {
      const resolved = await dictionary.resolveSchema(req.body);
      return {
        distribution: presentDistribution(
          await datasets.setTableSchema(req.principal, req.params.id, resolved),
          baseUrl,
        ),
      };
    },
  );

  const dbTags = ['register of databases'];
  app.get(
    '/api/v1/databases',
    { schema: { tags: dbTags, summary: 'The register of databases (filter by agency)', querystring: PagingQuery } },
    async (req) => {
      const { rows, total } = await databases.list({
        agency: req.query.agency,
        limit: req.query.limit ?? 50,
        offset: req.query.offset ?? 0,
      });
      return { total, databases: rows.map(presentDatabase) };
    },
  );
  app.post(
    '/api/v1/databases',
    {
      schema: { tags: dbTags, summary: 'Register a database', body: DatabaseBody },
      preHandler: agencyRole('agency_editor', (req) => (req.body as DatabaseBody).agency_id),
    },
    async (req, reply) => {
      return reply.status(201).send({ database: presentDatabase(await databases.create(userOf(req), req.body)) });
    },
  );
  app.get(
    '/api/v1/databases/:id',
    { schema: { tags: dbTags, summary: 'One database with its data sets', params: IdParam } },
    async (req) => {
      const row = await databases.get(req.params.id);
      return { database: presentDatabase(row), datasets: await databases.datasets(row.id) };
    },
  );
  app.patch(
    '/api/v1/databases/:id',
    {
      schema: {
        tags: dbTags,
        summary: 'Change a register entry (a new version is kept)',
        params: IdParam,
        body: DatabasePatch,
      },
    },
    async (req) => {
      return { database: presentDatabase(await databases.update(req.principal, req.params.id, req.body)) };
    },
  );
  app.get(
    '/api/v1/databases/:id/history',
    { schema: { tags: dbTags, summary: 'Every version of a register entry', params: IdParam } },
    async (req) => {
      const rows = await databases.history(req.params.id);
      return {
        history: rows.map((h) => ({
          version: h.version,
          changed_at: (h.changed_at as Date).toISOString(),
          changed_by: h.changed_by,
          snapshot: h.snapshot,
        })),
      };
    },
  );

  dictionaryRoutes(app, dictionary);
}
