import type { App } from '../app.js';
import type { User } from '../accounts/principal.js';
import type { Database } from '../platform/database.js';
import type { ProcedureRow, SourceRow } from '../services/procedures/procedure.js';
import type { SourceBody } from '../services/procedures/procedures.schema.js';
import { demoSystemUser } from './demo.js';
import { DEMO_CITIZEN } from './demo-citizens.js';
import type { DemoNetwork } from './demo-network.js';
import { BUSINESS, CIVIL_STATUS, type DemoRegisters } from './demo-registers.js';
import { DEMO_CODES, DEMO_PROCEDURES, DEMO_SOURCES, DEMO_WARD } from './demo-procedures.js';

/**
 * The once-only services of the demo (issue 21): which register holds each element the procedures' forms need, the
 * desk of Phường Hoàn Kiếm (Hà Nội's public-service system, through the demo's consumer gateway: the city's system
 * serves its communes), and the ward's published procedures. Found again on later starts; only what changed (the
 * desk's gateway address or key) is written again.
 */
const BIRTH = 'birth.registered';
/** The demo citizen's newborn daughter (his family name), whose birth the civil status register announces. */
export const demoChild = (registers: DemoRegisters) =>
  `${registers.people.get(DEMO_CITIZEN)!.fullName.split(' ')[0]} Ngọc Anh`;

export interface DemoServices {
  wardId: string;
  procedures: Record<keyof typeof DEMO_CODES, ProcedureRow>;
}

export async function startDemoServices(
  app: App,
  database: Database,
  network: DemoNetwork,
  registers: DemoRegisters,
): Promise<DemoServices> {
  const { procedures } = app.publicServices;
  const { masterData } = app.services;
  const system = await demoSystemUser(app, database);
  const wardId = (await masterData.agency(DEMO_WARD)).id;

  const published: Partial<Record<keyof typeof DEMO_CODES, ProcedureRow>> = {};
  for (const [name, code] of Object.entries(DEMO_CODES) as [keyof typeof DEMO_CODES, string][]) {
    const wanted = DEMO_PROCEDURES.find((p) => p.code === code)!;
    let row = await procedures.get(system, code).catch(() => undefined);
    if (!row) row = await procedures.create(system, wardId, wanted);
    // a form of an earlier demo (e.g. the birth extract before it named the child) is brought up to date
    else if (!sameForm(row, wanted)) row = await procedures.update(system, code, wanted);
    if (row.status !== 'published') row = await procedures.setStatus(system, row.id, 'published');
    published[name] = row;
  }
  const all = published as DemoServices['procedures'];

  const holders = {
    population: {
      agency: '000.00.00.G01',
      database: registers.databases.population,
      service: registers.services.population,
    },
    birth: {
      agency: CIVIL_STATUS.agency,
      database: registers.databases.civilStatus,
      service: registers.services.civilStatus,
    },
    marital: {
      agency: CIVIL_STATUS.agency,
      database: registers.databases.civilStatus,
      service: registers.services.civilStatus,
    },
    business: { agency: BUSINESS.agency, database: registers.databases.business, service: registers.services.business },
  };
  const wanted: { agency: string; body: SourceBody }[] = [];
  for (const [group, { path, fields }] of Object.entries(DEMO_SOURCES) as [
    keyof typeof DEMO_SOURCES,
    (typeof DEMO_SOURCES)[keyof typeof DEMO_SOURCES],
  ][]) {
    const h = holders[group];
    for (const [element, pointer] of Object.entries(fields))
      wanted.push({
        agency: h.agency,
        body: { element, kind: 'register', database: h.database, service: h.service, path, field: pointer },
      });
  }
  // the certificate's number is the first procedure's result: the marriage registration reuses it
  wanted.push({
    agency: DEMO_WARD,
    body: {
      element: 'so_giay_xac_nhan_tinh_trang_hon_nhan',
      kind: 'result',
      procedure: all.maritalStatus.id,
      field: 'so_giay',
    },
  });
  await setSources(app, system, wanted);

  const desk = await procedures.deskCredentials(wardId);
  if (desk?.client !== network.client || desk.gatewayUrl !== network.consumerUrl || desk.apiKey !== network.apiKey)
    await procedures.setDesk(system, wardId, {
      client: network.client,
      gatewayUrl: network.consumerUrl,
      apiKey: network.apiKey,
      timeoutMs: 3000,
    });
  await offerBirthExtract(app, system, all.birthExtract, demoChild(registers));
  return { wardId, procedures: all };
}

/** The civil status register's announced births become offers of the birth extract; one birth of the demo citizen's child is announced. */
async function offerBirthExtract(app: App, system: User, procedure: ProcedureRow, child: string): Promise<void> {
  const { offers } = app.publicServices;
  const from = (await app.services.masterData.agency(CIVIL_STATUS.agency)).id;
  const rules = await offers.rules(system);
  if (!rules.some((r) => r.procedure_id === procedure.id && r.event_kind === BIRTH && r.from_agency_id === from))
    await offers.createRule(system, {
      procedure: procedure.code,
      event_kind: BIRTH,
      from_agency: CIVIL_STATUS.agency,
      message_vi:
        'Con của bạn ({ho_ten_con}) đã được đăng ký khai sinh ngày {date}: nhận bản sao trích lục khai sinh mà không phải khai lại.',
      message_en:
        'Your child ({ho_ten_con}) was registered at birth on {date}: receive copies of the birth extract without filling in anything.',
      offer_days: 365,
    });
  // a fixed id: a later start announces the same birth, which the platform recognises and does not offer again
  const born = new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10);
  await offers.announce(system, {
    id: `KS-${DEMO_CITIZEN}-1`,
    kind: BIRTH,
    person: DEMO_CITIZEN,
    occurredAt: born,
    // keyed by dictionary element: the child's name and birth registration number fill the extract's form
    data: { ho_ten_con: child, so_dang_ky_khai_sinh_cua_con: `1/${born.slice(0, 4)}` },
    agency: CIVIL_STATUS.agency,
  });
}

async function setSources(app: App, system: User, wanted: { agency: string; body: SourceBody }[]): Promise<void> {
  const { procedures } = app.publicServices;
  const have = new Map((await procedures.sourcesFor(wanted.map((w) => w.body.element))).map((s) => [s.element_id, s]));
  for (const w of wanted) {
    if (same(have.get(w.body.element), w.body)) continue;
    const agencyId = (await app.services.masterData.agency(w.agency)).id;
    await procedures.setSource(system, agencyId, w.body);
  }
}

const sameForm = (row: ProcedureRow, body: (typeof DEMO_PROCEDURES)[number]): boolean =>
  JSON.stringify(row.fields.map((f) => [f.key, f.element, f.required])) ===
  JSON.stringify(body.fields.map((f) => [f.key, f.element, f.required ?? true]));

const same = (row: SourceRow | undefined, b: SourceBody): boolean =>
  !!row &&
  (b.kind === 'register'
    ? row.kind === 'register' &&
      row.database_id === b.database &&
      row.service === b.service &&
      row.path_template === b.path &&
      row.response_field === b.field
    : row.kind === 'result' && row.procedure_id === b.procedure && row.result_field === b.field);
