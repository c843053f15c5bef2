import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../../test/drivers.js';
import { multipart, startHarness, type Harness } from '../../../../test/harness.js';
import { buildSession, type Session } from '../../../../test/factories.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

/** Issue 20: the dictionary's pages, without JavaScript: propose, review, the public list and a field's versions. */
for (const driver of testDrivers()) {
  describe(`the dictionary's pages on ${driver.name}`, () => {
    let h: Harness;
    let officer: Session;
    let owner: Session;
    beforeAll(async () => {
      h = await startHarness(driver);
      officer = await buildSession(h, { agency: 'bo-tai-chinh' });
      owner = await buildSession(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
    });
    afterAll(() => h.close());

    const get = (url: string, s: Session) => h.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
    const post = (url: string, s: Session, body: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url,
        headers: { cookie: s.cookie, ...FORM },
        payload: form({ _csrf: s.csrf, ...body }),
      });
    const proposal = {
      id: 'ma_ngan_hang',
      agency_id: '',
      label_vi: 'Mã ngân hàng',
      label_en: 'Bank code',
      description_vi: 'Mã ngân hàng do Ngân hàng Nhà nước cấp.',
      type: 'string',
      unit: '',
      codes: '01 | Ngân hàng A | Bank A\n02 | Ngân hàng B',
      pattern: '^\\d{2}$',
    };

    it('proposes a field from the form, showing mistakes in the page’s language', async () => {
      const empty = await get('/dashboard/dictionary/propose', officer);
      expect(empty.statusCode).toBe(200);
      expect(empty.body).toContain(`<option value="${officer.agencyId}"`);
      const wrong = await post('/dashboard/dictionary/propose', officer, {
        ...proposal,
        agency_id: officer.agencyId,
        id: 'Mã Sai',
        label_en: '',
        codes: '03',
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('Dòng 1 của danh sách mã cần mã và tên tiếng Việt.');
      expect(wrong.body).toContain('“Mã trường” thiếu hoặc không hợp lệ.');
      expect(wrong.body).toContain('“Tên tiếng Anh” thiếu hoặc không hợp lệ.');
      expect(wrong.body).toContain('value="Mã ngân hàng"'); // what was typed comes back
      const en = await post('/dashboard/dictionary/propose?lang=en', officer, {
        ...proposal,
        agency_id: officer.agencyId,
        label_en: '',
      });
      expect(en.body).toContain('“Name in English” is missing or not valid.');

      const sent = await post('/dashboard/dictionary/propose', officer, { ...proposal, agency_id: officer.agencyId });
      expect(sent.statusCode, sent.body).toBe(303);
      expect(sent.headers.location).toBe('/dashboard/dictionary?done=propose');
      const mine = await get('/dashboard/dictionary?done=propose', officer);
      expect(mine.body).toContain('Đã gửi đề xuất; cơ quan sở hữu sẽ duyệt.');
      expect(mine.body).toMatch(/data-testid="my-proposals".*Mã ngân hàng.*Chờ duyệt/s);
      // the author is not offered their own proposal to decide
      expect(mine.body).not.toContain('data-testid="to-decide"');
    });

    it('lets the owner approve it; the public list and the field page then show it with its versions', async () => {
      const review = await get('/dashboard/dictionary', owner);
      const id = /name="proposal" value="([0-9a-f-]{36})"/.exec(review.body)?.[1];
      expect(id).toBeTruthy();
      const noReason = await post('/dashboard/dictionary?lang=en', owner, { proposal: id!, decision: 'reject' });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.body).toContain('Say why the proposal is rejected.');
      const ok = await post('/dashboard/dictionary', owner, { proposal: id!, decision: 'approve', comment: 'Đồng ý' });
      expect(ok.headers.location).toBe('/dashboard/dictionary?done=approve');

      const list = (await h.inject({ method: 'GET', url: '/dictionary?q=ngan+hang' })).body;
      expect(list).toContain('<a href="/dictionary/ma_ngan_hang">Mã ngân hàng</a>');
      const field = (await h.inject({ method: 'GET', url: '/dictionary/ma_ngan_hang?lang=en' })).body;
      expect(field).toContain('<h1>Bank code</h1>');
      expect(field).toContain('Bank A');
      expect(field).toMatch(
        /data-testid="field-versions".*<td>1<\/td><td>\d{1,2} [A-Z][a-z]{2} \d{4}<\/td><td>Ministry of Finance<\/td><td>Created<\/td>/s,
      );

      // a change from the field's own form: version 2, listed with what it changed
      const change = await post('/dashboard/dictionary/propose', officer, {
        ...proposal,
        change: '1',
        unit: '',
        description_vi: 'Mã ngân hàng theo danh mục của Ngân hàng Nhà nước Việt Nam.',
      });
      expect(change.statusCode, change.body).toBe(303);
      const again = await get('/dashboard/dictionary', owner);
      const second = /name="proposal" value="([0-9a-f-]{36})"/.exec(again.body)?.[1];
      await post('/dashboard/dictionary', owner, { proposal: second!, decision: 'approve' });
      const v2 = (await h.inject({ method: 'GET', url: '/dictionary/ma_ngan_hang' })).body;
      expect(v2).toMatch(/<td>2<\/td><td>[^<]+<\/td><td>Bộ Tài chính<\/td><td>Định nghĩa tiếng Việt<\/td>/);
    });

    it('imports a pasted Table Schema, refusing it whole with each bad field named', async () => {
      const bad = await post('/dashboard/dictionary/import?lang=en', officer, {
        agency_id: officer.agencyId,
        schema: JSON.stringify({
          fields: [
            { name: 'ok_field', title: 'Được' },
            { name: 'x', type: 'float', title: 'X' },
          ],
        }),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Field “x”: “type” is missing or not valid.');
      expect(bad.body).toContain('ok_field'); // the paste is put back
      const junk = await post('/dashboard/dictionary/import', officer, { agency_id: officer.agencyId, schema: '{' });
      expect(junk.body).toContain('Nội dung dán vào không phải JSON hợp lệ.');
      const good = await post('/dashboard/dictionary/import', officer, {
        agency_id: officer.agencyId,
        schema: JSON.stringify({ fields: [{ name: 'ok_field', title: 'Được' }] }),
      });
      expect(good.headers.location).toBe('/dashboard/dictionary?done=import');
      expect((await get('/dashboard/dictionary', owner)).body).toMatch(/data-testid="to-decide".*ok_field/s);

      // the same from an uploaded file
      const upload = (content: string) => {
        const m = multipart(
          { _csrf: officer.csrf, agency_id: officer.agencyId },
          { name: 'schema.json', content, type: 'application/json' },
        );
        return h.inject({
          method: 'POST',
          url: '/dashboard/dictionary/import-file?lang=en',
          headers: { cookie: officer.cookie, ...m.headers },
          payload: m.payload,
        });
      };
      const refused = await upload(JSON.stringify({ fields: [{ name: 'tu_tep', type: 'text', title: 'Từ tệp' }] }));
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('Field “tu_tep”: “type” is missing or not valid.');
      const taken = await upload(JSON.stringify({ fields: [{ name: 'tu_tep', type: 'date', title: 'Từ tệp' }] }));
      expect(taken.headers.location).toBe('/dashboard/dictionary?done=import');
    });

    it('links the dashboard to the review', async () => {
      expect((await get('/dashboard', officer)).body).toContain('href="/dashboard/dictionary"');
    });
  });
}
