import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import {
  buildAgencyUser,
  buildProcedure,
  buildRegisterEntry,
  seedSharedDictionary,
  type AgencyUser,
} from '../../../test/factories.js';
import { citizenSession } from '../../../test/citizens.js';
import { createLogger } from '../../platform/logger.js';
import { startDemoNetwork, type DemoNetwork } from '../../cli/demo-network.js';
import { demoSystemUser } from '../../cli/demo.js';
import { freeLoopbackPort } from '../../platform/ports.js';
import type { ProcedureField } from '../procedures/procedure.js';

const PERSON = '001090000001'; // the demo population register's first citizen
const STUB_OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'stub register', version: '1' },
  paths: {
    '/people/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, 'x-ndp-person': true, schema: { type: 'string' } }],
        responses: { 200: { description: 'the person' } },
      },
    },
  },
};
const field = (key: string, element: string | null, type: ProcedureField['type'] = 'string'): ProcedureField => ({
  key,
  label_vi: key,
  label_en: key,
  element,
  type,
  required: true,
});

type Shown = {
  key: string;
  asked: boolean;
  value: string | null;
  source: { agency: { name_vi: string }; database: { name_vi: string } | null; read_at: string } | null;
  problem: { code: string; message_vi: string; message_en: string } | null;
};

/**
 * Issue 21's evidence broker against real gateways: the demo's population register (a provider gateway) and Hà Nội's
 * public-service system (a consumer gateway), with two stub registers behind the same provider gateway, one that never
 * answers in time and one that is down.
 */
