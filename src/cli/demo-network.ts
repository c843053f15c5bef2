import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { freeLoopbackPort } from '../platform/ports.js';
import path from 'node:path';
import type { App } from '../app.js';
import type { Database } from '../platform/database.js';
import type { Logger } from '../platform/logger.js';
import type { Gateway } from '../exchange/gateway/gateway.js';
import { seedDictionary } from '../catalog/dictionary/seed.js';
import { demoSystemUser } from './demo.js';
import {
  CITIZENS_FIELDS,
  CITIZENS_OPENAPI,
  DEMO_CITIZEN,
  demoPopulation,
  startCitizensService,
} from './demo-citizens.js';
import { demoService, demoSubsystem, registerDemoGateway, startDemoGateway } from './demo-exchange.js';

/**
 * The demo exchange network `npm start` brings up beside the platform: the Ministry of Public
 * Security's National Population Database (a provider with a `citizens` service over generated
 * people) and Hà Nội's public service system (a consumer), each behind its own gateway on loopback
 * ports, registered in this platform's registry with a grant between them — so a newcomer can make
 * a real call through two gateways at once. Registered once; later starts reuse the registrations.
 */
export interface DemoNetwork {
  consumerUrl: string;
  apiKey: string;
  client: string;
  service: string;
  citizen: string;
  curl: string;
  /** the registry's ids of the demo's client subsystem and service (to ask a person's consent for them) */
  clientSubsystemId: string;
  serviceId: string;
  gateways: { provider: Gateway; consumer: Gateway };
  stop(): Promise<void>;
}

/** The demo grant's purpose that rests on the person's consent. */
export const CONSENT_PURPOSE = 'apply-scholarship';

export const PROVIDER = {
  agency: '000.00.00.G01',
  subsystem: 'CSDLQGDC',
  name: 'Cơ sở dữ liệu quốc gia về dân cư',
  service: 'citizens',
};
export const CONSUMER = {
  agency: '000.00.00.H01',
  subsystem: 'DVC',
  name: 'Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội',
};

export async function startDemoNetwork(
  app: App,
  database: Database,
  o: { dataDir: string; basePort: number; logger: Logger; registryUrl: string },
): Promise<DemoNetwork> {
  const { registry } = app.services;
  const system = await demoSystemUser(app, database);
  // the dictionary fields the demo's services declare they return
  await seedDictionary(app.services.catalog.dictionary, system);
  const dir = path.join(o.dataDir, 'exchange-demo');
  await mkdir(dir, { recursive: true });
  // ports other gateways must know in advance come from the registry, so they are picked before; the others may be any
  const fixed = (offset: number) => (o.basePort ? o.basePort + offset : 0);
  const ports = {
    citizens: fixed(90),
    consumerIn: fixed(80),
    providerIn: fixed(81),
    consumerPeer: o.basePort ? o.basePort + 443 : await freeLoopbackPort(),
    providerPeer: o.basePort ? o.basePort + 444 : await freeLoopbackPort(),
  };

  const citizens = await startCitizensService(await demoPopulation(database.db), ports.citizens);

  const providerSub = await demoSubsystem(registry, system, PROVIDER);
  const consumerSub = await demoSubsystem(registry, system, CONSUMER);
  const service = await demoService(registry, system, providerSub, {
    code: PROVIDER.service,
    title: 'Tra cứu thông tin công dân',
    baseUrl: citizens.url,
    openapi: CITIZENS_OPENAPI,
    fields: CITIZENS_FIELDS,
  });
  const providerGw = await registerDemoGateway(app, system, dir, {
    agency: PROVIDER.agency,
    name: 'provider',
    peerPort: ports.providerPeer,
  });
  const consumerGw = await registerDemoGateway(app, system, dir, {
    agency: CONSUMER.agency,
    name: 'consumer',
    peerPort: ports.consumerPeer,
  });

  const grants = await registry.listGrants(system, providerSub.agency_id);
  if (
    !grants.some(
      (g) => g.status === 'approved' && g.client_subsystem_id === consumerSub.id && g.service_id === service.id,
    )
  ) {
    await registry.createGrant(system, {
      client: consumerSub.id,
      service: service.id,
      endpoints: [
        { method: 'GET', path: '/citizens/*' },
        { method: 'GET', path: '/citizens/*/household' },
      ],
      purposes: ['verify-residence', 'social-benefits'],
      legalBasis: 'Luật Cư trú 2020; Nghị định 59/2022/NĐ-CP về định danh và xác thực điện tử',
      ratePerSecond: 200,
      dailyQuota: 100_000,
    });
  }
  // a second grant, for a purpose only the person's consent allows: each call must carry their consent artefact
  if (
    !grants.some((g) => g.status === 'approved' && g.client_subsystem_id === consumerSub.id && g.basis === 'consent')
  ) {
    await registry.createGrant(system, {
      client: consumerSub.id,
      service: service.id,
      endpoints: [{ method: 'GET', path: '/citizens/*' }],
      purposes: [CONSENT_PURPOSE],
      legalBasis: 'Luật Bảo vệ dữ liệu cá nhân 2025, Điều 9 (sự đồng ý của chủ thể dữ liệu)',
      basis: 'consent',
      ratePerSecond: 200,
    });
  }

  const keyFile = path.join(dir, 'demo-network.json');
  const kept = JSON.parse(await readFile(keyFile, 'utf8').catch(() => '{}')) as { apiKey?: string };
  const apiKey =
    kept.apiKey && (await registry.isLiveClientKey(system, consumerSub.id, kept.apiKey))
      ? kept.apiKey
      : (await registry.createClientKey(system, consumerSub.id, { label: 'demo' })).key;

  // the demo's gateways reach the registry where this process listens, whatever the public base URL is
  const anchor = { ...(await registry.anchor()), registryUrl: o.registryUrl };
  const provider = await startDemoGateway(providerGw, {
    anchor,
    consumerPort: ports.providerIn,
    peerPort: ports.providerPeer,
    logger: o.logger,
  });
  const consumer = await startDemoGateway(consumerGw, {
    anchor,
    consumerPort: ports.consumerIn,
    peerPort: ports.consumerPeer,
    logger: o.logger,
  });
  // the consumer's configuration must already list the grant and the provider's gateway
  await consumer.context.holder.refresh();
  await provider.context.holder.refresh();

  const instance = anchor.instance;
  const client = `${instance}/GOV/${CONSUMER.agency}/${CONSUMER.subsystem}`;
  const serviceId = `${instance}/GOV/${PROVIDER.agency}/${PROVIDER.subsystem}/${PROVIDER.service}`;
  const consumerUrl = `http://127.0.0.1:${consumer.consumerPort}`;
  await writeFile(
    keyFile,
    JSON.stringify({ apiKey, consumerUrl, client, service: serviceId, citizen: DEMO_CITIZEN }, null, 2),
    { mode: 0o600 },
  );
  const curl = `curl -H 'X-Road-Client: ${client}' -H 'X-Ndp-Api-Key: ${apiKey}' -H 'X-Ndp-Purpose: verify-residence' -H 'X-Road-UserId: VN${DEMO_CITIZEN}' ${consumerUrl}/r1/${serviceId}/citizens/${DEMO_CITIZEN}`;
  return {
    consumerUrl,
    apiKey,
    client,
    service: serviceId,
    citizen: DEMO_CITIZEN,
    curl,
    clientSubsystemId: consumerSub.id,
    serviceId: service.id,
    gateways: { provider, consumer },
    async stop() {
      await consumer.stop();
      await provider.stop();
      await citizens.close();
    },
  };
}
