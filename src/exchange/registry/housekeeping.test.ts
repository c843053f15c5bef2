import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { HOUSEKEEPING_QUEUE, exchangeHousekeeping } from './housekeeping.js';
import { AccessRecordsRepository } from './access-records.repository.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

for (const driver of testDrivers()) {
  describe(`the exchange registry's housekeeping on ${driver.name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(driver);
    });
    afterAll(() => h.close());

    it('deletes access records past their keeping time, thins old checkpoints to the latest of each hour, and audits it', async () => {
      const now = new Date('2026-11-25T12:00:00Z');
      const agency = await h.agencyId('000.00.00.G01');
      const gateways = [randomUUID(), randomUUID()];
      for (const [i, id] of gateways.entries()) {
        await sql`insert into exchange_gateways (id, agency_id, address, signing_key, tls_public_key, certificate, revoked_at) values (${id}, ${agency}, 'https://10.0.0.5:8443', ${`k${i}`}, 'p', 'c', ${i ? now : null})`.execute(
          h.db,
        );
      }
      const repo = new AccessRecordsRepository(h.db);
      const context = await repo.accessContext({
        client: 'VN/GOV/000.00.00.H01/DVC',
        service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
        purpose: 'verify-residence',
        legal_basis: 'Luật Cư trú 2020',
      });
      // a record a day for 40 days, for one person, newest last
      const days = Array.from({ length: 40 }, (_, i) => new Date(now.getTime() - (39 - i) * DAY - HOUR).toISOString());
      await repo.insertAccessRecords(
        gateways[0]!,
        context,
        200,
        days.map(() => 'ab'.repeat(32)),
        days,
        days.map((_, i) => `m${i}`),
        days.map((_, i) => i),
      );
      // each record's proof window, received a second after it; and one window that covers two records, 30 days and an
      // hour, and 29 days and an hour old (received after the second), which stays as long as one of them does
      for (const [i, at] of days.entries())
        await sql`insert into exchange_proof_windows (gateway_id, from_index, tree_size, frontier, leaves, checkpoint, received_at)
          values (${gateways[0]}, ${i}, ${i + 1}, ${Buffer.alloc(0)}, ${Buffer.alloc(32)}, 'note', ${new Date(Date.parse(at) + 1000)})`.execute(
          h.db,
        );
      await sql`update exchange_proof_windows set tree_size = 11, received_at = ${new Date(Date.parse(days[10]!) + 1000)} where from_index = 9`.execute(
        h.db,
      );
      await sql`delete from exchange_proof_windows where from_index = 10`.execute(h.db);
      // checkpoints every 10 minutes over three hours 40 days ago, and over the last hour, for both gateways
      let size = 0;
      for (const g of gateways) {
        for (const start of [now.getTime() - 40 * DAY, now.getTime() - HOUR]) {
          for (let m = 0; m < 180; m += 10) {
            await sql`insert into exchange_checkpoints (gateway_id, size, note, received_at) values (${g}, ${++size}, 'note', ${new Date(start + m * 60_000)})`.execute(
              h.db,
            );
          }
        }
      }

      const done = await exchangeHousekeeping(h.db, { accessRecordDays: 30, checkpointThinDays: 30 }, now);
      // 40 days of records, 30 kept: the ones made 30 days and an hour ago and before go
      expect(done.accessRecords).toBe(10);
      const kept = await repo.accessRecords(['ab'.repeat(32)], 100);
      expect(kept).toHaveLength(30);
      expect(Math.min(...kept.map((r) => r.at.getTime()))).toBeGreaterThanOrEqual(now.getTime() - 30 * DAY);
      // the windows of the records gone go with them, but the one that still covers a kept record stays
      const windows = (
        await sql<{ f: string }>`select from_index::text as f from exchange_proof_windows order by from_index`.execute(
          h.db,
        )
      ).rows.map((r) => Number(r.f));
      expect(windows).toEqual([9, ...Array.from({ length: 29 }, (_, i) => i + 11)]);
      expect(done.proofWindows).toBe(9);
      // the three old hours of each gateway keep their latest checkpoint each; the recent ones are all kept
      const checkpoints = (
        await sql<{
          gateway_id: string;
          size: string;
          received_at: Date;
        }>`select gateway_id, size::text, received_at from exchange_checkpoints order by gateway_id, size::bigint`.execute(
          h.db,
        )
      ).rows;
      for (const g of gateways) {
        const old = checkpoints.filter((c) => c.gateway_id === g && c.received_at.getTime() < now.getTime() - 30 * DAY);
        expect(old.map((c) => c.received_at.toISOString().slice(11, 16))).toEqual(['12:50', '13:50', '14:50']);
        expect(
          checkpoints.filter((c) => c.gateway_id === g && c.received_at.getTime() > now.getTime() - DAY),
        ).toHaveLength(18);
      }
      expect(done.checkpoints).toBe(2 * (18 - 3));
      const audit = await h.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'exchange.housekeeping')
        .orderBy('id')
        .execute();
      expect(audit).toHaveLength(1); // (the later runs below are audited apart)
      expect(audit[0]!.after).toMatchObject({
        accessRecordsDeleted: 10,
        proofWindowsDeleted: 9,
        checkpointsThinned: 30,
      });
      // the next day's run goes on from where this one stopped (the last whole hour before the cut), an hour at a time
      const marks = (
        await sql<{
          name: string;
          done_before: Date;
        }>`select name, done_before from exchange_housekeeping_marks order by name`.execute(h.db)
      ).rows;
      expect(marks.map((m) => [m.name, m.done_before.toISOString()])).toEqual([
        ['access_records', '2026-10-26T12:00:00.000Z'],
        ['checkpoints', '2026-10-26T12:00:00.000Z'],
      ]);
      for (let m = 0; m < 120; m += 10) {
        await sql`insert into exchange_checkpoints (gateway_id, size, note, received_at) values (${gateways[0]}, ${++size}, 'note', ${new Date(now.getTime() - 29.5 * DAY + m * 60_000)})`.execute(
          h.db,
        );
      }
      expect(
        (
          await exchangeHousekeeping(
            h.db,
            { accessRecordDays: 0, checkpointThinDays: 30 },
            new Date(now.getTime() + DAY),
          )
        ).checkpoints,
      ).toBe(12 - 2);
      // the same day again: only the one record that came due since, nothing else done twice
      expect(
        await exchangeHousekeeping(
          h.db,
          { accessRecordDays: 30, checkpointThinDays: 30 },
          new Date(now.getTime() + DAY),
        ),
      ).toEqual({ accessRecords: 1, proofWindows: 1, checkpoints: 0, subjectKeys: 0 });
      expect(
        await exchangeHousekeeping(
          h.db,
          { accessRecordDays: 30, checkpointThinDays: 30 },
          new Date(now.getTime() + DAY),
        ),
      ).toEqual({ accessRecords: 0, proofWindows: 0, checkpoints: 0, subjectKeys: 0 });
      // a subject key retired more than a keeping time (and a day) ago goes: no record made under it is left
      await h.tokenFor('000.00.00.G01', 'agency_admin', `root-${driver.name}@ndp.test`);
      const root = await h.app.services.accounts.principalFor(`root-${driver.name}@ndp.test`);
      root.isPlatformAdmin = true;
      await h.app.services.registry.rotateSubjectKey(root);
      const keys = async () =>
        (
          (await h.db.selectFrom('exchange_authority').select('previous_subject_keys').executeTakeFirstOrThrow())
            .previous_subject_keys as unknown[]
        ).length;
      expect(await keys()).toBe(1);
      expect(
        (
          await exchangeHousekeeping(
            h.db,
            { accessRecordDays: 30, checkpointThinDays: 30 },
            new Date(Date.now() + 30 * DAY),
          )
        ).subjectKeys,
      ).toBe(0);
      expect(await keys()).toBe(1);
      expect(
        (
          await exchangeHousekeeping(
            h.db,
            { accessRecordDays: 30, checkpointThinDays: 30 },
            new Date(Date.now() + 31 * DAY + HOUR),
          )
        ).subjectKeys,
      ).toBe(1);
      expect(await keys()).toBe(0);
      // 0 keeps everything, and audits nothing
      const audited = (
        await h.db.selectFrom('audit_log').select('id').where('action', '=', 'exchange.housekeeping').execute()
      ).length;
      expect(
        await exchangeHousekeeping(
          h.db,
          { accessRecordDays: 0, checkpointThinDays: 0 },
          new Date(now.getTime() + 3650 * DAY),
        ),
      ).toEqual({ accessRecords: 0, proofWindows: 0, checkpoints: 0, subjectKeys: 0 });
      expect(
        await h.db.selectFrom('audit_log').select('id').where('action', '=', 'exchange.housekeeping').execute(),
      ).toHaveLength(audited);
    });

    it('runs as a job once a day, whichever process asks', async () => {
      await h.app.jobs.start();
      const asks = [await h.app.askHousekeeping(), await h.app.askHousekeeping()];
      expect(asks.filter((id) => id !== null)).toHaveLength(1);
      const id = asks.find((x) => x !== null)!;
      let state: string | undefined;
      for (let i = 0; i < 100 && state !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = await h.app.jobs.state(HOUSEKEEPING_QUEUE, id);
      }
      expect(state).toBe('completed');
    });
  });
}
