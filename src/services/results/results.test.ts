import { compactVerify, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenSession } from '../../../test/citizens.js';
import { testDrivers } from '../../../test/drivers.js';
import { buildAgencyUser, buildProcedure } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { storePrefill } from '../../../test/prefills.js';
import { buildDossierRow, issueResult } from '../../../test/results.js';
import { holderHash } from './result.js';

const DAY = 86_400_000;
let people = 0;
const person = (h: Harness, name = 'Nguyễn Thị Lan') =>
  citizenSession(h, `0010900${String(++people).padStart(5, '0')}`, name);

describe.each(testDrivers())('signed results ($name)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(driver);
  });
  afterAll(() => h.close());

  /** A procedure of Hà Nội, a citizen's dossier of it, and its result issued by the procedure's administrator. */
  async function issued(o: { name?: string; now?: Date } = {}) {
    const procedure = await buildProcedure(h, { agency: 'thanh-pho-ha-noi' });
    const citizen = await person(h, o.name);
    const dossier = await buildDossierRow(h, { procedure, citizen });
    const result = await issueResult(h, { officer: procedure.user.principal, procedure, dossier, now: o.now });
    return { procedure, citizen, dossier, result };
  }

  it('issues a result whose JWS verifies with the agency key published in the JWKS', async () => {
    const { result, citizen } = await issued({ name: 'Lê Văn Minh' });
    expect(result.number).toMatch(/^\d+\/\d{4}\/GXN$/);
    const res = await h.inject({ method: 'GET', url: '/api/v1/services/result-keys' });
    expect(res.statusCode).toBe(200);
    const jwk = res.json().keys.find((k: { kid: string }) => k.kid === result.kid);
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(jwk.d).toBeUndefined();
    const { payload, protectedHeader } = await compactVerify(result.jws, await importJWK(jwk, 'EdDSA'));
    expect(protectedHeader.kid).toBe(result.kid);
    const signed = JSON.parse(new TextDecoder().decode(payload));
    const hanoi = await h.app.services.masterData.agency('thanh-pho-ha-noi');
    expect(signed).toMatchObject({
      iss: hanoi.code,
      id: result.id,
      number: result.number,
      title: 'Giấy xác nhận',
      subject: 'Lê Văn Minh',
      fields: [{ key: 'ho_ten', element: 'ho_va_ten', value: citizen.user.name }],
    });
    expect(new Date(signed.valid_until).getTime() - new Date(signed.issued_at).getTime()).toBe(180 * DAY);
    const wellKnown = await h.inject({ method: 'GET', url: '/.well-known/ndp-result-keys.json' });
    expect(wellKnown.json().keys.map((k: { kid: string }) => k.kid)).toContain(result.kid);
  });

  it('numbers an agency’s results in sequence and signs them all with its one key until retired', async () => {
    const a = await issued();
    const b = await issued();
    expect(b.result.kid).toBe(a.result.kid);
    expect(Number(b.result.number.split('/')[0])).toBe(Number(a.result.number.split('/')[0]) + 1);
    const admin = a.procedure.user;
    const { results } = h.app.publicServices;
    expect(await results.retireKey(admin.principal, admin.agencyId)).toEqual({ kid: a.result.kid });
    const c = await issued();
    expect(c.result.kid).not.toBe(a.result.kid);
    // the retired key still verifies what it signed
    const v = await h.inject({
      url: `/api/v1/services/results/${a.result.id}/verification?h=${holderHash(a.result.jws)}`,
    });
    expect(v.json()).toMatchObject({ status: 'valid', holder: 'match' });
  });

  it('asks the officer for the fields the result does not copy from the dossier', async () => {
    const procedure = await buildProcedure(h, {
      agency: 'thanh-pho-ha-noi',
      result: {
        kind: 'decision',
        title_vi: 'Quyết định',
        title_en: 'Decision',
        validity_days: null,
        fields: [
          { key: 'ho_ten', label_vi: 'Họ và tên', label_en: 'Full name', element: 'ho_va_ten', from: 'ho_ten' },
          { key: 'ket_luan', label_vi: 'Kết luận', label_en: 'Conclusion', element: null, from: null },
        ],
      },
    });
    const citizen = await person(h);
    const dossier = await buildDossierRow(h, { procedure, citizen });
    await expect(
      issueResult(h, { officer: procedure.user.principal, procedure, dossier, written: { ket_luan: '  ' } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'written.ket_luan' }] });
    const stranger = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_editor' });
    await expect(
      issueResult(h, { officer: stranger.principal, procedure, dossier, written: { ket_luan: 'Đồng ý' } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const r = await issueResult(h, {
      officer: procedure.user.principal,
      procedure,
      dossier,
      written: { ket_luan: 'Đồng ý' },
    });
    expect(r.number).toMatch(/\/QĐ$/);
    expect(r.valid_until).toBeNull();
    expect(r.payload.fields.map((f) => f.value)).toEqual([citizen.user.name, 'Đồng ý']);
  });

  it('verifies by the QR: valid with the fields when h matches, a mismatch without them when it does not', async () => {
    const { result } = await issued({ name: 'Phạm Thu Hà' });
    const url = `/api/v1/services/results/${result.id}/verification`;
    const good = (await h.inject({ url: `${url}?h=${holderHash(result.jws)}` })).json();
    expect(good).toMatchObject({ status: 'valid', holder: 'match', result: { number: result.number } });
    expect(good.content.fields[0].value).toBe('Phạm Thu Hà');
    const wrong = (await h.inject({ url: `${url}?h=AAAAAAAAAAAAAAAAAAAAAA` })).json();
    expect(wrong).toMatchObject({ status: 'valid', holder: 'mismatch', content: null });
    const none = (await h.inject({ url })).json();
    expect(none).toMatchObject({ holder: 'absent', content: null });
  });

  it('says invalid when the stored record was altered after signing', async () => {
    const { result } = await issued();
    const altered = { ...result.payload, subject: 'Người khác' };
    await h.db
      .updateTable('service_results')
      .set({ payload: JSON.stringify(altered) })
      .where('id', '=', result.id)
      .execute();
    const v = (
      await h.inject({ url: `/api/v1/services/results/${result.id}/verification?h=${holderHash(result.jws)}` })
    ).json();
    expect(v).toMatchObject({ status: 'invalid', reason: 'altered', content: null });
    // the signed text altered in its place: the signature fails
    const [head, body, sig] = result.jws.split('.');
    const forged = Buffer.from(JSON.stringify(altered)).toString('base64url');
    await h.db
      .updateTable('service_results')
      .set({ jws: `${head}.${forged}.${sig}` })
      .where('id', '=', result.id)
      .execute();
    const w = (await h.inject({ url: `/api/v1/services/results/${result.id}/verification` })).json();
    expect(w).toMatchObject({ status: 'invalid', reason: 'signature' });
    expect(body).not.toBe(forged);
  });

  it('verifies a pasted JWS against the published keys; a tampered one fails', async () => {
    const { result } = await issued({ name: 'Đỗ Minh Quân' });
    const post = (jws: string) =>
      h.inject({ method: 'POST', url: '/api/v1/services/results/verify', payload: { jws } });
    const genuine = await post(result.jws);
    expect(genuine.statusCode).toBe(200);
    expect(genuine.json()).toMatchObject({ status: 'valid', content: { subject: 'Đỗ Minh Quân' } });
    const [head, , sig] = result.jws.split('.');
    const changed = { ...result.payload, fields: [{ ...result.payload.fields[0]!, value: 'Người khác' }] };
    const tampered = `${head}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${sig}`;
    expect((await post(tampered)).json()).toMatchObject({ status: 'invalid', reason: 'signature', content: null });
    expect((await post('not a jws')).json()).toMatchObject({ status: 'invalid', reason: 'malformed' });
  });

  it('verifies a JWS whatever whitespace a copy put in it; a cut one is malformed, nothing at all a field error', async () => {
    const { result } = await issued({ name: 'Lê Văn Hưu' });
    const post = (jws: string) =>
      h.inject({ method: 'POST', url: '/api/v1/services/results/verify', payload: { jws } });
    const spaced = result.jws.replace(/(.{60})/g, '$1\n').replace('.', ' . ');
    expect((await post(spaced)).json()).toMatchObject({ status: 'valid', content: { subject: 'Lê Văn Hưu' } });
    expect((await post(result.jws.slice(0, -3))).json()).toMatchObject({ status: 'invalid', reason: 'malformed' });
    const [head, payload] = result.jws.split('.');
    expect((await post(`${head}.${payload}`)).json()).toMatchObject({ status: 'invalid', reason: 'malformed' });
    const blank = await post(' \n ');
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body.jws', vi: 'Hãy dán kết quả đã ký.' }],
    });
  });

  it('revokes by the deciding agency’s editor only; verification then says revoked', async () => {
    const { result, procedure } = await issued();
    const stranger = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_editor' });
    const revoke = (auth: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: `/api/v1/services/results/${result.id}/revoke`,
        headers: auth,
        payload: { reason: 'Cấp nhầm người' },
      });
    expect((await revoke(stranger.auth)).statusCode).toBe(403);
    const ok = await revoke(procedure.user.auth);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().revokeReason).toBe('Cấp nhầm người');
    expect((await revoke(procedure.user.auth)).statusCode).toBe(409);
    const v = (
      await h.inject({ url: `/api/v1/services/results/${result.id}/verification?h=${holderHash(result.jws)}` })
    ).json();
    expect(v).toMatchObject({ status: 'revoked', result: { revokeReason: 'Cấp nhầm người' } });
  });

  it('gives a later procedure the person’s result as a fact: theirs only, never revoked or expired', async () => {
    const { results } = h.app.publicServices;
    const { result, procedure, citizen } = await issued({ name: 'Vũ Hải Yến' });
    const other = await person(h, 'Người khác');
    expect(await results.fact(citizen.hashes, procedure.id, 'ho_ten')).toMatchObject({
      value: 'Vũ Hải Yến',
      resultId: result.id,
      agencyId: procedure.agency_id,
    });
    expect(await results.fact(other.hashes, procedure.id, 'ho_ten')).toBeUndefined();
    expect(await results.fact(citizen.hashes, procedure.id, 'khong_co')).toBeUndefined();
    await results.revoke(procedure.user.principal, result.id, 'Thu hồi để thử');
    expect(await results.fact(citizen.hashes, procedure.id, 'ho_ten')).toBeUndefined();

    const old = await issued({ now: new Date(Date.now() - 181 * DAY) });
    expect(await results.fact(old.citizen.hashes, old.procedure.id, 'ho_ten')).toBeUndefined();
    const v = (await h.inject({ url: `/api/v1/services/results/${old.result.id}/verification` })).json();
    expect(v.status).toBe('expired');
  });

  it('is issued by the officer’s decision on a submitted dossier, linked from it, and reused by a later procedure', async () => {
    const { dossiers, results, resultFact } = h.app.publicServices;
    const procedure = await buildProcedure(h, { agency: 'thanh-pho-ha-noi' });
    const citizen = await person(h, 'Đặng Thái Sơn');
    const prefill = await storePrefill(h, citizen, procedure, {});
    const { dossier } = await dossiers.submit(citizen.user, prefill, {
      ho_ten: { value: 'Đặng Thái Sơn' },
      muc_dich: { value: 'Xin xác nhận để làm thủ tục khác.' },
    });
    await dossiers.issue(procedure.user.principal, dossier.row.id, {});
    const result = await results.ofDossier(dossier.row.id);
    expect(result?.payload.fields[0]?.value).toBe('Đặng Thái Sơn');
    expect(await results.resultLink(dossier.row.id)).toBe(`/my/results/${result!.id}`);
    const v = (
      await h.inject({ url: `/api/v1/services/results/${result!.id}/verification?h=${holderHash(result!.jws)}` })
    ).json();
    expect(v.status).toBe('valid');
    // what the prefill asks for a field whose source is this procedure's result
    expect(await resultFact(citizen.hashes, procedure.id, 'ho_ten')).toMatchObject({ value: 'Đặng Thái Sơn' });
  });
});
