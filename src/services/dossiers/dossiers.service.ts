import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import {
  actorOf,
  hasAgencyRole,
  requireAgencyRole,
  requireUser,
  type Principal,
  type User,
} from '../../accounts/principal.js';
import { requireCitizen, type PublicUser } from '../../identity/public-principal.js';
import type { AgencyRow, MasterDataService } from '../../masterdata/masterdata.service.js';
import type { CalendarService } from '../../masterdata/calendar/calendar.service.js';
import { addWorkingDays, endOfVnDay, vnDay } from '../../masterdata/calendar/working-days.js';
import type { ProcedureRow } from '../procedures/procedure.js';
import type { ProceduresService } from '../procedures/procedures.service.js';
import type { FieldSource, Prefill, PreviewField } from '../prefill/prefill.types.js';
import {
  buildFields,
  correctionDetails,
  referenceOf,
  type Answers,
  type Dispute,
  type ElementRule,
} from './dossier-rules.js';
import type { DossierStatus } from './dossier.types.js';
import { DossiersRepository, type DossierRow } from './dossiers.repository.js';

/** Who handles dossiers in the deciding agency: its editors and administrators. */
export const OFFICER_ROLE = 'agency_editor' as const;
const NOBODY = { userId: null, tokenId: null };
/** How long a fetched form is shown again instead of reading the registers anew. */
export const REUSE_PREFILL_MS = 15 * 60_000;

/** The prefill engine, as the dossiers use it (`PrefillService` satisfies it). */
export interface PrefillPort {
  prefill(u: PublicUser | null, code: string, opts?: { offerId?: string }): Promise<Prefill>;
  get(u: PublicUser | null, prefillId: string): Promise<Prefill>;
  /** the person's newest valid prefill of a procedure made within `maxAgeMs` (absent: every form fetches anew) */
  recent?(u: PublicUser | null, code: string, maxAgeMs: number): Promise<Prefill | undefined>;
  preview(prefill: Prefill): PreviewField[];
}

export interface IssueInput {
  user: User;
  dossier: DossierRow;
  procedure: ProcedureRow;
  /** the result's fields the officer writes (`from: null` in the procedure's result spec) */
  written: Record<string, string>;
  now: Date;
}

/** Signed results, as the officer's issue step uses them (`ResultsService` satisfies it). */
export interface ResultsPort {
  /** the agency's signing key: read (or made) before the transaction, since the embedded database has one connection */
  signerFor(agencyId: string): Promise<unknown>;
  /** signs and stores the result inside the dossier's transaction; throws VALIDATION_FAILED on a missing written field */
  issueIn(trx: Kysely<any>, signer: unknown, input: IssueInput): Promise<{ id: string }>;
}

export interface DossiersDeps {
  procedures: ProceduresService;
  prefills: PrefillPort;
  /** absent until signed results are built: issuing is refused */
  results?: ResultsPort;
  masterData: MasterDataService;
  calendar: CalendarService;
  subjectHashes(u: PublicUser | null): Promise<string[]>;
  /** files a correction request to one agency for the person (privacy's `RequestsService.fileTo`) */
  fileCorrection(u: PublicUser | null, hashes: string[], agencyId: string, details: string): Promise<{ id: string }>;
  databaseNames(ids: string[]): Promise<Map<string, { name_vi: string; name_en: string | null }>>;
  /** the dictionary's rules of some elements (constraints, personal-data category); absent: typed values unchecked */
  elementRules?(ids: string[]): Promise<Map<string, ElementRule>>;
  now?: () => Date;
}

/** A dossier with what its pages name: the procedure and the deciding agency. */
export interface ShownDossier {
  row: DossierRow;
  procedure: ProcedureRow;
  agency: AgencyRow;
}

/** A correction request a dispute became, or why it could not be filed (the dossier stands either way). */
export interface CorrectionFiled {
  agencyId: string;
  fields: string[];
  requestId: string | null;
  error: { vi: string; en: string } | null;
}

