import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.js';
import type { User } from '../accounts/principal.js';
import type { Database } from '../platform/database.js';
import type { Logger } from '../platform/logger.js';
import { freeLoopbackPort } from '../platform/ports.js';
import type { Gateway } from '../exchange/gateway/gateway.js';
import { demoSystemUser } from './demo.js';
import { demoPopulation, type Person } from './demo-citizens.js';
import type { DemoService } from './demo-http.js';
import { CONSUMER, type DemoNetwork, PROVIDER } from './demo-network.js';
import {
  CIVIL_STATUS_FIELDS,
  CIVIL_STATUS_OPENAPI,
  type CivilStatus,
  generateCivilStatus,
  startCivilStatusService,
} from './demo-civil-status.js';
import {
  BUSINESS_FIELDS,
  BUSINESS_OPENAPI,
  generateHouseholdBusinesses,
  type HouseholdBusiness,
  startBusinessService,
} from './demo-business.js';
import {
  type DemoMember,
  demoGrant,
  demoService,
  demoSubsystem,
  registerDemoGateway,
  startDemoGateway,
} from './demo-exchange.js';
import { DEMO_REGISTERS, type DemoRegisterEntry } from './demo-register-entries.js';
import { DEMO_CODES } from './demo-procedures.js';

/**
 * Two more registers of the demo network, each behind its own provider gateway: the Ministry of Justice's electronic
 * civil status database and the Ministry of Finance's national business registration database (household
 * businesses), generated from the population register's people. Each is registered in the registry (subsystem,
 * service with its OpenAPI and the dictionary fields it returns, gateway) and in the register of databases, with
 * grants to Hà Nội's public-service system for the demo procedures' purposes — the population register's too. Found
 * again on every later start.
 */
export const CIVIL_STATUS: DemoMember & { service: string } = {
  agency: '000.00.00.G15',
  subsystem: 'CSDLHTDT',
  name: 'Cơ sở dữ liệu hộ tịch điện tử',
  service: 'civil-status',
};
export const BUSINESS: DemoMember & { service: string } = {
  agency: '000.00.00.G12',
  subsystem: 'CSDLQGDKDN',
  name: 'Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp',
  service: 'household-businesses',
};

export interface DemoRegisters {
  people: Map<string, Person>;
  civil: CivilStatus;
  businesses: Map<string, HouseholdBusiness[]>;
  /** X-Road service ids (`instance/GOV/member/subsystem/service`) */
  services: { population: string; civilStatus: string; business: string };
  /** register of databases entries' ids */
  databases: { population: string; civilStatus: string; business: string };
  /** the register services themselves: stop one to see a register that does not answer */
  civilStatusService: DemoService;
  businessService: DemoService;
  gateways: { civilStatus: Gateway; business: Gateway };
  stop(): Promise<void>;
}

