import type { Kysely } from 'kysely';
import { recordAudit } from '../platform/audit.js';
import { DomainError } from '../platform/errors.js';
import { GRANT_BASES, type GrantBasis } from '../exchange/protocol/consent.js';
import { readableRepresentedParty } from '../exchange/protocol/identifiers.js';
import type { RecordProof, RecordRef } from '../exchange/protocol/record-proof.js';
import type { RegistryService } from '../exchange/registry/registry.service.js';
import type { AccessRecordRow } from '../exchange/registry/registry.rows.js';
import type { PublicUser } from '../identity/public-principal.js';
import type { ConsentService } from './consent.service.js';

/** A page of the person's reads; an export walks every page up to this many records. */
export const PAGE_SIZE = 50;
export const EXPORT_MAX = 10_000;
const EXPORT_PAGE = 500;
/** The directory (system and service names) is read again after this long. */
const DIRECTORY_TTL_MS = 60_000;

/** Where the next page starts: the last record of this one (keyset on time, gateway, log index). */
export interface Cursor {
  at: Date;
  gatewayId: string;
  logIndex: number;
}

/** One read of the person's data as "my data" shows it: names beside the exchange's ids. */
export interface MyRecord {
  at: Date;
  messageId: string;
  client: string;
  clientSystem: string | null;
  clientAgency: string | null;
  /** the agency's English name, for English pages (null where the master data has none) */
  clientAgencyEn: string | null;
  service: string;
  serviceTitle: string | null;
  serviceSystem: string | null;
  serviceAgency: string | null;
  serviceAgencyEn: string | null;
  purpose: string | null;
  legalBasis: string | null;
  /** the basis as a code when it is known: `consent` when the read relied on one, or a grant's declared code */
  basis: GrantBasis | null;
  /** the party the reader acted for, as a person reads it (the gateway records it percent-encoded) */
  representedParty: string | null;
  status: number;
  gatewayId: string;
  logIndex: number;
  consentId: string | null;
}

/** The services "my data" needs from its neighbours, given by `app.ts`. */
export interface MyDataDeps {
  db: Kysely<any>;
  registry: RegistryService;
  consents: ConsentService;
  /** the person's keyed hashes; refuses anyone but a citizen signed in at level 2 (identity/) */
  subjectHashes(u: PublicUser | null): Promise<string[]>;
  /** the proofs of records in their provider gateways' logs (null where none can be made yet) */
  proofs?(refs: RecordRef[]): Promise<(RecordProof | null)[]>;
  /** the dictionary's labels of the fields a consent names, by id (a field it lacks shows as its code) */
  fieldLabels?(ids: string[]): Promise<Map<string, { vi: string; en: string }>>;
}

interface Directory {
  systems: Map<string, { name: string; agency: string; agencyEn: string | null }>;
  services: Map<string, string>;
  /** the grants' declared bases, by client and service (read for each page, never kept) */
  bases: Map<string, { purposes: string[]; legalBasis: string | null; basis: GrantBasis }[]>;
  at: number;
}

/**
 * "My data": the person's own reads as every gateway recorded them, with proofs, their export, and the consents
 * asked of them. Every method starts from the person signed in at the e-ID's level 2 (their keyed hashes); every
 * lookup is audited with the person as a keyed hash only.
 */
export class MyDataService {
  private directory: Directory | null = null;
  /** the people whose export is running: one export at a time each, so one person cannot hold many readers */
  private readonly exporting = new Set<string>();
  constructor(private readonly d: MyDataDeps) {}

  /**
   * A page of the person's reads, newest first, and where the next page starts (null on the last page); with
   * `withProofs`, each read's proof too (null where none can be made yet), built for the page at once.
   */
  async records(u: PublicUser | null, before?: Cursor, o: { limit?: number; withProofs?: boolean } = {}) {
    const limit = o.limit ?? PAGE_SIZE;
    const hashes = await this.d.subjectHashes(u);
    const rows = await this.d.registry.recordsOfSubject(hashes, limit + 1, before);
    const page = rows.slice(0, limit);
    await this.audit(hashes, 'privacy.my_data.records', { records: page.length, deeper: !!before });
    const records = await this.named(page);
    const last = records[records.length - 1];
    const next =
      rows.length > limit && last ? { at: last.at, gatewayId: last.gatewayId, logIndex: last.logIndex } : null;
    const proofs =
      o.withProofs && this.d.proofs && records.length
        ? await this.d.proofs(records.map((r) => ({ gatewayId: r.gatewayId, logIndex: r.logIndex })))
        : null;
    return { records, next, proofs };
  }

