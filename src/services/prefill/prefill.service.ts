import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ANONYMOUS } from '../../accounts/principal.js';
import { recordAudit } from '../../platform/audit.js';
import { DomainError } from '../../platform/errors.js';
import { requireCitizen, type PublicUser } from '../../identity/public-principal.js';
import type { DeskCredentials, ProcedureField, ProcedureRow, SourceRow } from '../procedures/procedure.js';
import { PERSON_PLACEHOLDER } from '../procedures/procedure.js';
import type { ProceduresService } from '../procedures/procedures.service.js';
import { asFormText, atPointer } from './answer.js';
import { PrefillRepository, type PrefillRow } from './prefill.repository.js';
import type { EventFacts, FieldSource, Prefill, PrefillFields, PrefilledValue, PreviewField } from './prefill.types.js';
import { problems, type Named } from './problems.js';
import { callRegister, type CallHeaders, type CallOutcome } from './register-call.js';

/** A prefill may be submitted for this long; after, the person starts again (the registers are asked afresh). */
export const PREFILL_TTL_MS = 2 * 3600_000;
/** How long a procedure's sources and desk are kept between prefills (a change applies within it). */
export const SETUP_TTL_MS = 5_000;

/** The latest valid result of a procedure for the person, with one of its fields (the results sub-part's `fact`). */
export type ResultFact = (
  subjectHashes: string[],
  procedureId: string,
  field: string,
) => Promise<{ value: unknown; resultId: string; agencyId: string; issuedAt: Date | string } | undefined | null>;

export interface PrefillDeps {
  procedures: ProceduresService;
  /** the keyed hashes of a level-2 citizen (identity's `subjectHashes`) */
  subjectHashes(u: PublicUser): Promise<string[]>;
  /** a result's field, for elements whose source is another procedure's result; absent: such fields have no source */
  resultFact?: ResultFact;
  /** the person's in-force consent artefact for a client, service and purpose (privacy's consents), if they gave one */
  consentArtefact?(
    subjectHashes: string[],
    client: string,
    service: string,
    purpose: string,
  ): Promise<string | undefined>;
  /** a register of databases entry's name, for the citizen's messages */
  databaseName(id: string): Promise<Named | undefined>;
  /** an agency's name */
  agencyName(id: string): Promise<Named | undefined>;
  /** prefills one person may start in a window: a stranger cannot make the platform call registers without bound */
  limit?: { count: number; windowMs: number };
  now?: () => Date;
}

/** A source's names as the citizen reads them: "Cơ sở dữ liệu quốc gia về dân cư — Bộ Công an". */
export interface SourceNames {
  agencies: Map<string, Named>;
  databases: Map<string, Named>;
}

const NOBODY = { userId: null, tokenId: null };
type RegisterSource = Extract<SourceRow, { kind: 'register' }>;
type ResultSource = Extract<SourceRow, { kind: 'result' }>;

/**
 * The per-field evidence broker: for a citizen at level 2 and a published procedure, asks each register that holds
 * one of the form's facts — through the deciding agency's desk (its client and gateway), naming the person and the
 * procedure as purpose, one call per distinct service path, all at once under one deadline — and the results of
 * earlier procedures; keeps what came back field by field, with its source or why there is none, for two hours.
 */
export class PrefillService {
  private readonly repo: PrefillRepository;
  private readonly now: () => Date;
  private readonly limit: { count: number; windowMs: number };
  private readonly setups = new Map<
    string,
    { until: number; setup: { sources: Map<string, SourceRow>; desk: DeskCredentials | undefined } }
  >();

  constructor(
    private readonly db: Kysely<any>,
    private readonly deps: PrefillDeps,
  ) {
    this.repo = new PrefillRepository(db);
    this.now = deps.now ?? (() => new Date());
    this.limit = deps.limit ?? { count: 30, windowMs: 10 * 60_000 };
  }

