import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenSession } from '../../../test/citizens.js';
import { testDrivers } from '../../../test/drivers.js';
import { buildAgencyUser, buildProcedure, buildRegisterEntry } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { field, insertDossier, insertPrefill, reusedFields } from './meter.fixtures.js';
import { periodOf } from './meter.service.js';

const YEAR_2026 = periodOf('2026-01-01', '2026-12-31');
const Y2026 = 'from=2026-01-01&to=2026-12-31';

describe.each(testDrivers())('the reuse meter ($name)', (driver) => {
  let h: Harness;
  const ids = { p1: '', p1Code: '', p2: '', commune: '', hanoi: '', finance: '', register: '' };

  beforeAll(async () => {
    h = await startHarness(driver);
    const { procedures } = h.app.publicServices;
    // Hà Nội (a province) and one of its communes decide P1; the Ministry of Finance (central) decides P2
    ids.hanoi = await h.agencyId('thanh-pho-ha-noi');
    const commune = await h.db
      .selectFrom('agencies')
      .select('id')
      .where('parent_id', '=', ids.hanoi)
      .where('kind', '=', 'commune')
      .orderBy('code')
      .executeTakeFirstOrThrow();
    ids.commune = commune.id;
    ids.finance = await h.agencyId('bo-tai-chinh');
    const p1 = await buildProcedure(h, { agency: 'thanh-pho-ha-noi' });
    const p2 = await buildProcedure(h, { agency: 'bo-tai-chinh' });
    Object.assign(ids, { p1: p1.id, p1Code: p1.code, p2: p2.id });
    // the population register holds the full name and the date of birth; nobody holds the ethnic group
    const police = await buildAgencyUser(h, { agency: 'bo-cong-an', role: 'agency_admin' });
    const db = await buildRegisterEntry(h, { user: police, name_vi: 'CSDL quốc gia về dân cư', name_en: 'Population' });
    ids.register = db.id;
    const code = (await h.app.services.masterData.agency('bo-cong-an')).code;
    for (const [element, pointer] of [
      ['ho_va_ten', '/fullName'],
      ['ngay_sinh', '/dateOfBirth'],
    ])
      await procedures.setSource(police.principal, police.agencyId, {
        element: element!,
        kind: 'register',
        database: db.id,
        service: `NDP-TEST/GOV/${code}/CSDLQGDC/citizens`,
        path: '/citizens/{person}',
        field: pointer!,
      });
    const person = await citizenSession(h, '001090000123', 'Nguyễn Thị Thử');
    const who = { publicUserId: person.user.userId };
    const refused = await insertPrefill(h.db, {
      procedureId: p1.id,
      ...who,
      fields: { ho_ten: { problem: { code: 'refused', vi: 'Bị từ chối.', en: 'Refused.' } } },
    });
    // A: 10 reused (9 from a register, 1 from a result), 2 typed (the name the register refused, the ethnic group),
    // one optional field left empty (not counted)
    await insertDossier(h.db, {
      procedureId: p1.id,
      agencyId: ids.commune,
      ...who,
      prefillId: refused,
      at: new Date('2026-03-10T03:00:00Z'),
      fields: [
        ...reusedFields(9),
        field('kq', 'result'),
        field('ho_ten', 'typed', { element: 'ho_va_ten' }),
        field('dan_toc', 'typed', { element: 'dan_toc' }),
        field('ghi_chu', 'typed', { value: '' }),
      ],
    });
    // B: 6 reused, 6 typed — one of them a register's value the applicant disputed
    await insertDossier(h.db, {
      procedureId: p1.id,
      agencyId: ids.hanoi,
      ...who,
      at: new Date('2026-03-11T03:00:00Z'),
      fields: [
        ...reusedFields(6),
        field('ho_ten', 'register', { element: 'ho_va_ten', disputed: true }),
        field('dan_toc', 'typed', { element: 'dan_toc' }),
        field('ngay_sinh', 'typed'),
        field('muc_dich', 'typed'),
        field('dia_chi', 'typed'),
        field('so_dien_thoai', 'typed'),
      ],
    });
    // C: nothing reused, 4 typed
    await insertDossier(h.db, {
      procedureId: p2.id,
      agencyId: ids.finance,
      ...who,
      at: new Date('2026-03-12T03:00:00Z'),
      fields: ['a', 'b', 'c', 'muc_dich'].map((k) => field(k, 'typed')),
    });
    // D: from 2025, outside the period: all 5 reused
    await insertDossier(h.db, {
      procedureId: p2.id,
      agencyId: ids.finance,
      ...who,
      at: new Date('2025-01-05T03:00:00Z'),
      fields: reusedFields(5),
    });
  });
  afterAll(() => h.close());

  const pick = (r: { dossiers: number; fields: number; reused: number; typed: number; meets_goal: boolean }) => ({
    dossiers: r.dossiers,
    fields: r.fields,
    reused: r.reused,
    typed: r.typed,
    meets_goal: r.meets_goal,
  });

  it('gives the shares per procedure as the dossiers hold them, a disputed value counted as typed', async () => {
    const { meter } = h.app.publicServices;
    const s = await meter.shares({ by: 'procedure', ...YEAR_2026 });
    expect(s.goal).toBe(0.8);
    expect(pick(s.total)).toEqual({ dossiers: 3, fields: 29, reused: 16, typed: 12, meets_goal: false });
    expect(s.total.share).toBeCloseTo(16 / 28, 10);
    const p1 = s.rows.find((r) => r.id === ids.p1)!;
    expect(pick(p1)).toEqual({ dossiers: 2, fields: 25, reused: 16, typed: 8, meets_goal: false });
    expect(p1.share).toBeCloseTo(16 / 24, 10);
    expect(p1.code).toBe(ids.p1Code);
    const p2 = s.rows.find((r) => r.id === ids.p2)!;
    expect(pick(p2)).toEqual({ dossiers: 1, fields: 4, reused: 0, typed: 4, meets_goal: false });
    expect(p2.share).toBe(0);
  });

  it('gives the shares per deciding agency, the commune at 83.3% meeting the goal', async () => {
    const { meter } = h.app.publicServices;
    const s = await meter.shares({ by: 'agency', ...YEAR_2026 });
    const of = (id: string) => s.rows.find((r) => r.id === id)!;
    expect(pick(of(ids.commune))).toEqual({ dossiers: 1, fields: 13, reused: 10, typed: 2, meets_goal: true });
    expect(of(ids.commune).share).toBeCloseTo(10 / 12, 10);
    expect(pick(of(ids.hanoi))).toEqual({ dossiers: 1, fields: 12, reused: 6, typed: 6, meets_goal: false });
    expect(of(ids.hanoi).share).toBe(0.5);
    expect(pick(of(ids.finance))).toMatchObject({ dossiers: 1, reused: 0, typed: 4 });
    expect(s.rows).toHaveLength(3);
    const index = await meter.agencyShares(YEAR_2026.from, YEAR_2026.to);
    expect(index.find((r) => r.agencyId === ids.commune)).toEqual({
      agencyId: ids.commune,
      dossiers: 1,
      reused: 10,
      typed: 2,
      share: 10 / 12,
    });
  });

  it('gives the shares per province: a commune counts in its province, a ministry in none', async () => {
    const { meter } = h.app.publicServices;
    const s = await meter.shares({ by: 'province', ...YEAR_2026 });
    expect(s.rows).toHaveLength(2);
    const hanoi = s.rows.find((r) => r.id === ids.hanoi)!;
    expect(pick(hanoi)).toMatchObject({ dossiers: 2, reused: 16, typed: 8 });
    expect(hanoi.name_vi).toContain('Hà Nội');
    expect(pick(s.rows.find((r) => r.id === null)!)).toMatchObject({ dossiers: 1, reused: 0, typed: 4 });
  });

  it('leaves out dossiers submitted before the period, and counts them without one', async () => {
    const { meter } = h.app.publicServices;
    const all = await meter.shares({ by: 'procedure' });
    expect(pick(all.total)).toMatchObject({ dossiers: 4, reused: 21, typed: 12 });
    expect(pick(all.rows.find((r) => r.id === ids.p2)!)).toMatchObject({ dossiers: 2, reused: 5, typed: 4 });
    const since = await meter.shares({ by: 'procedure', ...periodOf('2026-03-11') });
    expect(pick(since.total)).toMatchObject({ dossiers: 2, reused: 6, typed: 10 });
    // the last day is included, in Vietnam's time: 2026-03-10 03:00 UTC is 10:00 in Hà Nội
    const oneDay = await meter.shares({ by: 'procedure', ...periodOf('2026-03-10', '2026-03-10') });
    expect(oneDay.total.dossiers).toBe(1);
  });

  it('counts an agency with the communes under it', async () => {
    const { meter } = h.app.publicServices;
    const s = await meter.shares({ by: 'agency', agency: 'thanh-pho-ha-noi', ...YEAR_2026 });
    expect(s.rows.map((r) => r.id).sort()).toEqual([ids.commune, ids.hanoi].sort());
    expect(pick(s.total)).toMatchObject({ dossiers: 2, reused: 16, typed: 8 });
  });

  it('lists the fields most typed, why, and what would remove them', async () => {
    const { meter } = h.app.publicServices;
    const top = await meter.typedMost({ limit: 2, ...YEAR_2026 });
    expect(top.map((f) => [f.key, f.typed])).toEqual([
      ['dan_toc', 2],
      ['ho_ten', 2],
    ]);
    const [ethnic, name] = top;
    expect(name!.reasons).toEqual({ refused: 1, disputed: 1 });
    expect(name!.label).toEqual({ vi: 'Họ và tên', en: 'Full name' });
    expect(name!.remedy).toMatchObject({
      kind: 'held',
      holder: { kind: 'register', element: 'ho_va_ten', databaseId: ids.register, name: { en: 'Population' } },
    });
    expect(ethnic!.remedy).toEqual({
      kind: 'unheld',
      element: 'dan_toc',
      label: { vi: 'Dân tộc', en: 'Ethnic group' },
    });
    const all = await meter.typedMost({ limit: 100, ...YEAR_2026 });
    const of = (key: string, procedure = ids.p1) => all.find((f) => f.key === key && f.procedure.id === procedure)!;
    // not bound, but the register holds the element named like the field
    expect(of('ngay_sinh').remedy).toMatchObject({ kind: 'bind', holder: { element: 'ngay_sinh', kind: 'register' } });
    expect(of('muc_dich').remedy).toEqual({ kind: 'asked' });
    expect(of('muc_dich', ids.p2).typed).toBe(1);
    expect(all.find((f) => f.key === 'ghi_chu')).toBeUndefined();
    expect(all.reduce((n, f) => n + f.typed, 0)).toBe(12);
    const p2Only = await meter.typedMost({ limit: 100, procedure: ids.p2 });
    expect(p2Only.map((f) => f.key).sort()).toEqual(['a', 'b', 'c', 'muc_dich']);
  });

  it('serves the figures as JSON and the same as CSV, to anyone', async () => {
    const json = await h.inject({ method: 'GET', url: `/api/v1/services/reuse?by=agency&${Y2026}` });
    expect(json.statusCode).toBe(200);
    const body = json.json();
    expect(body.total).toMatchObject({ dossiers: 3, reused: 16, typed: 12, share: 0.5714 });
    const csv = await h.inject({ method: 'GET', url: `/api/v1/services/reuse?by=agency&${Y2026}&format=csv` });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.startsWith('\ufeffid,code,name_vi')).toBe(true);
    const rows: Record<string, string>[] = parse(csv.body, { bom: true, columns: true });
    expect(rows).toHaveLength(body.rows.length);
    for (const r of body.rows) {
      const line = rows.find((x) => x.id === r.id)!;
      expect([line.dossiers, line.reused, line.typed, line.share, line.meets_goal]).toEqual(
        [r.dossiers, r.reused, r.typed, r.share, r.meets_goal].map(String),
      );
    }
    expect(rows.find((x) => x.id === ids.commune)).toMatchObject({ reused: '10', typed: '2', share: '0.8333' });
    const typed = await h.inject({ method: 'GET', url: `/api/v1/services/reuse/typed?limit=2&${Y2026}` });
    expect(typed.json().results[1]).toMatchObject({
      key: 'ho_ten',
      typed: 2,
      remedy: { kind: 'held', holder: { kind: 'register', database_id: ids.register, name_en: 'Population' } },
    });
    expect(JSON.stringify(typed.json())).not.toContain('Nguyễn');
    const unknown = await h.inject({ method: 'GET', url: '/api/v1/services/reuse?agency=khong-co' });
    expect(unknown.statusCode).toBe(404);
    const backwards = await h.inject({ method: 'GET', url: '/api/v1/services/reuse?from=2026-05-01&to=2026-04-01' });
    expect(backwards.statusCode).toBe(400);
  });

  it('shows the page in Vietnamese and English with the figures as the reader writes them', async () => {
    const vi = await h.inject({ method: 'GET', url: `/services/reuse?by=province&${Y2026}` });
    expect(vi.statusCode).toBe(200);
    expect(vi.body).toContain('57,1%');
    expect(vi.body).toContain('66,7%');
    expect(vi.body).toContain('Cơ quan trung ương');
    expect(vi.body).toContain('CSDL quốc gia về dân cư');
    const en = await h.inject({ method: 'GET', url: `/services/reuse?by=agency&${Y2026}&lang=en` });
    expect(en.body).toContain('57.1%');
    expect(en.body).toContain('83.3%');
    expect(en.body).toContain('No register holds “Ethnic group” yet.');
    const backwards = await h.inject({ method: 'GET', url: '/services/reuse?from=2026-05-01&to=2026-04-01&lang=en' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The end must come after the start.');
    const nowhere = await h.inject({ method: 'GET', url: '/services/reuse?agency=khong-co-dau&lang=en' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.body).toContain('khong-co-dau');
    expect(nowhere.body).toContain('63.6%'); // every dossier, no agency's filter
  });
});
