import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import {
  buildAgencyUser,
  buildDistribution,
  buildTable,
  type AgencyUser,
  type Table,
} from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';

/** Issue 18, item 10: a table that carries only province names, in the spellings real tables use. */
const PROVINCES = [
  'tinh,chi_tieu',
  'Ha Tay,1',
  'Thua Thien-Hue,2',
  'TP. Hồ Chí Minh,3',
  'Hà Nội,4',
  'ha noi,5',
  ',6',
  'Hà Giang,7',
  'Xyz,8',
].join('\n');

for (const driver of testDrivers()) {
  describe(`place-name columns get a GSO code column on ${driver.name}`, () => {
    let h: Harness;
    let editor: AgencyUser;
    let table: Table;
    const places = () => h.inject({ method: 'GET', url: `/api/v1/distributions/${table.id}/datastore/places` });
    const addColumn = (user: AgencyUser, body: Record<string, unknown>, id = table.id) =>
      h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${id}/datastore/places`,
        headers: user.auth,
        payload: body,
      });
    const column = async (id: string, name: string) => {
      const res = await h.inject({ method: 'GET', url: `/api/v1/tables/${id}/rows?select=${name}&limit=100` });
      expect(res.statusCode).toBe(200);
      return (res.json().rows as Record<string, unknown>[]).map((r) => r[name]);
    };

    beforeAll(async () => {
      h = await startHarness(driver);
      editor = await buildAgencyUser(h);
      table = await buildTable(h, { user: editor, csv: PROVINCES });
    });
    afterAll(() => h.close());

    it('recognises a column of province names, old and new, with its match rate and the values no province has', async () => {
      const res = await places();
      expect(res.statusCode).toBe(200);
      expect(res.json().columns).toEqual([
        expect.objectContaining({
          column: 'tinh',
          level: 'province',
          vintage: 'pre-2025',
          rows: 7,
          rows_matched: 6,
          match_rate: 0.857,
          unmatched: [{ value: 'Xyz', rows: 1 }],
          suggested_name: 'ma_tinh',
          code_columns: [],
        }),
      ]);
    });

    it('refuses the code column to an editor of another agency, and to a stranger', async () => {
      const other = await buildAgencyUser(h, { agency: 'bo-noi-vu' });
      const res = await addColumn(other, { column: 'tinh' });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      const anonymous = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${table.id}/datastore/places`,
        payload: { column: 'tinh' },
      });
      expect(anonymous.statusCode).toBe(401);
      expect(await column(table.id, 'tinh')).toHaveLength(8);
      const t = await h.inject({ method: 'GET', url: `/api/v1/tables/${table.id}` });
      expect(t.json().columns.map((c: { id: string }) => c.id)).toEqual(['tinh', 'chi_tieu']);
    });

    it('adds ma_tinh with 2025 codes as text, zeros kept; the unmatched row is empty with its reason', async () => {
      const res = await addColumn(editor, { column: 'tinh' });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        column: 'ma_tinh',
        source: 'tinh',
        level: 'province',
        vintage: '2025',
        names_vintage: 'pre-2025',
        rows_filled: 6,
        rows_empty: 2,
        unresolved: [{ value: 'Xyz', rows: 1, reason: 'unknown', reason_en: 'No administrative unit has this name.' }],
      });
      // read back through the table API, as any reader would
      expect(await column(table.id, 'ma_tinh')).toEqual(['01', '46', '79', '01', '01', null, '08', null]);
      const t = await h.inject({ method: 'GET', url: `/api/v1/tables/${table.id}` });
      expect(t.json().columns).toContainEqual(expect.objectContaining({ id: 'ma_tinh', type: 'text' }));
      // the recognition says it is done, and the audit trail says who did it
      expect((await places()).json().columns[0].code_columns).toEqual(['ma_tinh']);
      const audit = await h.db
        .selectFrom('audit_log')
        .select(['action', 'actor_user_id'])
        .where('action', '=', 'datastore.add_code_column')
        .execute();
      expect(audit).toEqual([{ action: 'datastore.add_code_column', actor_user_id: editor.userId }]);
    });

    it('lets a code_list check run on the new column', async () => {
      const run = await h.app.services.quality.run(editor.principal, table.id, {
        checks: [{ type: 'code_list', column: 'ma_tinh', list: 'vn-provinces' }],
      });
      expect(run.results).toEqual([expect.objectContaining({ status: 'passed', failures: 0 })]);
    });

    it('gives the pre-2025 codes when the publisher picks that vintage, and refuses a name already taken', async () => {
      const res = await addColumn(editor, { column: 'tinh', vintage: 'pre-2025', name: 'ma_tinh_cu' });
      expect(res.statusCode).toBe(201);
      expect(await column(table.id, 'ma_tinh_cu')).toEqual(['01', '46', '79', '01', '01', null, '02', null]);
      const again = await addColumn(editor, { column: 'tinh', name: 'ma_tinh' });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('CONFLICT');
      // the same codes of the same column a second time (the button clicked again) are refused, naming where they are
      const repeat = await addColumn(editor, { column: 'tinh' });
      expect(repeat.statusCode).toBe(409);
      expect(repeat.json().error.message).toContain('ma_tinh');
      const repeatOld = await addColumn(editor, { column: 'tinh', vintage: 'pre-2025', name: 'ma_tinh_cu2' });
      expect(repeatOld.statusCode).toBe(409);
      const bad = await addColumn(editor, { column: 'chi_tieu' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('reads the 2019 census as published by GSO: two province columns of the 63, every row mapped, districts left alone', async () => {
      const census = fs.readFileSync(
        new URL('../../../test/fixtures/census2019_population_by_district.csv', import.meta.url),
      );
      const t = await buildTable(h, { user: editor, csv: census });
      const seen = (await h.inject({ method: 'GET', url: `/api/v1/distributions/${t.id}/datastore/places` })).json();
      expect(
        seen.columns.map((c: { column: string; level: string; vintage: string; match_rate: number }) => [
          c.column,
          c.level,
          c.vintage,
          c.match_rate,
        ]),
      ).toEqual([
        ['province_vi', 'province', 'pre-2025', 1],
        ['province_en', 'province', 'pre-2025', 1],
      ]);
      const res = await addColumn(editor, { column: 'province_vi' }, t.id);
      expect(res.json()).toMatchObject({ column: 'ma_tinh', rows_filled: t.load.rows, rows_empty: 0, unresolved: [] });
      const codes = await h.inject({ method: 'GET', url: `/api/v1/tables/${t.id}/rows?group_by=ma_tinh&count=` });
      expect(codes.json().rows).toHaveLength(34);
    });

    it.skipIf(driver.name !== 'postgres')(
      'gives up with CONFLICT rather than queue readers behind it while a long read holds the table',
      async () => {
        const { table_name } = (await h.db
          .selectFrom('datastore_tables')
          .select('table_name')
          .where('distribution_id', '=', table.id)
          .where('current', '=', true)
          .executeTakeFirstOrThrow()) as { table_name: string };
        await h.db.connection().execute(async (reader) => {
          await sql`begin`.execute(reader);
          await sql`select count(*) from ${sql.table(`datastore.${table_name}`)}`.execute(reader);
          try {
            const res = await addColumn(editor, { column: 'tinh', name: 'ma_tinh_khoa' });
            expect(res.statusCode).toBe(409);
            expect(res.json().error.code).toBe('CONFLICT');
          } finally {
            await sql`rollback`.execute(reader);
          }
        });
        const t = await h.inject({ method: 'GET', url: `/api/v1/tables/${table.id}` });
        expect(t.json().columns.map((c: { id: string }) => c.id)).not.toContain('ma_tinh_khoa');
      },
      20_000,
    );

    it('matches commune names within the province on the row, and never guesses between two', async () => {
      // a 2025 commune name that two provinces have (and no pre-2025 unit had)
      const repeated = (
        await sql<{ full_name: string; codes: string[]; provinces: string[] }>`
          select full_name, array_agg(code order by province_code) as codes,
                 array_agg(province_code order by province_code) as provinces
          from admin_units where level = 'commune'
            and full_name not in (select old_name from unit_crosswalk)
          group by full_name having count(*) = 2 and count(distinct province_code) = 2
          order by full_name limit 1`.execute(h.db)
      ).rows[0]!;
      const provinceName = async (code: string) =>
        (await sql<{ name: string }>`select name from admin_units where code = ${code}`.execute(h.db)).rows[0]!.name;
      const [p1, p2] = [await provinceName(repeated.provinces[0]!), await provinceName(repeated.provinces[1]!)];
      // a province with no commune of that name
      const elsewhere = (
        await sql<{ full_name: string }>`select full_name from admin_units where level = 'province'
          and code <> all(cast(${repeated.provinces} as text[])) order by code limit 1`.execute(h.db)
      ).rows[0]!.full_name;
      const csv = [
        'tinh,xa,so',
        'Hà Nội,Phường Ba Đình,1',
        'Ha Noi,P. Phúc Xá,2',
        `${p1},${repeated.full_name},3`,
        `${p2},${repeated.full_name},4`,
        `${elsewhere},${repeated.full_name},5`,
        `Xyz,${repeated.full_name},6`,
      ].join('\n');
      const communes = await buildTable(h, { user: editor, csv });
      const seen = await h.inject({ method: 'GET', url: `/api/v1/distributions/${communes.id}/datastore/places` });
      expect(seen.json().columns).toEqual([
        expect.objectContaining({ column: 'tinh', level: 'province', suggested_name: 'ma_tinh' }),
        expect.objectContaining({ column: 'xa', level: 'commune', province_column: 'tinh', suggested_name: 'ma_xa' }),
      ]);
      const res = await addColumn(editor, { column: 'xa' }, communes.id);
      expect(res.statusCode).toBe(201);
      // Phường Ba Đình is 00004; Phường Phúc Xá (pre-2025) joined Phường Hồng Hà, 00097
      expect(await column(communes.id, 'ma_xa')).toEqual(['00004', '00097', ...repeated.codes, null, null]);
      const reasons = (res.json().unresolved as { value: string; province: string; reason: string }[]).map(
        (u) => `${u.province}: ${u.reason}`,
      );
      expect(reasons.sort()).toEqual([`${elsewhere}: not_in_province`, 'Xyz: province_unknown']);
      const codes = await h.app.services.quality.run(editor.principal, communes.id, {
        checks: [{ type: 'code_list', column: 'ma_xa', list: 'vn-communes' }],
      });
      expect(codes.results).toEqual([expect.objectContaining({ status: 'passed' })]);
    });
  });
}

describe('an upload loaded by the job queue has its place-name columns in its load report', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    await h.app.jobs.start();
  });
  afterAll(() => h.close());

  it('recognises the province column after the load, and keeps the code column through a reload', async () => {
    const editor = await buildAgencyUser(h);
    const table = await buildDistribution(h, { user: editor, csv: PROVINCES });
    let report: { places?: { columns: { column: string; level: string }[] } } | null = null;
    for (let i = 0; i < 100 && !report?.places; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const res = await h.inject({
        method: 'GET',
        url: `/api/v1/distributions/${table.id}/datastore`,
        headers: editor.auth,
      });
      report = res.json().versions[0]?.report ?? null;
    }
    expect(report?.places?.columns).toEqual([expect.objectContaining({ column: 'tinh', level: 'province' })]);

    // the publisher adds ma_tinh; a reload of the file (a new version) keeps it, added again as it was asked for
    const added = await h.inject({
      method: 'POST',
      url: `/api/v1/distributions/${table.id}/datastore/places`,
      headers: editor.auth,
      payload: { column: 'tinh', vintage: 'pre-2025' },
    });
    expect(added.statusCode).toBe(201);
    const reload = await h.inject({
      method: 'POST',
      url: `/api/v1/distributions/${table.id}/datastore/load`,
      headers: editor.auth,
    });
    expect(reload.statusCode).toBe(202);
    let places: { derived: { column: string; carried_from: number | null }[]; version: number } | null = null;
    for (let i = 0; i < 100 && !places?.derived.length; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const res = await h.inject({
        method: 'GET',
        url: `/api/v1/distributions/${table.id}/datastore/places`,
        headers: editor.auth,
      });
      places = res.statusCode === 200 && res.json().version === 2 ? res.json() : null;
    }
    expect(places?.derived).toEqual([expect.objectContaining({ column: 'ma_tinh', carried_from: 1 })]);
    const rows = await h.inject({
      method: 'GET',
      url: `/api/v1/tables/${table.id}/rows?select=ma_tinh`,
      headers: editor.auth,
    });
    expect(rows.json().table.version).toBe(2);
    expect(rows.json().rows.map((r: { ma_tinh: string | null }) => r.ma_tinh)).toEqual([
      '01',
      '46',
      '79',
      '01',
      '01',
      null,
      '02',
      null,
    ]);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['actor_user_id'])
      .where('action', '=', 'datastore.add_code_column')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([{ actor_user_id: editor.userId }, { actor_user_id: null }]);
  });
});
