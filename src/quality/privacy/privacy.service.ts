import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { DomainError, invalid, type ErrorDetail } from '../../platform/errors.js';
import type { Database } from '../../platform/database.js';
import type { LoadedColumn } from '../../datastore/load/loader.js';
import { finishVersion, indexTable, registerVersion } from '../../datastore/load/table-versions.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, requireAgencyRole, type Principal } from '../../accounts/principal.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { LatestTables, TableRow } from '../../datastore/query/datastore.service.js';
import type { DictionaryService } from '../../catalog/dictionary/dictionary.service.js';
import { CATEGORY_LABELS, type PersonalDataCategory } from '../../catalog/personal-data.js';
import { PiiRepository, type PiiHit, type PiiKind } from './pii.repository.js';

export type DeidentifyMethod = 'drop' | 'mask' | 'hash' | 'year' | 'address';

const KIND: Record<Exclude<PiiKind, 'personal_data' | 'sensitive_personal_data'>, { vi: string; en: string }> = {
  cccd: { vi: 'số CCCD', en: 'citizen ID numbers (CCCD)' },
  personal_tax_code: { vi: 'mã số thuế cá nhân', en: "individuals' tax codes" },
  phone: { vi: 'số điện thoại', en: 'phone numbers' },
  email: { vi: 'địa chỉ thư điện tử', en: 'e-mail addresses' },
  address: { vi: 'địa chỉ đến số nhà', en: 'addresses down to the house number' },
  name_with_birth_date: { vi: 'họ tên kèm ngày sinh', en: 'full names with dates of birth' },
};

/** What a hit found, in words: a kind the values show, or the dictionary's flag on the column's field. */
function kindOf(h: PiiHit): { vi: string; en: string } {
  if (h.kind !== 'personal_data' && h.kind !== 'sensitive_personal_data') return KIND[h.kind];
  const c = CATEGORY_LABELS[h.category as PersonalDataCategory] ?? { vi: h.category ?? '', en: h.category ?? '' };
  return h.kind === 'sensitive_personal_data'
    ? {
        vi: `dữ liệu cá nhân nhạy cảm “${c.vi}” (trường “${h.field}” của từ điển dữ liệu)`,
        en: `sensitive personal data “${c.en}” (the data dictionary’s field “${h.field}”)`,
      }
    : {
        vi: `dữ liệu cá nhân “${c.vi}” (trường “${h.field}” của từ điển dữ liệu)`,
        en: `personal data “${c.en}” (the data dictionary’s field “${h.field}”)`,
      };
}

/** Flags of dictionary fields: the catalog's `DictionaryService.flags`. */
export type DictionaryFlags = Pick<DictionaryService, 'flags'>;

/**
 * The personal-data gate of open data: before a data set is published as
 * open data, each of its tables is scanned; a hit blocks publication, with
 * the column and the reason, until the column is removed or de-identified
 * (a new version without it) or an agency administrator signs off, which is
 * recorded with the reason and the columns it covers.
 */
export class PrivacyGate {
  private readonly repo: PiiRepository;
  constructor(
    private readonly db: Kysely<any>,
    private readonly datasets: DatasetsService,
    private readonly tables: LatestTables,
    private readonly database?: Database,
    /** the dictionary's personal-data flags: a column mapped to a flagged field is a hit, whatever its values */
    private readonly dictionary?: DictionaryFlags,
  ) {
    this.repo = new PiiRepository(db);
  }

  /** Hits on the current version of a file's table that no sign-off covers. */
  private async open(distributionId: string): Promise<{ tableId: string | null; hits: PiiHit[]; uncovered: PiiHit[] }> {
    const table = await this.tables.latestReady(distributionId);
    if (!table) return { tableId: null, hits: [], uncovered: [] };
    // the dictionary's flags first (declared, with their category); the values' look only for the other columns
    const flagged = await this.flagged(distributionId, table);
    const hits = [
      ...flagged,
      ...(await this.repo.scan(table)).filter((h) => !flagged.some((f) => f.column === h.column)),
    ];
    const covered = new Set((await this.repo.signoffs(table.id)).flatMap((s) => s.columns));
    return { tableId: table.id, hits, uncovered: hits.filter((h) => !covered.has(h.column)) };
  }