  /** The person's reads that relied on one of their consents (its uses), newest first. */
  async usesOfConsent(u: PublicUser | null, consentId: string, limit = 500) {
    const hashes = await this.d.subjectHashes(u);
    const rows = await this.d.registry.consentUsesOfSubject(hashes, consentId, limit);
    await this.audit(hashes, 'privacy.my_data.consent_uses', { consent: consentId, records: rows.length });
    return this.named(rows);
  }

  /**
   * Every read of the person, newest first, a page at a time, at most EXPORT_MAX: for CSV and JSON exports. Checked
   * and audited before the first byte (so a refusal is a proper answer); `release` ends the person's turn, and must be
   * called when the response closes, however it ends (the pages' own end calls it too).
   */
  async export(u: PublicUser | null, format: 'csv' | 'json') {
    const hashes = await this.d.subjectHashes(u);
    const who = u!.userId;
    if (this.exporting.has(who))
      throw new DomainError('TOO_MANY_REQUESTS', {
        vi: 'Bản tải về trước của bạn chưa xong; hãy đợi nó xong rồi thử lại.',
        en: 'Your previous download has not finished; wait for it, then try again.',
      });
    this.exporting.add(who);
    const release = () => this.exporting.delete(who);
    try {
      await this.audit(hashes, 'privacy.my_data.export', { format, max: EXPORT_MAX });
    } catch (err) {
      release();
      throw err;
    }
    return { pages: this.exportPages(hashes, release), release };
  }

  private async *exportPages(hashes: string[], release: () => void): AsyncGenerator<MyRecord[]> {
    try {
      let before: Cursor | undefined;
      let sent = 0;
      while (sent < EXPORT_MAX) {
        const rows = await this.d.registry.recordsOfSubject(hashes, Math.min(EXPORT_PAGE, EXPORT_MAX - sent), before);
        if (!rows.length) return;
        const records = await this.named(rows);
        sent += records.length;
        yield records;
        const last = records[records.length - 1]!;
        before = { at: last.at, gatewayId: last.gatewayId, logIndex: last.logIndex };
        if (rows.length < EXPORT_PAGE) return;
      }
    } finally {
      release();
    }
  }

  /** The proof of one of the person's reads; another person's record is as unknown as one that does not exist. */
  async proof(u: PublicUser | null, gatewayId: string, logIndex: number): Promise<RecordProof> {
    const hashes = await this.d.subjectHashes(u);
    const row = await this.d.registry.recordOfSubject(hashes, gatewayId, logIndex);
    await this.audit(hashes, 'privacy.my_data.proof', { gateway: gatewayId, index: logIndex, found: !!row });
    if (!row) throw new DomainError('NOT_FOUND');
    const [proof] = this.d.proofs ? await this.d.proofs([{ gatewayId, logIndex }]) : [null];
    if (!proof)
      throw new DomainError('NOT_FOUND', {
        vi: 'Chưa có bằng chứng cho lần đọc này: cổng của bên cung cấp chưa gửi điểm kiểm tra có chữ ký bao gồm nó. Hãy thử lại sau ít phút.',
        en: 'No proof of this read yet: the provider’s gateway has not sent a signed checkpoint that covers it. Try again in a few minutes.',
      });
    return proof;
  }

  /** The consents asked of the person: waiting for an answer, in force, and past; each with its uses counted. */
  async consents(u: PublicUser | null) {
    const hashes = await this.d.subjectHashes(u);
    const all = await this.d.consents.ofPerson(hashes);
    const uses = await this.d.registry.consentUseCounts(hashes);
    const dir = await this.names();
    const fields = all.flatMap((c) => c.services.flatMap((s) => s.fields));
    const labels = this.d.fieldLabels && fields.length ? await this.d.fieldLabels(fields) : new Map();
    await this.audit(hashes, 'privacy.my_data.consents', { consents: all.length });
    const shown = all.map((c) => ({
      ...c,
      uses: uses.get(c.id) ?? 0,
      serviceTitles: c.services.map((s) => dir.services.get(tail(s.service, 3)) ?? null),
      /** each service's fields with their labels where the dictionary has them: people read words, not codes */
      fieldLabels: c.services.map((s) => s.fields.map((f) => (labels.get(f) as { vi: string; en: string }) ?? null)),
    }));
    return {
      waiting: shown.filter((c) => c.status === 'requested'),
      active: shown.filter((c) => c.status === 'active'),
      past: shown.filter((c) => c.status !== 'requested' && c.status !== 'active'),
    };
  }

