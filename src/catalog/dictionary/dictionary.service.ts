import type { Kysely } from 'kysely';
import { constraintProblems } from './field-constraints.js';
import { DomainError, invalid, notFound } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { queryWords } from '../../platform/text.js';
import { actorOf, type Principal, type User } from '../../accounts/principal.js';
import { BASIC_CATEGORIES, levelOf, SENSITIVE_CATEGORIES } from '../personal-data.js';
import type { PersonalDataCategory, PersonalDataLevel } from '../personal-data.js';
import type { TableSchemaBody } from '../catalog.schema.js';
import { DictionaryRepository, type DictionaryFieldRow, type FieldContent } from './dictionary.repository.js';
import type { DictionaryFieldBody, DictionaryFieldPatch, DictionaryQuery } from './dictionary.schema.js';
import { changedKeys, contentOf, foldedOf, patched, pick } from './field-content.js';
import { requireKeeper } from './owners.js';
import { resolveAgainst, type ResolvedSchema } from './resolve-schema.js';
import { DictionaryReview } from './review.service.js';
import { toTableSchema } from './table-schema.js';
import { auditFlag } from './field-audit.js';

export type { ResolvedField } from './resolve-schema.js';
const FIELD = { vi: 'trường dữ liệu', en: 'Dictionary field' };
const CATEGORIES = { none: [], any: undefined, basic: BASIC_CATEGORIES, sensitive: SENSITIVE_CATEGORIES } as const;

/**
 * The shared data dictionary: reusable field definitions, each with its versions. `dictionary_fields` holds the
 * approved state only: what the schema picker, the public pages, the exchange's flags and the privacy gate read.
 * The owner of a field writes it directly (`create`, `update`: a version approved by its author); anyone else's
 * proposals wait for the owner's review (`review`).
 */
export class DictionaryService {
  readonly repo: DictionaryRepository;
  readonly review: DictionaryReview;
  constructor(private readonly db: Kysely<any>) {
    this.repo = new DictionaryRepository(db);
    this.review = new DictionaryReview(db, this.repo);
  }

  async get(id: string): Promise<DictionaryFieldRow> {
    const row = await this.repo.find(id);
    if (!row) throw notFound(FIELD, id);
    return row;
  }

  all() {
    return this.repo.all();
  }

  /** The public list: words anywhere in the id, labels or definitions (any case, with or without diacritics). */
  search(q: DictionaryQuery) {
    return this.repo.search({
      words: queryWords(q.q ?? ''),
      agency: q.agency || undefined,
      categories: CATEGORIES[q.personal ?? 'any'],
      limit: q.limit ?? 100,
      offset: q.offset ?? 0,
    });
  }

  owners() {
    return this.repo.owners();
  }

  /** A field's approved versions, newest first (who proposed, from which agency, when, what changed). */
  async versions(id: string) {
    await this.get(id);
    return this.repo.versionsOf(id);
  }

  /** Some fields (by id), an agency's (or `shared`), or all, as a Frictionless Table Schema. */
  async exportSchema(sel: { ids?: string[]; agency?: string }) {
    const rows = sel.ids?.length
      ? await this.repo.byIds(sel.ids.slice(0, 1000))
      : sel.agency
        ? await this.repo.byAgency(sel.agency)
        : await this.repo.all();
    return toTableSchema(rows);
  }

  /** The personal-data flags of some fields (those the dictionary has): for the exchange's grant rule and the gate. */
  async flags(
    ids: string[],
  ): Promise<{ id: string; category: PersonalDataCategory | null; level: PersonalDataLevel | null }[]> {
    return (await this.repo.byIds([...new Set(ids)])).map((f) => ({
      id: f.id,
      category: f.personal_data as PersonalDataCategory | null,
      level: levelOf(f.personal_data),
    }));
  }

  /** The labels of some fields (those the dictionary has), by id: for pages that would otherwise show the codes. */
  async labels(ids: string[]): Promise<Map<string, { vi: string; en: string }>> {
    const rows = await this.repo.byIds([...new Set(ids)]);
    return new Map(rows.map((f) => [f.id, { vi: f.label_vi, en: f.label_en }]));
  }

  /** A new field written by its owner: version 1, approved by its author. */
  async create(p: Principal, b: DictionaryFieldBody): Promise<DictionaryFieldRow> {
    const user = requireKeeper(p, b.agency_id ?? null);
    const content = contentOf(b);
    const wrong = constraintProblems(content);
    if (wrong.length) throw invalid(wrong);
    return this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      if ((await repo.find(b.id)) || (await repo.openFor(b.id)))
        throw new DomainError('CONFLICT', {
          vi: `Trường “${b.id}” đã có trong từ điển.`,
          en: `Field “${b.id}” already exists.`,
        });
      const row = await repo.insertField(b.id, content, foldedOf(b.id, content));
      await this.kept(trx, user, row, null);
      await recordAudit(trx, actorOf(p), {
        action: 'dictionary.create',
        entityType: 'dictionary_field',
        entityId: row.id,
        agencyId: row.agency_id,
        after: row,
      });
      return row;
    });
  }

  /** A change written by the field's owner: a new version, approved by its author; the earlier ones are kept. */
  async update(p: Principal, id: string, patch: DictionaryFieldPatch): Promise<DictionaryFieldRow> {
    const before = await this.get(id);
    const user = requireKeeper(p, before.agency_id);
    if (patch.agency_id !== undefined && patch.agency_id !== before.agency_id) requireKeeper(p, patch.agency_id);
    const content = patched(before, patch);
    const wrong = constraintProblems(content);
    if (wrong.length) throw invalid(wrong);
    return this.db.transaction().execute(async (trx) => {
      const row = await this.repo.with(trx).updateField(id, before.version + 1, content, foldedOf(id, content));
      await this.kept(trx, user, row, before);
      await recordAudit(trx, actorOf(p), {
        action: 'dictionary.update',
        entityType: 'dictionary_field',
        entityId: id,
        agencyId: row.agency_id,
        before,
        after: row,
      });
      await auditFlag(trx, p, before, row);
      return row;
    });
  }

  /** Resolves a Table Schema against the approved entries (see `resolveAgainst`). */
  async resolveSchema(schema: TableSchemaBody): Promise<ResolvedSchema> {
    const ids = schema.fields.flatMap((f) => (f.dictionary ? [f.dictionary] : []));
    return resolveAgainst(schema, new Map((await this.repo.byIds([...new Set(ids)])).map((e) => [e.id, e])));
  }

  private async kept(trx: Kysely<any>, user: User, row: DictionaryFieldRow, before: FieldContent | null) {
    await this.repo.with(trx).insertVersion({
      field_id: row.id,
      version: row.version,
      base_version: before ? row.version - 1 : null,
      state: 'approved',
      content: pick(row),
      changed: changedKeys(before && pick(before), pick(row)),
      owner_agency: before ? before.agency_id : row.agency_id,
      proposed_by: user.userId,
      proposed_agency: row.agency_id,
      decided_by: user.userId,
      comment: null,
    });
  }
}
