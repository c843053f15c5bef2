import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { createLogger } from '../platform/logger.js';
import { startDemoNetwork, type DemoNetwork } from './demo-network.js';
import { startDemoRegisters, type DemoRegisters } from './demo-registers.js';
import { DEMO_CODES, DEMO_WARD } from './demo-procedures.js';
import { demoChild, startDemoServices, type DemoServices } from './demo-services.js';
import { citizenSession } from '../../test/citizens.js';
import { DEMO_CITIZEN } from './demo-citizens.js';

describe.each(testDrivers())('the demo registers of npm start ($name)', (driver) => {
  let h: Harness;
  let network: DemoNetwork;
  let registers: DemoRegisters;
  let services: DemoServices;
  const start = async () => {
    const o = {
      dataDir: h.dataDir,
      basePort: 0,
      logger: createLogger({ logLevel: 'silent' }),
      registryUrl: `http://127.0.0.1:${(h.app.server.server.address() as { port: number }).port}`,
    };
    network = await startDemoNetwork(h.app, h.database, o);
    registers = await startDemoRegisters(h.app, h.database, network, o);
    services = await startDemoServices(h.app, h.database, network, registers);
  };
  beforeAll(async () => {
    h = await startHarness(driver);
    await h.app.server.listen({ port: 0, host: '127.0.0.1' });
    await start();
  }, 90_000);
  afterAll(async () => {
    await registers?.stop();
    await network?.stop();
    await h?.close();
  });

  const call = (service: string, path: string, purpose: string, person = DEMO_CITIZEN) =>
    fetch(`${network.consumerUrl}/r1/${service}${path}`, {
      headers: {
        'X-Road-Client': network.client,
        'X-Ndp-Api-Key': network.apiKey,
        'X-Ndp-Purpose': purpose,
        'X-Road-UserId': `VN${person}`,
      },
    });

  it('generates civil status and businesses that agree with the population register', () => {
    const { people, civil, businesses } = registers;
    const me = people.get(DEMO_CITIZEN)!;
    expect(civil.marital.get(DEMO_CITIZEN)).toMatchObject({ status: '1', statusName: 'Chưa kết hôn', spouse: null });
    const birth = civil.births.get(DEMO_CITIZEN)!;
    expect(birth).toMatchObject({ fullName: me.fullName, dateOfBirth: me.dateOfBirth });
    expect(birth.father.fullName.split(' ')[0]).toBe(me.fullName.split(' ')[0]);
    expect(birth.registeredOn > me.dateOfBirth).toBe(true);
    // every married person's spouse is married to them, of the other sex
    let married = 0;
    for (const [id, m] of civil.marital) {
      if (m.status !== '2') continue;
      married++;
      const spouse = civil.marital.get(m.spouse!.id)!;
      expect(spouse.spouse!.id).toBe(id);
      expect(people.get(m.spouse!.id)!.sex).not.toBe(people.get(id)!.sex);
    }
    expect(married).toBeGreaterThan(1000);
    // parents who are in the population register are a married couple of the right sexes and ages
    let known = 0;
    for (const b of civil.births.values()) {
      if (!b.father.id) continue;
      known++;
      const father = people.get(b.father.id)!;
      const mother = people.get(b.mother.id!)!;
      expect([father.sex, mother.sex]).toEqual(['nam', 'nữ']);
      expect(civil.marital.get(father.id)!.spouse!.id).toBe(mother.id);
      expect(Number(b.dateOfBirth.slice(0, 4)) - Number(father.dateOfBirth.slice(0, 4))).toBeGreaterThanOrEqual(20);
    }
    expect(known).toBeGreaterThan(100);
    expect(businesses.get(DEMO_CITIZEN)).toHaveLength(1);
    expect(businesses.size).toBeGreaterThan(100);
  });

  it('answers each procedure’s purpose through the registers’ own gateways, and nothing a grant does not name', async () => {
    const birth = await call(registers.services.civilStatus, `/people/${DEMO_CITIZEN}/birth`, DEMO_CODES.maritalStatus);
    expect(birth.status).toBe(200);
    expect(await birth.json()).toMatchObject({
      personId: DEMO_CITIZEN,
      registrationNumber: expect.stringMatching(/^\d+\/\d{4}$/),
    });
    const marital = await call(
      registers.services.civilStatus,
      `/people/${DEMO_CITIZEN}/marital-status`,
      DEMO_CODES.marriage,
    );
    expect((await marital.json()).statusName).toBe('Chưa kết hôn');
    const business = await call(
      registers.services.business,
      `/owners/${DEMO_CITIZEN}/household-businesses`,
      DEMO_CODES.householdBusinessChange,
    );
    expect((await business.json()).businesses[0]).toMatchObject({
      name: expect.stringMatching(/^Hộ kinh doanh /),
      address: registers.people.get(DEMO_CITIZEN)!.permanentResidence.address,
    });
    const person = await call(registers.services.population, `/citizens/${DEMO_CITIZEN}`, DEMO_CODES.marriage);
    expect((await person.json()).permanentResidence.address).toMatch(
      /^Số \d+, tổ dân phố \d+, Phường .+, Thành phố Hà Nội$/,
    );
    // the marital status certificate's purpose opens no household business
    const refused = await call(
      registers.services.business,
      `/owners/${DEMO_CITIZEN}/household-businesses`,
      DEMO_CODES.maritalStatus,
    );
    expect(refused.headers.get('x-road-error')).toBe('Server.ServerProxy.AccessDenied');
  });

  it('declares each register: its service’s fields, its register of databases entry; a second start adds nothing', async () => {
    const { registry, catalog } = h.app.services;
    const services = await registry.listServices();
    const civil = services.find((s) => s.code === 'civil-status')!;
    expect(civil.fields).toContain('tinh_trang_hon_nhan');
    expect(services.find((s) => s.code === 'citizens')!.fields).toContain('dia_chi_thuong_tru');
    expect((await catalog.databases.get(registers.databases.civilStatus)).name_vi).toBe(
      'Cơ sở dữ liệu hộ tịch điện tử',
    );
    const count = async () => ({
      subsystems: (await registry.listSubsystems()).length,
      services: (await registry.listServices()).length,
      databases: (await catalog.databases.list({ limit: 500, offset: 0 })).total,
      grants: (await h.db.selectFrom('exchange_grants').select('id').execute()).length,
      offers: (await h.db.selectFrom('service_offers').select('id').execute()).length,
    });
    // (the desk is set again: on port 0 the consumer gateway's address moves with each start)
    const audited = async () =>
      (
        await h.db
          .selectFrom('audit_log')
          .select('action')
          .where('action', 'like', 'services.%')
          .where('action', '!=', 'services.desk.set')
          .execute()
      ).length;
    const before = { ...(await count()), audited: await audited() };
    const databases = registers.databases;
    await registers.stop();
    await network.stop();
    await start();
    expect({ ...(await count()), audited: await audited() }).toEqual(before);
    expect(registers.databases).toEqual(databases);
    const again = await call(
      registers.services.civilStatus,
      `/people/${DEMO_CITIZEN}/marital-status`,
      DEMO_CODES.maritalStatus,
    );
    expect(again.status).toBe(200);
  });

  it('publishes the ward’s procedures, each bound field with a register or a result that holds it, and its desk', async () => {
    const { procedures } = h.app.publicServices;
    const ward = (await h.app.services.masterData.agency(DEMO_WARD)).id;
    expect(services.wardId).toBe(ward);
    const codes = (await procedures.published()).filter((p) => p.agency_id === ward).map((p) => p.code);
    expect(codes.sort()).toEqual(Object.values(DEMO_CODES).sort());
    const bound = [
      ...new Set(
        Object.values(services.procedures).flatMap((p) => p.fields.map((f) => f.element).filter((e) => e !== null)),
      ),
    ];
    // the child's facts come with the birth the civil status register announces (the offer's evidence), not a register call
    const fromEvent = ['ho_ten_con', 'so_dang_ky_khai_sinh_cua_con'];
    expect(bound).toEqual(expect.arrayContaining(fromEvent));
    const sources = await procedures.sourcesFor(bound);
    expect(sources.map((s) => s.element_id).sort()).toEqual(bound.filter((e) => !fromEvent.includes(e)).sort());
    expect(sources.find((s) => s.element_id === 'so_giay_xac_nhan_tinh_trang_hon_nhan')).toMatchObject({
      kind: 'result',
      procedure_id: services.procedures.maritalStatus.id,
      result_field: 'so_giay',
    });
    expect(sources.find((s) => s.element_id === 'ten_ho_kinh_doanh')).toMatchObject({
      kind: 'register',
      service: registers.services.business,
      database_id: registers.databases.business,
    });
    expect(await procedures.deskCredentials(ward)).toMatchObject({
      client: network.client,
      gatewayUrl: network.consumerUrl,
      apiKey: network.apiKey,
    });
  });

  it('offers the demo citizen the birth extract for the birth the civil status register announced', async () => {
    const me = await citizenSession(h, DEMO_CITIZEN, registers.people.get(DEMO_CITIZEN)!.fullName);
    const offers = await h.app.publicServices.offers.mine(me.user);
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ procedure: { code: DEMO_CODES.birthExtract } });
    expect(offers[0]!.event.data).toMatchObject({
      ho_ten_con: demoChild(registers),
      so_dang_ky_khai_sinh_cua_con: expect.stringMatching(/^1\/\d{4}$/),
    });
  });
});
