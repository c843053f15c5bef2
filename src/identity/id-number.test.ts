import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { citizenSession } from '../../test/citizens.js';
import { IdentityService } from './identity.service.js';
import { openIdNumber } from './id-number-seal.js';
import type { Mail } from './mailer.js';

const CCCD = '079190004321';

describe.each(testDrivers())('the id number of a level-2 session ($name)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(driver);
  });
  afterAll(() => h?.close());

  const sessionRows = () => h.db.selectFrom('public_sessions').selectAll().execute();

  it('comes back with the cookie, on the user of the session only, and never in what is serialised or shown', async () => {
    const c = await citizenSession(h, CCCD, 'Lê Thị Hoa');
    expect(c.user.idNumber).toBe(CCCD);
    expect(c.hashes.length).toBeGreaterThan(0);
    const secret = c.cookie.split('=')[1]!;
    const resolved = await h.app.services.identity.fromSession(secret);
    expect(resolved?.user.idNumber).toBe(CCCD);
    expect(JSON.stringify(resolved)).not.toContain(CCCD);
    expect(JSON.stringify({ ...c.user })).not.toContain(CCCD);
    const me = await h.inject({ method: 'GET', url: '/api/v1/public/me', headers: { cookie: c.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.level).toBe(2);
    expect(me.body).not.toContain(CCCD);
  });

  it('is nowhere in the database in clear, and the stored hash of the cookie does not open it', async () => {
    await citizenSession(h, CCCD, 'Lê Thị Hoa');
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(h.db);
    const holding: string[] = [];
    for (const { name } of tables.rows) {
      const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)} t
        where t::text like ${`%${CCCD}%`}`.execute(h.db);
      if (r.rows[0]!.n > 0) holding.push(name);
    }
    expect(holding).toEqual([]);
    const sealed = (await sessionRows()).filter((s) => s.id_number_sealed);
    expect(sealed.length).toBeGreaterThan(0);
    for (const s of sealed) expect(openIdNumber(s.id_number_sealed, s.id_hash, s.id_hash)).toBeUndefined();
  });

  it('is not kept for a level-1 session, nor for a reuser signed in by e-mail even if a value were planted', async () => {
    const l1 = await citizenSession(h, '001090000077', 'Phạm Văn Tư', 1);
    expect(l1.user.idNumber).toBeUndefined();
    const row = (await sessionRows()).find((s) => s.user_id === l1.user.userId)!;
    expect(row.id_number_sealed).toBeNull();

    const sent: Mail[] = [];
    const service = new IdentityService({
      db: h.db,
      baseUrl: 'http://ndp.test',
      publicSessionTtlHours: 8,
      mailer: { send: async (m) => void sent.push(m) },
      subjectHashes: async () => [],
    });
    await service.requestEmailLink({ email: 'reuser@example.org', name: 'Reuser', clientAddress: '192.0.2.9' });
    const token = /token=([\w-]+)/.exec(sent.at(-1)!.text)![1]!;
    const s = await service.emailLinkUsed(token);
    expect(s.user.idNumber).toBeUndefined();
    // a level-2 citizen's sealed value copied onto the reuser's row: a session signed in by e-mail never opens one
    const donor = (await sessionRows()).find((x) => x.id_number_sealed)!;
    await h.db
      .updateTable('public_sessions')
      .set({ id_number_sealed: donor.id_number_sealed })
      .where('user_id', '=', s.user.userId)
      .execute();
    expect((await service.fromSession(s.sessionId))?.user.idNumber).toBeUndefined();
  });

  it('goes with the session at sign-out', async () => {
    const c = await citizenSession(h, CCCD, 'Lê Thị Hoa');
    const secret = c.cookie.split('=')[1]!;
    const before = (await sessionRows()).length;
    await h.app.services.identity.signOut(secret);
    expect(await h.app.services.identity.fromSession(secret)).toBeNull();
    expect((await sessionRows()).length).toBe(before - 1);
  });
});
