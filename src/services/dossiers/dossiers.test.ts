import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { buildAgencyUser, buildProcedure, buildRegisterEntry, type AgencyUser } from '../../../test/factories.js';
import { citizenSession } from '../../../test/citizens.js';
import { storePrefill } from '../../../test/prefills.js';
import type { PublicUser } from '../../identity/public-principal.js';
import type { ProcedureRow } from '../procedures/procedure.js';
import type { Prefill, PrefillFields } from '../prefill/prefill.types.js';
import { DossiersService, type IssueInput, type PrefillPort } from './dossiers.service.js';

type Citizen = Awaited<ReturnType<typeof citizenSession>>;
const READ_AT = '2026-12-07T07:05:00.000Z'; // 14:05 in Hà Nội

/** A stand-in for the prefill engine over the stored rows: what a dossier needs of it. */
class FakePrefills implements PrefillPort {
  constructor(
    private readonly db: Kysely<any>,
    private readonly procedures: () => Promise<ProcedureRow[]>,
  ) {}
  prefill(): Promise<Prefill> {
    throw new Error('not used');
  }
  async get(u: PublicUser | null, id: string): Promise<Prefill> {
    const row = await this.db.selectFrom('service_prefills').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (row.public_user_id !== u?.userId) throw Object.assign(new Error('not found'), { code: 'NOT_FOUND' });
    const procedure = (await this.procedures()).find((p) => p.id === row.procedure_id)!;
    return { id, procedure, fields: row.fields, createdAt: row.created_at, expiresAt: row.expires_at };
  }
  preview(p: Prefill) {
    return p.procedure.fields.map((field) => ({ field, prefilled: p.fields[field.key] ?? null }));
  }
}

/**
 * Issue 21: a submitted dossier keeps, per field, whether it was reused or typed and from where; an accepted value is
 * the register's whatever the form sends; a disputed one becomes a correction request at the source's agency; typed
 * fields are read by type; the deciding agency's officers alone handle it.
 */
