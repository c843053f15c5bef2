import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { buildAgencyUser, buildProcedure, buildRegisterEntry } from '../../../test/factories.js';

describe.each(testDrivers())('procedures and sources ($name)', (driver) => {
  {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(driver);
    });
    afterAll(() => h.close());

    it('publishes a procedure its agency decides; another agency cannot write one for it', async () => {
      const p = await buildProcedure(h, { agency: 'thanh-pho-ha-noi' });
      const { procedures } = h.app.publicServices;
      expect((await procedures.published()).map((x) => x.code)).toContain(p.code);
      const stranger = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
      await expect(procedures.setStatus(stranger.principal, p.id, 'withdrawn')).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    });

    it('refuses a form bound to an element the dictionary lacks, naming the field', async () => {
      await expect(
        buildProcedure(h, {
          fields: [{ key: 'x', label_vi: 'X', label_en: null, element: 'khong_co', type: 'string', required: true }],
          result: { kind: 'decision', title_vi: 'Quyết định', title_en: null, validity_days: null, fields: [] },
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'fields[0].element' }] });
    });

    it('declares a register as the source of an element, for its own database and service only', async () => {
      const admin = await buildAgencyUser(h, { agency: 'bo-cong-an', role: 'agency_admin' });
      const db = await buildRegisterEntry(h, { user: admin });
      const code = (await h.app.services.masterData.agency('bo-cong-an')).code;
      const { procedures } = h.app.publicServices;
      const source = await procedures.setSource(admin.principal, admin.agencyId, {
        element: 'ngay_sinh',
        kind: 'register',
        database: db.id,
        service: `NDP-TEST/GOV/${code}/CSDLQGDC/citizens`,
        path: '/citizens/{person}',
        field: '/dateOfBirth',
      });
      expect(source).toMatchObject({ element_id: 'ngay_sinh', kind: 'register' });
      expect((await procedures.sourcesFor(['ngay_sinh']))[0]?.path_template).toBe('/citizens/{person}');
      await expect(
        procedures.setSource(admin.principal, admin.agencyId, {
          element: 'ngay_sinh',
          kind: 'register',
          database: db.id,
          service: 'NDP-TEST/GOV/000.00.00.G12/OTHER/citizens',
          path: '/citizens/{person}',
          field: '/dateOfBirth',
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'service' }] });
    });
  }
});
