import type { Server } from '../../platform/http.js';
import { agencyRoleOrPlatformAdmin, signedIn, userOf } from '../../accounts/guards.js';
import { CATEGORY_LABELS, levelOf, PERSONAL_DATA_CATEGORIES } from '../personal-data.js';
import type { DictionaryService } from './dictionary.service.js';
import {
  CODE_LISTS,
  DecisionBody,
  DictionaryFieldBody,
  DictionaryFieldPatch,
  DictionaryQuery,
  ExportQuery,
  FieldParam,
  ImportBody,
  ProposalBody,
  ProposalParam,
} from './dictionary.schema.js';
import { presentField, presentVersion } from './dictionary.presenter.js';

const tags = ['data dictionary'];

/** The dictionary's API: the approved fields (public), their versions, proposals and their review, Table Schema. */
export function dictionaryRoutes(app: Server, dictionary: DictionaryService): void {
  app.get(
    '/api/v1/dictionary',
    {
      schema: {
        tags,
        summary:
          'Approved dictionary fields: search (diacritics-insensitive), filter by agency (or shared) and personal data',
        querystring: DictionaryQuery,
      },
    },
    async (req) => {
      const { rows, total } = await dictionary.search(req.query);
      return { total, fields: rows.map(presentField) };
    },
  );
  app.get(
    '/api/v1/dictionary/export',
    {
      schema: {
        tags,
        summary: 'Fields (a selection by ids, an agency’s, or all) as a Frictionless Table Schema',
        querystring: ExportQuery,
      },
    },
    async (req, reply) => {
      const ids = req.query.ids
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      reply.header('content-disposition', 'attachment; filename="ndp-data-dictionary.json"');
      return dictionary.exportSchema({ ids, agency: req.query.agency });
    },
  );
  app.post(
    '/api/v1/dictionary/import',
    {
      schema: { tags, summary: 'A Table Schema’s fields as proposals (all or none)', body: ImportBody },
      preHandler: signedIn,
    },
    async (req, reply) => {
      const filed = await dictionary.review.importSchema(userOf(req), req.body);
      return reply.status(201).send({ proposals: filed.map(presentVersion) });
    },
  );
  app.get(
    '/api/v1/dictionary/personal-data-categories',
    {
      schema: {
        tags,
        summary: 'The personal-data categories a field may be flagged with (Decree 356/2025/NĐ-CP Art. 3 and 4)',
      },
    },
    async () => ({
      categories: PERSONAL_DATA_CATEGORIES.map((id) => ({ id, level: levelOf(id), ...CATEGORY_LABELS[id] })),
    }),
  );
  app.get(
    '/api/v1/dictionary/proposals',
    { schema: { tags, summary: 'Proposals the caller may decide, and the caller’s own' }, preHandler: signedIn },
    async (req) => {
      const { toDecide, mine } = await dictionary.review.forUser(userOf(req));
      return { to_decide: toDecide.map(presentVersion), mine: mine.map(presentVersion) };
    },
  );
  app.post(
    '/api/v1/dictionary/proposals',
    {
      schema: { tags, summary: 'Propose a new field, or a change of one (by its id)', body: ProposalBody },
      preHandler: signedIn,
    },
    async (req, reply) => {
      return reply
        .status(201)
        .send({ proposal: presentVersion(await dictionary.review.propose(userOf(req), req.body)) });
    },
  );
  app.post(
    '/api/v1/dictionary/proposals/:id/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject a proposal (its field’s owner)',
        params: ProposalParam,
        body: DecisionBody,
      },
      preHandler: signedIn,
    },
    async (req) => ({ proposal: presentVersion(await dictionary.review.decide(userOf(req), req.params.id, req.body)) }),
  );
  app.get(
    '/api/v1/dictionary/:id',
    { schema: { tags, summary: 'One approved field', params: FieldParam } },
    async (req) => ({ field: presentField(await dictionary.get(req.params.id)) }),
  );
  app.get(
    '/api/v1/dictionary/:id/versions',
    { schema: { tags, summary: 'A field’s approved versions, newest first', params: FieldParam } },
    async (req) => ({ versions: (await dictionary.versions(req.params.id)).map(presentVersion) }),
  );
  app.post(
    '/api/v1/dictionary',
    {
      schema: { tags, summary: 'Add a field (its owner: approved at once)', body: DictionaryFieldBody },
      // an agency's field is its editors' to add, a field of the whole platform its administrators'
      preHandler: agencyRoleOrPlatformAdmin('agency_editor', (req) => (req.body as DictionaryFieldBody).agency_id),
    },
    async (req, reply) => {
      return reply.status(201).send({ field: presentField(await dictionary.create(userOf(req), req.body)) });
    },
  );
  app.patch(
    '/api/v1/dictionary/:id',
    {
      schema: {
        tags,
        summary: 'Change a field (its owner: a new version)',
        params: FieldParam,
        body: DictionaryFieldPatch,
      },
    },
    async (req) => ({ field: presentField(await dictionary.update(req.principal, req.params.id, req.body)) }),
  );
  app.get('/api/v1/code-lists', { schema: { tags, summary: 'Code lists a dictionary field can name' } }, async () => ({
    code_lists: CODE_LISTS.map((id) => ({
      id,
      source: '/api/v1/units',
      description:
        id === 'vn-provinces'
          ? '34 provinces (GSO codes, 2025)'
          : id === 'vn-communes'
            ? '3,321 communes (GSO codes, 2025)'
            : 'Provinces and communes (GSO codes, 2025)',
    })),
  }));
}
