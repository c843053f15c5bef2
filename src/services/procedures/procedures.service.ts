import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { openKey, sealKey } from '../../platform/key-vault.js';
import { actorOf, hasAgencyRole, requireAgencyRole, requireUser, type Principal } from '../../accounts/principal.js';
import type {
  AgencyRef,
  DatabaseRef,
  DeskCredentials,
  DeskRow,
  ProcedureRow,
  ProcedureStatus,
  SourceRow,
} from './procedure.js';
import { boundElements, gapsOf, holdersOf, type Gap, type Holder } from './sources-view.js';
import { ProceduresRepository } from './procedures.repository.js';
import { checkProcedure, checkSource, type ProcedureInput, type SourceInput } from './procedure-rules.js';

export interface Described {
  procedure: ProcedureRow;
  agency: AgencyRef;
  /** element → who holds it; an element missing here is typed by the applicant */
  holders: Map<string, Holder>;
}

/** Who writes an agency's procedures, sources and desk: its administrators. */
export const PROCEDURE_ROLE = 'agency_admin' as const;
const KEY_PURPOSE = 'service-desk-api-key';

export interface ProceduresDeps {
  /** the dictionary elements among these ids that exist (catalog's dictionary) */
  knownElements(ids: string[]): Promise<Set<string>>;
  /** a register of databases entry's agency (catalog) */
  databaseAgency(id: string): Promise<string | undefined>;
  /** an agency's member code in the exchange (masterdata): a register's service must be its own */
  agencyCode(id: string): Promise<string>;
  /** an agency by its id, slug or code (masterdata); NOT_FOUND if none */
  agency(key: string): Promise<AgencyRef>;
  /** agencies by their ids (masterdata), for showing who holds what */
  agencies(ids: string[]): Promise<AgencyRef[]>;
  /** register of databases entries' names (catalog) */
  databaseNames(ids: string[]): Promise<DatabaseRef[]>;
  /** dictionary elements' labels (catalog) */
  labels(ids: string[]): Promise<Map<string, { vi: string; en: string }>>;
  /** seals desks' API keys at rest (`NDP_EXCHANGE_KEY_ENCRYPTION_KEY`) */
  keyEncryptionKey: Buffer | undefined;
  now?: () => Date;
}

/**
 * Procedures and the facts behind their forms: an agency's administrators publish the procedures it decides, declare
 * which dictionary elements its registers hold (a source per element: the authoritative one), and set the desk — the
 * exchange client and gateway — through which the platform fetches facts for its procedures. Every write is audited.
 */
