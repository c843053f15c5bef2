import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { type AgencyUser, buildAgencyUser, buildTable } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';

// Generated people, not real ones: the shapes of personal data a publisher might leave in a file.
const PEOPLE = [
  'ho_ten,ngay_sinh,cccd,mst,dien_thoai,email,dia_chi,so_tien',
  ...Array.from(
    { length: 12 },
    (_, i) =>
      `Nguyễn Văn ${String.fromCharCode(65 + i)},${10 + i}/0${1 + (i % 9)}/198${i % 10},0010850${String(10000 + i)},80${String(12345670 + i)},09${String(12345600 + i)},nguoi${i}@example.vn,${12 + i} Lý Thường Kiệt,${i * 1000}`,
  ),
].join('\n');
const CLEAN = 'ma_tinh,ten_tinh,dan_so\n01,Hà Nội,8435650\n79,Hồ Chí Minh,14002598\n';

for (const driver of testDrivers()) {
  describe(`the personal-data gate of open data on ${driver.name}`, () => {
    let h: Harness;
    let editor: Record<string, string>;
    let admin: Record<string, string>;
    let user: AgencyUser;

    const upload = async (name: string, content: string, access: 'public' | 'restricted' = 'public') => {
      const t = await buildTable(h, {
        user,
        title_vi: name,
        fileName: name,
        csv: content,
        access_rights: access,
        status: 'draft',
      });
      return { dataset: t.dataset.id, distribution: t.id };
    };
    const publish = (dataset: string) =>
      h.inject({
        method: 'PUT',
        url: `/api/v1/datasets/${dataset}/status`,
        headers: editor,
        payload: { status: 'published' },
      });

    beforeAll(async () => {
      h = await startHarness(driver);
      user = await buildAgencyUser(h, { agency: 'bo-cong-an' });
      const a = await buildAgencyUser(h, { agency: 'bo-cong-an', role: 'agency_admin', email: 'admin@mps.gov.vn' });
      editor = user.auth;
      admin = a.auth;
    });
    afterAll(() => h.close());

    it('blocks open data with personal data, naming each column and the kind found', async () => {
      const f = await upload('nguoi_dan.csv', PEOPLE);
      const r = await publish(f.dataset);
      expect(r.statusCode).toBe(409);
      const found = r
        .json()
        .error.details.map((d: { field: string }) => d.field.split('.').pop())
        .sort();
      expect(found).toEqual(['cccd', 'dia_chi', 'dien_thoai', 'email', 'ho_ten', 'mst']);
      expect(r.json().error.details.find((d: { field: string }) => d.field.endsWith('.cccd')).en).toMatch(
        /citizen ID numbers \(CCCD\) \(12 of 12 values\)/,
      );
      const status = (
        await h.inject({ method: 'GET', url: `/api/v1/distributions/${f.distribution}/privacy`, headers: editor })
      ).json();
      expect(status.hits.map((x: { kind: string }) => x.kind).sort()).toEqual([
        'address',
        'cccd',
        'email',
        'name_with_birth_date',
        'personal_tax_code',
        'phone',
      ]);
    });

    it('publishes after an agency administrator signs off with a reason (an editor cannot)', async () => {
      const f = await upload('nguoi_dan_2.csv', PEOPLE);
      const reason = 'Dữ liệu mẫu tổng hợp, không phải người thật; đã được pháp chế rà soát.';
      expect(
        (
          await h.inject({
            method: 'POST',
            url: `/api/v1/distributions/${f.distribution}/privacy/signoff`,
            headers: editor,
            payload: { reason },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await h.inject({
            method: 'POST',
            url: `/api/v1/distributions/${f.distribution}/privacy/signoff`,
            headers: admin,
            payload: { reason: 'ok' },
          })
        ).statusCode,
      ).toBe(400);
      const signed = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${f.distribution}/privacy/signoff`,
        headers: admin,
        payload: { reason },
      });
      expect(signed.statusCode).toBe(201);
      expect(signed.json().columns.sort()).toEqual(['cccd', 'dia_chi', 'dien_thoai', 'email', 'ho_ten', 'mst']);
      expect((await publish(f.dataset)).statusCode).toBe(200);
      const audit = await h.db
        .selectFrom('audit_log')
        .select(['action', 'after'])
        .where('action', '=', 'privacy.signoff')
        .execute();
      expect(audit.length).toBeGreaterThanOrEqual(1);
    });

    it("shows the flagged columns on the publisher's report, where an administrator signs off in the portal", async () => {
      const f = await upload('nguoi_dan_3.csv', PEOPLE);
      const session = await h.signIn('admin@mps.gov.vn', 'correct horse battery');
      const page = await h.inject({
        method: 'GET',
        url: `/dashboard/distributions/${f.distribution}/table`,
        headers: { cookie: session.cookie, accept: 'text/html' },
      });
      expect(page.body).toContain('Dữ liệu cá nhân');
      expect(page.body).toContain('<code>cccd</code>: số CCCD (12/12)');
      expect(page.body).toContain(`action="/dashboard/distributions/${f.distribution}/privacy/signoff"`);
      const short = await h.inject({
        method: 'POST',
        url: `/dashboard/distributions/${f.distribution}/privacy/signoff`,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: session.csrf, reason: 'ngắn' }).toString(),
      });
      expect(short.statusCode).toBe(400);
      const signed = await h.inject({
        method: 'POST',
        url: `/dashboard/distributions/${f.distribution}/privacy/signoff`,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: session.csrf,
          reason: 'Dữ liệu tổng hợp để kiểm thử, không có người thật.',
        }).toString(),
      });
      expect(signed.statusCode).toBe(303);
      const after = await h.inject({
        method: 'GET',
        url: `/dashboard/distributions/${f.distribution}/table?signed=1`,
        headers: { cookie: session.cookie, accept: 'text/html' },
      });
      expect(after.body).toContain('đã được xác nhận');
      expect(after.body).not.toContain('/privacy/signoff"');
      expect((await publish(f.dataset)).statusCode).toBe(200);
    });

    it('lets clean open data and restricted data through', async () => {
      expect((await publish((await upload('tinh.csv', CLEAN)).dataset)).statusCode).toBe(200);
      expect((await publish((await upload('nguoi_dan_mat.csv', PEOPLE, 'restricted')).dataset)).statusCode).toBe(200);
    });

    it('lets the publisher de-identify the flagged columns into a new version, after which open data may be published', async () => {
      const f = await upload('nguoi_dan_2.csv', PEOPLE);
      const bad = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${f.distribution}/privacy/deidentify`,
        headers: editor,
        payload: {
          columns: [
            { column: 'dia_chi', method: 'year' },
            { column: 'khong_co', method: 'drop' },
          ],
        },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.map((d: { field: string }) => d.field)).toEqual(['dia_chi', 'khong_co']);
      const r = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${f.distribution}/privacy/deidentify`,
        headers: editor,
        payload: {
          columns: [
            { column: 'cccd', method: 'hash' },
            { column: 'dien_thoai', method: 'mask' },
            { column: 'ngay_sinh', method: 'year' },
            { column: 'dia_chi', method: 'address' },
            { column: 'email', method: 'drop' },
            { column: 'mst', method: 'drop' },
            { column: 'ho_ten', method: 'hash' },
          ],
        },
      });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({ version: 2, derived_from: 1, hits: [] });
      const t = await h.app.services.datastore.latestReady(f.distribution);
      expect(t!.columns.map((c) => c.id)).toEqual(['ho_ten', 'ngay_sinh', 'cccd', 'dien_thoai', 'dia_chi', 'so_tien']);
      const rows = (
        await h.inject({ method: 'GET', url: `/api/v1/tables/${t!.id}/rows?limit=2`, headers: editor })
      ).json().rows;
      expect(rows[0].dien_thoai).toBe('******5600');
      expect(rows[0].cccd).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].cccd).not.toBe(rows[1].cccd);
      expect(rows[0].ngay_sinh).toBe(1980);
      expect(rows[0].dia_chi).toBe('Lý Thường Kiệt');
      expect(rows[0].so_tien).toBe(0);
      // the original version is untouched, and publishing now passes the gate
      const v1 = (await h.app.services.datastore.versionsOf(f.distribution)).find((v) => v.version === 1)!;
      expect(v1.columns.map((c) => c.id)).toContain('email');
      expect((await publish(f.dataset)).statusCode).toBe(200);
    });

    it("offers de-identification on the publisher's report, column by column", async () => {
      const f = await upload('nguoi_dan_4.csv', PEOPLE);
      const session = await h.signIn('admin@mps.gov.vn', 'correct horse battery');
      const page = await h.inject({
        method: 'GET',
        url: `/dashboard/distributions/${f.distribution}/table`,
        headers: { cookie: session.cookie, accept: 'text/html' },
      });
      expect(page.body).toContain('name="method_cccd"');
      const fields = {
        _csrf: session.csrf,
        method_cccd: 'drop',
        method_mst: 'drop',
        method_dien_thoai: 'mask',
        method_email: 'drop',
        method_dia_chi: 'address',
        method_ho_ten: 'hash',
      };
      const done = await h.inject({
        method: 'POST',
        url: `/dashboard/distributions/${f.distribution}/privacy/deidentify`,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
      expect(done.statusCode).toBe(303);
      const after = await h.inject({
        method: 'GET',
        url: `/dashboard/distributions/${f.distribution}/table?deidentified=1`,
        headers: { cookie: session.cookie, accept: 'text/html' },
      });
      expect(after.body).toContain('Đã tạo phiên bản mới đã khử định danh');
      expect(after.body).not.toContain('name="method_cccd"');
      expect((await publish(f.dataset)).statusCode).toBe(200);
    });
  });
}
