import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Server } from '../../../platform/http.js';
import { DomainError } from '../../../platform/errors.js';
import { signedInPage } from '../../../accounts/guards.js';
import { publicUser } from '../../../identity/guards.js';
import { page } from '../../../web/layout.js';
import { formValue, sendHtml, type FormBody } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import type { DatasetLookup } from '../../datasets.js';
import { REUSE_KINDS, type ReuseKind } from '../reuses.repository.js';
import type { ReuseBody } from '../reuses.schema.js';
import type { ReusesService } from '../reuses.service.js';
import { ReuseFormPage, type ReuseForm } from './reuse-form.js';
import { ReusePage } from './reuse-page.js';
import { ReusesListPage } from './reuses-list.js';

const hide = { hide: true };
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const PER_PAGE = 20;
/** An error the submitter or moderator can correct, shown on the page instead of an error page. */
const SHOWN = ['VALIDATION_FAILED', 'INVALID_STATE', 'TOO_MANY_ATTEMPTS'];
const en = (req: FastifyRequest) => ((req.query as { lang?: string }).lang === 'en' ? '?lang=en' : '');

export interface ReusePagesDeps {
  reuses: ReusesService;
  datasets: DatasetLookup;
  baseUrl: string;
}

/** The reuses' pages: the listing, a reuse's page, the form to submit or edit one, the moderators' hide. */
export function reusePages(app: Server, d: ReusePagesDeps): void {
  const { reuses } = d;

  app.get('/reuses', { schema: hide }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const q = req.query as { kind?: string; dataset?: string; page?: string };
    const kind = (REUSE_KINDS as readonly string[]).includes(q.kind ?? '') ? (q.kind as ReuseKind) : undefined;
    const dataset = String(q.dataset ?? '')
      .trim()
      .slice(0, 200);
    const n = Number(q.page);
    const at = Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
    const r = await reuses.list({ kind, dataset: dataset || undefined }, at, PER_PAGE);
    const filter = { kind: kind ?? '', dataset };
    return sendHtml(
      reply,
      page(<ReusesListPage ctx={ctx} items={r.items} total={r.total} page={at} perPage={PER_PAGE} filter={filter} />),
    );
  });

  const formPage = async (req: FastifyRequest, reply: FastifyReply, f: ReuseForm, status = 200) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    return sendHtml(reply, page(<ReuseFormPage ctx={ctx} f={f} />), status);
  };

  const empty = (): ReuseForm => ({
    id: null,
    kind: 'application',
    title: '',
    description: '',
    url: '',
    image_url: '',
    ticked: [],
    other: '',
    offered: [],
    q: '',
    errors: {},
  });

  app.get('/reuses/new', { schema: hide, preHandler: publicUser() }, async (req, reply) => {
    const q = req.query as { dataset?: string; q?: string };
    const from = String(q.dataset ?? '').slice(0, 200);
    const search = String(q.q ?? '')
      .trim()
      .slice(0, 200);
    const offered = [
      ...(from ? await d.datasets.published([from]) : []),
      ...(search ? await d.datasets.search(search, 10) : []),
    ];
    return formPage(req, reply, { ...empty(), offered: unique(offered), ticked: from ? [from] : [], q: search });
  });

  /** Reads the form, calls the service, shows the mistakes by field in the reader's language. */
  const save = async (req: FastifyRequest, reply: FastifyReply, id: string | null) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const body = (req.body as FormBody | undefined) ?? {};
    const ticked = [body.datasets ?? []]
      .flat()
      .map((x) => String(x).slice(0, 200))
      .slice(0, 40);
    const other = formValue(body, 'other', 4000);
    const kind = formValue(body, 'kind', 40);
    const input: ReuseBody = {
      kind: (REUSE_KINDS as readonly string[]).includes(kind) ? (kind as ReuseKind) : 'other',
      title: formValue(body, 'title', 400),
      description: formValue(body, 'description', 8000),
      url: formValue(body, 'url', 2000),
      image_url: formValue(body, 'image_url', 2000),
      datasets: [...ticked, ...other.split(/[\s,]+/).filter(Boolean)].slice(0, 40),
    };
    try {
      const r = id ? await reuses.edit(req.publicUser, id, input) : await reuses.submit(req.publicUser, input);
      return reply.redirect(`/reuses/${r.row.id}?saved=1${ctx.lang === 'en' ? '&lang=en' : ''}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
      const errors: Record<string, string> = {};
      for (const x of err.details) errors[x.field ?? 'form'] = x[ctx.lang];
      if (!err.details.length) errors.form = err.messages[ctx.lang];
      const offered = await d.datasets.published(ticked);
      const f: ReuseForm = { ...input, image_url: input.image_url ?? '', id, ticked, other, offered, q: '', errors };
      return formPage(req, reply, f, err.status);
    }
  };

  const writes = { schema: hide, config: { publicSession: true }, preHandler: publicUser() };
  app.post('/reuses/new', writes, (req, reply) => save(req, reply, null));

  app.get('/reuses/:id', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const r = await reuses.get(req.params.id, { publicUser: req.publicUser, principal: req.principal });
    const q = req.query as { saved?: string; hidden?: string };
    const notice = q.saved ? ctx.t('reuses.saved') : q.hidden ? ctx.t('reuses.hide.done') : null;
    const own = r.row.public_user_id === req.publicUser?.userId;
    return sendHtml(
      reply,
      page(
        <ReusePage
          ctx={ctx}
          r={r}
          own={own}
          canHide={reuses.canHide(req.principal, r)}
          notice={notice}
          hideError={null}
        />,
      ),
    );
  });

  app.get('/reuses/:id/edit', { schema: { ...hide, params: Id }, preHandler: publicUser() }, async (req, reply) => {
    const r = await reuses.get(req.params.id, { publicUser: req.publicUser, principal: req.principal });
    if (r.row.public_user_id !== req.publicUser?.userId) throw new DomainError('NOT_FOUND');
    const x = r.row;
    const slugs = r.datasets.filter((ds) => ds.published).map((ds) => ds.slug);
    return formPage(req, reply, {
      ...empty(),
      id: x.id,
      kind: x.kind,
      title: x.title,
      description: x.description,
      url: x.url,
      image_url: x.image_url ?? '',
      ticked: slugs,
      offered: r.datasets.filter((ds) => ds.published),
    });
  });
  app.post('/reuses/:id/edit', { ...writes, schema: { ...hide, params: Id } }, (req, reply) =>
    save(req, reply, req.params.id),
  );

  app.post('/reuses/:id/withdraw', { ...writes, schema: { ...hide, params: Id } }, async (req, reply) => {
    await reuses.withdraw(req.publicUser, req.params.id);
    return reply.redirect(`/reuses${en(req)}`, 303);
  });

  app.post('/reuses/:id/hide', { schema: { ...hide, params: Id }, preHandler: signedInPage() }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const reason = formValue((req.body as FormBody | undefined) ?? {}, 'reason', 4000);
    try {
      await reuses.hide(req.principal, req.params.id, reason);
    } catch (err) {
      if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
      const r = await reuses.get(req.params.id, { publicUser: null, principal: req.principal });
      const message = err.details[0]?.[ctx.lang] ?? err.messages[ctx.lang];
      return sendHtml(
        reply,
        page(<ReusePage ctx={ctx} r={r} own={false} canHide notice={null} hideError={message} />),
        err.status,
      );
    }
    return reply.redirect(`/reuses/${req.params.id}?hidden=1${ctx.lang === 'en' ? '&lang=en' : ''}`, 303);
  });
}

const unique = <T extends { id: string }>(xs: T[]) => [...new Map(xs.map((x) => [x.id, x])).values()];
