import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { buildSession, buildTable, type Session, type Table } from '../../test/factories.js';
import { startHarness, type Harness } from '../../test/harness.js';

/** Issue 18.10 on the load report: the place-name column, its match rate, and the button that adds its codes. */
const CSV = ['tinh,so_truong', 'Hà Nội,10', 'Thua Thien-Hue,20', 'TP. Hồ Chí Minh,30', 'Ha Tay,40', 'Xyz,50'].join(
  '\n',
);

describe('the load report offers a GSO code column for a column of place names', () => {
  let h: Harness;
  let editor: Session;
  let table: Table;
  const report = async (session: Session, lang = 'vi') =>
    h.inject({
      method: 'GET',
      url: `/dashboard/distributions/${table.id}/table?lang=${lang}`,
      headers: { accept: 'text/html', cookie: session.cookie },
    });
  const submit = (session: Session, fields: Record<string, string>) =>
    h.inject({
      method: 'POST',
      url: `/dashboard/distributions/${table.id}/places`,
      headers: { accept: 'text/html', cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    });

  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    editor = await buildSession(h);
    table = await buildTable(h, { user: editor, csv: CSV });
  });
  afterAll(() => h.close());

  it('shows the column as province names of the pre-2025 list, 4 of 5 rows matched (80 %), and Xyz unmatched', async () => {
    const page = await report(editor);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Cột địa danh');
    expect(page.body).toContain('tên tỉnh, thành phố');
    expect(page.body).toContain('theo danh mục trước sáp nhập năm 2025');
    expect(page.body).toContain('4/5 dòng khớp tên đơn vị hành chính (80%).');
    expect(page.body).toContain('Tên không khớp: Xyz (1)');
    expect(page.body).toContain('Thêm cột mã ma_tinh');
    const en = await report(editor, 'en');
    expect(en.body).toContain('4 of 5 rows match');
  });

  it('refuses an editor of another agency and a form without its CSRF token', async () => {
    const other = await buildSession(h, { agency: 'bo-noi-vu' });
    expect((await submit(other, { column: 'tinh', vintage: '2025' })).statusCode).toBe(403);
    const forged = await h.inject({
      method: 'POST',
      url: `/dashboard/distributions/${table.id}/places`,
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'column=tinh&vintage=2025',
    });
    expect(forged.statusCode).toBe(403);
    expect((await submit(editor, { column: 'tinh', vintage: 'x' })).statusCode).toBe(400);
  });

  it('adds the column from the button, says so, and lists what it left empty and why', async () => {
    const res = await submit(editor, { column: 'tinh', vintage: '2025' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/dashboard/distributions/${table.id}/table?coded=ma_tinh`);
    const page = await h.inject({
      method: 'GET',
      url: res.headers.location as string,
      headers: { accept: 'text/html', cookie: editor.cookie },
    });
    expect(page.body).toContain('Đã thêm cột mã ma_tinh vào phiên bản đang dùng.');
    expect(page.body).toContain('4 dòng có mã năm 2025, 1 dòng để trống.');
    expect(page.body).toContain('Không có đơn vị hành chính nào mang tên này.');
    // a derived column is not in the file: the types form does not offer to re-type it
    expect(page.body).toContain('name="type_tinh"');
    expect(page.body).not.toContain('name="type_ma_tinh"');
    const rows = await h.inject({ method: 'GET', url: `/api/v1/tables/${table.id}/rows?select=tinh,ma_tinh` });
    expect(rows.json().rows.map((r: { ma_tinh: string | null }) => r.ma_tinh)).toEqual(['01', '46', '79', '01', null]);
  });
});
