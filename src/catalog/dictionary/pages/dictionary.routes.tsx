import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Server } from '../../../platform/http.js';
import { DomainError } from '../../../platform/errors.js';
import type { User } from '../../../accounts/principal.js';
import { signedInPage, userOf } from '../../../accounts/guards.js';
import { verifyDeferredCsrf } from '../../../accounts/auth.hook.js';
import type { MasterDataService } from '../../../masterdata/masterdata.service.js';
import { page } from '../../../web/layout.js';
import { formValue, sendHtml, type FormBody } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import type { PageContext } from '../../../web/context.js';
import type { DictionaryService } from '../dictionary.service.js';
import { DictionaryQuery, FieldParam, PERSONAL_FILTERS } from '../dictionary.schema.js';
import { presentField, presentVersion } from '../dictionary.presenter.js';
import { DictionaryPage } from './list.js';
import { FieldPage } from './field.js';
import { ReviewPage } from './review.js';
import { ProposePage } from './propose.js';
import { emptyValues, readProposal, valuesOf } from './propose-form.js';

const hide = { hide: true };
/** Errors a person can correct: shown on the page, in its language, instead of an error page. */
const SHOWN = ['VALIDATION_FAILED', 'INVALID_STATE', 'CONFLICT', 'FORBIDDEN', 'NOT_FOUND'];
/** a Table Schema of 500 fields with code lists fits well within this */
const MAX_SCHEMA_BYTES = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface DictionaryPagesDeps {
  dictionary: DictionaryService;
  masterData: MasterDataService;
  baseUrl: string;
}

const messagesOf = (err: DomainError, ctx: PageContext) =>
  err.details.length ? err.details.map((x) => x[ctx.lang]) : [err.messages[ctx.lang]];

