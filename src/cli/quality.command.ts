import type { Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { DomainError } from '../platform/errors.js';
import { openForCommand } from './database.commands.js';
import { buildApp } from '../app.js';
import type { CheckResult } from '../quality/checks/quality.schema.js';

const MARK: Record<CheckResult['status'], string> = { passed: 'ok  ', failed: 'FAIL', error: 'ERR ' };

/**
 * `ndp quality run DATASET`: runs each loaded file's check suite (or, with
 * --suggest, the suite suggested from its data when none is kept), prints
 * each check and keeps the reports. Exits 1 when a check failed or could not
 * be evaluated, so scripts and CI can stop on it.
 */
export async function qualityRunCommand(
  config: Config,
  dataset: string,
  o: { user: string; suggest: boolean; lang: 'vi' | 'en' },
): Promise<void> {
  const database = await openForCommand(config);
  let bad = 0;
  try {
    const { services } = await buildApp(config, database, createLogger({ logLevel: 'warn' }), { queueLoads: false });
    const principal = await services.accounts.principalFor(o.user);
    const view = await services.catalog.datasets.get(principal, dataset);
    const files = view.distributions.filter((x) => x.kind === 'file');
    const tables = await services.datastore.readyDistributions(principal, view);
    const loaded = files.filter((x) => tables.has(x.id));
    if (!loaded.length)
      throw new DomainError('INVALID_STATE', {
        vi: 'Bộ dữ liệu chưa có tệp nào được nạp thành bảng.',
        en: 'No file of this data set has been loaded as a table.',
      });
    for (const [n, x] of loaded.entries()) {
      let suite = await services.quality.suite(principal, x.id);
      if (!suite && o.suggest) suite = await services.quality.suggest(principal, x.id);
      if (!suite) {
        process.stderr.write(
          `[${n + 1}/${loaded.length}] ${x.title_vi}: ${o.lang === 'vi' ? 'chưa có bộ kiểm tra (dùng --suggest)' : 'no check suite (use --suggest)'}\n`,
        );
        bad++;
        continue;
      }
      process.stderr.write(
        `[${n + 1}/${loaded.length}] ${x.title_vi}: ${suite.checks.length} ${o.lang === 'vi' ? 'phép kiểm tra…' : 'checks…'}\n`,
      );
      const started = Date.now();
      const run = await services.quality.run(principal, x.id, suite);
      for (const r of run.results as CheckResult[])
        process.stdout.write(`  ${MARK[r.status]} ${r.check.type.padEnd(10)} ${r.message[o.lang]}\n`);
      process.stdout.write(
        `  → ${run.passed} ${o.lang === 'vi' ? 'đạt' : 'passed'}, ${run.failed} ${o.lang === 'vi' ? 'không đạt' : 'failed'}, ${run.errors} ${o.lang === 'vi' ? 'lỗi' : 'errors'} (${Date.now() - started} ms) — /api/v1/quality/runs/${run.id}\n`,
      );
      bad += Number(run.failed) + Number(run.errors);
    }
  } finally {
    await database.close();
  }
  if (bad) process.exitCode = 1;
}

/** `ndp quality sweep`: the scheduled quality pass, now — link probes, every kept suite, every published data set's card. */
export async function qualitySweepCommand(config: Config): Promise<void> {
  const database = await openForCommand(config);
  try {
    const { services } = await buildApp(config, database, createLogger({ logLevel: 'warn' }), { queueLoads: false });
    const r = await services.sweep.run((line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } finally {
    await database.close();
  }
}
