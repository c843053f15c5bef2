import { presentMatch } from '../catalog/search-why.js';
import { requireAgencyRole, requireUser, type Principal } from '../accounts/principal.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { DatasetBody, DatasetPatch } from '../catalog/catalog.schema.js';
import { DomainError } from '../platform/errors.js';
import type { DatastoreService } from '../datastore/query/datastore.service.js';
import type { DatastoreSql } from '../datastore/query/sql.service.js';
import { MAX_ROWS } from '../datastore/query/datastore.service.js';
import { CKAN_TYPE } from '../datastore/load/convert.js';
import { CkanError } from './ckan.errors.js';
import { bool, int, list, str, type Params } from './ckan.params.js';
import { FIELD_MAP, parseFielded, parseSort, type Filters } from './ckan.query.js';
import { ckanGroup, ckanLicence, ckanOrganization, ckanPackage, ckanResource } from './ckan.presenter.js';
import { withTracking, type Tracking } from './ckan.tracking.js';

export interface ActionContext {
  principal: Principal;
  params: Params;
  method: string;
  /** the caller's address, to count an anonymous caller's queries against */
  address?: string;
}
type Action = (ctx: ActionContext) => Promise<unknown>;

const FACET_OUT: Record<string, string> = {
  agency: 'organization',
  theme: 'groups',
  format: 'res_format',
  licence: 'license_id',
  keyword: 'tags',
  province: 'province',
};

/** CKAN's `records_format=csv|tsv`: the records as one text, no header (the fields say the columns). */
function delimited(records: Record<string, unknown>[], names: string[], sep: string): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return records.map((r) => names.map((n) => cell(r[n])).join(sep)).join('\r\n') + (records.length ? '\r\n' : '');
}

