import fs from 'node:fs';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDrivers } from '../../test/drivers.js';
import { multipart, startHarness, type Harness } from '../../test/harness.js';

const CENSUS = fs.readFileSync(new URL('../../test/fixtures/census2019_population_by_district.csv', import.meta.url));

for (const driver of testDrivers()) {
  describe(`data sets and distributions on ${driver.name}`, () => {
    let h: Harness;
    let editor: { token: string; agencyId: string };
    let viewer: { token: string };
    let outsider: { token: string };
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    const inject = (o: InjectOptions) => h.inject(o);

    beforeAll(async () => {
      h = await startHarness(driver, { NDP_MAX_UPLOAD_BYTES: '200000' });
      editor = await h.tokenFor('bo-tai-chinh', 'agency_editor');
      viewer = await h.tokenFor('bo-tai-chinh', 'viewer');
      outsider = await h.tokenFor('bo-y-te', 'agency_admin');
    });
    afterAll(() => h.close());

    const create = (payload: Record<string, unknown>, token = editor.token) =>
      inject({
        method: 'POST',
        url: '/api/v1/datasets',
        headers: auth(token),
        payload: { agency_id: editor.agencyId, ...payload },
      });

    it('creates a draft with vi/en metadata, themes, spatial units and licence', async () => {
      const res = await create({
        title_vi: 'Dân số theo huyện, Tổng điều tra 2019',
        title_en: 'Population by district, 2019 census',
        description_vi: 'Dân số chia theo giới tính và thành thị/nông thôn.',
        keywords: ['dân số', 'tổng điều tra'],
        themes: ['SOCI', 'vn-thong-ke'],
        spatial: ['01', '00004'],
        temporal_start: '2019-04-01',
        temporal_end: '2019-04-01',
        licence_id: 'CC-BY-4.0',
        update_frequency: 'IRREG',
        contact_email: 'thongke@mof.gov.vn',
      });
      expect(res.statusCode).toBe(201);
      const d = res.json().dataset;
      expect(d.status).toBe('draft');
      expect(d.slug).toBe('dan-so-theo-huyen-tong-dieu-tra-2019');
      expect(d.provinces).toEqual(['01']);
      expect(d.agency.code).toBe('000.00.00.G12');
      // Drafts are invisible to the public.
      expect((await inject({ method: 'GET', url: `/api/v1/datasets/${d.slug}` })).statusCode).toBe(404);
      expect(
        (await inject({ method: 'GET', url: `/api/v1/datasets/${d.slug}`, headers: auth(viewer.token) })).statusCode,
      ).toBe(200);
    });

    it('rejects bad input with field-level errors and writes nothing', async () => {
      const before = await sql<{ n: number }>`select count(*)::int as n from datasets`.execute(h.db);
      const unknownField = await create({ title_vi: 'x', description_vi: 'y', colour: 'red' });
      expect(unknownField.statusCode).toBe(400);
      expect(unknownField.json().error.details[0].field).toContain('colour');
      const wrongType = await create({ title_vi: 'x', description_vi: 'y', keywords: 'not-a-list' });
      expect(wrongType.statusCode).toBe(400);
      const refs = await create({
        title_vi: 'x',
        description_vi: 'y',
        licence_id: 'WTFPL',
        themes: ['NOPE'],
        spatial: ['99999'],
        temporal_start: '2020-01-01',
        temporal_end: '2019-01-01',
      });
      expect(refs.statusCode).toBe(400);
      expect(
        refs
          .json()
          .error.details.map((d: { field: string }) => d.field)
          .sort(),
      ).toEqual(['licence_id', 'spatial', 'temporal_end', 'themes']);
      const malformed = await inject({
        method: 'POST',
        url: '/api/v1/datasets',
        headers: { ...auth(editor.token), 'content-type': 'application/json' },
        payload: '{"title_vi": ',
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error.code).toBe('MALFORMED_JSON');
      const after = await sql<{ n: number }>`select count(*)::int as n from datasets`.execute(h.db);
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    });

    it("refuses writes to another agency's data and writes by viewers or anonymous callers", async () => {
      const slug = 'dan-so-theo-huyen-tong-dieu-tra-2019';
      const other = await inject({
        method: 'PATCH',
        url: `/api/v1/datasets/${slug}`,
        headers: auth(outsider.token),
        payload: { title_vi: 'hijack' },
      });
      expect(other.statusCode).toBe(404); // a draft of another agency is not even visible
      const forOther = await create({ title_vi: 'x', description_vi: 'y' }, outsider.token);
      expect(forOther.statusCode).toBe(403);
      expect(forOther.json().error.code).toBe('FORBIDDEN');
      const byViewer = await inject({
        method: 'PATCH',
        url: `/api/v1/datasets/${slug}`,
        headers: auth(viewer.token),
        payload: { title_vi: 'x' },
      });
      expect(byViewer.statusCode).toBe(403);
      const anon = await inject({
        method: 'POST',
        url: '/api/v1/datasets',
        payload: { agency_id: editor.agencyId, title_vi: 'x', description_vi: 'y' },
      });
      expect(anon.statusCode).toBe(401);
    });

    it('uploads a file by streaming, with size, media type and SHA-256, and serves it back', async () => {
      const slug = 'dan-so-theo-huyen-tong-dieu-tra-2019';
      const m = multipart({ title_vi: 'Bảng dân số' }, { name: 'dan_so_2019.csv', content: CENSUS, type: 'text/csv' });
      const res = await inject({
        method: 'POST',
        url: `/api/v1/datasets/${slug}/distributions`,
        headers: { ...auth(editor.token), ...m.headers },
        payload: m.payload,
      });
      expect(res.statusCode).toBe(201);
      const x = res.json().distribution;
      expect(x.byte_size).toBe(CENSUS.length);
      expect(x.media_type).toBe('text/csv');
      expect(x.format).toBe('CSV');
      const { createHash } = await import('node:crypto');
      expect(x.sha256).toBe(createHash('sha256').update(CENSUS).digest('hex'));
      const dl = await inject({
        method: 'GET',
        url: `/api/v1/distributions/${x.id}/download`,
        headers: auth(viewer.token),
      });
      expect(dl.statusCode).toBe(200);
      expect(dl.rawPayload.equals(CENSUS)).toBe(true);
    });

    it('refuses an oversize upload with 413 and leaves no file or row behind', async () => {
      const slug = 'dan-so-theo-huyen-tong-dieu-tra-2019';
      const rowsBefore = await sql<{ n: number }>`select count(*)::int as n from distributions`.execute(h.db);
      const big = Buffer.alloc(300_000, 'a');
      const m = multipart({}, { name: 'big.csv', content: big });
      const res = await inject({
        method: 'POST',
        url: `/api/v1/datasets/${slug}/distributions`,
        headers: { ...auth(editor.token), ...m.headers },
        payload: m.payload,
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
      const rowsAfter = await sql<{ n: number }>`select count(*)::int as n from distributions`.execute(h.db);
      expect(rowsAfter.rows[0]!.n).toBe(rowsBefore.rows[0]!.n);
      const tmp = path.join(h.dataDir, 'files', 'tmp');
      expect(fs.readdirSync(tmp)).toEqual([]);
      const json = await inject({
        method: 'POST',
        url: `/api/v1/datasets/${slug}/distributions`,
        headers: auth(editor.token),
        payload: { file: 'x' },
      });
      expect(json.statusCode).toBe(415);
    });

    it('publishes only a complete record, sets issued, and follows the lifecycle', async () => {
      const bare = (await create({ title_vi: 'Chưa có tệp', description_vi: 'Thiếu tệp và giấy phép' })).json().dataset;
      const refused = await inject({
        method: 'PUT',
        url: `/api/v1/datasets/${bare.id}/status`,
        headers: auth(editor.token),
        payload: { status: 'published' },
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('INVALID_STATE');
      expect(
        refused
          .json()
          .error.details.map((d: { field: string }) => d.field)
          .sort(),
      ).toEqual(['distributions', 'licence_id']);
      const archiveDraft = await inject({
        method: 'PUT',
        url: `/api/v1/datasets/${bare.id}/status`,
        headers: auth(editor.token),
        payload: { status: 'archived' },
      });
      expect(archiveDraft.statusCode).toBe(409);

      const slug = 'dan-so-theo-huyen-tong-dieu-tra-2019';
      const pub = await inject({
        method: 'PUT',
        url: `/api/v1/datasets/${slug}/status`,
        headers: auth(editor.token),
        payload: { status: 'published' },
      });
      expect(pub.statusCode).toBe(200);
      expect(pub.json().dataset.issued).not.toBeNull();
      const anon = await inject({ method: 'GET', url: `/api/v1/datasets/${slug}` });
      expect(anon.statusCode).toBe(200);
      expect(anon.json().dataset.distributions).toHaveLength(1);
      const audit = await sql<{
        action: string;
      }>`select action from audit_log where entity_type = 'dataset' order by id`.execute(h.db);
      expect(audit.rows.map((r) => r.action)).toContain('dataset.publish');
    });

    it('adds links, removes distributions and keeps the format facet in step', async () => {
      const slug = 'dan-so-theo-huyen-tong-dieu-tra-2019';
      const link = await inject({
        method: 'POST',
        url: `/api/v1/datasets/${slug}/links`,
        headers: auth(editor.token),
        payload: { title_vi: 'API', url: 'https://example.org/data.json' },
      });
      expect(link.statusCode).toBe(201);
      const d = (await inject({ method: 'GET', url: `/api/v1/datasets/${slug}` })).json().dataset;
      expect(d.distributions.map((x: { format: string }) => x.format).sort()).toEqual(['CSV', 'JSON']);
      const del = await inject({
        method: 'DELETE',
        url: `/api/v1/distributions/${link.json().distribution.id}`,
        headers: auth(editor.token),
      });
      expect(del.statusCode).toBe(204);
      const row = await sql<{ formats: string[] }>`select formats from datasets where slug = ${slug}`.execute(h.db);
      expect(row.rows[0]!.formats).toEqual(['CSV']);
      const bad = await inject({
        method: 'POST',
        url: `/api/v1/datasets/${slug}/links`,
        headers: auth(editor.token),
        payload: { title_vi: 'x', url: 'javascript:alert(1)' },
      });
      expect(bad.statusCode).toBe(400);
      expect(d.slug).toBe(slug);
    });

    it('serves restricted files only to the agency', async () => {
      const r = (
        await create({
          title_vi: 'Dữ liệu hạn chế',
          description_vi: 'Chỉ chia sẻ nội bộ',
          access_rights: 'restricted',
          licence_id: 'restricted',
        })
      ).json().dataset;
      const m = multipart({}, { name: 'noi-bo.csv', content: 'a,b\n1,2\n' });
      const up = (
        await inject({
          method: 'POST',
          url: `/api/v1/datasets/${r.id}/distributions`,
          headers: { ...auth(editor.token), ...m.headers },
          payload: m.payload,
        })
      ).json().distribution;
      await inject({
        method: 'PUT',
        url: `/api/v1/datasets/${r.id}/status`,
        headers: auth(editor.token),
        payload: { status: 'published' },
      });
      expect((await inject({ method: 'GET', url: `/api/v1/distributions/${up.id}/download` })).statusCode).toBe(401);
      expect(
        (await inject({ method: 'GET', url: `/api/v1/distributions/${up.id}/download`, headers: auth(outsider.token) }))
          .statusCode,
      ).toBe(403);
      expect(
        (await inject({ method: 'GET', url: `/api/v1/distributions/${up.id}/download`, headers: auth(viewer.token) }))
          .statusCode,
      ).toBe(200);
    });
  });
}
