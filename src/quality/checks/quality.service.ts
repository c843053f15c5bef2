import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, requireAgencyRole, type Principal } from '../../accounts/principal.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { DatasetView } from '../../catalog/dataset-view.js';
import type { DatastoreService } from '../../datastore/datastore.service.js';
import type { TableRow } from '../../datastore/datastore.repository.js';
import type { LoadedColumn } from '../../datastore/loader.js';
import { failing, QualityRepository } from './quality.repository.js';
import type { Check, CheckResult, Suite } from './quality.schema.js';
import { checkStructure } from './structure.js';
import { anomaly, schemaDrift } from './drift.js';
import { scoreMetadata } from '../card/mqa.js';
import { mqaInput } from '../card/card.service.js';
import type { Readable } from 'node:stream';
import type { FileStore } from '../../platform/storage.js';

const NUMERIC = new Set(['integer', 'number']);
/** checks whose outcome for a row depends on one cell's value alone */
const VALUE_CHECKS = new Set(['pattern', 'format', 'in_set', 'code_list', 'reference']);
const TEMPORAL = new Set(['date', 'datetime']);
const FORMAT_NAMES: Record<string, { vi: string; en: string }> = {
  cccd: { vi: 'số CCCD', en: 'citizen ID (CCCD)' },
  mst: { vi: 'mã số thuế', en: 'tax code (MST)' },
  phone_vn: { vi: 'số điện thoại', en: 'phone number' },
  email: { vi: 'thư điện tử', en: 'e-mail address' },
  postal_code_vn: { vi: 'mã bưu chính', en: 'postal code' },
};

const columnsOf = (c: Check): string[] =>
  c.type === 'duplicates' ? c.columns : c.type === 'schema' ? [] : 'column' in c && c.column ? [c.column] : [];
const pct = (n: number, of: number) => (of ? Math.round((n / of) * 10000) / 100 : 0);

/**
 * Runs a distribution's check suite over its current table and keeps the
 * report. Rules live here; the SQL in the repository.
 */
export class QualityService {
  readonly repo: QualityRepository;
  /** Called after every stored report with its data set (the card keeps a snapshot). */
  onReport?: (datasetId: string, reason: 'run' | 'load' | 'schedule') => Promise<unknown>;
  /** Whether a data set's record passes the DCAT-AP shapes (the MQA compliance indicator); unset: not assessed. */
  compliance?: (view: DatasetView) => Promise<boolean>;
  constructor(
    private readonly db: Kysely<any>,
    private readonly datasets: DatasetsService,
    private readonly datastore: DatastoreService,
    private readonly clock: () => Date = () => new Date(),
    private readonly files?: FileStore,
  ) {
    this.repo = new QualityRepository(db);
  }

  private async editable(p: Principal, distributionId: string) {
    const { dataset } = await this.datasets.distribution(p, distributionId);
    requireAgencyRole(p, dataset.agency_id, 'agency_editor');
    return dataset;
  }

  async setSuite(p: Principal, distributionId: string, suite: Suite): Promise<void> {
    const dataset = await this.editable(p, distributionId);
    await this.repo.saveSuite(distributionId, suite, actorOf(p).userId);
    await recordAudit(this.db, actorOf(p), {
      action: 'quality.suite',
      entityType: 'distribution',
      entityId: distributionId,
      agencyId: dataset.agency_id,
      after: suite,
    });
  }

  async suite(p: Principal, distributionId: string): Promise<Suite | null> {
    await this.datasets.distribution(p, distributionId);
    return (await this.repo.suite(distributionId)) ?? null;
  }

