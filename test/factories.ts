import { Readable } from 'node:stream';
import type { Role, User } from '../src/accounts/principal.js';
import type { DatasetBody, LinkBody } from '../src/catalog/catalog.schema.js';
import type { ProcedureBody } from '../src/services/procedures/procedures.schema.js';
import { seedDictionary } from '../src/catalog/dictionary/seed.js';
import { type LoadResult, loadTable } from '../src/datastore/load/loader.js';
import { type Harness, multipart, PASSWORD } from './harness.js';

/*
 * Test factories, in the manner of Outline's `buildUser()` / `buildDocument({ userId, teamId })`: each builds one
 * thing through the same services and API a test would call, with a default for every field and unique values per
 * call, and hands back what the next factory or the test needs. Pass what a test depends on; leave the rest to the
 * defaults (their exact values are not part of any contract: the counter runs on across the files of a worker).
 */

let sequence = 0;
const next = () => ++sequence;

/** A small, real table: provinces after the 2025 merger, with their population. */
export const PROVINCES_CSV =
  'ma_tinh,ten_tinh,dan_so\n01,Hà Nội,8435650\n79,Hồ Chí Minh,14002598\n48,Đà Nẵng,3065628\n';

export interface AgencyUser {
  /** the agency's key, e.g. `bo-tai-chinh` */
  agency: string;
  agencyId: string;
  role: Role;
  userId: string;
  email: string;
  /** an API token of the user in the agency */
  token: string;
  /** `{ authorization: 'Bearer …' }`, to spread into `h.inject` headers */
  auth: { authorization: string };
  /** the token's principal, for calling services directly */
  principal: User;
}

export interface AgencyUserOptions {
  agency?: string;
  role?: Role;
  /** given when the test signs in or looks for the address; unique by default */
  email?: string;
}

/** A user holding `role` (an editor by default) in `agency` (the Ministry of Finance by default), with a token. */
export async function buildAgencyUser(h: Harness, opts: AgencyUserOptions = {}): Promise<AgencyUser> {
  const { agency = 'bo-tai-chinh', role = 'agency_editor', email } = opts;
  const t = await h.tokenFor(agency, role, email);
  return {
    agency,
    role,
    ...t,
    auth: { authorization: `Bearer ${t.token}` },
    principal: await h.app.services.accounts.fromToken(t.token),
  };
}

export interface Session extends AgencyUser {
  /** the session cookie, `name=value`, for a `cookie` header */
  cookie: string;
  csrf: string;
}

/** A user signed in to the portal (a page session), built unless `user` is given. */
export async function buildSession(h: Harness, opts: AgencyUserOptions & { user?: AgencyUser } = {}): Promise<Session> {
  const user = opts.user ?? (await buildAgencyUser(h, opts));
  return { ...user, ...(await h.signIn(user.email, PASSWORD)) };
}

export interface DatasetOptions extends Partial<Omit<DatasetBody, 'agency_id'>> {
  /** the publisher; an editor of `agency` is built when absent */
  user?: AgencyUser;
  agency?: string;
  /** `draft` by default; `published` adds `links` (or one link when none are given) first */
  status?: 'draft' | 'published';
  /** links to data held elsewhere, added before the status changes */
  links?: LinkBody[];
}

export interface Dataset {
  id: string;
  slug: string;
  title_vi: string;
  agencyId: string;
  user: AgencyUser;
}

/**
 * A data set created by its agency's editor through the catalog service. Open data gets the CC BY 4.0 licence and
 * restricted data the `restricted` one unless `licence_id` says otherwise, so that either can be published.
 */