  /** Columns of the table whose Table Schema field names a dictionary field flagged as personal data (issue 19). */
  private async flagged(distributionId: string, table: TableRow): Promise<PiiHit[]> {
    if (!this.dictionary) return [];
    const d = await this.datasets.findDistribution(distributionId);
    const fields =
      (d?.table_schema as { fields?: { name: string; 'ndp:dictionary'?: string }[] } | null | undefined)?.fields ?? [];
    const byName = new Map(
      fields.flatMap((f) => (f['ndp:dictionary'] ? [[f.name, f['ndp:dictionary']] as const] : [])),
    );
    if (!byName.size) return [];
    const flags = new Map((await this.dictionary.flags([...byName.values()])).map((f) => [f.id, f]));
    const rows = Number(table.row_count);
    return table.columns
      .filter((c) => !c.deidentified)
      .flatMap((c): PiiHit[] => {
        const id = byName.get(c.title) ?? byName.get(c.id);
        const f = id ? flags.get(id) : undefined;
        if (!f?.level || !f.category) return [];
        const kind = f.level === 'sensitive' ? 'sensitive_personal_data' : 'personal_data';
        return [{ column: c.id, kind, values: rows, of: rows, field: f.id, category: f.category }];
      });
  }

  /** The catalog asks this before publishing: the problems that block open data. */
  async problems(dataset: { id: string; access_rights: string }): Promise<ErrorDetail[]> {
    if (dataset.access_rights !== 'public') return [];
    const files = (await this.datasets.distributionsOf([dataset.id])).filter((x) => x.kind === 'file');
    const problems: ErrorDetail[] = [];
    for (const f of files) {
      for (const h of (await this.open(f.id)).uncovered) {
        problems.push({
          field: `privacy.${f.id}.${h.column}`,
          vi: `Tệp “${f.title_vi}”, cột “${h.column}”: có ${kindOf(h).vi} (${h.values}/${h.of} giá trị). Hãy bỏ cột, khử định danh, hoặc đề nghị quản trị cơ quan xác nhận.`,
          en: `File “${f.title_vi}”, column “${h.column}”: holds ${kindOf(h).en} (${h.values} of ${h.of} values). Remove the column, de-identify it, or ask an agency administrator to sign off.`,
        });
      }
    }
    return problems;
  }

  async status(p: Principal, distributionId: string) {
    const { dataset } = await this.datasets.distribution(p, distributionId);
    requireAgencyRole(p, dataset.agency_id, 'agency_editor');
    const r = await this.open(distributionId);
    return {
      table_id: r.tableId,
      hits: r.hits.map((h) => ({
        ...h,
        kind_vi: kindOf(h).vi,
        kind_en: kindOf(h).en,
        signed_off: !r.uncovered.includes(h),
      })),
      signoffs: r.tableId ? await this.repo.signoffs(r.tableId) : [],
    };
  }

