import { sql, type RawBuilder } from 'kysely';
import type { Readable } from 'node:stream';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { DatastoreService } from '../../datastore/query/datastore.service.js';
import type { TableRow } from '../../datastore/query/datastore.service.js';
import type { LoadedColumn } from '../../datastore/load/loader.js';
import { failing, notIn } from './check-sql.js';
import { describe, ERROR_TYPE } from './check-messages.js';
import type { QualityRepository } from './quality.repository.js';
import type { Check, CheckResult, Suite } from './quality.schema.js';
import { checkStructure } from './structure.js';
import { anomaly, schemaDrift } from './drift.js';

const NUMERIC = new Set(['integer', 'number']);
/** checks whose outcome for a row depends on one cell's value alone */
const VALUE_CHECKS = new Set(['pattern', 'format', 'in_set', 'code_list', 'reference']);
const TEMPORAL = new Set(['date', 'datetime']);

const columnsOf = (c: Check): string[] =>
  c.type === 'duplicates' ? c.columns : c.type === 'schema' ? [] : 'column' in c && c.column ? [c.column] : [];
const pct = (n: number, of: number) => (of ? Math.round((n / of) * 10000) / 100 : 0);

/**
 * Evaluates a suite over one table version: the row-level checks in a single pass, grouped checks beside it, drift
 * and anomalies against the earlier versions, the stored file's structure. Part of `QualityService` (which checks who
 * may run what); it reads the repository the service gives it.
 */
export class SuiteEvaluator {
  constructor(
    private readonly repo: QualityRepository,
    private readonly datasets: DatasetsService,
    private readonly datastore: DatastoreService,
    private readonly clock: () => Date,
  ) {}

  /** The columns of the ready version before this one, for schema drift. */
  private async previousColumns(table: TableRow): Promise<{ id: string; type: string }[] | null> {
    const earlier = (await this.datastore.versionsOf(table.distribution_id)).find(
      (v) => v.status === 'ready' && v.version < table.version,
    );
    return earlier ? earlier.columns.map((c) => ({ id: c.id, type: c.type })) : null;
  }

  /** The metric in each earlier ready version (every version stays loaded and immutable), the latest 20. */
  private async metricHistory(
    table: TableRow,
    metric: 'row_count' | 'missing_percent' | 'mean' | 'distinct',
    column: LoadedColumn | undefined,
  ): Promise<number[]> {
    const earlier = (await this.datastore.versionsOf(table.distribution_id))
      .filter((v) => v.status === 'ready' && v.version < table.version)
      .slice(0, 20);
    const values = await Promise.all(
      earlier.map(async (v) => {
        const c = column && v.columns.find((x) => x.id === column.id);
        if (metric !== 'row_count' && !c) return null;
        return this.repo.metric(v, metric, c);
      }),
    );
    return values.filter((x): x is number => x !== null);
  }

  /**
   * The loaded table a reference check points at: that file's current version,
   * if its data set is published or belongs to the same agency as the table
   * checked (a check must not reveal another agency's unpublished values).
   */
  async referenceTarget(table: TableRow, distributionId: string): Promise<TableRow | null> {
    const [target, own] = await Promise.all([
      this.datasets.findDistribution(distributionId),
      this.datasets.findDistribution(table.distribution_id),
    ]);
    if (!target || !own) return null;
    const [targetSet, ownSet] = await Promise.all([
      this.datasets.findRecord(target.dataset_id),
      this.datasets.findRecord(own.dataset_id),
    ]);
    if (!targetSet || !ownSet || (targetSet.status !== 'published' && targetSet.agency_id !== ownSet.agency_id))
      return null;
    return (await this.datastore.latestReady(distributionId)) ?? null;
  }

