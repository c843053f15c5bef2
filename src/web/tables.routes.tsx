import type { Server } from '../platform/http.js';
import { DomainError } from '../platform/errors.js';
import { hasAgencyRole } from '../accounts/principal.js';
import type { DeidentifyMethod, PrivacyGate } from '../quality/privacy/privacy.service.js';

const DEIDENTIFY = new Set(['drop', 'mask', 'hash', 'year', 'address']);
const DECISIONS = new Set<string>(['publish', 'discard', 'current'] satisfies VersionDecision[]);
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { DatastoreService, VersionDecision } from '../datastore/query/datastore.service.js';
import type { PlacesService } from '../datastore/places/places.service.js';
import type { LoadedColumn } from '../datastore/load/loader.js';
import { encodeCursor, parseView } from '../datastore/query/view.js';
import { page } from './layout.js';
import { pageContext } from './web.context.js';
import { sendHtml, type FormBody } from './session.js';
import { signedInPage, userOf } from '../accounts/guards.js';
import { TablePage, type ChartSpec, type TablePageData } from './pages/table.js';
import { canMapPoints, tableChart } from './table-chart.js';
import { TableReportPage } from './pages/table-report.js';
import { numberFormatField, switchedNumberField } from './table-number-format.js';
import { isYearColumn, schemaNotes } from './table-cells.js';
import { filterChips } from './table-filter-chip.js';
import { formFilter, PAGE_KEYS, pairsOf, type Query } from './table-filter-form.js';

const PAGE_ROWS = 50;
const TYPE_TO_SCHEMA: Record<string, string> = {
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  text: 'string',
  geometry: 'geojson',
};

