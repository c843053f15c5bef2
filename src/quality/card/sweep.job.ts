import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { QualitySweep } from './sweep.js';

export const SWEEP_QUEUE = 'quality-sweep';

/**
 * The scheduled quality pass runs as a job, at most one per period for the whole platform: several `ndp serve`
 * processes on one database (behind a load balancer) each ask for it on their own timer, and the queue takes the
 * first ask of a period and drops the rest, so links are probed, suites run and cards kept once, not once per process.
 */
export function registerSweepJob(jobs: Jobs, sweep: QualitySweep, logger: Logger) {
  jobs.handle(SWEEP_QUEUE, async () => {
    const r = await sweep.run();
    logger.info(r, 'quality sweep done');
  });
  /** Asks for this period's pass: its job id, or null when the period has one already (or the queue is not running). */
  return (periodHours: number) => jobs.sendOncePer(SWEEP_QUEUE, Math.round(periodHours * 3600), {});
}