  /** Evaluates the suite (the stored one unless given) and stores the report. */
  async run(p: Principal, distributionId: string, given?: Suite) {
    const dataset = await this.editable(p, distributionId);
    const suite = given ?? (await this.repo.suite(distributionId));
    if (!suite)
      throw new DomainError('INVALID_STATE', {
        vi: 'Tệp này chưa có bộ kiểm tra chất lượng.',
        en: 'This file has no check suite yet.',
      });
    const table = await this.datastore.version(p, distributionId);
    const { distribution } = await this.datasets.distribution(p, distributionId);
    const file =
      distribution.storage_key && this.files && ['CSV', 'TSV', 'TXT'].includes(distribution.format ?? '')
        ? () => this.files!.open(distribution.storage_key!)
        : undefined;
    const results = await this.evaluate(table, suite, file);
    const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
    const run = {
      id: randomUUID(),
      distribution_id: distributionId,
      table_id: table.id,
      table_version: table.version,
      suite,
      results,
      passed: count('passed'),
      failed: count('failed'),
      errors: count('error'),
      created_by: actorOf(p).userId,
    };
    await this.repo.saveRun(run);
    await recordAudit(this.db, actorOf(p), {
      action: 'quality.run',
      entityType: 'distribution',
      entityId: distributionId,
      agencyId: dataset.agency_id,
      after: { run: run.id, passed: run.passed, failed: run.failed, errors: run.errors },
    });
    await this.onReport?.(dataset.id, 'run');
    return (await this.repo.run(run.id))!;
  }

  /**
   * A suite suggested from the data's own profile, as Deequ does, for the
   * publisher to read, edit and accept: what holds today becomes the rule.
   */
  async suggest(p: Principal, distributionId: string): Promise<Suite> {
    await this.editable(p, distributionId);
    const table = await this.datastore.version(p, distributionId);
    const profile = await this.repo.profile(table);
    const checks: Check[] = [{ type: 'row_count', min: 1 }];
    for (const c of profile.columns) {
      const column = table.columns.find((x) => x.id === c.id)!;
      checks.push(
        c.nulls === 0
          ? { type: 'missing', column: c.id, max_count: 0 }
          : { type: 'missing', column: c.id, max_percent: Math.min(100, Math.ceil(pct(c.nulls, profile.rows))) },
      );
      if (c.distinct === profile.rows - c.nulls && profile.rows > 1 && c.nulls === 0 && column.type !== 'number')
        checks.push({ type: 'duplicates', columns: [c.id] });
      if (NUMERIC.has(column.type) && c.min !== null)
        checks.push({ type: 'bounds', column: c.id, min: Math.min(0, Number(c.min)), max: Number(c.max) });
      if (/^(ma_)?(tinh|province)(_code)?$|^ma_tinh/.test(c.id))
        checks.push({ type: 'code_list', column: c.id, list: 'vn-provinces' });
      else if (/^(ma_)?(xa|commune)(_code)?$|^ma_xa/.test(c.id))
        checks.push({ type: 'code_list', column: c.id, list: 'vn-communes' });
      else if (/(^|_)(mst|ma_so_thue)($|_)/.test(c.id)) checks.push({ type: 'format', column: c.id, format: 'mst' });
      else if (/(^|_)(cccd|so_dinh_danh|can_cuoc)($|_)/.test(c.id))
        checks.push({ type: 'format', column: c.id, format: 'cccd' });
      else if (/(^|_)(dien_thoai|sdt|phone)($|_)/.test(c.id))
        checks.push({ type: 'format', column: c.id, format: 'phone_vn' });
      else if (/(^|_)(email|thu_dien_tu)($|_)/.test(c.id))
        checks.push({ type: 'format', column: c.id, format: 'email' });
      else if (
        column.type === 'text' &&
        c.values.length > 0 &&
        c.values.length <= 20 &&
        profile.rows >= 5 * c.values.length
      )
        checks.push({ type: 'in_set', column: c.id, values: c.values });
    }
    return { checks };
  }

  /** After each load, the kept suite runs over the new version, as the platform (no user). */
  async runAfterLoad(
    distributionId: string,
    reason: 'load' | 'schedule' = 'load',
    report = true,
  ): Promise<string | null> {
    const suite = await this.repo.suite(distributionId);
    const table = suite && (await this.datastore.repo.latestReady(distributionId));
    if (!suite || !table) return null;
    const distribution = await this.datasets.repo.findDistribution(distributionId);
    const file =
      distribution?.storage_key && this.files && ['CSV', 'TSV', 'TXT'].includes(distribution.format ?? '')
        ? () => this.files!.open(distribution.storage_key!)
        : undefined;
    const results = await this.evaluate(table, suite, file);
    const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
    const id = randomUUID();
    await this.repo.saveRun({
      id,
      distribution_id: distributionId,
      table_id: table.id,
      table_version: table.version,
      suite,
      results,
      passed: count('passed'),
      failed: count('failed'),
      errors: count('error'),
      created_by: null,
    });
    if (distribution && report) await this.onReport?.(distribution.dataset_id, reason);
    return id;
  }