  /** The person approves, refuses or withdraws one of their consents (the consent service audits it). */
  async decide(u: PublicUser | null, id: string, decision: 'approve' | 'refuse' | 'withdraw') {
    const hashes = await this.d.subjectHashes(u);
    return this.d.consents.decide(hashes, id, decision);
  }

  private async named(rows: AccessRecordRow[]): Promise<MyRecord[]> {
    if (!rows.length) return [];
    let dir = await this.names();
    // a system or service made since the names were read: read them again, once
    if (rows.some((r) => !dir.systems.has(tail(r.client, 2)) || !dir.services.has(tail(r.service, 3))))
      dir = await this.names(true);
    // the grants' bases are read for each page (a few rows): a grant made a second ago names its reads at once
    dir = { ...dir, bases: await this.bases() };
    return rows.map((r) => {
      const client = dir.systems.get(tail(r.client, 2));
      const provider = dir.systems.get(tail(r.service, 3).split('/').slice(0, 2).join('/'));
      return {
        at: r.at instanceof Date ? r.at : new Date(r.at),
        messageId: r.message_id,
        client: r.client,
        clientSystem: client?.name ?? null,
        clientAgency: client?.agency ?? null,
        clientAgencyEn: client?.agencyEn ?? null,
        service: r.service,
        serviceTitle: dir.services.get(tail(r.service, 3)) ?? null,
        serviceSystem: provider?.name ?? null,
        serviceAgency: provider?.agency ?? null,
        serviceAgencyEn: provider?.agencyEn ?? null,
        purpose: r.purpose,
        legalBasis: r.legal_basis,
        basis: r.consent_id ? 'consent' : basisOf(dir, r),
        representedParty: r.represented_party ? readableRepresentedParty(r.represented_party) : null,
        status: r.status,
        gatewayId: r.gateway_id,
        logIndex: Number(r.log_index),
        consentId: r.consent_id,
      };
    });
  }

  /** Systems and services by their codes, kept a minute: a page names many records of a few systems. */
  private async names(fresh = false): Promise<Directory> {
    if (!fresh && this.directory && Date.now() - this.directory.at < DIRECTORY_TTL_MS) return this.directory;
    const [subsystems, services] = await Promise.all([
      this.d.registry.listSubsystems(),
      this.d.registry.listServices(),
    ]);
    this.directory = {
      systems: new Map(
        subsystems.map((s) => [
          `${s.member_code}/${s.code}`,
          { name: s.name, agency: s.agency_name, agencyEn: s.agency_name_en },
        ]),
      ),
      services: new Map(services.map((v) => [`${v.member_code}/${v.subsystem_code}/${v.code}`, v.title])),
      bases: new Map(),
      at: Date.now(),
    };
    return this.directory;
  }

  /** The grants that declared a basis code, by client and service. */
  private async bases(): Promise<Directory['bases']> {
    const bases: Directory['bases'] = new Map();
    for (const g of await this.d.registry.declaredBases()) {
      if (!g.basis) continue;
      const key = `${g.client}|${g.service}`;
      bases.set(key, [...(bases.get(key) ?? []), { purposes: g.purposes, legalBasis: g.legalBasis, basis: g.basis }]);
    }
    return bases;
  }

  /** The lookup names the person only as the first half of their keyed hash (enough to find, not to reverse). */
  private async audit(hashes: string[], action: string, after: Record<string, unknown>) {
    await recordAudit(
      this.d.db,
      { userId: null, tokenId: null },
      {
        action,
        entityType: 'privacy_subject',
        entityId: (hashes[0] ?? '').slice(0, 32),
        after: { by: 'data_subject', ...after },
      },
    );
  }
}

/** The last `n` parts of an X-Road id (`VN/GOV/member/system[/service]`): the codes the directory knows them by. */
const tail = (xroadId: string, n: number) => xroadId.split('/').slice(-n).join('/');

/**
 * The basis of a read as a code: the one its grant declared — the grant of this client and service that allows the
 * read's purpose under the citation the read carries — or the citation itself when it is a code; else unknown.
 */
function basisOf(dir: Directory, r: AccessRecordRow): GrantBasis | null {
  const grants = dir.bases.get(`${tail(r.client, 2)}|${tail(r.service, 3)}`) ?? [];
  const g = grants.find(
    (x) => x.legalBasis === r.legal_basis && (r.purpose === null || x.purposes.includes(r.purpose)),
  );
  if (g) return g.basis;
  return (GRANT_BASES as readonly string[]).includes(r.legal_basis ?? '') ? (r.legal_basis as GrantBasis) : null;
}
