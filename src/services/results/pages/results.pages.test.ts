import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenSession } from '../../../../test/citizens.js';
import { testDrivers } from '../../../../test/drivers.js';
import { buildAgencyUser, buildProcedure, buildSession } from '../../../../test/factories.js';
import { BASE, startHarness, type Harness } from '../../../../test/harness.js';
import { buildDossierRow, issueResult } from '../../../../test/results.js';
import { holderHash, verifyUrl } from '../result.js';

let people = 0;
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
/** The word the verdict carries for scripts: valid, revoked, expired, mismatch, invalid. */
const verdict = (html: string) => /data-verdict="([a-z]+)"/.exec(html)?.[1];

describe.each(testDrivers())('result pages ($name)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(driver);
  });
  afterAll(() => h.close());

  async function issued(name = 'Hoàng Thị Mai') {
    const procedure = await buildProcedure(h, { agency: 'thanh-pho-ha-noi' });
    const citizen = await citizenSession(h, `0010910${String(++people).padStart(5, '0')}`, name);
    const dossier = await buildDossierRow(h, { procedure, citizen });
    const result = await issueResult(h, { officer: procedure.user.principal, procedure, dossier });
    return { procedure, citizen, result };
  }

  it('prints the result for its holder with a QR that encodes the verification address', async () => {
    const { citizen, result } = await issued();
    const res = await h.inject({ url: `/my/results/${result.id}`, headers: { cookie: citizen.cookie } });
    expect(res.statusCode).toBe(200);
    const url = verifyUrl(BASE, result);
    expect(url).toBe(`${BASE}/verify/${result.id}?h=${holderHash(result.jws)}`);
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    expect(res.body).toContain(svg);
    expect(res.body).toContain(url.replaceAll('&', '&amp;'));
    expect(res.body).toContain(result.jws);
    expect(res.body).toContain(result.number);
    expect(res.body).toContain('Hoàng Thị Mai');
    expect(res.body).toContain('Ủy ban nhân dân Thành phố Hà Nội');
    expect(res.body).toContain('Người được cấp');
    const en = await h.inject({ url: `/my/results/${result.id}?lang=en`, headers: { cookie: citizen.cookie } });
    expect(en.body).toContain('Issued to');
    expect(en.body).toContain('Full name');
    expect(en.body).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}/);
  });

  it('shows the printable page to its holder and the agency’s staff only', async () => {
    const { result } = await issued();
    const other = await citizenSession(h, '001091099999', 'Người lạ');
    expect((await h.inject({ url: `/my/results/${result.id}`, headers: { cookie: other.cookie } })).statusCode).toBe(
      404,
    );
    const anonymous = await h.inject({ url: `/my/results/${result.id}` });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/auth\/eid\?level=2/);
    const finance = await buildSession(h, { agency: 'bo-tai-chinh', role: 'agency_editor' });
    expect((await h.inject({ url: `/my/results/${result.id}`, headers: { cookie: finance.cookie } })).statusCode).toBe(
      404,
    );
  });

  it('lets the agency’s editor revoke it from the page; the QR page then says revoked', async () => {
    const { result } = await issued();
    const officer = await buildSession(h, { agency: 'thanh-pho-ha-noi', role: 'agency_editor' });
    const page = await h.inject({ url: `/my/results/${result.id}`, headers: { cookie: officer.cookie } });
    expect(page.body).toContain(`action="/my/results/${result.id}/revoke"`);
    const post = (payload: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: `/my/results/${result.id}/revoke`,
        headers: { cookie: officer.cookie, ...FORM },
        payload: form({ _csrf: officer.csrf, ...payload }),
      });
    expect((await post({ reason: 'x', confirm: '1' })).statusCode).toBe(400);
    const done = await post({ reason: 'Cấp nhầm hồ sơ', confirm: '1' });
    expect(done.statusCode).toBe(303);
    const qr = await h.inject({ url: `/verify/${result.id}?h=${holderHash(result.jws)}` });
    expect(verdict(qr.body)).toBe('revoked');
    expect(qr.body).toContain('Cấp nhầm hồ sơ');
  });

  it('verifies by the QR for anyone: valid with the fields, a wrong h without them', async () => {
    const { result } = await issued('Trịnh Công Sơn');
    const good = await h.inject({ url: `/verify/${result.id}?h=${holderHash(result.jws)}` });
    expect(good.statusCode).toBe(200);
    expect(verdict(good.body)).toBe('valid');
    expect(good.body).toContain('Trịnh Công Sơn');
    expect(good.body).toContain(result.number);
    const wrong = await h.inject({ url: `/verify/${result.id}?h=AAAAAAAAAAAAAAAAAAAAAA&lang=en` });
    expect(verdict(wrong.body)).toBe('mismatch');
    expect(wrong.body).toContain('Does not match the QR code');
    expect(wrong.body).not.toContain('Trịnh Công Sơn');
  });

  it('verifies a pasted JWS from the form; a tampered one is refused with a clear message', async () => {
    const { result } = await issued('Bùi Xuân Phái');
    expect((await h.inject({ url: '/verify' })).statusCode).toBe(200);
    const paste = (jws: string) =>
      h.inject({ method: 'POST', url: '/verify?lang=en', headers: FORM, payload: form({ jws }) });
    const genuine = await paste(result.jws);
    expect(verdict(genuine.body)).toBe('valid');
    expect(genuine.body).toContain('Bùi Xuân Phái');
    const [head, , sig] = result.jws.split('.');
    const changed = { ...result.payload, subject: 'Người khác' };
    const tampered = await paste(`${head}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${sig}`);
    expect(verdict(tampered.body)).toBe('invalid');
    expect(tampered.body).toContain('the signature does not match the content');
    expect(tampered.body).not.toContain('Người khác');
    expect((await paste('')).statusCode).toBe(400);
  });

  it('reads a JWS pasted with the spaces and line breaks of an e-mail or PDF; tells a non-JWS from an altered one', async () => {
    const { result } = await issued('Nguyễn Tuân');
    const paste = (jws: string, lang = 'vi') =>
      h.inject({ method: 'POST', url: `/verify?lang=${lang}`, headers: FORM, payload: form({ jws }) });
    const third = Math.floor(result.jws.length / 3);
    const broken = `  ${result.jws.slice(0, third)}\r\n${result.jws.slice(third, 2 * third)} \n\t${result.jws.slice(2 * third)}\n`;
    const wrapped = await paste(broken);
    expect(verdict(wrapped.body)).toBe('valid');
    expect(wrapped.body).toContain('Nguyễn Tuân');

    const notJws = await paste('Kết quả: đã duyệt, số 12/2024');
    expect(verdict(notJws.body)).toBe('invalid');
    expect(notJws.body).toContain('không đúng dạng một kết quả đã ký');
    expect(notJws.body).not.toContain('bản ghi đã bị sửa');
    // a copy that lost its last characters is not a forgery either
    const cut = await paste(result.jws.slice(0, -6));
    expect(cut.body).toContain('không đúng dạng một kết quả đã ký');
    expect(cut.body).not.toContain('bản ghi đã bị sửa');

    for (const [box, lang, words] of [
      ['', 'vi', 'Hãy dán kết quả đã ký.'],
      [' \r\n\t ', 'vi', 'Hãy dán kết quả đã ký.'],
      ['', 'en', 'Paste the signed result.'],
    ] as const) {
      const empty = await paste(box, lang);
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toMatch(
        new RegExp(`<p class="error-message" id="jws-error">${words.replace('.', '\\.')}</p>`),
      );
      expect(verdict(empty.body)).toBeUndefined();
    }
  });

  it('refuses revocation by a viewer of the deciding agency (editors only)', async () => {
    const { result } = await issued();
    const viewer = await buildAgencyUser(h, { agency: 'thanh-pho-ha-noi', role: 'viewer' });
    const res = await h.inject({
      method: 'POST',
      url: `/api/v1/services/results/${result.id}/revoke`,
      headers: viewer.auth,
      payload: { reason: 'Không có quyền' },
    });
    expect(res.statusCode).toBe(403);
  });
});
