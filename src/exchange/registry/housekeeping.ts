import type { Kysely } from 'kysely';
import { recordAudit } from '../../platform/audit.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { HousekeepingRepository } from './housekeeping.repository.js';

export const HOUSEKEEPING_QUEUE = 'exchange-housekeeping';
const BATCH = 10_000; // rows a statement: a long delete would hold the reports that insert meanwhile
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface HousekeepingOptions {
  /** days a subject access record is kept (0: for good) */
  accessRecordDays: number;
  /** past this many days, one reported checkpoint an hour per gateway is kept, the latest (0: every one) */
  checkpointThinDays: number;
}

/**
 * The registry's daily housekeeping: subject access records past their keeping time are deleted (a person's
 * history is kept as long as the law asks and no longer), and the checkpoints gateways report every 10 s are thinned
 * to one an hour once old — enough for an auditor's consistency proof from any hour, without three million rows a year
 * a gateway. An hour of records at a time, from where the last run stopped (`exchange_housekeeping_marks`, migration
 * 0023), a batch of rows at a time within it; what was deleted is audited.
 */
export async function exchangeHousekeeping(
  db: Kysely<any>,
  o: HousekeepingOptions,
  now = new Date(),
): Promise<{ accessRecords: number; proofWindows: number; checkpoints: number; subjectKeys: number }> {
  const repo = new HousekeepingRepository(db);
  const recordsBefore = o.accessRecordDays > 0 ? new Date(now.getTime() - o.accessRecordDays * DAY) : null;
  const checkpointsBefore = o.checkpointThinDays > 0 ? new Date(now.getTime() - o.checkpointThinDays * DAY) : null;
  let accessRecords = 0;
  let proofWindows = 0;
  let checkpoints = 0;
  // an hour at a time from where the last run stopped, up to the last whole hour before the cut: a run reads only
  // what came due since, and never splits a checkpoint hour
  const hours = async (
    name: 'access_records' | 'checkpoints',
    before: Date,
    work: (from: Date, to: Date) => Promise<void>,
  ) => {
    const start = await repo.housekeepingStart(name);
    if (!start) return;
    const end = Math.floor(before.getTime() / HOUR) * HOUR;
    for (let from = Math.floor(start.getTime() / HOUR) * HOUR; from < end; from += HOUR) {
      await work(new Date(from), new Date(from + HOUR));
      await repo.markHousekept(name, new Date(from + HOUR));
    }
  };
  if (recordsBefore) {
    await hours('access_records', recordsBefore, async (from, to) => {
      for (let n = BATCH; n === BATCH; accessRecords += n) n = await repo.forgetAccessRecords(from, to, BATCH);
      // and the proof windows those records needed, when no record is left in them (issue 19)
      proofWindows += await repo.forgetProofWindows(from, to);
    });
  }
  if (checkpointsBefore)
    await hours('checkpoints', checkpointsBefore, async (from, to) => {
      checkpoints += await repo.thinCheckpoints(from, to);
    });
  // a subject key retired before the oldest record kept has no record left: it goes too
  // (a day's margin: other registry processes take up a new key within seconds, not at once)
  const subjectKeys = recordsBefore ? await repo.dropSubjectKeysBefore(new Date(recordsBefore.getTime() - DAY)) : 0;
  if (accessRecords || proofWindows || checkpoints || subjectKeys) {
    await recordAudit(
      db,
      { userId: null, tokenId: null },
      {
        action: 'exchange.housekeeping',
        entityType: 'exchange_registry',
        entityId: '1',
        after: {
          accessRecordsDeleted: accessRecords,
          accessRecordsBefore: recordsBefore?.toISOString() ?? null,
          proofWindowsDeleted: proofWindows,
          checkpointsThinned: checkpoints,
          checkpointsBefore: checkpointsBefore?.toISOString() ?? null,
          subjectKeysDropped: subjectKeys,
        },
      },
    );
  }
  return { accessRecords, proofWindows, checkpoints, subjectKeys };
}

/** Runs as a job, once a day for the whole platform (`Jobs.sendOncePer`), whichever `ndp serve` process asks first. */
export function registerHousekeepingJob(jobs: Jobs, db: Kysely<any>, o: HousekeepingOptions, logger: Logger) {
  jobs.handle(HOUSEKEEPING_QUEUE, async () => {
    logger.info(await exchangeHousekeeping(db, o), 'exchange housekeeping done');
  });
  return () => jobs.sendOncePer(HOUSEKEEPING_QUEUE, 86_400, {});
}