describe.each(testDrivers())('dossiers ($name)', (driver) => {
  let h: Harness;
  let procedure: ProcedureRow;
  let person: Citizen;
  let other: Citizen;
  let officer: AgencyUser;
  let police: AgencyUser;
  let populationDb: string;
  let prefilled: PrefillFields;

  const submit = (who: Citizen, prefill: string, answers: Record<string, { dispute?: boolean; value?: string }>) =>
    h.inject({
      method: 'POST',
      url: '/api/v1/services/dossiers',
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
      payload: { prefill, answers },
    });

  beforeAll(async () => {
    h = await startHarness(driver);
    police = await buildAgencyUser(h, { agency: 'bo-cong-an', role: 'agency_admin' });
    populationDb = (
      await buildRegisterEntry(h, {
        user: police,
        name_vi: 'Cơ sở dữ liệu quốc gia về dân cư',
        name_en: 'National Population Database',
      })
    ).id;
    procedure = await buildProcedure(h, {
      agency: 'thanh-pho-ha-noi',
      fields: [
        {
          key: 'ho_ten',
          label_vi: 'Họ và tên',
          label_en: 'Full name',
          element: 'ho_va_ten',
          type: 'string',
          required: true,
        },
        {
          key: 'ngay_sinh',
          label_vi: 'Ngày sinh',
          label_en: 'Date of birth',
          element: 'ngay_sinh',
          type: 'date',
          required: true,
        },
        {
          key: 'so_dinh_danh',
          label_vi: 'Số định danh',
          label_en: 'Id number',
          element: 'so_dinh_danh_ca_nhan',
          type: 'string',
          required: true,
        },
        { key: 'so_con', label_vi: 'Số con', label_en: 'Children', element: null, type: 'integer', required: false },
        { key: 'muc_dich', label_vi: 'Mục đích', label_en: 'Purpose', element: null, type: 'text', required: true },
      ],
    });
    officer = await buildAgencyUser(h, { agency: 'thanh-pho-ha-noi', role: 'agency_editor' });
    person = await citizenSession(h, '001090000001', 'Nguyễn Văn An');
    other = await citizenSession(h, '001090000002', 'Trần Thị Bình');
    const source = {
      kind: 'register' as const,
      agency_id: police.agencyId,
      database_id: populationDb,
      service: 'NDP-TEST/GOV/000.00.00.G01/CSDLQGDC/citizens',
      result_id: null,
      at: READ_AT,
    };
    prefilled = {
      ho_ten: { value: 'Nguyễn Văn An', origin: 'register', source },
      ngay_sinh: { value: '1990-01-01', origin: 'register', source },
      so_dinh_danh: {
        problem: {
          code: 'timeout',
          vi: 'Cơ sở dữ liệu chưa trả lời kịp; bạn hãy tự nhập.',
          en: 'The register did not answer in time; type it.',
        },
      },
    };
  }, 120_000);
  afterAll(() => h?.close());

  it('keeps each field’s origin and source; an accepted value is the register’s whatever the form sends', async () => {
    const prefill = await storePrefill(h, person, procedure, prefilled);
    const res = await submit(person, prefill, {
      ho_ten: { value: 'Người Khác' }, // accepted: the form's value is ignored
      ngay_sinh: { dispute: true, value: '02/01/1990' },
      so_dinh_danh: { value: '001090000001' },
      muc_dich: { value: 'Xin việc làm' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json().dossier;
    expect(d.reference).toMatch(/^HS-\d{8}-\d{4}$/);
    expect(d).toMatchObject({ status: 'submitted', reused: 1, typed: 3, applicantName: 'Nguyễn Văn An' });
    const byKey = Object.fromEntries(d.fields.map((f: { key: string }) => [f.key, f]));
    expect(byKey.ho_ten).toMatchObject({
      value: 'Nguyễn Văn An',
      origin: 'register',
      disputed: false,
      source: { agency_id: police.agencyId, database_id: populationDb, at: READ_AT },
    });
    expect(byKey.ngay_sinh).toMatchObject({
      value: '1990-01-02',
      origin: 'typed',
      disputed: true,
      source: { database_id: populationDb },
    });
    expect(byKey.so_dinh_danh).toMatchObject({ value: '001090000001', origin: 'typed', disputed: false, source: null });
    expect(byKey.so_con).toMatchObject({ value: '', origin: 'typed' });
    // 3 working days (the procedure's), ending in Vietnam's evening
    const days = (new Date(d.dueAt).getTime() - new Date(d.submittedAt).getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(2);
    expect(days).toBeLessThan(8);
    expect(res.json().corrections).toEqual([
      expect.objectContaining({ agencyId: police.agencyId, fields: ['ngay_sinh'], requestId: expect.any(String) }),
    ]);
    // the same prefill cannot be submitted twice
    const again = await submit(person, prefill, { muc_dich: { value: 'x' }, so_dinh_danh: { value: '001090000001' } });
    expect(again.statusCode).toBe(409);
    // the person's list through the API, never the keyed hash
    const mine = await h.inject({ method: 'GET', url: '/api/v1/my/dossiers', headers: { cookie: person.cookie } });
    expect(mine.json().dossiers.map((x: { id: string }) => x.id)).toEqual([d.id]);
    expect(mine.body).not.toContain(person.hashes[0]!.slice(0, 32));
  });

  it('sends a dispute to the source register’s agency as a correction request, in its requests inbox', async () => {
    const inbox = await h.app.services.requests.inbox(police.principal);
    const mine = inbox.filter((x) => x.row.subject_name === 'Nguyễn Văn An' && x.row.kind === 'correction');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.row.why).toBe('holds');
    const details = mine[0]!.row.details;
    expect(details).toMatch(/HS-\d{8}-\d{4}/);
    expect(details).toContain(procedure.code);
    expect(details).toContain('Ngày sinh');
    expect(details).toContain('“1990-01-01”');
    expect(details).toContain('“1990-01-02”');
    // the deciding agency, which read nothing wrong, gets no request
    expect((await h.app.services.requests.inbox(officer.principal)).length).toBe(0);
  });

  it('reads typed fields by type and writes nothing on an error, in both languages', async () => {
    const prefill = await storePrefill(h, person, procedure, prefilled);
    const count = async () =>
      Number(
        (
          await h.db
            .selectFrom('service_dossiers')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const res = await submit(person, prefill, {
      ngay_sinh: { dispute: true, value: '31/02/1990' },
      so_dinh_danh: { value: '' },
      so_con: { value: 'hai' },
      muc_dich: { value: 'Xin việc' },
    });
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { field: string; vi: string; en: string }[];
    expect(details.map((x) => x.field).sort()).toEqual(['ngay_sinh', 'so_con', 'so_dinh_danh']);
    expect(details.find((x) => x.field === 'ngay_sinh')).toMatchObject({
      vi: expect.stringContaining('(ngày/tháng/năm, ví dụ 07/03/1990)'),
      en: expect.stringContaining('not a valid date'),
    });
    expect(details.find((x) => x.field === 'so_con')!.en).toMatch(/whole number/);
    // a dispute that types the register's own value is no dispute
    const same = await submit(person, prefill, {
      ngay_sinh: { dispute: true, value: '01/01/1990' },
      so_dinh_danh: { value: '1' },
      muc_dich: { value: 'x' },
    });
    expect(same.statusCode).toBe(400);
    expect(await count()).toBe(before);
    // ISO dates and a whole number are read
    const ok = await submit(person, prefill, {
      ngay_sinh: { dispute: true, value: '1990-01-03' },
      so_dinh_danh: { value: '001090000001' },
      so_con: { value: '2' },
      muc_dich: { value: 'Xin việc' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().dossier.fields.find((f: { key: string }) => f.key === 'so_con').value).toBe('2');
  });

  it('takes only the person’s own unexpired prefill, at e-ID level 2', async () => {
    const theirs = await storePrefill(h, other, procedure, prefilled);
    const stolen = await submit(person, theirs, { so_dinh_danh: { value: '1' }, muc_dich: { value: 'x' } });
    expect(stolen.statusCode).toBe(404);
    const old = await storePrefill(h, person, procedure, prefilled, true);
    const late = await submit(person, old, { so_dinh_danh: { value: '1' }, muc_dich: { value: 'x' } });
    expect([404, 409]).toContain(late.statusCode);
    const low = await citizenSession(h, '001090000003', 'Lê Văn Cường', 1);
    const refused = await submit(low, theirs, {});
    expect(refused.statusCode).toBe(403);
  });

  it('lets the deciding agency’s editors take, reject and issue; another agency’s officer finds nothing', async () => {
    const prefill = await storePrefill(h, other, procedure, prefilled);
    const res = await submit(other, prefill, {
      so_dinh_danh: { value: '001090000002' },
      muc_dich: { value: 'Học tập' },
    });
    const id = res.json().dossier.id as string;
    const listed = await h.inject({
      method: 'GET',
      url: '/api/v1/services/dossiers?agency=thanh-pho-ha-noi',
      headers: officer.auth,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().dossiers.map((x: { id: string }) => x.id)).toContain(id);
    const stranger = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_editor' });
    const viewer = await buildAgencyUser(h, { agency: 'thanh-pho-ha-noi', role: 'viewer' });
    for (const who of [stranger, viewer]) {
      const take = await h.inject({ method: 'POST', url: `/api/v1/services/dossiers/${id}/take`, headers: who.auth });
      expect(take.statusCode).toBe(404);
    }
    expect(
      (
        await h.inject({
          method: 'GET',
          url: '/api/v1/services/dossiers?agency=thanh-pho-ha-noi',
          headers: stranger.auth,
        })
      ).statusCode,
    ).toBe(403);
    const take = await h.inject({ method: 'POST', url: `/api/v1/services/dossiers/${id}/take`, headers: officer.auth });
    expect(take.json().status).toBe('in_review');
    const reject = await h.inject({
      method: 'POST',
      url: `/api/v1/services/dossiers/${id}/reject`,
      headers: officer.auth,
      payload: { note: 'Thiếu giấy tờ chứng minh.' },
    });
    expect(reject.json()).toMatchObject({ status: 'rejected', decisionNote: 'Thiếu giấy tờ chứng minh.' });
    const twice = await h.inject({
      method: 'POST',
      url: `/api/v1/services/dossiers/${id}/issue`,
      headers: officer.auth,
      payload: {},
    });
    expect(twice.statusCode).toBe(409);
    const trail = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();
    expect(trail.map((t) => t.action)).toEqual([
      'services.dossier.submit',
      'services.dossier.take',
      'services.dossier.reject',
    ]);
    expect(trail[0]!.actor_user_id).toBeNull();
    expect(trail[2]!.actor_user_id).toBe(officer.userId);
  });

  it('issues a signed result through the API; the applicant’s dossier then links to it', async () => {
    const prefill = await storePrefill(h, person, procedure, prefilled);
    const res = await submit(person, prefill, {
      so_dinh_danh: { value: '001090000001' },
      muc_dich: { value: 'Vay vốn' },
    });
    const id = res.json().dossier.id as string;
    const issued = await h.inject({
      method: 'POST',
      url: `/api/v1/services/dossiers/${id}/issue`,
      headers: officer.auth,
      payload: {},
    });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json()).toMatchObject({ status: 'issued', resultUrl: expect.stringMatching(/^\/my\/results\//) });
    const result = await h.app.publicServices.results.ofDossier(id);
    expect(result?.payload).toMatchObject({ subject: 'Nguyễn Văn An' });
    const mine = await h.inject({ method: 'GET', url: '/api/v1/my/dossiers', headers: { cookie: person.cookie } });
    expect(mine.json().dossiers.find((x: { id: string }) => x.id === id).resultUrl).toBe(`/my/results/${result!.id}`);
  });

  it('issues the result inside the dossier’s transaction, with the agency’s signer read before it', async () => {
    const calls: { signer: unknown; input: IssueInput }[] = [];
    const service = new DossiersService(h.db, {
      procedures: h.app.publicServices.procedures,
      prefills: new FakePrefills(h.db, async () => [procedure]),
      results: {
        signerFor: async (agencyId) => ({ agencyId }),
        issueIn: async (trx, signer, input) => {
          calls.push({ signer, input });
          if (!input.written.so_giay) throw Object.assign(new Error('missing'), { code: 'X' });
          await trx.selectFrom('service_dossiers').select('id').where('id', '=', input.dossier.id).execute();
          return { id: randomUUID() };
        },
      },
      masterData: h.app.services.masterData,
      calendar: h.app.services.calendar,
      subjectHashes: async () => other.hashes,
      fileCorrection: async () => ({ id: randomUUID() }),
      databaseNames: async () => new Map(),
    });
    const prefill = await storePrefill(h, other, procedure, prefilled);
    const { dossier } = await service.submit(other.user, prefill, {
      so_dinh_danh: { value: '001090000002' },
      muc_dich: { value: 'Học tập' },
    });
    await expect(service.issue(officer.principal, dossier.row.id, {})).rejects.toThrow('missing');
    expect((await service.own(other.user, dossier.row.id)).row.status).toBe('submitted');
    const issued = await service.issue(officer.principal, dossier.row.id, { so_giay: '123/GXN' });
    expect(issued.row).toMatchObject({ status: 'issued', decided_by: officer.userId });
    expect(calls[1]!.signer).toEqual({ agencyId: procedure.agency_id });
    expect(calls[1]!.input).toMatchObject({ written: { so_giay: '123/GXN' }, procedure: { id: procedure.id } });
    expect(calls[1]!.input.dossier.fields.find((f) => f.key === 'ho_ten')!.value).toBe('Nguyễn Văn An');
  });

  it('checks typed values against the dictionary, tidies their spaces and keeps the value a dispute replaced', async () => {
    const who = await citizenSession(h, '001090000009', 'Đỗ Thị Lan');
    const prefill = await storePrefill(h, who, procedure, prefilled);
    const bad = await submit(who, prefill, {
      ngay_sinh: { dispute: true, value: '07/03/2030' },
      so_dinh_danh: { value: '00109000000' },
      muc_dich: { value: 'Kết hôn' },
    });
    expect(bad.statusCode).toBe(400);
    const details = bad.json().error.details as { field: string; vi: string; en: string }[];
    expect(details.find((x) => x.field === 'so_dinh_danh')).toMatchObject({
      vi: 'Số định danh: Số định danh cá nhân gồm đúng 12 chữ số.',
      en: 'Id number: a Personal identification number has exactly 12 digits.',
    });
    expect(details.find((x) => x.field === 'ngay_sinh')).toMatchObject({
      vi: 'Ngày sinh: ngày không thể ở tương lai.',
      en: 'Date of birth: the date cannot be in the future.',
    });
    const ok = await submit(who, prefill, {
      ho_ten: { dispute: true, value: '  nguyễn  thị ánh   tuyết ' },
      ngay_sinh: { dispute: true, value: '07/03/1990' },
      so_dinh_danh: { value: ' 001 090 000 009 ' },
      muc_dich: { value: '  Kết   hôn \n\n\n\n  tại   Hà Nội ' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const stored = await h.db
      .selectFrom('service_dossiers')
      .select('fields')
      .where('id', '=', ok.json().dossier.id)
      .executeTakeFirstOrThrow();
    const byKey = Object.fromEntries((stored.fields as { key: string }[]).map((f) => [f.key, f]));
    expect(byKey.ho_ten).toMatchObject({ value: 'nguyễn thị ánh tuyết', disputed: true, contradicts: 'Nguyễn Văn An' });
    expect(byKey.ngay_sinh).toMatchObject({ value: '1990-03-07', disputed: true, contradicts: '1990-01-01' });
    expect(byKey.so_dinh_danh).toMatchObject({ value: '001090000009', disputed: false });
    expect(byKey.so_dinh_danh).not.toHaveProperty('contradicts');
    expect(byKey.muc_dich).toMatchObject({ value: 'Kết hôn\n\ntại Hà Nội' });
  });
});
