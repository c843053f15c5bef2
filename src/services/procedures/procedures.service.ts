import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { openKey, sealKey } from '../../platform/key-vault.js';
import { actorOf, hasAgencyRole, requireAgencyRole, type Principal } from '../../accounts/principal.js';
import type { DeskCredentials, DeskRow, ProcedureRow, ProcedureStatus, SourceRow } from './procedure.js';
import { ProceduresRepository } from './procedures.repository.js';
import { checkProcedure, checkSource, type ProcedureInput, type SourceInput } from './procedure-rules.js';

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

const notFound = () => new DomainError('NOT_FOUND', { vi: 'Không tìm thấy thủ tục.', en: 'No such procedure.' });

const invalidSource = (field: string, vi: string, en: string) =>
  new DomainError('VALIDATION_FAILED', { vi, en }, [{ field, vi, en }]);