  /**
   * A new version of the file's table with the chosen columns dropped or
   * de-identified (the previous versions stay as they were). The personal-data
   * gate then scans the new version, where those columns no longer count.
   */
  async deidentify(p: Principal, distributionId: string, actions: { column: string; method: DeidentifyMethod }[]) {
    const { dataset } = await this.datasets.distribution(p, distributionId);
    requireAgencyRole(p, dataset.agency_id, 'agency_editor');
    const source = await this.tables.latestReady(distributionId);
    if (!source || !this.database)
      throw new DomainError('INVALID_STATE', {
        vi: 'Tệp chưa được nạp thành bảng.',
        en: 'The file has not been loaded as a table.',
      });
    const byId = new Map(source.columns.map((c) => [c.id, c]));
    const problems = actions.flatMap((a): ErrorDetail[] => {
      const c = byId.get(a.column);
      if (!c)
        return [
          { field: a.column, vi: `Bảng không có cột “${a.column}”.`, en: `The table has no column “${a.column}”.` },
        ];
      if (a.method === 'year' && c.type !== 'date' && c.type !== 'datetime')
        return [
          {
            field: a.column,
            vi: `Cột “${a.column}” không phải ngày tháng: không rút về năm được.`,
            en: `Column “${a.column}” is not a date: it cannot be cut to the year.`,
          },
        ];
      return [];
    });
    if (problems.length) throw invalid(problems);
    const chosen = new Map(actions.map((a) => [a.column, a.method]));
    const keep = source.columns
      .filter((c) => chosen.get(c.id) !== 'drop')
      .map((c) => {
        const method = chosen.get(c.id) as Exclude<DeidentifyMethod, 'drop'> | undefined;
        const column: LoadedColumn = method
          ? {
              ...c,
              deidentified: method,
              ...(method === 'year'
                ? { type: 'integer' as const, inferred: 'integer' as const }
                : method === 'mask' || method === 'hash'
                  ? { type: 'text' as const }
                  : {}),
            }
          : c;
        return { column: c, method: method ?? ('keep' as const), id: c.id, loaded: column };
      });
    const { tableId, tableName, version } = await registerVersion(
      this.database,
      distributionId,
      keep.map((k) => k.loaded),
    );
    try {
      const rows = await this.repo.deidentify(source, tableName, keep);
      // nothing rejected: the de-identified version becomes current at once
      await finishVersion(this.database, distributionId, tableId, {
        row_count: rows,
        rejected_count: 0,
        report: JSON.stringify({
          derived_from: source.version,
          deidentified: actions,
          rejections: [],
          footnotes: [],
        }),
      });
    } catch (err) {
      await sql`drop table if exists ${sql.table(`datastore.${tableName}`)}`.execute(this.db).catch(() => undefined);
      await this.db
        .updateTable('datastore_tables')
        .set({ status: 'failed', finished_at: new Date(), report: JSON.stringify({ error: String(err) }) })
        .where('id', '=', tableId)
        .execute();
      throw err;
    }
    await indexTable(
      this.database,
      tableId,
      tableName,
      keep.map((k) => k.loaded),
      keep.map(() => 0),
    );
    await recordAudit(this.db, actorOf(p), {
      action: 'privacy.deidentify',
      entityType: 'distribution',
      entityId: distributionId,
      agencyId: dataset.agency_id,
      after: { from_version: source.version, version, actions },
    });
    return {
      version,
      table_id: tableId,
      derived_from: source.version,
      actions,
      hits: (await this.open(distributionId)).uncovered,
    };
  }

  /** An agency administrator accepts the flagged columns of the current version, with a reason that stays on record. */
  async signOff(p: Principal, distributionId: string, reason: string) {
    const { dataset } = await this.datasets.distribution(p, distributionId);
    requireAgencyRole(p, dataset.agency_id, 'agency_admin');
    const r = await this.open(distributionId);
    if (!r.tableId || !r.uncovered.length)
      throw new DomainError('INVALID_STATE', {
        vi: 'Không có cột nào cần xác nhận.',
        en: 'No flagged column needs a sign-off.',
      });
    const columns = [...new Set(r.uncovered.map((h) => h.column))];
    const id = await this.repo.signOff(distributionId, r.tableId, columns, reason, actorOf(p).userId);
    await recordAudit(this.db, actorOf(p), {
      action: 'privacy.signoff',
      entityType: 'distribution',
      entityId: distributionId,
      agencyId: dataset.agency_id,
      after: { signoff: id, table: r.tableId, columns, reason },
    });
    return { id, table_id: r.tableId, columns, reason };
  }
}
