import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDrivers } from '../../test/drivers.js';
import { migrate } from '../platform/migrate.js';
import { AccessRecordsRepository } from '../exchange/registry/access-records.repository.js';
import type { Database } from '../platform/database.js';
import { MIGRATIONS } from './index.js';

// Migration 0019 moves every subject access record to the slimmer table: none may be lost, changed or merged.
for (const driver of testDrivers()) {
  describe(`access records across migration 0019 on ${driver.name}`, () => {
    let database: Database;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ database, cleanup } = await driver.open());
    });
    afterAll(() => cleanup());

    it('keeps every record, its context (null and empty apart) and its person, found by the same key', async () => {
      const before = MIGRATIONS.findIndex((m) => m.id === '0019_access_record_contexts');
      await migrate(database.db, MIGRATIONS.slice(0, before));
      // the agency as it stood then (today's seed writes columns later migrations add)
      const agency = randomUUID();
      await sql`insert into agencies (id, code, slug, name_vi, kind) values (${agency}, '000.00.00.G01', 'bo-cong-an', 'Bộ Công an', 'ministry')`.execute(
        database.db,
      );
      const gateway = randomUUID();
      await sql`insert into exchange_gateways (id, agency_id, address, signing_key, tls_public_key, certificate) values (${gateway}, ${agency}, 'https://10.0.0.5:8443', 'k', 'p', 'c')`.execute(
        database.db,
      );
      const key = Buffer.alloc(32, 7);
      const old = (subject: string) => createHmac('sha256', key).update(subject).digest('base64url'); // as the registry wrote it before
      const rows: [string, string, number, string | null, string | null, number][] = [
        ['VN001090000007', 'm1', 1, 'verify-residence', 'Luật Cư trú 2020', 200],
        ['VN001090000007', 'm2', 2, null, null, 404],
        ['VN001090000007', 'm3', 3, '', null, 200],
        ['VN001090000008', 'm1', -1, 'verify-residence', 'Luật Cư trú 2020', 200],
      ];
      for (const [subject, id, index, purpose, basis, status] of rows) {
        await sql`insert into exchange_access_records (subject_hash, at, message_id, log_index, client, service, purpose, legal_basis, status, gateway_id)
          values (${old(subject)}, ${`2026-11-2${index + 2}T08:00:00Z`}, ${id}, ${index}, 'VN/GOV/000.00.00.H01/DVC', 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens', ${purpose}, ${basis}, ${status}, ${gateway})`.execute(
          database.db,
        );
      }
      expect(await migrate(database.db, MIGRATIONS)).toEqual(MIGRATIONS.slice(before).map((m) => m.id));

      const repo = new AccessRecordsRepository(database.db);
      const now = (subject: string) => createHmac('sha256', key).update(subject).digest('hex'); // as it writes them now
      const seven = await repo.accessRecords([now('VN001090000007')], 10);
      expect(
        seven.map((r) => [
          r.message_id,
          Number(r.log_index),
          r.purpose,
          r.legal_basis,
          r.status,
          r.gateway_id,
          r.at.toISOString(),
        ]),
      ).toEqual([
        ['m3', 3, '', null, 200, gateway, '2026-11-25T08:00:00.000Z'],
        ['m2', 2, null, null, 404, gateway, '2026-11-24T08:00:00.000Z'],
        ['m1', 1, 'verify-residence', 'Luật Cư trú 2020', 200, gateway, '2026-11-23T08:00:00.000Z'],
      ]);
      expect(
        seven.every(
          (r) => r.client === 'VN/GOV/000.00.00.H01/DVC' && r.service === 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
        ),
      ).toBe(true);
      expect(
        (await repo.accessRecords([now('VN001090000008')], 10)).map((r) => [r.message_id, Number(r.log_index)]),
      ).toEqual([['m1', -1]]);
      const contexts = await sql<{ n: number }>`select count(*)::int as n from exchange_access_contexts`.execute(
        database.db,
      );
      expect(contexts.rows[0]!.n).toBe(3);
      // a context is made once, whoever asks for it again
      const again = await repo.accessContext({
        client: 'VN/GOV/000.00.00.H01/DVC',
        service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
        purpose: null,
        legal_basis: null,
      });
      const empty = await repo.accessContext({
        client: 'VN/GOV/000.00.00.H01/DVC',
        service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
        purpose: '',
        legal_basis: null,
      });
      expect(again).not.toBe(empty);
      expect(
        (await sql<{ n: number }>`select count(*)::int as n from exchange_access_contexts`.execute(database.db))
          .rows[0]!.n,
      ).toBe(3);
    });
  });
}
