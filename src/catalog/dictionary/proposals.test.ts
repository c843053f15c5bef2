import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import {
  buildAgencyUser,
  buildDictionaryProposal,
  buildSession,
  decideDictionaryProposal,
  type AgencyUser,
} from '../../../test/factories.js';

/** A new field never overwrites an existing one; a change keeps what it does not send and its owner; constraints hold. */
for (const driver of testDrivers()) {
  describe(`dictionary proposals and constraints on ${driver.name}`, () => {
    let h: Harness;
    let officer: AgencyUser; // proposes, in the owning agency
    let owner: AgencyUser; // decides
    let stranger: AgencyUser; // an editor of another agency
    let fieldId = '';
    const propose = (by: AgencyUser, payload: Record<string, unknown>) =>
      h.inject({ method: 'POST', url: '/api/v1/dictionary/proposals', headers: by.auth, payload });
    beforeAll(async () => {
      h = await startHarness(driver);
      officer = await buildAgencyUser(h, { agency: 'bo-tai-chinh' });
      owner = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
      stranger = await buildAgencyUser(h, { agency: 'bo-noi-vu' });
      const p = await buildDictionaryProposal(h, {
        user: officer,
        field: { description_vi: 'Số người thường trú', unit: 'người' },
      });
      fieldId = p.fieldId;
      expect((await decideDictionaryProposal(h, owner, p.id, 'approve')).statusCode).toBe(200);
    });
    afterAll(() => h.close());

    it('refuses a new field under an existing id, through the API and the form', async () => {
      const res = await propose(stranger, {
        kind: 'new',
        id: fieldId,
        label_vi: 'Khác',
        label_en: 'Other',
        type: 'integer',
        agency_id: stranger.agencyId,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('CONFLICT');
      expect(res.body).toContain('propose a change to it');
      const s = await buildSession(h, { user: stranger });
      const form = await h.inject({
        method: 'POST',
        url: '/dashboard/dictionary/propose',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: s.csrf,
          id: fieldId,
          label_vi: 'Khác',
          label_en: 'Other',
          type: 'integer',
          agency_id: stranger.agencyId,
        }).toString(),
      });
      expect(form.statusCode).toBe(409);
      expect(form.body).toContain('hãy đề xuất thay đổi trường đó');
      const field = (await h.inject({ method: 'GET', url: `/api/v1/dictionary/${fieldId}` })).json().field;
      expect(field).toMatchObject({ type: 'string', agency_id: officer.agencyId });
    });

    it('lets only the owner move a field to another agency', async () => {
      const moved = await propose(stranger, { kind: 'change', id: fieldId, agency_id: stranger.agencyId });
      expect(moved.statusCode).toBe(403);
      const byOwner = await propose(officer, { kind: 'change', id: fieldId, agency_id: stranger.agencyId });
      expect(byOwner.statusCode, byOwner.body).toBe(201);
    });

    it('keeps what a change does not send, and shows the reviewer old → new', async () => {
      const res = await propose(stranger, { kind: 'change', id: fieldId, label_vi: 'Dân số thường trú' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().proposal.changed).toEqual(['label_vi']);
      expect(res.json().proposal.content).toMatchObject({ description_vi: 'Số người thường trú', unit: 'người' });
      const s = await buildSession(h, { user: owner });
      const page = await h.inject({ method: 'GET', url: '/dashboard/dictionary', headers: { cookie: s.cookie } });
      expect(page.body).toMatch(/<del>Trường thử \d+<\/del> → <ins>Dân số thường trú<\/ins>/);
    });

    it('keeps the constraints the change form does not show', async () => {
      const p = await buildDictionaryProposal(h, {
        user: officer,
        field: { constraints: { minLength: 2, maxLength: 12, unique: true } },
      });
      expect((await decideDictionaryProposal(h, owner, p.id, 'approve')).statusCode).toBe(200);
      const s = await buildSession(h, { user: stranger });
      const form = await h.inject({
        method: 'POST',
        url: '/dashboard/dictionary/propose',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: s.csrf,
          change: '1',
          id: p.fieldId,
          label_vi: 'Tên đã sửa',
          label_en: 'Renamed',
          type: 'string',
          pattern: '^[A-Z]+$',
        }).toString(),
      });
      expect(form.statusCode, form.body).toBe(303);
      const mine = (
        await h.inject({ method: 'GET', url: '/api/v1/dictionary/proposals', headers: stranger.auth })
      ).json().mine as { field_id: string; content: { constraints: Record<string, unknown> } }[];
      expect(mine.find((v) => v.field_id === p.fieldId)?.content.constraints).toEqual({
        minLength: 2,
        maxLength: 12,
        unique: true,
        pattern: '^[A-Z]+$',
      });
    });

    it('refuses invalid constraints, each under its property', async () => {
      const res = await propose(officer, {
        kind: 'new',
        id: `sai_rang_buoc_${driver.name}`,
        label_vi: 'Sai',
        label_en: 'Wrong',
        type: 'integer',
        agency_id: officer.agencyId,
        constraints: { pattern: '([a-z', minimum: 10, maximum: 1 },
        codes: [
          { code: '1', label_vi: 'Một' },
          { code: '1', label_vi: 'Một nữa' },
        ],
      });
      expect(res.statusCode).toBe(400);
      const details = res.json().error.details as { field: string; en: string; vi: string }[];
      expect(details.map((d) => d.field).sort()).toEqual([
        'codes',
        'constraints.minimum',
        'constraints.pattern',
        'constraints.pattern',
      ]);
      expect(details.map((d) => d.en).join(' ')).toContain('not a valid regular expression');
      expect(details.map((d) => d.vi).join(' ')).toContain('có hai lần trong danh mục mã');
      const direct = await h.inject({
        method: 'PATCH',
        url: `/api/v1/dictionary/${fieldId}`,
        headers: owner.auth,
        payload: { constraints: { minimum: 5, maximum: 2 } },
      });
      expect(direct.statusCode).toBe(400);
    });
  });
}