  /** The data set's metadata scored with the MQA method; links never probed say "not assessed". */
  async metadata(p: Principal, datasetKey: string) {
    const view = await this.datasets.get(p, datasetKey);
    const links = view.distributions.filter((x) => x.kind !== 'file');
    const probes = await this.repo.latestProbes(links.map((x) => x.id));
    // the link indicators are assessed once every link has been probed
    const facts = links.every((x) => probes.has(x.id))
      ? { reachable: new Set([...probes].filter(([, r]) => r.ok).map(([id]) => id)) }
      : {};
    return scoreMetadata(mqaInput(view), {
      ...facts,
      ...(this.compliance ? { dcatApCompliant: await this.compliance(view) } : {}),
    });
  }

  /** Public: which published data sets are late on their own declared update frequency, per agency. */
  async overdue(agencyId?: string) {
    const now = this.clock();
    const rows = await this.repo.overdue(now, agencyId);
    const byAgency = new Map<
      string,
      { agency: { id: string; slug: string; name_vi: string; name_en: string | null }; count: number }
    >();
    for (const r of rows) {
      const a = byAgency.get(r.agency_id as string) ?? {
        agency: {
          id: r.agency_id as string,
          slug: r.agency_slug as string,
          name_vi: r.agency_name_vi as string,
          name_en: (r.agency_name_en as string | null) ?? null,
        },
        count: 0,
      };
      a.count++;
      byAgency.set(r.agency_id as string, a);
    }
    return {
      as_of: now.toISOString(),
      total: rows.length,
      by_agency: [...byAgency.values()].sort(
        (x, y) => y.count - x.count || x.agency.name_vi.localeCompare(y.agency.name_vi, 'vi'),
      ),
      datasets: rows.map((r) => {
        const due = new Date(r.due as Date);
        return {
          id: r.id,
          slug: r.slug,
          title_vi: r.title_vi,
          update_frequency: r.update_frequency,
          modified: new Date(r.modified as Date).toISOString(),
          due: due.toISOString(),
          days_overdue: Math.floor((now.getTime() - due.getTime()) / 86_400_000),
          agency_slug: r.agency_slug,
        };
      }),
    };
  }

  async runs(p: Principal, distributionId: string) {
    await this.editable(p, distributionId);
    return this.repo.runs(distributionId, 100);
  }

  async report(p: Principal, runId: string) {
    const run = await this.repo.run(runId);
    if (!run) throw notFound({ vi: 'báo cáo chất lượng', en: 'Quality report' }, runId);
    await this.editable(p, run.distribution_id as string);
    return run;
  }

  /**
   * The rows a check of a kept report failed, read again from the very table
   * version it ran on (versions are immutable), in file order, in batches.
   */
  async failingRows(p: Principal, runId: string, index: number) {
    const run = await this.report(p, runId);
    const check = (run.suite as Suite).checks[index];
    if (!check) throw notFound({ vi: 'kiểm tra', en: 'Check' }, String(index));
    const table = (await this.datastore.repo.versions(run.distribution_id as string)).find(
      (v) => v.id === run.table_id,
    );
    if (!table)
      throw new DomainError('NOT_FOUND', {
        vi: 'Phiên bản bảng của báo cáo này không còn.',
        en: 'The table version of this report is gone.',
      });
    const byId = new Map(table.columns.map((c) => [c.id, c]));
    const column = 'column' in check && check.column ? byId.get(check.column) : undefined;
    let predicate: RawBuilder<unknown> | null = null;
    if (check.type === 'duplicates' && check.columns.every((c) => byId.has(c)))
      predicate = this.repo.duplicated(
        table,
        check.columns.map((c) => byId.get(c)!),
      );
    else if (check.type === 'reference' && column) {
      const target = await this.referenceTarget(table, check.table);
      const tc = target?.columns.find((c) => c.id === check.target_column);
      if (target && tc) predicate = this.repo.notIn(column, target, tc);
    } else predicate = failing(check, column);
    if (!predicate)
      throw new DomainError('INVALID_STATE', {
        vi: 'Kiểm tra này không xét từng dòng nên không có dòng lỗi để tải.',
        en: 'This check does not judge rows one by one: there are no failing rows to download.',
      });
    const repo = this.repo;
    const rows = predicate;
    async function* batches() {
      for (let after = 0; ; ) {
        const batch = await repo.failingBatch(table!, rows, after, 5000);
        if (!batch.length) return;
        yield batch;
        after = Number(batch[batch.length - 1]!._row);
      }
    }
    return { table, check, batches: batches() };
  }