  /**
   * `facts`: what an accepted offer's event says of the person (stored by offers/, never a form's): its values fill
   * the fields bound to their elements, and those registers are not asked.
   */
  async prefill(
    u: PublicUser | null,
    code: string,
    opts: { offerId?: string; facts?: EventFacts } = {},
  ): Promise<Prefill> {
    const user = requireCitizen(u, 2);
    const procedure = await this.deps.procedures.get(ANONYMOUS, code);
    const started = this.now();
    const bound = procedure.fields.filter((f): f is ProcedureField & { element: string } => !!f.element);
    // the reads a prefill needs before its calls are independent: asked at once (on PostgreSQL they overlap)
    const [recent, hashes, setup] = await Promise.all([
      this.repo.countSince(user.userId, new Date(started.getTime() - this.limit.windowMs)),
      this.deps.subjectHashes(user),
      this.setupOf(procedure, bound),
    ]);
    if (recent >= this.limit.count)
      throw new DomainError('TOO_MANY_ATTEMPTS', {
        vi: `Bạn đã yêu cầu điền sẵn ${this.limit.count} lần trong ${this.limit.windowMs / 60_000} phút; vui lòng đợi rồi thử lại.`,
        en: `You asked for ${this.limit.count} prefills in ${this.limit.windowMs / 60_000} minutes; please wait and try again.`,
      });
    const id = randomUUID();
    const { sources, desk } = setup;
    const fromEvent = factsFor(bound, opts.facts, started);
    const asked = bound.filter((f) => !fromEvent[f.key]);
    const registerFields = asked.filter((f) => sources.get(f.element)?.kind === 'register');
    const [fromRegisters, fromResults] = await Promise.all([
      this.fromRegisters(registerFields, sources, desk, user, procedure, id, hashes),
      this.fromResults(
        asked.filter((f) => sources.get(f.element)?.kind === 'result'),
        sources,
        hashes,
      ),
    ]);
    const fields: PrefillFields = {};
    for (const f of bound)
      fields[f.key] = fromEvent[f.key] ??
        fromRegisters[f.key] ??
        fromResults[f.key] ?? { problem: problems.noSource() };
    const row: PrefillRow = {
      id,
      procedure_id: procedure.id,
      procedure_version: procedure.version,
      public_user_id: user.userId,
      subject_hash: hashes[0] ?? '',
      fields,
      created_at: started,
      expires_at: new Date(started.getTime() + PREFILL_TTL_MS),
    };
    await this.db.transaction().execute(async (trx) => {
      await this.repo.insert(trx, row);
      // the person acts, not a staff account; what was read is in the exchange's logs, the counts are here
      await recordAudit(trx, NOBODY, {
        action: 'services.prefill',
        entityType: 'service_prefill',
        entityId: id,
        agencyId: procedure.agency_id,
        after: {
          procedure: procedure.code,
          offer: opts.offerId ?? null,
          event: opts.facts?.event.id ?? null,
          filled: Object.values(fields).filter((v) => 'value' in v).length,
          empty: Object.values(fields).filter((v) => 'problem' in v).length,
        },
      });
    });
    return toPrefill(row, procedure);
  }

  /**
   * A procedure's sources and its agency's desk, kept a few seconds per procedure version: every prefill of a busy form
   * would read the same rows again. A changed source or desk applies within `SETUP_TTL_MS`.
   */
  private async setupOf(procedure: ProcedureRow, bound: { element: string }[]) {
    const key = `${procedure.id}:${procedure.version}`;
    const now = Date.now();
    const kept = this.setups.get(key);
    if (kept && kept.until > now) return kept.setup;
    const [rows, desk] = await Promise.all([
      this.deps.procedures.sourcesFor([...new Set(bound.map((f) => f.element))]),
      this.deps.procedures.deskCredentials(procedure.agency_id),
    ]);
    const setup = { sources: new Map(rows.map((s) => [s.element_id, s])), desk };
    if (this.setups.size > 1000) this.setups.clear();
    this.setups.set(key, { until: now + SETUP_TTL_MS, setup });
    return setup;
  }