export async function buildDataset(h: Harness, opts: DatasetOptions = {}): Promise<Dataset> {
  const { user: given, agency, status = 'draft', links, ...fields } = opts;
  const user = given ?? (await buildAgencyUser(h, { agency }));
  const { datasets } = h.app.services.catalog;
  // a field given as undefined takes its default, as one left out does
  const overrides: Partial<DatasetBody> = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const access = fields.access_rights ?? 'public';
  const v = await datasets.create(user.principal, {
    agency_id: user.agencyId,
    title_vi: `Dân số các tỉnh, thành phố năm 2025 (${next()})`,
    description_vi: 'Số dân thường trú chia theo tỉnh, thành phố.',
    licence_id: access === 'public' ? 'CC-BY-4.0' : 'restricted',
    access_rights: access,
    ...overrides,
  });
  const dataset = {
    id: v.dataset.id,
    slug: v.dataset.slug,
    title_vi: v.dataset.title_vi,
    agencyId: user.agencyId,
    user,
  };
  const toAdd =
    links ?? (status === 'published' ? [{ title_vi: 'CSV', url: `https://example.org/${dataset.slug}.csv` }] : []);
  for (const link of toAdd) await datasets.addLink(user.principal, dataset.id, link);
  if (status === 'published') await publishDataset(h, dataset);
  return dataset;
}

/** Publishes a data set as its editor (through the service, with every check publishing makes). */
export async function publishDataset(h: Harness, dataset: Dataset): Promise<void> {
  await h.app.services.catalog.datasets.setStatus(dataset.user.principal, dataset.id, 'published');
}

export interface DistributionOptions {
  /** the data set it belongs to; a draft is built (by `user` when given) when absent */
  dataset?: Dataset;
  user?: AgencyUser;
  /** the text or bytes of an uploaded CSV file (the default is `PROVINCES_CSV`) */
  csv?: string | Buffer;
  /** the uploaded file's name; unique by default */
  fileName?: string;
  /** an uploaded file of any kind, instead of `csv` and `fileName` */
  file?: { name: string; content: string | Buffer; type?: string };
  /** a link to data held elsewhere instead of an upload */
  url?: string;
  title_vi?: string;
  description?: string;
}

export interface Distribution {
  id: string;
  dataset: Dataset;
}

/** A file uploaded to a data set through the API (multipart, as the portal sends it), or a link added to it. */
export async function buildDistribution(h: Harness, opts: DistributionOptions = {}): Promise<Distribution> {
  const dataset = opts.dataset ?? (await buildDataset(h, { user: opts.user }));
  const { user } = dataset;
  if (opts.url) {
    const link = await h.app.services.catalog.datasets.addLink(user.principal, dataset.id, {
      title_vi: opts.title_vi ?? 'CSV',
      url: opts.url,
      ...(opts.description ? { description: opts.description } : {}),
    });
    return { id: link.id, dataset };
  }
  const file = opts.file ?? { name: opts.fileName ?? `bang_${next()}.csv`, content: opts.csv ?? PROVINCES_CSV };
  const fields: Record<string, string> = {};
  if (opts.title_vi) fields.title_vi = opts.title_vi;
  if (opts.description) fields.description = opts.description;
  const m = multipart(fields, file);
  const res = await h.inject({
    method: 'POST',
    url: `/api/v1/datasets/${dataset.id}/distributions`,
    headers: { ...user.auth, ...m.headers },
    payload: m.payload,
  });
  if (res.statusCode !== 201) throw new Error(`upload failed (${res.statusCode}): ${res.body}`);
  return { id: res.json().distribution.id as string, dataset };
}

export interface LoadOptions {
  /** the text to load; the distribution's stored file by default (a link has none: give it here) */
  content?: string | Buffer;
  /** a Table Schema to load by (the file's own, e.g. to keep the zeros of code columns) */
  schema?: Parameters<typeof loadTable>[3];
}

/** Loads a distribution into a new table version, at once (not through the job queue). */
export async function loadDistribution(
  h: Harness,
  distribution: Distribution,
  opts: LoadOptions = {},
): Promise<LoadResult> {
  if (opts.content !== undefined) {
    const bytes = Buffer.from(opts.content);
    return loadTable(h.database, distribution.id, () => Readable.from([bytes]), opts.schema);
  }
  const { datasets } = h.app.services.catalog;
  const stored = (await datasets.distribution(distribution.dataset.user.principal, distribution.id)).distribution;
  if (!stored.storage_key) throw new Error(`distribution ${distribution.id} has no stored file to load`);
  const key = stored.storage_key;
  return loadTable(h.database, distribution.id, () => h.app.files.open(key), opts.schema);
}

