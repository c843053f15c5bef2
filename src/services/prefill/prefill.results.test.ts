import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { buildProcedure } from '../../../test/factories.js';
import { citizenSession } from '../../../test/citizens.js';
import { PrefillService, type PrefillDeps, type ResultFact } from './prefill.service.js';

/** A field whose source is an earlier procedure's signed result: read through the results sub-part's `fact`. */
describe.each(testDrivers())('prefill from earlier results ($name)', (driver) => {
  let h: Harness;
  let code: string;
  let first: Awaited<ReturnType<typeof buildProcedure>>;
  let service: (fact?: ResultFact) => PrefillService;
  beforeAll(async () => {
    h = await startHarness(driver);
    first = await buildProcedure(h, { agency: 'thanh-pho-ha-noi' });
    const second = await buildProcedure(h, {
      user: first.user,
      fields: [
        { key: 'ho_ten', label_vi: 'Dân tộc', label_en: null, element: 'dan_toc', type: 'string', required: true },
      ],
    });
    code = second.code;
    await h.app.publicServices.procedures.setSource(first.user.principal, first.user.agencyId, {
      element: 'dan_toc',
      kind: 'result',
      procedure: first.id,
      field: 'ho_ten',
    });
    const deps: Omit<PrefillDeps, 'resultFact'> = {
      procedures: h.app.publicServices.procedures,
      subjectHashes: (u) => h.app.services.identity.subjectHashes(u),
      databaseName: async () => undefined,
      agencyName: async () => undefined,
    };
    service = (resultFact) => new PrefillService(h.db, { ...deps, resultFact });
  });
  afterAll(() => h?.close());

  it('reuses the person’s valid result, with the result as its source; others have none to reuse', async () => {
    const holder = await citizenSession(h, '001090000011', 'Người có kết quả');
    const fact: ResultFact = async (hashes, procedureId, field) =>
      hashes.some((x) => holder.hashes.includes(x)) && procedureId === first.id && field === 'ho_ten'
        ? { value: 'Kinh', resultId: 'result-1', agencyId: first.agency_id, issuedAt: new Date() }
        : undefined;
    const got = await service(fact).prefill(holder.user, code);
    expect(got.fields.ho_ten).toMatchObject({
      value: 'Kinh',
      origin: 'result',
      source: { kind: 'result', result_id: 'result-1', agency_id: first.agency_id, database_id: null },
    });
    const other = await citizenSession(h, '001090000012', 'Người chưa có');
    expect((await service(fact).prefill(other.user, code)).fields.ho_ten).toMatchObject({
      problem: { code: 'not_found' },
    });
  });

  it('says no source without the results sub-part, and unavailable when it fails', async () => {
    const c = await citizenSession(h, '001090000013', 'Công dân');
    expect((await service().prefill(c.user, code)).fields.ho_ten).toMatchObject({ problem: { code: 'no_source' } });
    const failing: ResultFact = async () => {
      throw new Error('down');
    };
    expect((await service(failing).prefill(c.user, code)).fields.ho_ten).toMatchObject({
      problem: { code: 'unavailable' },
    });
  });
});
