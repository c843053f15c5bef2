import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { Jobs } from '../../platform/jobs.js';
import { SWEEP_QUEUE } from './sweep.job.js';

for (const driver of testDrivers()) {
  describe(`the scheduled quality pass on ${driver.name}`, () => {
    let h: Harness;
    let other: Jobs;
    beforeAll(async () => {
      h = await startHarness(driver);
      await h.app.jobs.start();
      // a second `ndp serve` process on the same database, as behind a load balancer: its own queue client and worker
      other = new Jobs(h.database, silent);
    });
    afterAll(async () => {
      await other.stop();
      await h.close();
    });

    it('runs once a period for the platform, however many processes ask for it', async () => {
      const runs: string[] = [];
      const real = h.app.services.sweep.run.bind(h.app.services.sweep);
      h.app.services.sweep.run = async (p) => {
        runs.push('first process');
        return real(p);
      };
      other.handle(SWEEP_QUEUE, async () => {
        runs.push('second process');
      });
      await other.start();
      // both processes ask in the same period, several times each (timers fire every hour)
      const asks = [
        await h.app.askSweep(24),
        await other.sendOncePer(SWEEP_QUEUE, 24 * 3600, {}),
        await h.app.askSweep(24),
        await other.sendOncePer(SWEEP_QUEUE, 24 * 3600, {}),
      ];
      expect(asks.filter((id) => id !== null)).toHaveLength(1);
      for (let i = 0; i < 100 && runs.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1500)); // a second run, were there one, would have been picked up by now
      expect(runs).toHaveLength(1);
      // the next period takes one ask again
      await sql`update job_periods set period_start = period_start - interval '24 hours' where queue = ${SWEEP_QUEUE}`.execute(
        h.db,
      );
      const next = [await other.sendOncePer(SWEEP_QUEUE, 24 * 3600, {}), await h.app.askSweep(24)];
      expect(next.filter((id) => id !== null)).toHaveLength(1);
      for (let i = 0; i < 100 && runs.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(runs).toHaveLength(2);
      // without a period every ask is a job (as table loads are)
      const plain = [await other.send(SWEEP_QUEUE, {}), await other.send(SWEEP_QUEUE, {})];
      expect(plain.every((id) => id !== null)).toBe(true);
    });
  });
}

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silent;
  },
} as never;
