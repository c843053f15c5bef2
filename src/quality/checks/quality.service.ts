import { randomUUID } from 'node:crypto';
import type { Kysely, RawBuilder } from 'kysely';
import type { Readable } from 'node:stream';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, requireAgencyRole, type Principal } from '../../accounts/principal.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { DatastoreService } from '../../datastore/query/datastore.service.js';
import type { TableRow } from '../../datastore/query/datastore.service.js';
import type { FileStore } from '../../platform/storage.js';
import { QualityRepository } from './quality.repository.js';
import type { CheckResult, Suite } from './quality.schema.js';
import { duplicated, failing, notIn } from './check-sql.js';
import { SuiteEvaluator } from './evaluate.js';
import { suggestSuite } from './suggest.js';

/**
 * Runs a distribution's check suite over its current table and keeps the
 * report. Rules live here; the SQL in the repository.
 */
export class QualityService {
  private readonly repo: QualityRepository;
  private readonly evaluator: SuiteEvaluator;
  /** Called after every stored report with its data set (the card keeps a snapshot). */
  onReport?: (datasetId: string, reason: 'run' | 'load' | 'schedule') => Promise<unknown>;
  constructor(
    private readonly db: Kysely<any>,
    private readonly datasets: DatasetsService,
    private readonly datastore: DatastoreService,
    private readonly clock: () => Date = () => new Date(),
    private readonly files?: FileStore,
  ) {
    this.repo = new QualityRepository(db);
    this.evaluator = new SuiteEvaluator(this.repo, datasets, datastore, clock);
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
    return suggestSuite(table, await this.repo.profile(table));
  }

  /** After each load, the kept suite runs over the new version, as the platform (no user). */
  async runAfterLoad(
    distributionId: string,
    reason: 'load' | 'schedule' = 'load',
    report = true,
  ): Promise<string | null> {
    const suite = await this.repo.suite(distributionId);
    const table = suite && (await this.datastore.latestReady(distributionId));
    if (!suite || !table) return null;
    const distribution = await this.datasets.findDistribution(distributionId);
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
    const table = (await this.datastore.versionsOf(run.distribution_id as string)).find((v) => v.id === run.table_id);
    if (!table)
      throw new DomainError('NOT_FOUND', {
        vi: 'Phiên bản bảng của báo cáo này không còn.',
        en: 'The table version of this report is gone.',
      });
    const byId = new Map(table.columns.map((c) => [c.id, c]));
    const column = 'column' in check && check.column ? byId.get(check.column) : undefined;
    let predicate: RawBuilder<unknown> | null = null;
    if (check.type === 'duplicates' && check.columns.every((c) => byId.has(c)))
      predicate = duplicated(
        table,
        check.columns.map((c) => byId.get(c)!),
      );
    else if (check.type === 'reference' && column) {
      const target = await this.evaluator.referenceTarget(table, check.table);
      const tc = target?.columns.find((c) => c.id === check.target_column);
      if (target && tc) predicate = notIn(column, target, tc);
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

  /** Evaluates a suite over a table version (trusted callers: this service's runs, the benchmark). */
  evaluate(table: TableRow, suite: Suite, file?: () => Readable): Promise<CheckResult[]> {
    return this.evaluator.evaluate(table, suite, file);
  }

  /** Files with a kept check suite (trusted callers: the scheduled sweep, which runs them as the platform). */
  suiteDistributions(): Promise<string[]> {
    return this.repo.suiteDistributions();
  }

  /**
   * The latest run of each of these files (trusted callers: the card, which has already checked that its caller
   * may see the data set these files belong to).
   */
  latestRuns(distributionIds: string[]) {
    return this.repo.latestRuns(distributionIds);
  }
}