  /** The columns of the ready version before this one, for schema drift. */
  private async previousColumns(table: TableRow): Promise<{ id: string; type: string }[] | null> {
    const earlier = (await this.datastore.repo.versions(table.distribution_id)).find(
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
    const earlier = (await this.datastore.repo.versions(table.distribution_id))
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
  private async referenceTarget(table: TableRow, distributionId: string): Promise<TableRow | null> {
    const [target, own] = await Promise.all([
      this.datasets.repo.findDistribution(distributionId),
      this.datasets.repo.findDistribution(table.distribution_id),
    ]);
    if (!target || !own) return null;
    const [targetSet, ownSet] = await Promise.all([
      this.datasets.repo.find(target.dataset_id),
      this.datasets.repo.find(own.dataset_id),
    ]);
    if (!targetSet || !ownSet || (targetSet.status !== 'published' && targetSet.agency_id !== ownSet.agency_id))
      return null;
    return (await this.datastore.repo.latestReady(distributionId)) ?? null;
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
        rowLevel.push({ i, predicate: this.repo.notIn(column!, target, targetColumn), column: column! });
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
        observed: { percent: pct(failures, scan.rows) },
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

const ERROR_TYPE: Record<string, string> = {
  reference: 'foreign-key',
  missing: 'missing-cell',
  in_set: 'constraint-error',
  code_list: 'constraint-error',
  pattern: 'constraint-error',
  format: 'type-error',
  bounds: 'constraint-error',
};

function describe(check: Check, failures: number, rows: number, ok: boolean): { vi: string; en: string } {
  const where = 'column' in check ? check.column : '';
  const share = `${failures}/${rows} (${pct(failures, rows)}%)`;
  if (ok) return { vi: `Cột “${where}”: đạt (${share} vi phạm).`, en: `Column “${where}”: passed (${share} failing).` };
  switch (check.type) {
    case 'missing':
      return {
        vi: `Cột “${where}”: ${share} ô trống: hãy bổ sung hoặc đánh dấu lý do thiếu.`,
        en: `Column “${where}”: ${share} cells empty: fill them or mark why they are missing.`,
      };
    case 'in_set':
      return {
        vi: `Cột “${where}”: ${share} giá trị ngoài danh sách cho phép.`,
        en: `Column “${where}”: ${share} values outside the allowed list.`,
      };
    case 'code_list':
      return {
        vi: `Cột “${where}”: ${share} mã không có trong danh mục đơn vị hành chính hiện hành: hãy đối chiếu với bảng chuyển đổi 2025.`,
        en: `Column “${where}”: ${share} codes not in the current administrative units: map them with the 2025 crosswalk.`,
      };
    case 'pattern':
      return {
        vi: `Cột “${where}”: ${share} giá trị không đúng mẫu.`,
        en: `Column “${where}”: ${share} values do not match the pattern.`,
      };
    case 'format':
      return {
        vi: `Cột “${where}”: ${share} giá trị không phải ${FORMAT_NAMES[check.format]!.vi} hợp lệ.`,
        en: `Column “${where}”: ${share} values are not a valid ${FORMAT_NAMES[check.format]!.en}.`,
      };
    case 'reference':
      return {
        vi: `Cột “${where}”: ${share} giá trị không có trong cột “${check.target_column}” của bảng được tham chiếu: hãy sửa mã hoặc bổ sung bảng gốc.`,
        en: `Column “${where}”: ${share} values are not in column “${check.target_column}” of the referenced table: fix the codes or complete that table.`,
      };
    case 'bounds':
      return {
        vi: `Cột “${where}”: ${share} giá trị ngoài khoảng ${check.min ?? '−∞'}–${check.max ?? '∞'}.`,
        en: `Column “${where}”: ${share} values outside ${check.min ?? '−∞'}–${check.max ?? '∞'}.`,
      };
    default:
      return { vi: `${share} vi phạm.`, en: `${share} failing.` };
  }
}