const closed = (vi: string, en: string) => new DomainError('INVALID_STATE', { vi, en });
const expired = () =>
  closed(
    'Dữ liệu lấy cho biểu mẫu này đã hết hạn; các giá trị vừa được lấy lại, hãy kiểm tra rồi nộp lại.',
    'The values fetched for this form expired; they have been fetched again: check them and submit again.',
  );

/**
 * Dossiers: a level-2 citizen submits a prefilled form — each accepted value is the stored prefill's, each disputed
 * one typed and sent to the source's agency as a correction request, the rest typed and read by type — and the
 * deciding agency's officers take, reject or issue it. Every step is audited.
 */
export class DossiersService {
  private readonly repo: DossiersRepository;
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<any>,
    private readonly deps: DossiersDeps,
  ) {
    this.repo = new DossiersRepository(db);
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Starts an application: the registers' values for the person, as the form shows them. The person's own prefill of
   * the procedure from the last `REUSE_PREFILL_MS`, unused by a dossier, is shown again unless `fresh` is asked: a
   * reloaded form must not read every register again.
   */
  async start(u: PublicUser | null, code: string, opts?: { offerId?: string; fresh?: boolean }) {
    requireCitizen(u, 2);
    if (!opts?.fresh && !opts?.offerId && this.deps.prefills.recent) {
      const kept = await this.deps.prefills.recent(u, code, REUSE_PREFILL_MS);
      if (kept && !(await this.repo.byPrefill(this.db, kept.id)))
        return { prefill: kept, preview: this.deps.prefills.preview(kept) };
    }
    const prefill = await this.deps.prefills.prefill(u, code, opts?.offerId ? { offerId: opts.offerId } : undefined);
    return { prefill, preview: this.deps.prefills.preview(prefill) };
  }

  /** A prefill of the person's own, with its form (the form shown again after an error). */
  async resume(u: PublicUser | null, prefillId: string) {
    requireCitizen(u, 2);
    const prefill = await this.deps.prefills.get(u, prefillId);
    if (prefill.expiresAt <= this.now()) throw expired();
    return { prefill, preview: this.deps.prefills.preview(prefill) };
  }

  /**
   * Submits the form of a prefill: nothing is written on a field error; the dossier and its audit record in one
   * transaction; then each source agency disputed gets one correction request naming its fields.
   */
  async submit(u: PublicUser | null, prefillId: string, answers: Answers) {
    const person = requireCitizen(u, 2);
    const now = this.now();
    const prefill = await this.deps.prefills.get(u, prefillId);
    if (prefill.expiresAt <= now) throw expired();
    const procedure = await this.deps.procedures.byId(prefill.procedure.id);
    if (procedure.status !== 'published' || procedure.version !== prefill.procedure.version)
      throw closed(
        'Thủ tục đã thay đổi hoặc ngừng tiếp nhận kể từ khi bạn mở biểu mẫu; hãy bắt đầu lại.',
        'The procedure changed or closed since you opened the form; start again.',
      );
    const preview = this.deps.prefills.preview(prefill);
    const ids = [...new Set(preview.flatMap((p) => (p.field.element ? [p.field.element] : [])))];
    const elements = ids.length && this.deps.elementRules ? await this.deps.elementRules(ids) : new Map();
    const built = buildFields(preview, answers, { elements, today: vnDay(now) });
    if ('errors' in built) throw invalid(built.errors);
    const hashes = await this.deps.subjectHashes(u);
    if (!hashes.length)
      throw closed(
        'Lần đăng nhập VNeID chưa cung cấp số định danh; hãy đăng nhập lại ở mức 2.',
        'Your e-ID sign-in did not release your id number; sign in again at level 2.',
      );
    // read before the transaction: the embedded database has one connection
    const rules = await this.deps.calendar.rules();
    const due =
      procedure.processing_days > 0 ? addWorkingDays(now, procedure.processing_days, rules) : endOfVnDay(vnDay(now));
    const id = randomUUID();
    let reference = '';
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.transaction().execute(async (trx) => {
          if (await this.repo.byPrefill(trx, prefill.id))
            throw closed('Biểu mẫu này đã được nộp.', 'This form has already been submitted.');
          const prefix = referenceOf(vnDay(now), 0).slice(0, -4);
          reference = referenceOf(vnDay(now), (await this.repo.countReferences(trx, prefix)) + 1 + attempt);
          await this.repo.insert(trx, {
            id,
            reference,
            procedure_id: procedure.id,
            procedure_version: procedure.version,
            agency_id: procedure.agency_id,
            public_user_id: person.userId,
            subject_hash: hashes[0]!,
            applicant_name: person.name,
            prefill_id: prefill.id,
            fields: built.fields,
            reused: built.reused,
            typed: built.typed,
            submitted_at: now,
            due_at: due,
          });
          // the person acts, not a staff account: the trail names them as a prefix of the keyed hash only
          await recordAudit(trx, NOBODY, {
            action: 'services.dossier.submit',
            entityType: 'service_dossier',
            entityId: id,
            agencyId: procedure.agency_id,
            after: {
              by: 'applicant',
              subject: hashes[0]!.slice(0, 32),
              reference,
              procedure: procedure.code,
              reused: built.reused,
              typed: built.typed,
              disputed: built.disputes.map((d) => d.field.key),
            },
          });
        });
        break;
      } catch (err) {
        // two submissions the same instant took the same number: take the next
        if ((err as { code?: string }).code !== '23505' || attempt >= 5) throw err;
      }
    }
    const corrections = await this.fileCorrections(u, hashes, procedure, reference, built.disputes);
    return { dossier: await this.own(u, id), corrections };
  }

  /** One correction request per source agency, on privacy's statutory clock; a refusal is reported, not thrown. */
  private async fileCorrections(
    u: PublicUser | null,
    hashes: string[],
    procedure: ProcedureRow,
    reference: string,
    disputes: Dispute[],
  ): Promise<CorrectionFiled[]> {
    const byAgency = new Map<string, Dispute[]>();
    for (const d of disputes) byAgency.set(d.agencyId, [...(byAgency.get(d.agencyId) ?? []), d]);
    const filed: CorrectionFiled[] = [];
    for (const [agencyId, ds] of byAgency) {
      const fields = ds.map((d) => d.field.key);
      try {
        const r = await this.deps.fileCorrection(u, hashes, agencyId, correctionDetails(procedure, reference, ds));
        filed.push({ agencyId, fields, requestId: r.id, error: null });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        filed.push({ agencyId, fields, requestId: null, error: err.messages });
      }
    }
    return filed;
  }

  /** The person's dossiers, newest first. */
  async ofPerson(u: PublicUser | null): Promise<ShownDossier[]> {
    const person = requireCitizen(u, 2);
    return this.shown(await this.repo.ofPerson(person.userId));
  }

  /** One of the person's own dossiers; another person's is as unknown as one that does not exist. */
  async own(u: PublicUser | null, id: string): Promise<ShownDossier> {
    const person = requireCitizen(u, 2);
    const row = await this.repo.get(id);
    if (!row || row.public_user_id !== person.userId) throw new DomainError('NOT_FOUND');
    return (await this.shown([row]))[0]!;
  }

  /** The dossiers of one agency (id, slug or code) or of every agency the caller handles, oldest due first. */
  async inbox(p: Principal, agencyKey?: string, status?: DossierStatus): Promise<ShownDossier[]> {
    const user = requireUser(p);
    let agencyIds: string[];
    if (agencyKey) {
      const id = (await this.deps.masterData.agency(agencyKey)).id;
      requireAgencyRole(p, id, OFFICER_ROLE);
      agencyIds = [id];
    } else agencyIds = [...user.roles.keys()].filter((id) => hasAgencyRole(p, id, OFFICER_ROLE));
    return this.shown(await this.repo.ofAgencies(agencyIds, status));
  }

  /** A dossier of an agency the caller handles; any other is as unknown as one that does not exist. */
  async forAgency(p: Principal, id: string): Promise<ShownDossier> {
    requireUser(p);
    const row = await this.repo.get(id);
    if (!row || !hasAgencyRole(p, row.agency_id, OFFICER_ROLE)) throw new DomainError('NOT_FOUND');
    return (await this.shown([row]))[0]!;
  }

  /** The officer takes the dossier into review. */
  take(p: Principal, id: string): Promise<ShownDossier> {
    return this.step(p, id, 'take', (row) => {
      if (row.status !== 'submitted')
        throw closed('Hồ sơ đã được tiếp nhận xử lý.', 'The dossier has already been taken into review.');
      return { status: 'in_review' };
    });
  }

  /** The officer refuses the dossier, saying why (the applicant reads the note). */
  reject(p: Principal, id: string, note: string): Promise<ShownDossier> {
    const text = note.trim();
    if (text.length < 3 || text.length > 4000)
      throw invalid([
        { field: 'note', vi: 'Hãy ghi lý do từ chối (3–4000 ký tự).', en: 'Give the reason (3–4000 characters).' },
      ]);
    return this.step(p, id, 'reject', (row, user, now) => {
      open(row);
      return { status: 'rejected', decided_at: now, decided_by: user.userId, decision_note: text };
    });
  }

  /** The officer issues the result: signed and stored by the results service inside the dossier's transaction. */
  async issue(p: Principal, id: string, written: Record<string, string>): Promise<ShownDossier> {
    const { row, procedure } = await this.forAgency(p, id);
    const results = this.deps.results;
    if (!results) throw closed('Chưa thể ký kết quả trên nền tảng.', 'Results cannot be signed on the platform yet.');
    const signer = await results.signerFor(row.agency_id);
    return this.step(p, id, 'issue', async (locked, user, now, trx) => {
      open(locked);
      await results.issueIn(trx, signer, { user, dossier: locked, procedure, written, now });
      return { status: 'issued', decided_at: now, decided_by: user.userId, decision_note: null };
    });
  }

  /** The due date's clock (pages show lateness as of it). */
  clock(): Date {
    return this.now();
  }

  /** The names of the sources' agencies and databases, for the pages. */
  async sourceNames(sources: (FieldSource | null)[]) {
    const known = sources.filter((s): s is FieldSource => !!s);
    const agencies = await this.deps.masterData.agenciesByIds([...new Set(known.map((s) => s.agency_id))]);
    const dbIds = [...new Set(known.flatMap((s) => (s.database_id ? [s.database_id] : [])))];
    return {
      agencies: new Map(agencies.map((a) => [a.id, a])),
      databases: await this.deps.databaseNames(dbIds),
    };
  }

  private async step(
    p: Principal,
    id: string,
    action: string,
    next: (
      row: DossierRow,
      user: User,
      now: Date,
      trx: Kysely<any>,
    ) => (Partial<DossierRow> & { status: DossierStatus }) | Promise<Partial<DossierRow> & { status: DossierStatus }>,
  ): Promise<ShownDossier> {
    const { row: before } = await this.forAgency(p, id);
    const user = requireAgencyRole(p, before.agency_id, OFFICER_ROLE);
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      const row = (await this.repo.forUpdate(trx, id))!;
      const set = await next(row, user, now, trx);
      await this.repo.decide(trx, id, set);
      await recordAudit(trx, actorOf(p), {
        action: `services.dossier.${action}`,
        entityType: 'service_dossier',
        entityId: id,
        agencyId: row.agency_id,
        before: { status: row.status },
        after: { status: set.status, ...(set.decision_note ? { note: set.decision_note } : {}) },
      });
    });
    return this.forAgency(p, id);
  }

  private async shown(rows: DossierRow[]): Promise<ShownDossier[]> {
    const agencies = new Map(
      (await this.deps.masterData.agenciesByIds([...new Set(rows.map((r) => r.agency_id))])).map((a) => [a.id, a]),
    );
    const procedures = new Map<string, ProcedureRow>();
    for (const pid of new Set(rows.map((r) => r.procedure_id)))
      procedures.set(pid, await this.deps.procedures.byId(pid));
    return rows.map((row) => ({
      row,
      procedure: procedures.get(row.procedure_id)!,
      agency: agencies.get(row.agency_id)!,
    }));
  }
}

function open(row: DossierRow): void {
  if (row.status === 'issued' || row.status === 'rejected')
    throw closed('Hồ sơ đã được giải quyết xong.', 'The dossier has already been decided.');
}