export type TableOptions = DatasetOptions & Omit<DistributionOptions, 'dataset' | 'url'> & Pick<LoadOptions, 'schema'>;

export interface Table extends Distribution {
  /** the first load: its table id and name, columns, rows, rejections */
  load: LoadResult;
}

/**
 * A data set with one uploaded file loaded as a table, ready to query: created as a draft, the file uploaded,
 * published (unless `status` is `draft`), then loaded. `Table.id` is the distribution's id.
 */
export async function buildTable(h: Harness, opts: TableOptions = {}): Promise<Table> {
  const { csv, fileName, file, description, schema, status = 'published', ...rest } = opts;
  const dataset = await buildDataset(h, rest); // `title_vi` names the data set here, not the file
  const distribution = await buildDistribution(h, { dataset, csv, fileName, file, description });
  if (status === 'published') await publishDataset(h, dataset);
  return { ...distribution, load: await loadDistribution(h, distribution, { schema }) };
}

export interface ProposalOptions {
  /** the proposing data officer; an editor of `agency` is built when absent */
  user?: AgencyUser;
  agency?: string;
  /** the field's content (a new field by default: a unique id, labels, `string`, owned by the proposer's agency) */
  field?: Record<string, unknown>;
  /** a change of an existing field: `field` (its id and what changes) is sent alone, with no defaults */
  change?: boolean;
}

/** A dictionary proposal filed through the API by an agency's data officer; its id, field id and proposer. */
export async function buildDictionaryProposal(
  h: Harness,
  opts: ProposalOptions = {},
): Promise<{ id: string; fieldId: string; user: AgencyUser }> {
  const user = opts.user ?? (await buildAgencyUser(h, { agency: opts.agency }));
  const n = next();
  const payload = opts.change
    ? { ...opts.field }
    : {
        id: `truong_${n}`,
        label_vi: `Trường thử ${n}`,
        label_en: `Test field ${n}`,
        type: 'string',
        agency_id: user.agencyId,
        ...opts.field,
      };
  const res = await h.inject({ method: 'POST', url: '/api/v1/dictionary/proposals', headers: user.auth, payload });
  if (res.statusCode !== 201) throw new Error(`proposal failed (${res.statusCode}): ${res.body}`);
  return { id: res.json().proposal.id as string, fieldId: String(payload.id), user };
}

/** A decision on a dictionary proposal through the API by `by` (an owner's editor or admin); the response. */
export function decideDictionaryProposal(
  h: Harness,
  by: AgencyUser,
  proposalId: string,
  decision: 'approve' | 'reject',
  comment?: string,
) {
  return h.inject({
    method: 'POST',
    url: `/api/v1/dictionary/proposals/${proposalId}/decision`,
    headers: by.auth,
    payload: { decision, ...(comment ? { comment } : {}) },
  });
}

export interface RegisterEntryOptions {
  user?: AgencyUser;
  agency?: string;
  name_vi?: string;
  name_en?: string;
  category?: 'national' | 'specialised' | 'shared' | 'master' | 'big_data';
  access_class?: 'open' | 'shared' | 'private';
  importance?: 'core' | 'important' | 'other';
  status?: 'planned' | 'building' | 'operating' | 'retired';
}