export function ckanActions(
  catalog: CatalogService,
  md: MasterDataService,
  datastore: DatastoreService,
  baseUrl: string,
  datastoreSql: DatastoreSql,
  tracking?: Tracking,
): Record<string, Action> {
  const themes = () => md.themes();
  const requirePost = (ctx: ActionContext) => {
    if (ctx.method !== 'POST')
      throw new CkanError('Bad request', 400, 'Bad request - this action needs POST / Thao tác này cần POST');
  };

  /** Reads CKAN package fields into our data set fields. */
  const toDataset = async (p: Params, partial: boolean): Promise<Partial<DatasetBody>> => {
    const out: Partial<DatasetBody> = {};
    const name = str(p, 'name', { max: 100 });
    if (name) out.slug = name;
    const title = str(p, 'title', { max: 300, required: !partial });
    if (title) out.title_vi = title;
    const notes = str(p, 'notes', { max: 20000 });
    if (notes) out.description_vi = notes;
    else if (!partial && title) out.description_vi = title;
    const lic = str(p, 'license_id', { max: 40 });
    if (lic !== undefined) out.licence_id = lic;
    if (Array.isArray(p.tags))
      out.keywords = (p.tags as { name?: string }[]).map((t) => String(t?.name ?? '')).filter(Boolean);
    if (Array.isArray(p.groups)) {
      const all = await themes();
      out.themes = (p.groups as { name?: string }[]).map(
        (g) => all.find((t) => t.id.toLowerCase() === String(g?.name ?? '').toLowerCase())?.id ?? String(g?.name),
      );
    }
    const email = str(p, 'maintainer_email', { max: 254 });
    if (email) out.contact_email = email;
    const maintainer = str(p, 'maintainer', { max: 200 });
    if (maintainer) out.contact_name = maintainer;
    if (p.private === true || p.private === 'true') out.access_rights = 'restricted';
    for (const e of Array.isArray(p.extras) ? (p.extras as { key?: string; value?: string }[]) : []) {
      if (e?.key === 'title_en') out.title_en = String(e.value);
      if (e?.key === 'notes_en') out.description_en = String(e.value);
      if (e?.key === 'frequency') out.update_frequency = String(e.value) as DatasetBody['update_frequency'];
      if (e?.key === 'spatial_units')
        out.spatial = String(e.value)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
    }
    return out;
  };

  const showPackage = async (principal: Principal, id: string, tracked = false) => {
    const view = await catalog.datasets.get(principal, id);
    const pkg = ckanPackage(view, await themes(), baseUrl, await datastore.readyAmong(principal, [view]));
    return tracked ? (await withTracking([pkg], tracking))[0] : pkg;
  };

  return {
    status_show: async () => ({
      site_title: 'Cổng dữ liệu quốc gia (ndp)',
      site_description: 'National Data Platform',
      site_url: baseUrl,
      ckan_version: '2.10.4',
      error_emails_to: null,
      locale_default: 'vi',
      extensions: ['ndp', 'dcat'],
    }),

    package_search: async ({ principal, params }) => {
      const filters: Filters = {};
      const q = parseFielded(str(params, 'q', { max: 500 }) ?? '', filters);
      parseFielded(str(params, 'fq', { max: 2000 }) ?? '', filters);
      for (const extra of list(params, 'fq_list') ?? []) parseFielded(extra, filters);
      const rows = int(params, 'rows', 10, 0, 1000);
      const start = int(params, 'start', 0, 0, 100_000);
      const facetFields = bool(params, 'facet', true) ? (list(params, 'facet.field') ?? []) : [];
      for (const f of facetFields) {
        if (!(f in FIELD_MAP))
          throw new CkanError('Search Query Error', 409, `Unknown facet field “${f}” / Không hỗ trợ trường “${f}”`);
      }
      const facetLimit = int(params, 'facet.limit', 50, -1, 1000);
      const r = await catalog.search.search(principal, {
        q,
        ...filters,
        sort: parseSort(str(params, 'sort', { max: 100 })),
        limit: rows,
        offset: start,
        facetLimit: facetLimit < 0 ? 1000 : Math.max(facetLimit, 1),
        facets: facetFields.length > 0,
      });
      const all = await themes();
      const tables = await datastore.readyAmong(principal, r.results);
      const facets: Record<string, Record<string, number>> = {};
      const searchFacets: Record<
        string,
        { title: string; items: { name: string; display_name: string; count: number }[] }
      > = {};
      for (const f of facetFields) {
        const ours = FIELD_MAP[f as keyof typeof FIELD_MAP];
        const agencies = ours === 'agency' ? await md.agenciesByIds(r.facets.agency.map((a) => a.value)) : [];
        const items = r.facets[ours].map((x) => {
          // CKAN facets agencies and groups by name (slug), not by id.
          const name =
            ours === 'agency'
              ? (agencies.find((a) => a.id === x.value)?.slug ?? x.value)
              : ours === 'theme'
                ? x.value.toLowerCase()
                : x.value;
          const display =
            ours === 'theme' ? (all.find((t) => t.id === x.value)?.label_vi ?? x.value) : (x.label ?? name);
          return { name, display_name: display, count: x.count };
        });
        facets[f] = Object.fromEntries(items.map((i) => [i.name, i.count]));
        searchFacets[f] = { title: FACET_OUT[ours] ?? f, items };
      }
      return {
        count: r.total,
        sort: str(params, 'sort') ?? 'score desc, metadata_modified desc',
        facets,
        search_facets: searchFacets,
        // CKAN has no such field; ndp_match says why a package was found (the words it matched, the columns of its data)
        results: await withTracking(
          r.results.map((v) => {
            const match = presentMatch(r.matches[v.dataset.id]);
            const pkg = ckanPackage(v, all, baseUrl, tables);
            return match ? { ...pkg, ndp_match: match } : pkg;
          }),
          bool(params, 'include_tracking', false) ? tracking : undefined,
        ),
      };
    },

    package_show: async ({ principal, params }) =>
      showPackage(principal, str(params, 'id', { required: true, max: 120 })!, bool(params, 'include_tracking', false)),

    // CKAN's activity stream, from the data set's public change history: what and when, never who
    package_activity_list: async ({ principal, params }) => {
      const view = await catalog.datasets.get(principal, str(params, 'id', { required: true, max: 120 })!);
      const from = int(params, 'offset', 0, 0, 1000);
      const all = await catalog.history.of(view, (id) => datastore.versionsOf(id));
      const type = { created: 'new package', withdrawn: 'deleted package' } as Record<string, string>;
      return all.slice(from, from + int(params, 'limit', 31, 1, 100)).map(({ at, ...change }) => ({
        ...{ id: `${view.dataset.id}-${at.getTime()}-${change.kind}`, timestamp: at.toISOString() },
        ...{ object_id: view.dataset.id, activity_type: type[change.kind] ?? 'changed package' },
        data: { ndp_change: change },
      }));
    },
    package_list: async ({ params }) =>
      catalog.datasets.publishedSlugs(int(params, 'limit', 1000, 1, 1000), int(params, 'offset', 0, 0, 10_000_000)),

    package_create: async (ctx) => {
      requirePost(ctx);
      const { principal, params } = ctx;
      // CKAN checks authorisation before it validates: a stranger learns nothing about what a valid body is
      requireUser(principal);
      const org = str(params, 'owner_org', { required: true, max: 120 })!;
      const agency = await md.agency(org);
      requireAgencyRole(principal, agency.id, 'agency_editor');
      const body = { ...(await toDataset(params, false)), agency_id: agency.id } as DatasetBody;
      const view = await catalog.datasets.create(principal, body);
      for (const r of Array.isArray(params.resources) ? (params.resources as Params[]) : []) {
        const url = str(r, 'url', { required: true, max: 2000 })!;
        await catalog.datasets.addLink(principal, view.dataset.id, {
          url,
          title_vi: str(r, 'name', { max: 300 }) ?? url,
          description: str(r, 'description', { max: 5000 }),
          format: str(r, 'format', { max: 20 }),
        });
      }
      // CKAN creates active data sets; we publish when the record is complete, else leave a draft.
      if ((str(params, 'state') ?? 'active') === 'active') {
        try {
          await catalog.datasets.setStatus(principal, view.dataset.id, 'published');
        } catch (err) {
          if (!(err instanceof DomainError && err.code === 'INVALID_STATE')) throw err;
        }
      }
      return showPackage(principal, view.dataset.id);
    },

    package_patch: async (ctx) => {
      requirePost(ctx);
      const { principal, params } = ctx;
      const id = str(params, 'id', { required: true, max: 120 })!;
      const patch = (await toDataset(params, true)) as DatasetPatch;
      if (Object.keys(patch).length) await catalog.datasets.update(principal, id, patch);
      const state = str(params, 'state');
      if (state)
        await catalog.datasets.setStatus(
          principal,
          id,
          state === 'active' ? 'published' : state === 'draft' ? 'draft' : 'archived',
        );
      return showPackage(principal, id);
    },

    organization_list: async ({ params }) => {
      const all = bool(params, 'all_fields', false);
      const { rows } = await md.listAgencies({
        limit: int(params, 'limit', 1000, 1, 1000),
        offset: int(params, 'offset', 0, 0, 1_000_000),
        q: str(params, 'q', { max: 200 }),
      });
      if (!all) return rows.map((a) => a.slug);
      const counts = await catalog.datasets.publishedCounts(rows.map((a) => a.id));
      return rows.map((a) => ckanOrganization(a, counts.get(a.id) ?? 0));
    },

    organization_show: async ({ principal, params }) => {
      const agency = await md.agency(str(params, 'id', { required: true, max: 120 })!);
      const r = await catalog.search.search(principal, {
        agency: [agency.id],
        limit: bool(params, 'include_datasets', false) ? 10 : 0,
        offset: 0,
        facetLimit: 1,
        facets: false,
      });
      const all = await themes();
      const tables = await datastore.readyAmong(principal, r.results);
      return {
        ...ckanOrganization(agency, r.total),
        packages: r.results.map((v) => ckanPackage(v, all, baseUrl, tables)),
        users: [],
      };
    },

    group_list: async ({ params }) => {
      const all = await themes();
      return bool(params, 'all_fields', false) ? all.map((t) => ckanGroup(t)) : all.map((t) => t.id.toLowerCase());
    },

    group_show: async ({ params }) => {
      const id = str(params, 'id', { required: true, max: 60 })!.toLowerCase();
      const t = (await themes()).find((x) => x.id.toLowerCase() === id);
      if (!t) throw new CkanError('Not Found Error', 404, 'Group not found / Không tìm thấy nhóm');
      return ckanGroup(t);
    },

    tag_list: async ({ params }) => {
      const rows = await catalog.datasets.keywordCounts(
        int(params, 'limit', 1000, 1, 5000),
        str(params, 'query', { max: 80 }),
      );
      return bool(params, 'all_fields', false)
        ? rows.map((r) => ({ id: r.keyword, name: r.keyword, vocabulary_id: null }))
        : rows.map((r) => r.keyword);
    },

    license_list: async () => (await md.licences()).map(ckanLicence),

    datastore_search: async ({ principal, params }) => {
      const resourceId = str(params, 'resource_id', { required: true, max: 60 }) ?? str(params, 'id');
      let filters: Record<string, unknown> = {};
      if (params.filters !== undefined && params.filters !== '') {
        try {
          filters =
            typeof params.filters === 'string'
              ? JSON.parse(params.filters)
              : (params.filters as Record<string, unknown>);
        } catch {
          throw new CkanError('Validation Error', 409, 'filters: not a JSON object / không phải đối tượng JSON', {
            filters: ['Must be a JSON object / Phải là đối tượng JSON'],
          });
        }
        if (!filters || typeof filters !== 'object' || Array.isArray(filters))
          throw new CkanError('Validation Error', 409, 'filters must be an object', {
            filters: ['Must be a JSON object / Phải là đối tượng JSON'],
          });
      }
      const fieldsRaw = params.fields;
      const fields = Array.isArray(fieldsRaw)
        ? fieldsRaw.map(String)
        : typeof fieldsRaw === 'string' && fieldsRaw
          ? fieldsRaw.trim().startsWith('[')
            ? (list(params, 'fields') ?? [])
            : fieldsRaw.split(',').map((f) => f.trim())
          : undefined;
      const limit = int(params, 'limit', 100, 0, MAX_ROWS);
      const offset = int(params, 'offset', 0, 0, 100_000_000);
      const format = str(params, 'records_format') ?? 'objects';
      if (!['objects', 'lists', 'csv', 'tsv'].includes(format))
        throw new CkanError('Validation Error', 409, 'records_format: objects, lists, csv or tsv', {
          records_format: ['objects, lists, csv or tsv / objects, lists, csv hoặc tsv'],
        });
      const distinct = bool(params, 'distinct', false);
      const r = await datastore.search(principal, resourceId!, {
        filters,
        q: str(params, 'q', { max: 200 }),
        fields,
        sort: str(params, 'sort', { max: 500 }),
        limit,
        offset,
        distinct,
      });
      const names = [...(distinct ? [] : ['_id']), ...r.fields.map((f) => f.id)];
      const link = (o: number) =>
        `/api/3/action/datastore_search?resource_id=${encodeURIComponent(resourceId!)}${o ? `&offset=${o}` : ''}${limit !== 100 ? `&limit=${limit}` : ''}`;
      return {
        resource_id: resourceId,
        records_format: format,
        limit,
        offset,
        total: r.total,
        total_was_estimated: false,
        fields: [
          ...(distinct ? [] : [{ id: '_id', type: 'int' }]),
          ...r.fields.map((f) => ({ id: f.id, type: CKAN_TYPE[f.type], info: { label: f.title } })),
        ],
        records:
          format === 'objects'
            ? r.records
            : format === 'lists'
              ? r.records.map((rec) => names.map((n) => rec[n]))
              : delimited(r.records, names, format === 'csv' ? ',' : '\t'),
        _links: { start: link(0), next: link(offset + limit) },
      };
    },

    datastore_search_sql: async ({ principal, params, address }) => {
      const text = str(params, 'sql', { required: true, max: 20_000 })!;
      const r = await datastoreSql.run(principal, text, address);
      return { sql: text, records: r.records, fields: r.fields, ...(r.truncated ? { records_truncated: true } : {}) };
    },

    datastore_info: async ({ principal, params }) => {
      const resourceId = str(params, 'resource_id', { max: 60 }) ?? str(params, 'id', { required: true, max: 60 })!;
      const table = await datastore.table(principal, resourceId);
      return {
        meta: {
          id: resourceId,
          count: Number(table.row_count),
          table_type: 'BASE TABLE',
          version: table.version,
          rejected: Number(table.rejected_count),
        },
        fields: table.columns.map((c) => ({
          id: c.id,
          type: CKAN_TYPE[c.type],
          info: { label: c.title },
          schema: { native_type: c.type, inferred: c.inferred },
        })),
      };
    },

    resource_show: async ({ principal, params }) => {
      const { distribution, dataset } = await catalog.datasets.distribution(
        principal,
        str(params, 'id', { required: true, max: 60 })!,
      );
      const tables = await datastore.readyAmong(principal, [{ dataset, distributions: [distribution] }]);
      return ckanResource(distribution, baseUrl, tables.has(distribution.id));
    },
  };
}