export class ProceduresService {
  private readonly repo: ProceduresRepository;
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<any>,
    private readonly deps: ProceduresDeps,
  ) {
    this.repo = new ProceduresRepository(db);
    this.now = deps.now ?? (() => new Date());
  }

  async create(p: Principal, agencyId: string, body: ProcedureInput): Promise<ProcedureRow> {
    requireAgencyRole(p, agencyId, PROCEDURE_ROLE);
    const checked = checkProcedure(body, await this.deps.knownElements(elementsOf(body)));
    if (await this.repo.byCode(checked.code))
      throw new DomainError('CONFLICT', {
        vi: `Đã có thủ tục mã ${checked.code}.`,
        en: `A procedure with code ${checked.code} already exists.`,
      });
    const now = this.now();
    const row: ProcedureRow = {
      id: randomUUID(),
      agency_id: agencyId,
      ...checked,
      status: 'draft',
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await this.repo.insert(trx, row);
      await recordAudit(trx, actorOf(p), {
        action: 'services.procedure.create',
        entityType: 'service_procedure',
        entityId: row.id,
        agencyId,
        after: { code: row.code },
      });
    });
    return row;
  }

  async setStatus(p: Principal, id: string, status: ProcedureStatus): Promise<ProcedureRow> {
    const row = await this.byId(id);
    requireAgencyRole(p, row.agency_id, PROCEDURE_ROLE);
    await this.db.transaction().execute(async (trx) => {
      await this.repo.update(trx, id, { status, updated_at: this.now() });
      await recordAudit(trx, actorOf(p), {
        action: 'services.procedure.status',
        entityType: 'service_procedure',
        entityId: id,
        agencyId: row.agency_id,
        before: { status: row.status },
        after: { status },
      });
    });
    return { ...row, status };
  }

  /** A procedure as the public sees it: published only; a draft or withdrawn one only for its agency's staff. */
  async get(p: Principal, code: string): Promise<ProcedureRow> {
    const row = await this.repo.byCode(code);
    if (!row || (row.status !== 'published' && !hasAgencyRole(p, row.agency_id, 'viewer'))) throw notFound();
    return row;
  }

  /** For the other sub-parts (prefill, dossiers): any status; they check what they need. */
  async byId(id: string): Promise<ProcedureRow> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound();
    return row;
  }

  async published(): Promise<ProcedureRow[]> {
    return this.repo.list({ status: ['published'] });
  }

  async ofAgencies(agencyIds: string[]): Promise<ProcedureRow[]> {
    return this.repo.list({ agencyIds });
  }

  /**
   * The catalogue: published procedures, of one agency (id, slug or code) if asked; `mine`: every procedure, drafts
   * too, of the agencies the caller works in (or of the one asked, if they work there).
   */
  async list(p: Principal, f: { agency?: string; mine?: boolean } = {}): Promise<ProcedureRow[]> {
    const agencyIds = f.agency ? [(await this.deps.agency(f.agency)).id] : undefined;
    if (!f.mine) return this.repo.list({ agencyIds, status: ['published'] });
    const user = requireUser(p);
    const own = (agencyIds ?? [...user.roles.keys()]).filter((id) => hasAgencyRole(user, id, 'viewer'));
    return this.repo.list({ agencyIds: own });
  }

  /** A new version of a procedure: any change, the version up by one, its status kept; audited with before and after. */
  async update(p: Principal, code: string, body: ProcedureInput): Promise<ProcedureRow> {
    const before = await this.get(p, code);
    requireAgencyRole(p, before.agency_id, PROCEDURE_ROLE);
    if (body.code !== code)
      throw invalidSource('code', 'Không đổi được mã của thủ tục.', 'A procedure’s code cannot change.');
    const checked = checkProcedure(body, await this.deps.knownElements(elementsOf(body)));
    const row: ProcedureRow = { ...before, ...checked, version: before.version + 1, updated_at: this.now() };
    await this.db.transaction().execute(async (trx) => {
      await this.repo.update(trx, row.id, { ...checked, version: row.version, updated_at: row.updated_at });
      await recordAudit(trx, actorOf(p), {
        action: 'services.procedure.update',
        entityType: 'service_procedure',
        entityId: row.id,
        agencyId: row.agency_id,
        before: { version: before.version, ...pick(before) },
        after: { version: row.version, ...checked },
      });
    });
    return row;
  }

  /** Publishes or withdraws a procedure, by its code. */
  async changeStatus(p: Principal, code: string, status: 'published' | 'withdrawn'): Promise<ProcedureRow> {
    const row = await this.get(p, code);
    return this.setStatus(p, row.id, status);
  }

  /** The agency a source would belong to: the register's owner, or the agency deciding the procedure it comes from. */
  async holderOf(body: SourceInput): Promise<string> {
    const agencyId =
      body.kind === 'register'
        ? await this.deps.databaseAgency(body.database)
        : (await this.repo.byId(body.procedure))?.agency_id;
    if (!agencyId)
      throw invalidSource(
        body.kind === 'register' ? 'database' : 'procedure',
        'Không tìm thấy nguồn này.',
        'No such source.',
      );
    return agencyId;
  }

  /** Removes an element's source: an administrator of the agency holding it. */
  async deleteSource(p: Principal, element: string): Promise<void> {
    const [row] = await this.repo.sources([element]);
    if (!row) throw new DomainError('NOT_FOUND', { vi: 'Trường này chưa có nguồn.', en: 'The element has no source.' });
    requireAgencyRole(p, row.agency_id, PROCEDURE_ROLE);
    await this.db.transaction().execute(async (trx) => {
      await this.repo.deleteSource(trx, element);
      await recordAudit(trx, actorOf(p), {
        action: 'services.source.delete',
        entityType: 'service_source',
        entityId: element,
        agencyId: row.agency_id,
        before: { kind: row.kind, service: row.service, path: row.path_template, field: row.response_field },
      });
    });
  }

  /** Who holds which element, named for people (public: no address, no key); of one agency if asked. */
  async holders(f: { agency?: string; elements?: string[] } = {}): Promise<Holder[]> {
    const agencyId = f.agency ? (await this.deps.agency(f.agency)).id : undefined;
    const all = f.elements ? await this.repo.sources(f.elements) : await this.repo.allSources();
    const sources = agencyId ? all.filter((s) => s.agency_id === agencyId) : all;
    const ids = (pick: (s: SourceRow) => string | null) => [...new Set(sources.map(pick).filter((x) => x !== null))];
    const procedures = await Promise.all(ids((s) => s.procedure_id).map((id) => this.repo.byId(id)));
    return holdersOf(sources, {
      agencies: await this.deps.agencies(ids((s) => s.agency_id)),
      databases: await this.deps.databaseNames(ids((s) => s.database_id)),
      procedures: procedures.filter((x) => x !== undefined),
      labels: await this.deps.labels(ids((s) => s.element_id)),
    });
  }

  /** The bound fields of an agency's procedures whose element nobody holds yet; drafts too for its staff. */
  async gaps(p: Principal, agencyKey: string): Promise<Gap[]> {
    const agency = await this.deps.agency(agencyKey);
    const status: ProcedureStatus[] = hasAgencyRole(p, agency.id, 'viewer') ? ['draft', 'published'] : ['published'];
    const procedures = await this.repo.list({ agencyIds: [agency.id], status });
    const elements = boundElements(procedures);
    const held = new Set((await this.repo.sources(elements)).map((s) => s.element_id));
    return gapsOf(procedures, held, await this.deps.labels(elements.filter((e) => !held.has(e))));
  }

  /** An agency's desk as its administrators see it: never the key. */
  async desk(p: Principal, agencyId: string): Promise<Omit<DeskRow, 'api_key'> | undefined> {
    requireAgencyRole(p, agencyId, PROCEDURE_ROLE);
    const row = await this.repo.desk(agencyId);
    if (!row) return undefined;
    const { api_key: _, ...shown } = row;
    return shown;
  }

  /** A procedure with its deciding agency and, for each bound field, who holds its value (the procedure's page). */
  async describe(p: Principal, code: string): Promise<Described> {
    const procedure = await this.get(p, code);
    const [agency] = await this.deps.agencies([procedure.agency_id]);
    const holders = await this.holders({ elements: boundElements([procedure]) });
    return { procedure, agency: agency!, holders: new Map(holders.map((h) => [h.element, h])) };
  }

  /** The deciding agencies of these procedures, by id. */
  async agenciesOf(rows: ProcedureRow[]): Promise<Map<string, AgencyRef>> {
    const agencies = await this.deps.agencies([...new Set(rows.map((r) => r.agency_id))]);
    return new Map(agencies.map((a) => [a.id, a]));
  }

  /** Agencies by their ids (the staff pages' chooser). */
  agencies(ids: string[]): Promise<AgencyRef[]> {
    return this.deps.agencies(ids);
  }

  /** An agency by its id, slug or code (the routes' `agency` parameter). */
  agency(key: string): Promise<AgencyRef> {
    return this.deps.agency(key);
  }

  /** Declares who holds an element: an administrator of the holding agency, for its own database and service. */
  async setSource(p: Principal, agencyId: string, body: SourceInput): Promise<SourceRow> {
    requireAgencyRole(p, agencyId, PROCEDURE_ROLE);
    const known = await this.deps.knownElements([body.element]);
    const checked = checkSource(body, known);
    if (checked.kind === 'register' && checked.database_id && checked.service) {
      if ((await this.deps.databaseAgency(checked.database_id)) !== agencyId)
        throw invalidSource('database', 'Cơ sở dữ liệu không thuộc cơ quan này.', 'The database is not this agency’s.');
      const member = checked.service.split('/')[2];
      if (member !== (await this.deps.agencyCode(agencyId)))
        throw invalidSource('service', 'Dịch vụ không thuộc cơ quan này.', 'The service is not this agency’s.');
    } else if (checked.procedure_id) {
      const procedure = await this.byId(checked.procedure_id);
      if (procedure.agency_id !== agencyId)
        throw invalidSource(
          'procedure',
          'Thủ tục không do cơ quan này giải quyết.',
          'This agency does not decide the procedure.',
        );
      if (!procedure.result.fields.some((f) => f.key === checked.result_field))
        throw invalidSource(
          'resultField',
          'Kết quả của thủ tục không có trường này.',
          'The procedure’s result has no such field.',
        );
    }
    const [held] = await this.repo.sources([checked.element_id]);
    if (held && held.agency_id !== agencyId)
      throw new DomainError('CONFLICT', {
        vi: 'Trường này đã có nguồn của cơ quan khác; cơ quan đó phải gỡ trước.',
        en: 'Another agency holds this element; it must remove its source first.',
      });
    const row = { ...checked, agency_id: agencyId, updated_at: this.now() } as SourceRow;
    await this.db.transaction().execute(async (trx) => {
      await this.repo.upsertSource(trx, row);
      await recordAudit(trx, actorOf(p), {
        action: 'services.source.set',
        entityType: 'service_source',
        entityId: row.element_id,
        agencyId,
        after: { kind: row.kind, service: row.service, path: row.path_template, field: row.response_field },
      });
    });
    return row;
  }

  async sourcesFor(elements: string[]): Promise<SourceRow[]> {
    return this.repo.sources(elements);
  }

  async allSources(): Promise<SourceRow[]> {
    return this.repo.allSources();
  }

  /** Sets an agency's desk; the API key is sealed before it is written. */
  async setDesk(
    p: Principal,
    agencyId: string,
    body: { client: string; gatewayUrl: string; apiKey: string; timeoutMs?: number },
  ): Promise<Omit<DeskRow, 'api_key'>> {
    requireAgencyRole(p, agencyId, PROCEDURE_ROLE);
    const row: DeskRow = {
      agency_id: agencyId,
      client: body.client,
      gateway_url: body.gatewayUrl.replace(/\/+$/, ''),
      api_key: sealKey(body.apiKey, this.deps.keyEncryptionKey, KEY_PURPOSE),
      timeout_ms: body.timeoutMs ?? 3000,
      updated_at: this.now(),
    };
    await this.db.transaction().execute(async (trx) => {
      await this.repo.upsertDesk(trx, row);
      await recordAudit(trx, actorOf(p), {
        action: 'services.desk.set',
        entityType: 'service_desk',
        entityId: agencyId,
        agencyId,
        after: { client: row.client, gateway: row.gateway_url, timeoutMs: row.timeout_ms },
      });
    });
    const { api_key: _, ...shown } = row;
    return shown;
  }

  /** The desk with its key opened: for the prefill's calls only, never shown. */
  async deskCredentials(agencyId: string): Promise<DeskCredentials | undefined> {
    const row = await this.repo.desk(agencyId);
    if (!row) return undefined;
    return {
      agencyId,
      client: row.client,
      gatewayUrl: row.gateway_url,
      apiKey: openKey(row.api_key, this.deps.keyEncryptionKey, KEY_PURPOSE),
      timeoutMs: row.timeout_ms,
    };
  }
}

const elementsOf = (b: ProcedureInput) =>
  [...b.fields.map((f) => f.element), ...b.result.fields.map((f) => f.element)].filter((e): e is string => !!e);

const pick = (r: ProcedureRow) => ({
  name_vi: r.name_vi,
  name_en: r.name_en,
  description_vi: r.description_vi,
  description_en: r.description_en,
  legal_basis: r.legal_basis,
  processing_days: r.processing_days,
  fields: r.fields,
  result: r.result,
});

const notFound = () => new DomainError('NOT_FOUND', { vi: 'Không tìm thấy thủ tục.', en: 'No such procedure.' });

const invalidSource = (field: string, vi: string, en: string) =>
  new DomainError('VALIDATION_FAILED', { vi, en }, [{ field, vi, en }]);