/** The dictionary's pages: the public list and field pages, the dashboard's review, proposing and importing. */
export function dictionaryPages(app: Server, d: DictionaryPagesDeps): void {
  const { dictionary, masterData } = d;
  /** a name for each agency id (null: the platform's shared fields) in the page's language */
  const namer = async (ctx: PageContext, ids: (string | null)[]) => {
    const rows = await masterData.agenciesByIds([...new Set(ids.filter((x): x is string => !!x))]);
    const names = new Map(rows.map((a) => [a.id, ctx.lang === 'en' ? (a.name_en ?? a.name_vi) : a.name_vi]));
    return (id: string | null) => (id ? (names.get(id) ?? id) : ctx.t('dict.shared'));
  };
  /** the owners a user may name for a new field or an import: their agencies, and shared for a platform admin */
  const ownersOf = async (ctx: PageContext, user: User) => {
    const ids = [...user.roles].filter(([, r]) => r !== 'viewer').map(([a]) => a);
    const name = await namer(ctx, ids);
    const owners = ids.map((id) => ({ id, name: name(id) }));
    if (user.isPlatformAdmin && user.via === 'session') owners.push({ id: 'shared', name: ctx.t('dict.shared') });
    return owners;
  };

  app.get('/dictionary', { schema: { ...hide, querystring: DictionaryQuery } }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const q = req.query;
    const personal = (PERSONAL_FILTERS as readonly string[]).includes(q.personal ?? '') ? q.personal : undefined;
    const { rows, total } = await dictionary.search({ ...q, personal, limit: 200 });
    const ownerIds = await dictionary.owners();
    const name = await namer(ctx, ownerIds);
    const owners = ownerIds.map((id) => ({ id: id ?? 'shared', name: name(id) }));
    const filters = { q: q.q ?? '', agency: q.agency ?? '', personal: personal ?? '' };
    return sendHtml(
      reply,
      page(
        <DictionaryPage ctx={ctx} fields={rows.map(presentField)} total={total} filters={filters} owners={owners} />,
      ),
    );
  });

  app.get('/dictionary/:id', { schema: { ...hide, params: FieldParam } }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const f = presentField(await dictionary.get(req.params.id));
    const versions = (await dictionary.versions(f.id)).map(presentVersion);
    const name = await namer(ctx, [f.agency_id, ...versions.map((v) => v.proposed_agency)]);
    return sendHtml(reply, page(<FieldPage ctx={ctx} f={f} versions={versions} agencyName={name} />));
  });

  const review = async (
    req: FastifyRequest,
    reply: FastifyReply,
    shown: { notice?: string | null; problems?: string[]; pasted?: string },
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const user = userOf(req);
    const { toDecide, mine } = await dictionary.review.forUser(user);
    const all = [...toDecide, ...mine];
    const agencyName = await namer(
      ctx,
      all.flatMap((v) => [v.proposed_agency, v.owner_agency]),
    );
    // what a change proposal would replace, to show old → new (the approved field as it is now)
    const before = new Map<string, Record<string, unknown>>();
    for (const v of toDecide)
      if (v.base_version !== null && !before.has(v.field_id)) {
        const current = await dictionary.get(v.field_id).catch(() => null);
        if (current) before.set(v.field_id, current as unknown as Record<string, unknown>);
      }
    const view = {
      before,
      toDecide: toDecide.map(presentVersion),
      mine: mine.map(presentVersion),
      owners: await ownersOf(ctx, user),
      agencyName,
      notice: shown.notice ?? null,
      problems: shown.problems ?? [],
      pasted: shown.pasted ?? '',
    };
    return sendHtml(reply, page(<ReviewPage ctx={ctx} view={view} />), status);
  };

  app.get('/dashboard/dictionary', { schema: hide, preHandler: signedInPage() }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const done = (req.query as { done?: string }).done;
    const notice =
      done && ['approve', 'reject', 'propose', 'import'].includes(done) ? ctx.t(`dict.done.${done}`) : null;
    return review(req, reply, { notice });
  });

  app.post(
    '/dashboard/dictionary',
    { schema: hide, preHandler: signedInPage('/dashboard/dictionary') },
    async (req, reply) => {
      const ctx = pageContext(req, reply, d.baseUrl);
      const body = (req.body as FormBody | undefined) ?? {};
      const id = formValue(body, 'proposal', 36);
      const decision = formValue(body, 'decision', 10);
      if (!UUID.test(id) || (decision !== 'approve' && decision !== 'reject'))
        throw new DomainError('VALIDATION_FAILED');
      try {
        await dictionary.review.decide(userOf(req), id, { decision, comment: formValue(body, 'comment', 2000) });
      } catch (err) {
        if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
        return review(req, reply, { problems: messagesOf(err, ctx) }, err.status);
      }
      return reply.redirect(`/dashboard/dictionary?done=${decision}`, 303);
    },
  );

  /** A pasted or uploaded Table Schema imported as proposals; refused whole, with each bad field named. */
  const importText = async (req: FastifyRequest, reply: FastifyReply, owner: string, text: string, pasted: string) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    let schema: { fields?: unknown };
    try {
      schema = JSON.parse(text);
    } catch {
      return review(req, reply, { problems: [ctx.t('dict.import.errJson')], pasted }, 400);
    }
    const fields = schema && typeof schema === 'object' ? schema.fields : undefined;
    if (!Array.isArray(fields) || !fields.length || fields.length > 500)
      return review(req, reply, { problems: [ctx.t('dict.import.errFields')], pasted }, 400);
    if (owner !== 'shared' && !UUID.test(owner)) throw new DomainError('VALIDATION_FAILED');
    try {
      const agency = owner === 'shared' ? null : owner;
      await dictionary.review.importSchema(userOf(req), { agency_id: agency, schema: { fields } });
    } catch (err) {
      if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
      return review(req, reply, { problems: messagesOf(err, ctx), pasted }, err.status);
    }
    return reply.redirect('/dashboard/dictionary?done=import', 303);
  };

  app.post(
    '/dashboard/dictionary/import',
    { schema: hide, preHandler: signedInPage('/dashboard/dictionary') },
    (req, reply) => {
      const body = (req.body as FormBody | undefined) ?? {};
      const pasted = formValue(body, 'schema', 1_000_000);
      return importText(req, reply, formValue(body, 'agency_id', 36), pasted, pasted);
    },
  );

  // the same from a file: the CSRF token and the owner come as fields before the file
  app.post(
    '/dashboard/dictionary/import-file',
    { schema: hide, config: { multipartCsrf: true }, preHandler: signedInPage('/dashboard/dictionary') },
    async (req, reply) => {
      const part = await req.file();
      const field = (name: string) => {
        const f = part?.fields[name];
        return f && !Array.isArray(f) && f.type === 'field' ? String(f.value).slice(0, 300) : '';
      };
      verifyDeferredCsrf(req, field('_csrf'));
      if (!part) return importText(req, reply, field('agency_id'), '', '');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file) {
        size += chunk.length;
        if (size > MAX_SCHEMA_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE');
        chunks.push(chunk);
      }
      return importText(req, reply, field('agency_id'), Buffer.concat(chunks).toString('utf8'), '');
    },
  );

  const proposePage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    fieldId: string,
    shown: { values?: ReturnType<typeof emptyValues>; problems?: string[] },
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const user = userOf(req);
    const current = fieldId ? presentField(await dictionary.get(fieldId)) : null;
    const field = current
      ? { id: current.id, owner: (await namer(ctx, [current.agency_id]))(current.agency_id) }
      : null;
    const values = shown.values ?? (current ? valuesOf(current) : emptyValues());
    const owners = await ownersOf(ctx, user);
    const problems = shown.problems ?? [];
    return sendHtml(
      reply,
      page(<ProposePage ctx={ctx} values={values} field={field} owners={owners} problems={problems} />),
      status,
    );
  };

  app.get(
    '/dashboard/dictionary/propose',
    {
      schema: { ...hide, querystring: Type.Object({ field: Type.Optional(FieldParam.properties.id) }) },
      preHandler: signedInPage(),
    },
    (req, reply) => proposePage(req, reply, req.query.field ?? '', {}),
  );

  app.post(
    '/dashboard/dictionary/propose',
    { schema: hide, preHandler: signedInPage('/dashboard/dictionary') },
    async (req, reply) => {
      const ctx = pageContext(req, reply, d.baseUrl);
      const read = readProposal((req.body as FormBody | undefined) ?? {}, ctx.t);
      const fieldId = read.change ? read.values.id : '';
      if (!read.proposal) return proposePage(req, reply, fieldId, read, 400);
      // the form edits four constraints: a change keeps the others the field has (unique, lengths, enum)
      const current = read.change ? await dictionary.get(fieldId).catch(() => null) : null;
      if (current) {
        const { required: _r, pattern: _p, minimum: _min, maximum: _max, ...kept } = current.constraints ?? {};
        read.proposal.constraints = { ...kept, ...read.proposal.constraints };
      }
      try {
        await dictionary.review.propose(userOf(req), read.proposal);
      } catch (err) {
        if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
        return proposePage(req, reply, fieldId, { values: read.values, problems: messagesOf(err, ctx) }, err.status);
      }
      return reply.redirect('/dashboard/dictionary?done=propose', 303);
    },
  );
}
