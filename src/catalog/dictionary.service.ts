import type { Kysely } from 'kysely';
import { DomainError, invalid, notFound, type ErrorDetail } from '../platform/errors.js';
import { recordAudit } from '../platform/audit.js';
import { actorOf, requireAgencyRole, requirePlatformAdmin, type Principal } from '../accounts/principal.js';
import { DictionaryRepository, type DictionaryFieldRow } from './dictionary.repository.js';
import { levelOf, type PersonalDataCategory, type PersonalDataLevel } from './personal-data.js';
import type { DictionaryFieldBody, DictionaryFieldPatch, TableSchemaBody } from './catalog.schema.js';

const FIELD = { vi: 'trường dữ liệu', en: 'Dictionary field' };

export interface ResolvedField {
  name: string;
  type: string;
  format?: string;
  title?: string;
  description?: string;
  constraints?: Record<string, unknown>;
  /** Frictionless allows custom properties: the stable id of the dictionary entry. */
  'ndp:dictionary'?: string;
  'ndp:codeList'?: string;
  /** the personal-data category of the entry (Decree 356), when it has one */
  'ndp:personalData'?: string;
}

/**
 * The shared data dictionary: reusable field definitions. National entries
 * (no agency) are kept by platform admins; an agency's entries by its editors.
 */
export class DictionaryService {
  readonly repo: DictionaryRepository;
  constructor(private readonly db: Kysely<any>) {
    this.repo = new DictionaryRepository(db);
  }

  async get(id: string): Promise<DictionaryFieldRow> {
    const row = await this.repo.find(id);
    if (!row) throw notFound(FIELD, id);
    return row;
  }

  all() {
    return this.repo.all();
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

  private authorise(p: Principal, agencyId: string | null | undefined) {
    return agencyId ? requireAgencyRole(p, agencyId, 'agency_editor') : requirePlatformAdmin(p);
  }

  async create(p: Principal, b: DictionaryFieldBody): Promise<DictionaryFieldRow> {
    this.authorise(p, b.agency_id);
    if (await this.repo.find(b.id))
      throw new DomainError('CONFLICT', {
        vi: `Trường “${b.id}” đã có trong từ điển.`,
        en: `Field “${b.id}” already exists.`,
      });
    return this.db.transaction().execute(async (trx) => {
      const row = await this.repo.with(trx).insert({
        id: b.id,
        label_vi: b.label_vi,
        label_en: b.label_en,
        description_vi: b.description_vi ?? null,
        description_en: b.description_en ?? null,
        type: b.type,
        format: b.format ?? null,
        constraints: b.constraints ?? {},
        code_list: b.code_list ?? null,
        agency_id: b.agency_id ?? null,
        personal_data: b.personal_data ?? null,
      });
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

  async update(p: Principal, id: string, patch: DictionaryFieldPatch): Promise<DictionaryFieldRow> {
    const before = await this.get(id);
    this.authorise(p, before.agency_id);
    if (patch.agency_id !== undefined && patch.agency_id !== before.agency_id) this.authorise(p, patch.agency_id);
    return this.db.transaction().execute(async (trx) => {
      const row = await this.repo.with(trx).update(id, before.version, patch as Partial<DictionaryFieldRow>);
      await recordAudit(trx, actorOf(p), {
        action: 'dictionary.update',
        entityType: 'dictionary_field',
        entityId: id,
        agencyId: row.agency_id,
        before,
        after: row,
      });
      // a flag changed is its own entry: what a grant or the personal-data gate demands follows from it
      if (patch.personal_data !== undefined && patch.personal_data !== before.personal_data)
        await recordAudit(trx, actorOf(p), {
          action: 'dictionary.personal_data',
          entityType: 'dictionary_field',
          entityId: id,
          agencyId: row.agency_id,
          before: { personal_data: before.personal_data },
          after: { personal_data: row.personal_data },
        });
      return row;
    });
  }

  /**
   * Resolves a Table Schema against the dictionary: a field that names an
   * entry takes its type, format, constraints and labels unless it says
   * otherwise, and must not contradict the entry's type.
   */
  async resolveSchema(
    schema: TableSchemaBody,
  ): Promise<{ fields: ResolvedField[]; primaryKey?: string | string[]; missingValues?: string[] }> {
    const entries = new Map(
      (await this.repo.byIds(schema.fields.flatMap((f) => (f.dictionary ? [f.dictionary] : [])))).map((e) => [e.id, e]),
    );
    const problems: ErrorDetail[] = [];
    const names = new Set<string>();
    const fields = schema.fields.map((f, i): ResolvedField => {
      if (names.has(f.name))
        problems.push({
          field: `fields.${i}.name`,
          vi: `Tên cột “${f.name}” bị trùng.`,
          en: `Duplicate column name “${f.name}”.`,
        });
      names.add(f.name);
      const entry = f.dictionary ? entries.get(f.dictionary) : undefined;
      if (f.dictionary && !entry) {
        problems.push({
          field: `fields.${i}.dictionary`,
          vi: `Từ điển không có trường “${f.dictionary}”.`,
          en: `The dictionary has no field “${f.dictionary}”.`,
        });
      }
      if (entry && f.type && f.type !== entry.type) {
        problems.push({
          field: `fields.${i}.type`,
          vi: `Kiểu “${f.type}” khác kiểu “${entry.type}” trong từ điển.`,
          en: `Type “${f.type}” contradicts the dictionary’s “${entry.type}”.`,
        });
      }
      const resolved: ResolvedField = { name: f.name, type: f.type ?? entry?.type ?? 'string' };
      const format = f.format ?? entry?.format ?? undefined;
      if (format) resolved.format = format;
      const title = f.title ?? entry?.label_vi;
      if (title) resolved.title = title;
      const description = f.description ?? entry?.description_vi ?? undefined;
      if (description) resolved.description = description;
      const constraints = { ...(entry?.constraints ?? {}), ...(f.constraints ?? {}) };
      if (Object.keys(constraints).length) resolved.constraints = constraints;
      if (entry) resolved['ndp:dictionary'] = entry.id;
      if (entry?.code_list) resolved['ndp:codeList'] = entry.code_list;
      if (entry?.personal_data) resolved['ndp:personalData'] = entry.personal_data;
      return resolved;
    });
    const pk =
      schema.primaryKey === undefined ? [] : Array.isArray(schema.primaryKey) ? schema.primaryKey : [schema.primaryKey];
    for (const k of pk)
      if (!names.has(k))
        problems.push({
          field: 'primaryKey',
          vi: `Khóa chính “${k}” không phải là cột.`,
          en: `Primary key “${k}” is not a column.`,
        });
    if (problems.length) throw invalid(problems);
    return {
      fields,
      ...(schema.primaryKey !== undefined ? { primaryKey: schema.primaryKey } : {}),
      ...(schema.missingValues ? { missingValues: schema.missingValues } : {}),
    };
  }
}
