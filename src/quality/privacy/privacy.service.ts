import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { DomainError, invalid, type ErrorDetail } from '../../platform/errors.js';
import type { Database } from '../../platform/database.js';
import type { LoadedColumn } from '../../datastore/load/loader.js';
import { finishVersion, indexTable, registerVersion } from '../../datastore/load/table-versions.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, requireAgencyRole, type Principal } from '../../accounts/principal.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { LatestTables } from '../../datastore/query/datastore.service.js';
import { PiiRepository, type PiiHit, type PiiKind } from './pii.repository.js';

export type DeidentifyMethod = 'drop' | 'mask' | 'hash' | 'year' | 'address';

const KIND: Record<PiiKind, { vi: string; en: string }> = {
  cccd: { vi: 'số CCCD', en: 'citizen ID numbers (CCCD)' },
  personal_tax_code: { vi: 'mã số thuế cá nhân', en: "individuals' tax codes" },
  phone: { vi: 'số điện thoại', en: 'phone numbers' },
  email: { vi: 'địa chỉ thư điện tử', en: 'e-mail addresses' },
  address: { vi: 'địa chỉ đến số nhà', en: 'addresses down to the house number' },
  name_with_birth_date: { vi: 'họ tên kèm ngày sinh', en: 'full names with dates of birth' },
};

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
  ) {
    this.repo = new PiiRepository(db);
  }

  /** Hits on the current version of a file's table that no sign-off covers. */
  private async open(distributionId: string): Promise<{ tableId: string | null; hits: PiiHit[]; uncovered: PiiHit[] }> {
    const table = await this.tables.latestReady(distributionId);
    if (!table) return { tableId: null, hits: [], uncovered: [] };
    const hits = await this.repo.scan(table);
    const covered = new Set((await this.repo.signoffs(table.id)).flatMap((s) => s.columns));
    return { tableId: table.id, hits, uncovered: hits.filter((h) => !covered.has(h.column)) };
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
          vi: `Tệp “${f.title_vi}”, cột “${h.column}”: có ${KIND[h.kind].vi} (${h.values}/${h.of} giá trị). Hãy bỏ cột, khử định danh, hoặc đề nghị quản trị cơ quan xác nhận.`,
          en: `File “${f.title_vi}”, column “${h.column}”: holds ${KIND[h.kind].en} (${h.values} of ${h.of} values). Remove the column, de-identify it, or ask an agency administrator to sign off.`,
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
        kind_vi: KIND[h.kind].vi,
        kind_en: KIND[h.kind].en,
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