  /** The person's own prefill while it lasts: another's is as unknown as none, an expired one asks to start again. */
  async get(u: PublicUser | null, id: string): Promise<Prefill> {
    const user = requireCitizen(u, 2);
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.repo.byId(id) : undefined;
    if (!row || row.public_user_id !== user.userId)
      throw new DomainError('NOT_FOUND', { vi: 'Không tìm thấy lần điền sẵn này.', en: 'No such prefill.' });
    if (row.expires_at.getTime() <= this.now().getTime())
      throw new DomainError('INVALID_STATE', {
        vi: 'Thông tin điền sẵn đã quá 2 giờ; hãy bắt đầu lại để lấy thông tin mới từ các cơ sở dữ liệu.',
        en: 'The prefilled values are more than 2 hours old; please start again to fetch them afresh.',
      });
    return toPrefill(row, await this.deps.procedures.byId(row.procedure_id));
  }

  /**
   * The person's newest prefill of a procedure made within `maxAgeMs` and still valid, if any: reloading a form need not
   * ask every register again (each read shows in the person's access log).
   */
  async recent(u: PublicUser | null, code: string, maxAgeMs: number): Promise<Prefill | undefined> {
    const user = requireCitizen(u, 2);
    const procedure = await this.deps.procedures.get(ANONYMOUS, code);
    const now = this.now();
    const row = await this.repo.latestOf(
      user.userId,
      procedure.id,
      procedure.version,
      new Date(now.getTime() - maxAgeMs),
      now,
    );
    return row ? toPrefill(row, procedure) : undefined;
  }

  /** The form as shown: each field with what the registers gave (null for fields asked of the applicant). */
  preview(prefill: Prefill): PreviewField[] {
    return prefill.procedure.fields.map((field) => ({
      field,
      prefilled: field.element ? (prefill.fields[field.key] ?? null) : null,
    }));
  }

  /** The names of a prefill's sources (agencies, databases), for the form and the API. */
  async sourceNames(prefill: Prefill): Promise<SourceNames> {
    const sources = Object.values(prefill.fields).flatMap((v) => ('source' in v ? [v.source] : []));
    const agencyIds = [...new Set(sources.map((s) => s.agency_id))];
    const databaseIds = [...new Set(sources.flatMap((s) => (s.database_id ? [s.database_id] : [])))];
    const named = async (ids: string[], name: (id: string) => Promise<Named | undefined>) =>
      new Map(
        (await Promise.all(ids.map(async (id) => [id, await name(id)] as const))).filter(
          (e): e is [string, Named] => !!e[1],
        ),
      );
    return {
      agencies: await named(agencyIds, (id) => this.deps.agencyName(id)),
      databases: await named(databaseIds, (id) => this.deps.databaseName(id)),
    };
  }

  private async fromRegisters(
    fields: (ProcedureField & { element: string })[],
    sources: Map<string, SourceRow>,
    desk: DeskCredentials | undefined,
    user: PublicUser,
    procedure: ProcedureRow,
    prefillId: string,
    hashes: string[],
  ): Promise<PrefillFields> {
    const out: PrefillFields = {};
    if (!fields.length) return out;
    if (!desk || !user.idNumber) {
      const problem = !desk ? problems.noDesk() : problems.noIdNumber();
      for (const f of fields) out[f.key] = { problem };
      return out;
    }
    // one call per distinct service path: the fields it serves read their values from the same answer
    const groups = new Map<string, { source: RegisterSource; fields: (ProcedureField & { element: string })[] }>();
    for (const f of fields) {
      const s = sources.get(f.element) as RegisterSource;
      const key = `${s.service}\n${s.path_template}`;
      const g = groups.get(key) ?? { source: s, fields: [] };
      g.fields.push(f);
      groups.set(key, g);
    }
    const names = new Map<string, Named | undefined>();
    await Promise.all(
      [...new Set([...groups.values()].map((g) => g.source.database_id))].map(async (d) =>
        names.set(d, await this.deps.databaseName(d).catch(() => undefined)),
      ),
    );
    const signal = AbortSignal.timeout(desk.timeoutMs);
    const headers: CallHeaders = {
      purpose: procedure.code,
      userId: `VN${user.idNumber}`,
      issue: `${procedure.code} ${prefillId}`,
    };
    const idNumber = user.idNumber;
    await Promise.all(
      [...groups.values()].map(async ({ source, fields: served }) => {
        const path = source.path_template.split(PERSON_PLACEHOLDER).join(encodeURIComponent(idNumber));
        let outcome = await callRegister(desk, source.service, path, headers, signal);
        // a grant resting on consent: asked again with the person's artefact, when they gave one
        if (outcome.kind === 'refused' && outcome.consent && this.deps.consentArtefact) {
          const consent = await this.deps
            .consentArtefact(hashes, desk.client, source.service, procedure.code)
            .catch(() => undefined);
          if (consent) outcome = await callRegister(desk, source.service, path, { ...headers, consent }, signal);
        }
        const at = this.now().toISOString();
        for (const f of served)
          out[f.key] = fieldFrom(
            outcome,
            sources.get(f.element) as RegisterSource,
            f,
            names.get(source.database_id),
            at,
          );
      }),
    );
    return out;
  }