/** An entry of the register of databases, kept by an editor of `agency` (built when absent). */
export async function buildRegisterEntry(h: Harness, opts: RegisterEntryOptions = {}): Promise<{ id: string }> {
  const user = opts.user ?? (await buildAgencyUser(h, { agency: opts.agency }));
  const n = next();
  const text = `Nội dung ${n}`;
  const row = await h.app.services.catalog.databases.create(user.principal, {
    agency_id: user.agencyId,
    name_vi: opts.name_vi ?? `Cơ sở dữ liệu ${n}`,
    ...(opts.name_en ? { name_en: opts.name_en } : {}),
    purpose: text,
    scope: text,
    content: text,
    collection_mechanism: text,
    update_mechanism: text,
    data_sources: text,
    legal_basis: text,
    category: opts.category ?? 'specialised',
    access_class: opts.access_class ?? 'shared',
    importance: opts.importance ?? 'important',
    status: opts.status ?? 'building',
  });
  return { id: row.id };
}

/** A desktop Chromium's User-Agent: a person's visit, as counting sees it. */
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
export const GOOGLEBOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** A page or file asked for as a visitor from `ip` with `ua` (a browser's by default; `null`: no User-Agent). */
export function visit(
  h: Harness,
  url: string,
  opts: { ip?: string; ua?: string | null; method?: 'GET' | 'HEAD'; headers?: Record<string, string> } = {},
) {
  const ua = opts.ua === undefined ? BROWSER_UA : opts.ua;
  return h.inject({
    method: opts.method ?? 'GET',
    url,
    remoteAddress: opts.ip ?? '203.0.113.10',
    headers: { accept: 'text/html', ...(ua ? { 'user-agent': ua } : {}), ...opts.headers },
  });
}

export interface ProcedureOptions {
  /** the deciding agency's administrator (made for `agency` when absent) */
  user?: AgencyUser;
  agency?: string;
  code?: string;
  /** the form: bound fields name dictionary elements that must exist (the demo's seed has `ho_va_ten`, `ngay_sinh`…) */
  fields?: ProcedureBody['fields'];
  result?: ProcedureBody['result'];
  /** published by default */
  status?: 'draft' | 'published';
}

/** The shared dictionary's seed (`ho_va_ten`, `ngay_sinh`, `so_dinh_danh_ca_nhan`…), added once per database. */
export async function seedSharedDictionary(h: Harness): Promise<void> {
  const admin = await buildAgencyUser(h);
  await seedDictionary(h.app.services.catalog.dictionary, {
    ...admin.principal,
    isPlatformAdmin: true,
    via: 'session',
  });
}

/** A public-service procedure of `agency`, published, whose form asks a name (bound) and a purpose (typed). */
export async function buildProcedure(h: Harness, opts: ProcedureOptions = {}) {
  await seedSharedDictionary(h);
  const user = opts.user ?? (await buildAgencyUser(h, { agency: opts.agency, role: 'agency_admin' }));
  const n = next();
  const { procedures } = h.app.publicServices;
  const row = await procedures.create(user.principal, user.agencyId, {
    code: opts.code ?? `1.${String(900000 + n).padStart(6, '0')}`,
    name_vi: `Thủ tục thử ${n}`,
    name_en: `Test procedure ${n}`,
    legal_basis: 'Nghị định 45/2020/NĐ-CP về thực hiện thủ tục hành chính trên môi trường điện tử',
    processing_days: 3,
    fields: opts.fields ?? [
      {
        key: 'ho_ten',
        label_vi: 'Họ và tên',
        label_en: 'Full name',
        element: 'ho_va_ten',
        type: 'string',
        required: true,
      },
      { key: 'muc_dich', label_vi: 'Mục đích', label_en: 'Purpose', element: null, type: 'text', required: true },
    ],
    result: opts.result ?? {
      kind: 'certificate',
      title_vi: 'Giấy xác nhận',
      title_en: 'Certificate',
      validity_days: 180,
      fields: [{ key: 'ho_ten', label_vi: 'Họ và tên', label_en: 'Full name', element: 'ho_va_ten', from: 'ho_ten' }],
    },
  });
  if ((opts.status ?? 'published') === 'published') await procedures.setStatus(user.principal, row.id, 'published');
  return { ...row, status: opts.status ?? 'published', user };
}