describe.each(testDrivers())('prefill through the exchange ($name)', (driver) => {
  let h: Harness;
  let network: DemoNetwork;
  let hanoi: AgencyUser;
  let police: AgencyUser;
  let slow: http.Server;
  let citizen: Awaited<ReturnType<typeof citizenSession>>;
  const stubServices: Record<'slow' | 'down', string> = { slow: '', down: '' };

  beforeAll(async () => {
    h = await startHarness(driver);
    await h.app.server.listen({ port: 0, host: '127.0.0.1' });
    network = await startDemoNetwork(h.app, h.database, {
      dataDir: h.dataDir,
      basePort: 0,
      logger: createLogger({ logLevel: 'silent' }),
      registryUrl: `http://127.0.0.1:${(h.app.server.server.address() as { port: number }).port}`,
    });
    // a register that answers long after any desk's deadline
    slow = http.createServer((_req, res) => void setTimeout(() => res.end('{}'), 20_000).unref());
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const { registry } = h.app.services;
    const system = await demoSystemUser(h.app, h.database);
    const sub = (await registry.subsystemByCode('000.00.00.G01', 'CSDLQGDC'))!;
    const urls = {
      slow: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`,
      down: `http://127.0.0.1:${await freeLoopbackPort()}`,
    };
    for (const code of ['slow', 'down'] as const) {
      const v = await registry.createService(system, {
        subsystem: sub.id,
        code,
        title: `Stub ${code}`,
        baseUrl: urls[code],
        openapi: STUB_OPENAPI,
      });
      stubServices[code] = v.id;
    }
    police = await buildAgencyUser(h, { agency: '000.00.00.G01', role: 'agency_admin' });
    const population = await buildRegisterEntry(h, { user: police, name_vi: 'Cơ sở dữ liệu quốc gia về dân cư' });
    const stubs = await buildRegisterEntry(h, { user: police, name_vi: 'Cơ sở dữ liệu thử' });
    await seedSharedDictionary(h);
    const { procedures } = h.app.publicServices;
    const source = (element: string, database: string, service: string, path: string, pointer: string) =>
      procedures.setSource(police.principal, police.agencyId, {
        element,
        kind: 'register',
        database,
        service,
        path,
        field: pointer,
      });
    const stubService = (code: string) => network.service.replace(/\/citizens$/, `/${code}`);
    await source('ho_va_ten', population.id, network.service, '/citizens/{person}', '/fullName');
    await source('ngay_sinh', population.id, network.service, '/citizens/{person}', '/dateOfBirth');
    await source('ma_xa', population.id, network.service, '/citizens/{person}', '/permanentResidence/communeCode');
    await source('dan_toc', stubs.id, stubService('slow'), '/people/{person}', '/ethnicity');
    await source('gioi_tinh', stubs.id, stubService('down'), '/people/{person}', '/sex');
    hanoi = await buildAgencyUser(h, { agency: '000.00.00.H01', role: 'agency_admin' });
    await procedures.setDesk(hanoi.principal, hanoi.agencyId, {
      client: network.client,
      gatewayUrl: network.consumerUrl,
      apiKey: network.apiKey,
      timeoutMs: 1500,
    });
    citizen = await citizenSession(h, PERSON, 'Công dân thử');
  }, 120_000);
  afterAll(async () => {
    slow?.closeAllConnections();
    slow?.close();
    await network?.stop();
    await h?.close();
  });

  /** A published procedure of Hà Nội, and grants naming its code as purpose on the services given. */
  const procedureWith = async (fields: ProcedureField[], grants: { service: string; basis?: 'consent' }[] = []) => {
    const p = await buildProcedure(h, { user: hanoi, fields });
    const system = await demoSystemUser(h.app, h.database);
    for (const g of grants)
      await h.app.services.registry.createGrant(system, {
        client: network.clientSubsystemId,
        service: g.service,
        purposes: [p.code],
        legalBasis: 'Nghị định 45/2020/NĐ-CP',
        ...(g.basis ? { basis: g.basis } : {}),
      });
    await network.gateways.consumer.context.holder.refresh();
    await network.gateways.provider.context.holder.refresh();
    return p;
  };
  const prefill = async (code: string, who = citizen) => {
    const r = await h.inject({
      method: 'POST',
      url: `/api/v1/services/procedures/${code}/prefill`,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
    });
    return r;
  };
  const fieldsOf = async (code: string) => {
    const r = await prefill(code);
    expect(r.statusCode, r.body).toBe(201);
    const p = r.json().prefill as { id: string; fields: Shown[] };
    return { id: p.id, by: Object.fromEntries(p.fields.map((f) => [f.key, f])) as Record<string, Shown> };
  };
  const readsFor = async (purpose: string) => {
    await network.gateways.provider.report();
    const rows = await h.app.services.registry.recordsOfSubject(citizen.hashes, 500);
    return rows.filter((r) => r.purpose === purpose);
  };

  it('fills each bound field from its register with its source, in ONE call per path, which the person sees', async () => {
    const p = await procedureWith(
      [
        field('ho_ten', 'ho_va_ten'),
        field('ngay_sinh', 'ngay_sinh', 'date'),
        field('xa', 'ma_xa'),
        field('ly_do', null),
      ],
      [{ service: network.serviceId }],
    );
    const { by } = await fieldsOf(p.code);
    expect(by.ho_ten!.value).toMatch(/^\p{Lu}\p{Ll}* /u);
    expect(by.ngay_sinh!.value).toMatch(/^1990-\d{2}-\d{2}$/);
    expect(by.xa!.value).toMatch(/^\d{5}$/);
    expect(by.ho_ten!.source).toMatchObject({
      agency: { name_vi: expect.stringContaining('Công an') },
      database: { name_vi: 'Cơ sở dữ liệu quốc gia về dân cư' },
    });
    expect(Date.parse(by.ho_ten!.source!.read_at)).not.toBeNaN();
    expect(by.ly_do).toMatchObject({ asked: true, value: null, problem: null });
    // three fields from one path: one read of the person, on their "who read my data", under the procedure's code
    const reads = await readsFor(p.code);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ client: network.client, service: network.service, status: 200 });
  });

  it('gets nothing for a procedure whose code no grant names: its fields are refused, to be typed', async () => {
    const p = await procedureWith([field('ho_ten', 'ho_va_ten'), field('ngay_sinh', 'ngay_sinh', 'date')]);
    const { by } = await fieldsOf(p.code);
    for (const f of [by.ho_ten!, by.ngay_sinh!]) {
      expect(f.value).toBeNull();
      expect(f.problem).toMatchObject({ code: 'refused', message_vi: expect.stringContaining('tự nhập') });
    }
    // the refused attempt is on the person's record too, never a read
    expect((await readsFor(p.code)).map((r) => r.status)).toEqual([403]);
  });

  it('leaves a slow register’s and a stopped register’s fields to be typed while the others fill', async () => {
    const p = await procedureWith(
      [field('ho_ten', 'ho_va_ten'), field('dan_toc', 'dan_toc'), field('gioi_tinh', 'gioi_tinh')],
      [{ service: network.serviceId }, { service: stubServices.slow }, { service: stubServices.down }],
    );
    const { by } = await fieldsOf(p.code);
    expect(by.ho_ten!.value).toBeTruthy();
    expect(by.dan_toc!.problem).toMatchObject({
      code: 'timeout',
      message_vi: expect.stringContaining('chưa trả lời kịp'),
    });
    expect(by.gioi_tinh!.problem).toMatchObject({ code: 'unavailable' });
    expect(by.gioi_tinh!.problem!.message_vi).toContain('Cơ sở dữ liệu thử');
  });

  it('says every field is unavailable, not an error, when the deciding agency has no desk', async () => {
    const other = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
    const p = await buildProcedure(h, {
      user: other,
      fields: [field('ho_ten', 'ho_va_ten'), field('x', 'so_dinh_danh_ca_nhan')],
    });
    const { by } = await fieldsOf(p.code);
    expect(by.ho_ten!.problem).toMatchObject({
      code: 'unavailable',
      message_en: expect.stringMatching(/not connected/),
    });
    expect(by.x!.problem).toMatchObject({ code: 'no_source' });
  });

  it('attaches the person’s consent where the grant rests on it, and asks for it where they gave none', async () => {
    const p = await procedureWith([field('ho_ten', 'ho_va_ten')], [{ service: network.serviceId, basis: 'consent' }]);
    // the provider gateway refuses consent-based calls until it has heard the withdrawals once
    let shown: Shown | undefined;
    for (let i = 0; i < 10 && shown?.problem?.code !== 'refused'; i++) {
      shown = (await fieldsOf(p.code)).by.ho_ten;
      if (shown?.problem?.code !== 'refused') await new Promise((r) => setTimeout(r, 300));
    }
    expect(shown!.problem).toMatchObject({
      code: 'refused',
      message_en: expect.stringContaining('needs your consent'),
    });
    const editor = await buildAgencyUser(h, { agency: '000.00.00.H01', role: 'agency_editor' });
    const asked = await h.app.services.consents.request(editor.principal, {
      subject: `VN${PERSON}`,
      recipient: network.clientSubsystemId,
      services: [{ service: network.serviceId }],
      purpose: p.code,
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      retentionDays: 30,
    });
    await h.app.services.consents.decide(citizen.hashes, asked.id, 'approve');
    const { by } = await fieldsOf(p.code);
    expect(by.ho_ten!.value).toBeTruthy();
    expect((await readsFor(p.code)).filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('keeps a prefill for its person only, for two hours, and bounds how often one person may ask', async () => {
    const p = await procedureWith([field('ho_ten', 'so_dinh_danh_ca_nhan'), field('ly_do', null)]);
    const { id } = await fieldsOf(p.code);
    const { prefill: service } = h.app.publicServices;
    expect((await service.get(citizen.user, id)).procedure.code).toBe(p.code);
    const stranger = await citizenSession(h, '001090000002', 'Người khác');
    await expect(service.get(stranger.user, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const asStranger = await h.inject({
      method: 'GET',
      url: `/api/v1/services/prefills/${id}`,
      headers: { cookie: stranger.cookie },
    });
    expect(asStranger.statusCode).toBe(404);
    await h.db
      .updateTable('service_prefills')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    await expect(service.get(citizen.user, id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const level1 = await citizenSession(h, '001090000003', 'Mức một', 1);
    expect((await prefill(p.code, level1)).statusCode).toBe(403);
    const busy = await citizenSession(h, '001090000004', 'Hỏi nhiều');
    for (let i = 0; i < 30; i++) expect((await prefill(p.code, busy)).statusCode).toBe(201);
    const r = await prefill(p.code, busy);
    expect(r.statusCode).toBe(429);
    expect(r.json().error.code).toBe('TOO_MANY_ATTEMPTS');
  });
});