  private async fromResults(
    fields: (ProcedureField & { element: string })[],
    sources: Map<string, SourceRow>,
    hashes: string[],
  ): Promise<PrefillFields> {
    const out: PrefillFields = {};
    const fact = this.deps.resultFact;
    await Promise.all(
      fields.map(async (f) => {
        if (!fact) return void (out[f.key] = { problem: problems.noSource() });
        const s = sources.get(f.element) as ResultSource;
        try {
          const got = await fact(hashes, s.procedure_id, s.result_field);
          const value = got ? asFormText(got.value, f.type) : undefined;
          out[f.key] =
            got && value !== undefined
              ? {
                  value,
                  origin: 'result',
                  source: {
                    kind: 'result',
                    agency_id: got.agencyId,
                    database_id: null,
                    service: null,
                    result_id: got.resultId,
                    at: this.now().toISOString(),
                  },
                }
              : { problem: problems.noResult() };
        } catch {
          out[f.key] = { problem: problems.resultUnavailable() };
        }
      }),
    );
    return out;
  }
}

function fieldFrom(
  outcome: CallOutcome,
  s: RegisterSource,
  f: ProcedureField,
  register: Named | undefined,
  at: string,
): PrefilledValue {
  switch (outcome.kind) {
    case 'ok': {
      const value = asFormText(atPointer(outcome.body, s.response_field), f.type);
      if (value === undefined) return { problem: problems.noValue(register) };
      const source: FieldSource = {
        kind: 'register',
        agency_id: s.agency_id,
        database_id: s.database_id,
        service: s.service,
        result_id: null,
        at,
      };
      return { value, origin: 'register', source };
    }
    case 'not_found':
      return { problem: problems.notFound(register) };
    case 'refused':
      return { problem: outcome.consent ? problems.needsConsent(register) : problems.refused(register) };
    case 'timeout':
      return { problem: problems.timeout(register) };
    default:
      return { problem: problems.unavailable(register) };
  }
}

/** The bound fields an event's values fill, read by the field's type; a value that does not fit is left to the rest. */
function factsFor(
  bound: (ProcedureField & { element: string })[],
  facts: EventFacts | undefined,
  at: Date,
): PrefillFields {
  const out: PrefillFields = {};
  if (!facts) return out;
  for (const f of bound) {
    const value = Object.hasOwn(facts.values, f.element) ? asFormText(facts.values[f.element], f.type) : undefined;
    if (value === undefined) continue;
    out[f.key] = {
      value,
      origin: 'register',
      source: {
        kind: 'register',
        agency_id: facts.agency_id,
        database_id: null,
        service: null,
        result_id: null,
        at: at.toISOString(),
        event: facts.event,
      },
    };
  }
  return out;
}

const toPrefill = (row: PrefillRow, procedure: ProcedureRow): Prefill => ({
  id: row.id,
  procedure,
  fields: row.fields,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});