/** The table preview and chart for everyone; the load report and re-typing for the publisher. */
export function tablePages(
  app: Server,
  catalog: CatalogService,
  datastore: DatastoreService,
  baseUrl: string,
  privacy?: PrivacyGate,
  masterData?: MasterDataService,
  places?: PlacesService,
) {
  app.get('/dataset/:slug/table/:id', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const { slug, id } = req.params as { slug: string; id: string };
    const q = req.query as Query;
    const base = `/dataset/${slug}/table/${id}`;
    const view = await catalog.datasets.get(req.principal, slug);
    const distribution = view.distributions.find((x) => x.id === id);
    if (!distribution) throw new DomainError('NOT_FOUND');
    const table = await datastore.version(req.principal, id);
    // The filter form posts column, operator and value: fold them into the view's own syntax and show a clean URL.
    if (typeof q.f_column === 'string' && typeof q.f_op === 'string') {
      const pairs = [...pairsOf(q), ...[formFilter(table.columns, q, ctx.lang)].flatMap((f) => (f ? [f] : []))];
      return reply.redirect(`${base}${pairs.length ? `?${new URLSearchParams(pairs)}` : ''}`, 303);
    }
    const viewQuery: Query = Object.fromEntries(Object.entries(q).filter(([k]) => !PAGE_KEYS.has(k)));
    const v = parseView(table.columns, viewQuery, PAGE_ROWS);
    const rows = await datastore.page(table, v, v.after, PAGE_ROWS);
    const pairs = pairsOf(q);
    const last = rows[rows.length - 1];
    const next =
      rows.length === PAGE_ROWS && last
        ? `${base}?${new URLSearchParams([...pairs, ['after', encodeCursor(v.order.map((_, i) => last[`_k${i}`]))]])}`
        : null;
    const firstOrder = v.order[0];
    // a column's title: the Table Schema's `title` for its field, else its header in the file
    const notes = schemaNotes(distribution.table_schema);
    const note = (c: LoadedColumn) => notes.get(c.title) ?? notes.get(c.id);
    const title = (c: LoadedColumn) => note(c)?.title ?? (c.title || c.id);

    const groups = table.columns.filter((c) => c.type !== 'geometry' && c.type !== 'number');
    const numbers = table.columns.filter((c) => c.type === 'integer' || c.type === 'number');
    const requested: ChartSpec | null =
      typeof q.chart === 'string'
        ? { kind: q.chart as ChartSpec['kind'], x: String(q.x ?? ''), y: String(q.y ?? 'count') }
        : null;
    const { chart, mapHelp } = requested
      ? await tableChart(datastore, masterData, {
          table,
          viewQuery,
          view: v,
          spec: requested,
          groups,
          numbers,
          rows,
          title,
          t: ctx.t,
        })
      : { chart: null, mapHelp: null };

    const data: TablePageData = {
      dataset: {
        slug: view.dataset.slug,
        title: ctx.lang === 'en' && view.dataset.title_en ? view.dataset.title_en : view.dataset.title_vi,
      },
      distribution: { id, title: distribution.title_vi },
      table: {
        id: table.id,
        version: table.version,
        rows: Number(table.row_count),
        // with filters, how many rows they keep: the page says so rather than the table's size
        matched: v.filters.length ? await datastore.count(table, v) : null,
        loadedAt: (table.finished_at ?? table.created_at).toISOString(),
      },
      columns: table.columns.map((c) => ({
        id: c.id,
        title: title(c),
        type: c.type,
        year: isYearColumn(
          c,
          rows.map((r) => r[c.id]),
        ),
      })),
      rows: rows.map((r) =>
        Object.fromEntries(
          table.columns.map((c) => [c.id, r[c.id] instanceof Date ? (r[c.id] as Date).toISOString() : r[c.id]]),
        ),
      ),
      query: pairs,
      filters: filterChips(pairs, table.columns, title, ctx.t, ctx.lang),
      order: firstOrder && firstOrder.key !== '_row' ? { column: firstOrder.key.id, desc: firstOrder.desc } : null,
      next,
      chart,
      requested,
      mapHelp,
      chartable: {
        groups: groups.map((c) => ({ id: c.id, title: title(c), type: c.type })),
        numbers: numbers.map((c) => ({ id: c.id, title: title(c), type: c.type })),
        map: canMapPoints(table.columns),
      },
    };
    return sendHtml(reply, page(<TablePage ctx={ctx} data={data} />));
  });

  app.get(
    '/dashboard/distributions/:id/table',
    { schema: { hide: true }, preHandler: signedInPage() },
    async (req, reply) => {
      const user = userOf(req);
      const ctx = pageContext(req, reply, baseUrl);
      const { id } = req.params as { id: string };
      const { distribution, dataset, versions, rejections } = await datastore.loadReport(user, id);
      const latest = versions[0];
      const q = req.query as {
        retyped?: string;
        signed?: string;
        deidentified?: string;
        published?: string;
        current?: string;
        discarded?: string;
        coded?: string;
      };
      const decided = Number(q.published ?? q.current ?? q.discarded);
      const notice = q.retyped
        ? ctx.t('table.report.retyped')
        : q.signed
          ? ctx.t('privacy.signed')
          : q.deidentified
            ? ctx.t('privacy.deidentified')
            : Number.isInteger(decided) && decided > 0
              ? ctx.t(q.discarded ? 'table.report.discarded' : 'table.report.nowCurrent', { version: decided })
              : q.coded
                ? ctx.t('table.report.places.done', { column: String(q.coded).slice(0, 50) })
                : null;
      const personal = privacy && latest?.status === 'ready' ? await privacy.status(user, id) : null;
      const canSign = hasAgencyRole(user, dataset.agency_id, 'agency_admin');
      // place-name columns of the current version (recognised once, then kept in its report)
      // (a failure there leaves the section out: the rest of the report still shows)
      const placeColumns =
        places && versions.some((v) => v.current)
          ? await places.places(user, id).catch((err: unknown) => {
              req.log.warn({ err, distributionId: id }, 'place names of the load report');
              return null;
            })
          : null;
      return sendHtml(
        reply,
        page(
          <TableReportPage
            ctx={ctx}
            dataset={{ slug: dataset.slug, title: dataset.title_vi }}
            distribution={{ id, title: distribution.title_vi }}
            versions={versions}
            rejections={rejections}
            notice={notice}
            personal={personal}
            canSign={canSign}
            places={placeColumns}
          />,
        ),
      );
    },
  );

  // the load report's buttons: publish or discard a pending version, make a ready one current again
  app.post(
    '/dashboard/distributions/:id/versions/:version/:decision',
    { schema: { hide: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const { id, version, decision } = req.params as { id: string; version: string; decision: string };
      const n = Number(version);
      if (!DECISIONS.has(decision) || !/^[1-9]\d{0,8}$/.test(version)) throw new DomainError('NOT_FOUND');
      await datastore.decide(user, id, n, decision as VersionDecision);
      const done = decision === 'publish' ? 'published' : decision === 'discard' ? 'discarded' : 'current';
      return reply.redirect(`/dashboard/distributions/${id}/table?${done}=${n}`, 303);
    },
  );

  app.post(
    '/dashboard/distributions/:id/privacy/signoff',
    { schema: { hide: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const { id } = req.params as { id: string };
      const reason = String((req.body as FormBody | undefined)?.reason ?? '')
        .trim()
        .slice(0, 2000);
      if (reason.length < 20)
        throw new DomainError(
          'VALIDATION_FAILED',
          { vi: 'Lý do cần ít nhất 20 ký tự.', en: 'The reason needs at least 20 characters.' },
          [{ field: 'reason', vi: 'Lý do cần ít nhất 20 ký tự.', en: 'The reason needs at least 20 characters.' }],
        );
      await privacy!.signOff(user, id, reason);
      return reply.redirect(`/dashboard/distributions/${id}/table?signed=1`, 303);
    },
  );

  app.post(
    '/dashboard/distributions/:id/privacy/deidentify',
    { schema: { hide: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const { id } = req.params as { id: string };
      const body = (req.body ?? {}) as FormBody;
      const actions = Object.entries(body).flatMap(([k, v]) =>
        k.startsWith('method_') && typeof v === 'string' && DEIDENTIFY.has(v)
          ? [{ column: k.slice(7, 127), method: v as DeidentifyMethod }]
          : [],
      );
      if (!actions.length)
        throw new DomainError('VALIDATION_FAILED', {
          vi: 'Hãy chọn cách xử lý cho ít nhất một cột.',
          en: 'Choose what to do with at least one column.',
        });
      await privacy!.deidentify(user, id, actions);
      return reply.redirect(`/dashboard/distributions/${id}/table?deidentified=1`, 303);
    },
  );

  app.post(
    '/dashboard/distributions/:id/types',
    { schema: { hide: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const { id } = req.params as { id: string };
      const body = (req.body ?? {}) as FormBody;
      const latest = (await datastore.versions(user, id))[0];
      if (!latest) throw new DomainError('NOT_FOUND');
      const { distribution } = await catalog.datasets.distribution(user, id);
      const existing =
        (distribution.table_schema as { fields?: { name: string; type: string }[] } | null)?.fields ?? [];
      // One field per loaded column, by its title in the file: the types chosen here, the rest of an existing schema kept.
      const fields = latest.columns
        .filter((c) => !c.derivedFrom)
        .map((c) => {
          const chosen = body[`type_${c.id}`];
          const type =
            typeof chosen === 'string' && chosen in TYPE_TO_SCHEMA ? TYPE_TO_SCHEMA[chosen]! : TYPE_TO_SCHEMA[c.type]!;
          return numberFormatField(
            { ...(existing.find((f) => f.name === c.title) ?? {}), name: c.title, type },
            body[`format_${c.id}`],
          );
        });
      await catalog.datasets.setTableSchema(user, id, {
        ...((distribution.table_schema as object | null) ?? {}),
        fields,
      });
      return reply.redirect(`/dashboard/distributions/${id}/table?retyped=1`, 303);
    },
  );

  // The load report's offer: a column of GSO codes from a column of place names, on the current version.
  app.post(
    '/dashboard/distributions/:id/places',
    { schema: { hide: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const { id } = req.params as { id: string };
      const body = (req.body ?? {}) as FormBody;
      const column = typeof body.column === 'string' ? body.column.slice(0, 63) : '';
      const vintage = body.vintage === 'pre-2025' ? 'pre-2025' : body.vintage === '2025' ? '2025' : null;
      if (!column || !vintage || !places)
        throw new DomainError('VALIDATION_FAILED', {
          vi: 'Hãy chọn cột địa danh và loại mã.',
          en: 'Choose the column of place names and the codes wanted.',
        });
      const added = await places.addCodeColumn(user, id, { column, vintage });
      return reply.redirect(`/dashboard/distributions/${id}/table?coded=${encodeURIComponent(added.column)}`, 303);
    },
  );

  // The load report's one-click switch: the other reading of a number column the file left ambiguous, then a reload.
  app.post(
    '/dashboard/distributions/:id/number-format',
    { schema: { hide: true }, preHandler: signedInPage('/dashboard') },
    async (req, reply) => {
      const user = userOf(req);
      const { id } = req.params as { id: string };
      const body = (req.body ?? {}) as FormBody;
      const latest = (await datastore.versions(user, id))[0];
      const { distribution } = await catalog.datasets.distribution(user, id);
      const schema = (distribution.table_schema as { fields?: { name: string; type: string }[] } | null) ?? {};
      const fields = switchedNumberField(latest, schema.fields ?? [], body.column, body.style);
      await catalog.datasets.setTableSchema(user, id, { ...schema, fields });
      return reply.redirect(`/dashboard/distributions/${id}/table?retyped=1`, 303);
    },
  );
}