export async function startDemoRegisters(
  app: App,
  database: Database,
  network: DemoNetwork,
  o: { dataDir: string; basePort: number; logger: Logger; registryUrl: string },
): Promise<DemoRegisters> {
  const { registry } = app.services;
  const system = await demoSystemUser(app, database);
  const dir = path.join(o.dataDir, 'exchange-demo');
  await mkdir(dir, { recursive: true });
  const fixed = (offset: number) => (o.basePort ? o.basePort + offset : 0);
  const peer = async (offset: number) => (o.basePort ? o.basePort + offset : await freeLoopbackPort());
  const ports = {
    civilStatus: fixed(91),
    business: fixed(92),
    civilStatusIn: fixed(82),
    businessIn: fixed(83),
    civilStatusPeer: await peer(445),
    businessPeer: await peer(446),
  };

  const people = await demoPopulation(database.db);
  const civil = generateCivilStatus(people);
  const businesses = generateHouseholdBusinesses(people);
  const civilStatusService = await startCivilStatusService(civil, ports.civilStatus);
  const businessService = await startBusinessService(businesses, people, ports.business);

  const consumerSub = await demoSubsystem(registry, system, CONSUMER);
  const civilSub = await demoSubsystem(registry, system, CIVIL_STATUS);
  const businessSub = await demoSubsystem(registry, system, BUSINESS);
  const civilService = await demoService(registry, system, civilSub, {
    code: CIVIL_STATUS.service,
    title: 'Tra cứu khai sinh và tình trạng hôn nhân',
    baseUrl: civilStatusService.url,
    openapi: CIVIL_STATUS_OPENAPI,
    fields: CIVIL_STATUS_FIELDS,
  });
  const businessRegService = await demoService(registry, system, businessSub, {
    code: BUSINESS.service,
    title: 'Tra cứu hộ kinh doanh theo chủ hộ',
    baseUrl: businessService.url,
    openapi: BUSINESS_OPENAPI,
    fields: BUSINESS_FIELDS,
  });

  // each procedure reads only the registers its grants name it for (the purpose is the procedure's code)
  const { maritalStatus, marriage, householdBusinessChange, birthExtract } = DEMO_CODES;
  const grant = async (
    service: { id: string; agency_id: string },
    purposes: string[],
    endpoints: string[],
    legalBasis: string,
  ) =>
    demoGrant(
      registry,
      system,
      service.agency_id,
      (g) =>
        g.client_subsystem_id === consumerSub.id &&
        g.service_id === service.id &&
        purposes.every((p) => g.purposes.includes(p)),
      {
        client: consumerSub.id,
        service: service.id,
        endpoints: endpoints.map((p) => ({ method: 'GET', path: p })),
        purposes,
        legalBasis,
        basis: 'public_task',
        ratePerSecond: 200,
        dailyQuota: 100_000,
      },
    );
  await grant(
    { id: network.serviceId, agency_id: (await app.services.masterData.agency(PROVIDER.agency)).id },
    [maritalStatus, marriage, householdBusinessChange, birthExtract],
    ['/citizens/*'],
    'Luật Cư trú 2020, Điều 37 (khai thác thông tin trong Cơ sở dữ liệu quốc gia về dân cư); Nghị định 45/2020/NĐ-CP, Điều 9 (không yêu cầu cung cấp lại thông tin đã có trong cơ sở dữ liệu)',
  );
  await grant(
    civilService,
    [maritalStatus, marriage],
    ['/people/*/birth', '/people/*/marital-status'],
    'Luật Hộ tịch 2014, Điều 61 (khai thác Cơ sở dữ liệu hộ tịch điện tử); Nghị định 87/2020/NĐ-CP về Cơ sở dữ liệu hộ tịch điện tử',
  );
  await grant(
    businessRegService,
    [householdBusinessChange],
    ['/owners/*/household-businesses'],
    'Nghị định 168/2025/NĐ-CP về đăng ký doanh nghiệp, Chương VIII (hộ kinh doanh); Nghị định 47/2024/NĐ-CP (khai thác Hệ thống thông tin quốc gia về đăng ký doanh nghiệp)',
  );

  const civilGw = await registerDemoGateway(app, system, dir, {
    agency: CIVIL_STATUS.agency,
    name: 'civil-status',
    peerPort: ports.civilStatusPeer,
  });
  const businessGw = await registerDemoGateway(app, system, dir, {
    agency: BUSINESS.agency,
    name: 'business',
    peerPort: ports.businessPeer,
  });
  const anchor = { ...(await registry.anchor()), registryUrl: o.registryUrl };
  const civilStatusGateway = await startDemoGateway(civilGw, {
    anchor,
    consumerPort: ports.civilStatusIn,
    peerPort: ports.civilStatusPeer,
    logger: o.logger,
  });
  const businessGateway = await startDemoGateway(businessGw, {
    anchor,
    consumerPort: ports.businessIn,
    peerPort: ports.businessPeer,
    logger: o.logger,
  });
  // the consumer learns the new grants and gateways now, not at its next pull
  await Promise.all(
    [civilStatusGateway, businessGateway, network.gateways.consumer, network.gateways.provider].map((g) =>
      g.context.holder.refresh(),
    ),
  );

  const entry = (e: DemoRegisterEntry) => registerEntry(app, system, e);
  const instance = anchor.instance;
  const serviceId = (m: DemoMember, service: string) => `${instance}/GOV/${m.agency}/${m.subsystem}/${service}`;
  return {
    people,
    civil,
    businesses,
    services: {
      population: network.service,
      civilStatus: serviceId(CIVIL_STATUS, CIVIL_STATUS.service),
      business: serviceId(BUSINESS, BUSINESS.service),
    },
    databases: {
      population: await entry(DEMO_REGISTERS.population),
      civilStatus: await entry(DEMO_REGISTERS.civilStatus),
      business: await entry(DEMO_REGISTERS.business),
    },
    civilStatusService,
    businessService,
    gateways: { civilStatus: civilStatusGateway, business: businessGateway },
    async stop() {
      await businessGateway.stop();
      await civilStatusGateway.stop();
      await businessService.close();
      await civilStatusService.close();
    },
  };
}

/** The register of databases entry of this name at its agency, made on first start. */
async function registerEntry(app: App, system: User, e: DemoRegisterEntry): Promise<string> {
  const { catalog, masterData } = app.services;
  const agency = await masterData.agency(e.agency);
  const { rows } = await catalog.databases.list({ agency: agency.id, limit: 500, offset: 0 });
  const found = rows.find((r) => r.name_vi === e.body.name_vi);
  if (found) return found.id;
  return (await catalog.databases.create(system, { ...e.body, agency_id: agency.id })).id;
}
