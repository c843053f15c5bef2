import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { type AgencyUser, buildAgencyUser, buildTable, loadDistribution, type Table } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';

/** dan_so declared an integer: a row whose population is not a number is rejected with its line. */
const SCHEMA = {
  fields: [
    { name: 'ma_tinh', type: 'string' },
    { name: 'ten_tinh', type: 'string' },
    { name: 'dan_so', type: 'integer' },
  ],
};
const V1 = 'ma_tinh,ten_tinh,dan_so\n01,Hà Nội,8435650\n79,Hồ Chí Minh,14002598\n48,Đà Nẵng,3065628\n';
/** the same table, one figure unreadable: line 3 is rejected, two rows remain */
const WORSE = 'ma_tinh,ten_tinh,dan_so\n01,Hà Nội,8435650\n79,Hồ Chí Minh,không rõ\n48,Đà Nẵng,3065628\n';

interface VersionOut {
  version: number;
  status: string;
  current: boolean;
  rows: number;
  rejected: number;
  report: { rejections?: { line: number; column: string; value: string; vi: string; en: string }[] };
}

for (const driver of testDrivers()) {
  describe(`a reload that rejects rows waits for its publisher, on ${driver.name}`, () => {
    let h: Harness;
    let editor: AgencyUser;
    let table: Table;
    const versions = async (): Promise<VersionOut[]> =>
      (
        await h.inject({ method: 'GET', url: `/api/v1/distributions/${table.id}/datastore`, headers: editor.auth })
      ).json().versions;
    const served = async () => {
      const meta = (await h.inject({ method: 'GET', url: `/api/v1/tables/${table.id}` })).json();
      const search = (
        await h.inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=${table.id}&sort=_id` })
      ).json().result;
      const dump = (await h.inject({ method: 'GET', url: `/datastore/dump/${table.id}?format=json` })).json();
      const query = (
        await h.inject({
          method: 'GET',
          url: `/api/3/action/datastore_search_sql?${new URLSearchParams({ sql: `select count(*)::int as n from "${table.id}"` })}`,
        })
      ).json().result;
      return {
        version: meta.version as number,
        rows: meta.rows as number,
        search: search.records.map((r: { dan_so: number }) => r.dan_so),
        dump: dump.length as number,
        sql: query.records[0].n as number,
      };
    };
    const act = (version: number, what: 'publish' | 'discard' | 'current', headers: Record<string, string> = {}) =>
      h.inject({ method: 'POST', url: `/api/v1/distributions/${table.id}/datastore/${version}/${what}`, headers });
    const audit = async () =>
      (
        await h.db
          .selectFrom('audit_log')
          .select(['action', 'actor_user_id', 'before', 'after'])
          .where('entity_id', '=', table.id)
          .where('action', 'like', 'datastore.%')
          .orderBy('id')
          .execute()
      ).map((a) => ({
        action: a.action,
        actor: a.actor_user_id,
        before: typeof a.before === 'string' ? JSON.parse(a.before) : a.before,
        after: typeof a.after === 'string' ? JSON.parse(a.after) : a.after,
      }));

    beforeAll(async () => {
      h = await startHarness(driver);
      editor = await buildAgencyUser(h);
      table = await buildTable(h, { user: editor, csv: V1, schema: SCHEMA });
    });
    afterAll(() => h.close());

    it('keeps the previous version current and the new one pending, with its rejections listed', async () => {
      expect(table.load.status).toBe('ready');
      const v2 = await loadDistribution(h, table, { content: WORSE, schema: SCHEMA });
      expect(v2).toMatchObject({ version: 2, status: 'pending', rows: 2, rejected: 1 });
      const [pending, first] = await versions();
      expect(pending).toMatchObject({ version: 2, status: 'pending', current: false, rows: 2, rejected: 1 });
      expect(pending!.report.rejections).toEqual([
        expect.objectContaining({
          line: 3,
          column: 'dan_so',
          value: 'không rõ',
          en: expect.stringContaining('không rõ'),
          vi: expect.stringContaining('không rõ'),
        }),
      ]);
      expect(first).toMatchObject({ version: 1, status: 'ready', current: true, rows: 3 });
      // readers still get version 1, everywhere
      expect(await served()).toEqual({
        version: 1,
        rows: 3,
        search: [8435650, 14002598, 3065628],
        dump: 3,
        sql: 3,
      });
      // the pending version's own id is not served either
      expect((await h.inject({ method: 'GET', url: `/api/v1/tables/${v2.tableId}` })).statusCode).toBe(404);
      // its rejected rows, for the publisher to read before deciding
      const csv = await h.inject({
        method: 'GET',
        url: `/api/v1/distributions/${table.id}/datastore/2/rejected`,
        headers: editor.auth,
      });
      expect(csv.body).toContain('3,dan_so,không rõ');
    });

    it('keeps the quality card on the current version while a version waits', async () => {
      const card = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${table.dataset.id}/quality` })).json();
      expect(JSON.stringify(card.issues)).not.toContain('rejected by the load');
    });

    it('refuses an editor of another agency (403) and an anonymous caller (401)', async () => {
      const stranger = await buildAgencyUser(h, { agency: 'bo-y-te' });
      for (const what of ['publish', 'discard', 'current'] as const) {
        const version = what === 'current' ? 1 : 2;
        const forbidden = await act(version, what, stranger.auth);
        expect(forbidden.statusCode).toBe(403);
        expect(forbidden.json().error).toMatchObject({
          code: 'FORBIDDEN',
          vi: 'Bạn không có quyền trên dữ liệu của cơ quan này.',
          en: "You have no rights on this agency's data.",
        });
        const anonymous = await act(version, what);
        expect(anonymous.statusCode).toBe(401);
        expect(anonymous.json().error).toMatchObject({
          code: 'UNAUTHENTICATED',
          vi: 'Bạn cần đăng nhập hoặc dùng mã truy cập hợp lệ.',
          en: 'Sign in or send a valid API token.',
        });
      }
      // nothing changed
      expect((await versions()).map((v) => [v.version, v.status, v.current])).toEqual([
        [2, 'pending', false],
        [1, 'ready', true],
      ]);
      expect(await audit()).toEqual([]);
    });

    it('publishes the pending version: it becomes current and readers get its rows', async () => {
      const res = await act(2, 'publish', editor.auth);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ version: 2, status: 'ready', current: true });
      expect(await served()).toEqual({ version: 2, rows: 2, search: [8435650, 3065628], dump: 2, sql: 2 });
      expect((await versions()).map((v) => [v.version, v.status, v.current])).toEqual([
        [2, 'ready', true],
        [1, 'ready', false],
      ]);
      // the card follows the current version
      const card = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${table.dataset.id}/quality` })).json();
      expect(JSON.stringify(card.issues)).toContain('rejected by the load');
      // a version already published cannot be published again
      const again = await act(2, 'publish', editor.auth);
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toMatchObject({
        code: 'INVALID_STATE',
        vi: 'Phiên bản 2 đang ở trạng thái “sẵn sàng”: chỉ phiên bản chờ duyệt mới công bố được.',
        en: 'Version 2 is ready: only a pending version can be published.',
      });
    });

    it('discards a pending version: its table is dropped and the current one stays', async () => {
      const v3 = await loadDistribution(h, table, { content: WORSE, schema: SCHEMA });
      expect(v3).toMatchObject({ version: 3, status: 'pending' });
      const res = await act(3, 'discard', editor.auth);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ version: 3, status: 'discarded', current: false });
      const left = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
        where table_schema = 'datastore' and table_name = ${v3.tableName}`.execute(h.db);
      expect(left.rows[0]!.n).toBe(0);
      expect((await versions()).map((v) => [v.version, v.status, v.current])).toEqual([
        [3, 'discarded', false],
        [2, 'ready', true],
        [1, 'ready', false],
      ]);
      expect((await served()).version).toBe(2);
      // a discarded version can be neither published nor made current
      expect((await act(3, 'publish', editor.auth)).statusCode).toBe(409);
      expect((await act(3, 'current', editor.auth)).json().error.code).toBe('INVALID_STATE');
      expect((await act(9, 'current', editor.auth)).statusCode).toBe(404);
    });

    it("rolls back to version 1: readers get version 1's rows, and the audit log has each action", async () => {
      const res = await act(1, 'current', editor.auth);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ version: 1, status: 'ready', current: true });
      expect(await served()).toEqual({
        version: 1,
        rows: 3,
        search: [8435650, 14002598, 3065628],
        dump: 3,
        sql: 3,
      });
      // version ids stay: version 2 is still readable by its own id
      const v2 = (await versions()).find((v) => v.version === 2)!;
      expect(v2).toMatchObject({ status: 'ready', current: false });
      expect(await audit()).toEqual([
        {
          action: 'datastore.publish',
          actor: editor.userId,
          before: { current: 1 },
          after: expect.objectContaining({ current: 2 }),
        },
        {
          action: 'datastore.discard',
          actor: editor.userId,
          before: expect.objectContaining({ status: 'pending' }),
          after: expect.objectContaining({ version: 3, status: 'discarded' }),
        },
        {
          action: 'datastore.make_current',
          actor: editor.userId,
          before: { current: 2 },
          after: expect.objectContaining({ current: 1 }),
        },
      ]);
    });

    it('makes a load with no rejected rows current at once, as before', async () => {
      const v4 = await loadDistribution(h, table, { content: V1.replace('8435650', '8500000'), schema: SCHEMA });
      expect(v4).toMatchObject({ version: 4, status: 'ready', rejected: 0 });
      expect(await served()).toMatchObject({ version: 4, rows: 3, search: [8500000, 14002598, 3065628] });
    });
  });
}