  async evaluate(table: TableRow, suite: Suite, file?: () => Readable): Promise<CheckResult[]> {
    const byId = new Map(table.columns.map((c) => [c.id, c]));
    const results: (CheckResult | null)[] = suite.checks.map(() => null);
    const rowLevel: { i: number; predicate: RawBuilder<unknown>; column: LoadedColumn }[] = [];
    const fresh: { i: number; column: LoadedColumn }[] = [];
    const error = (check: Check, vi: string, en: string): CheckResult => ({
      check,
      status: 'error',
      message: { vi: `Không đánh giá được: ${vi}`, en: `Could not be evaluated: ${en}` },
    });

    for (const [i, check] of suite.checks.entries()) {
      const missing = columnsOf(check).find((id) => !byId.has(id));
      if (missing) {
        results[i] = error(check, `bảng không có cột “${missing}”.`, `the table has no column “${missing}”.`);
        continue;
      }
      const column = 'column' in check && check.column ? byId.get(check.column)! : undefined;
      if (check.type === 'schema') {
        results[i] = schemaDrift(check, table.columns, await this.previousColumns(table));
        continue;
      }
      if (check.type === 'anomaly') {
        if (check.metric !== 'row_count' && !column) {
          results[i] = error(
            check,
            `chỉ số ${check.metric} cần một cột.`,
            `the ${check.metric} metric needs a column.`,
          );
          continue;
        }
        if (check.metric === 'mean' && !NUMERIC.has(column!.type)) {
          results[i] = error(check, `cột “${column!.id}” không phải số.`, `column “${column!.id}” is not numeric.`);
          continue;
        }
        const [value, history] = await Promise.all([
          this.repo.metric(table, check.metric, column),
          this.metricHistory(table, check.metric, column),
        ]);
        results[i] = anomaly(check, value, history);
        continue;
      }
      if (check.type === 'reference') {
        const target = await this.referenceTarget(table, check.table);
        const targetColumn = target?.columns.find((c) => c.id === check.target_column);
        if (!target || !targetColumn) {
          results[i] = error(
            check,
            'bảng được tham chiếu không có (chưa nạp, chưa công bố, hoặc không có cột đó).',
            'the referenced table is not available (not loaded, not published, or without that column).',
          );
          continue;
        }
        rowLevel.push({ i, predicate: notIn(column!, target, targetColumn), column: column! });
        continue;
      }
      if (check.type === 'bounds' && !NUMERIC.has(column!.type)) {
        results[i] = error(check, `cột “${column!.id}” không phải số.`, `column “${column!.id}” is not numeric.`);
        continue;
      }
      if (check.type === 'freshness') {
        if (!TEMPORAL.has(column!.type))
          results[i] = error(
            check,
            `cột “${column!.id}” không phải ngày tháng.`,
            `column “${column!.id}” is not a date.`,
          );
        else fresh.push({ i, column: column! });
        continue;
      }
      if (check.type === 'pattern' && !(await this.repo.regexOk(check.regex))) {
        results[i] = error(check, 'biểu thức chính quy không hợp lệ.', 'the regular expression is not valid.');
        continue;
      }
      const predicate = failing(check, column);
      if (predicate) rowLevel.push({ i, predicate, column: column! });
    }

    // grouped checks run beside the single pass (on PostgreSQL, on another connection and core)
    const grouped = new Map<number, ReturnType<QualityRepository['duplicates']>>();
    for (const [i, check] of suite.checks.entries()) {
      if (!results[i] && check.type === 'duplicates') {
        const pending = this.repo.duplicates(
          table,
          check.columns.map((id) => byId.get(id)!),
        );
        pending.catch(() => undefined); // awaited below; if the scan fails first, this must not go unhandled
        grouped.set(i, pending);
      }
    }
    // checks on the value alone over a column of few values: once per distinct value, not once per row
    await Promise.all(
      rowLevel.map(async (x) => {
        const check = suite.checks[x.i]!;
        if (!VALUE_CHECKS.has(check.type) || x.column.type !== 'text') return;
        const bad = await this.repo.failingValues(table, x.column, x.predicate);
        if (bad) x.predicate = bad.length ? sql`${sql.ref(x.column.id)} = any(cast(${bad} as text[]))` : sql`false`;
      }),
    );
    const scan = await this.repo.scan(
      table,
      rowLevel.map((x) => x.predicate),
      fresh.map((x) => x.column),
    );
    for (const [k, x] of rowLevel.entries()) {
      const check = suite.checks[x.i]!;
      const failures = scan.counts[k]!;
      let ok = failures === 0;
      if (check.type === 'missing')
        ok =
          failures <= (check.max_count ?? (check.max_percent === undefined ? 0 : Infinity)) &&
          pct(failures, scan.rows) <= (check.max_percent ?? 100);
      results[x.i] = {
        check,
        status: ok ? 'passed' : 'failed',
        rows_checked: scan.rows,
        failures,
        // a missing-cell check is a guard: what it allows is shown beside what it found
        observed: {
          percent: pct(failures, scan.rows),
          ...(check.type === 'missing'
            ? {
                ...(check.max_percent === undefined ? {} : { max_percent: check.max_percent }),
                ...(check.max_count === undefined ? {} : { max_count: check.max_count }),
              }
            : {}),
        },
        ...(ok
          ? {}
          : { error_type: ERROR_TYPE[check.type], samples: await this.repo.samples(table, x.predicate, x.column) }),
        message: describe(check, failures, scan.rows, ok),
      };
    }
    const now = this.clock();
    for (const [k, x] of fresh.entries()) {
      const check = suite.checks[x.i] as Extract<Check, { type: 'freshness' }>;
      const latest = scan.latest[k];
      const latestDate =
        latest === null ? null : new Date(latest instanceof Date ? latest : `${String(latest)}T00:00:00Z`);
      const age = latestDate ? Math.floor((now.getTime() - latestDate.getTime()) / 86_400_000) : null;
      const ok = age !== null && age <= check.max_age_days;
      results[x.i] = {
        check,
        status: latest === null ? 'error' : ok ? 'passed' : 'failed',
        rows_checked: scan.rows,
        observed: { latest: latestDate?.toISOString() ?? null, age_days: age },
        ...(ok || latest === null ? {} : { error_type: 'freshness' }),
        message:
          latest === null
            ? {
                vi: `Không đánh giá được: cột “${check.column}” không có giá trị nào.`,
                en: `Could not be evaluated: column “${check.column}” has no values.`,
              }
            : ok
              ? { vi: `Dữ liệu mới nhất cách đây ${age} ngày.`, en: `The latest value is ${age} days old.` }
              : {
                  vi: `Dữ liệu mới nhất cách đây ${age} ngày, quá hạn ${check.max_age_days} ngày: hãy cập nhật.`,
                  en: `The latest value is ${age} days old, over the ${check.max_age_days} allowed: update the data.`,
                },
      };
    }
    for (const [i, check] of suite.checks.entries()) {
      if (results[i]) continue;
      if (check.type === 'row_count') {
        const ok =
          (check.min === undefined || scan.rows >= check.min) && (check.max === undefined || scan.rows <= check.max);
        results[i] = {
          check,
          status: ok ? 'passed' : 'failed',
          rows_checked: scan.rows,
          observed: { rows: scan.rows },
          ...(ok ? {} : { error_type: 'row-count' }),
          message: ok
            ? { vi: `${scan.rows} dòng, trong giới hạn.`, en: `${scan.rows} rows, within bounds.` }
            : {
                vi: `${scan.rows} dòng, ngoài giới hạn ${check.min ?? 0}–${check.max ?? '∞'}.`,
                en: `${scan.rows} rows, outside ${check.min ?? 0}–${check.max ?? '∞'}.`,
              },
        };
      } else if (check.type === 'structure') {
        if (!file) {
          results[i] = error(
            check,
            'chỉ kiểm tra được cấu trúc của tệp CSV/TSV đã lưu.',
            'the structure check reads stored CSV/TSV files only.',
          );
          continue;
        }
        const r = await checkStructure(file);
        const failures = Object.values(r.counts).reduce((a, b) => a + b, 0);
        results[i] = {
          check,
          status: failures ? 'failed' : 'passed',
          rows_checked: r.rows,
          failures,
          observed: { counts: r.counts, truncated: r.truncated },
          ...(failures
            ? {
                error_type: r.errors[0]!.type,
                samples: r.errors.slice(0, 20).map((e) => ({ row: e.rowNumber ?? 1, value: e })),
              }
            : {}),
          message: failures
            ? {
                vi: `Tệp có ${failures} lỗi cấu trúc (${Object.entries(r.counts)
                  .map(([k, n]) => `${k} ×${n}`)
                  .join(', ')}).`,
                en: `The file has ${failures} structural errors (${Object.entries(r.counts)
                  .map(([k, n]) => `${k} ×${n}`)
                  .join(', ')}).`,
              }
            : { vi: 'Cấu trúc tệp đúng.', en: 'The file is well formed.' },
        };
      } else if (check.type === 'duplicates') {
        const d = await grouped.get(i)!;
        const ok = d.rows === 0;
        results[i] = {
          check,
          status: ok ? 'passed' : 'failed',
          rows_checked: scan.rows,
          failures: d.rows,
          observed: { groups: d.groups },
          ...(ok ? {} : { error_type: 'duplicate-row', samples: d.samples }),
          message: ok
            ? { vi: 'Không có dòng trùng.', en: 'No duplicate rows.' }
            : {
                vi: `${d.rows} dòng trùng nhau trên (${check.columns.join(', ')}), trong ${d.groups} nhóm: hãy bỏ bản trùng.`,
                en: `${d.rows} rows share their (${check.columns.join(', ')}) with another, in ${d.groups} groups: remove the duplicates.`,
              },
        };
      }
    }
    return results.map((r, i) => r ?? error(suite.checks[i]!, 'loại kiểm tra chưa hỗ trợ.', 'unsupported check type.'));
  }
}
