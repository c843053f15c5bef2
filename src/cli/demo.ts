import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { App } from '../app.js';
import type { Database } from '../platform/database.js';
import type { Logger } from '../platform/logger.js';
import type { User } from '../accounts/principal.js';
import { seedDictionary } from '../catalog/dictionary/seed.js';

const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/demo');
const SYSTEM_EMAIL = 'demo-data@ndp.invalid';

const DEMO = [
  {
    file: 'census2019_population_by_district.csv',
    agency: 'bo-tai-chinh',
    licence: 'ISC',
    themes: ['SOCI', 'vn-thong-ke'],
    keywords: ['dân số', 'tổng điều tra', 'quận huyện'],
    title_vi: 'Dân số theo quận, huyện — Tổng điều tra dân số và nhà ở 2019',
    title_en: 'Population by district — 2019 Population and Housing Census',
    description_vi:
      'Dân số của 712 quận, huyện, thị xã, thành phố (đơn vị hành chính trước năm 2025) chia theo giới tính và thành thị, nông thôn, tại thời điểm 01/4/2019 (Tổng cục Thống kê, Biểu 1).',
    description_en:
      'Population of the 712 districts (pre-2025 units) by sex and urban/rural residence on 1 April 2019 (General Statistics Office, table 1).',
    temporal: ['2019-04-01', '2019-04-01'],
    frequency: 'IRREG',
  },
  {
    file: 'tinh_thanh_vietnam_2025_nq202.csv',
    agency: 'bo-noi-vu',
    licence: 'CC0-1.0',
    themes: ['REGI', 'GOVE'],
    keywords: ['đơn vị hành chính', 'sắp xếp tỉnh', 'diện tích'],
    title_vi: '34 tỉnh, thành phố sau sắp xếp năm 2025: diện tích và dân số',
    title_en: 'The 34 provinces after the 2025 merger: area and population',
    description_vi:
      '34 tỉnh, thành phố theo Nghị quyết 202/2025/QH15, với các tỉnh cũ được hợp nhất, diện tích (km²) và dân số.',
    description_en:
      'The 34 provinces under Resolution 202/2025/QH15, with the former provinces merged into each, area (km²) and population.',
    temporal: ['2025-07-01', null],
    frequency: 'IRREG',
  },
  {
    file: 'dan_toc_vietnam_census2019.csv',
    agency: 'bo-dan-toc-va-ton-giao',
    licence: 'CC0-1.0',
    themes: ['SOCI'],
    keywords: ['dân tộc', 'tổng điều tra', 'ngôn ngữ'],
    title_vi: 'Dân số 54 dân tộc Việt Nam năm 2019',
    title_en: 'Population of Viet Nam’s 54 ethnic groups, 2019',
    description_vi:
      'Dân số của 54 dân tộc theo Tổng điều tra dân số và nhà ở 2019, với nhóm ngôn ngữ của từng dân tộc.',
    description_en: 'Population of the 54 ethnic groups in the 2019 census, with each group’s language family.',
    temporal: ['2019-04-01', '2019-04-01'],
    frequency: 'IRREG',
  },
] as const;

/**
 * Publishes the demo data sets once, as a disabled system account (audited
 * like any other); their tables load through the job queue, so `npm start`
 * shows real, queryable data.
 */
export async function publishDemo(app: App, database: Database, logger: Logger): Promise<number> {
  const { catalog, masterData } = app.services;
  const existing = await database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', SYSTEM_EMAIL)
    .executeTakeFirst();
  if (existing) return 0;
  const system = await demoSystemUser(app, database);
  // the shared dictionary fields, so the schema picker of the demo's files is not empty
  await seedDictionary(catalog.dictionary, system);
  for (const d of DEMO) {
    const agency = await masterData.agency(d.agency);
    const view = await catalog.datasets.create(system, {
      agency_id: agency.id,
      title_vi: d.title_vi,
      title_en: d.title_en,
      description_vi: d.description_vi,
      description_en: d.description_en,
      keywords: [...d.keywords],
      themes: [...d.themes],
      licence_id: d.licence,
      update_frequency: d.frequency,
      temporal_start: d.temporal[0],
      temporal_end: d.temporal[1],
    });
    const file = path.join(DEMO_DIR, d.file);
    // The upload queues the table load like any other; the job queue is already running.
    await catalog.datasets.addFile(system, view.dataset.id, {
      stream: fs.createReadStream(file),
      fileName: d.file,
      mimeType: 'text/csv',
      title_vi: d.title_vi,
    });
    await catalog.datasets.setStatus(system, view.dataset.id, 'published');
  }
  logger.info({ datasets: DEMO.length }, 'demo data sets published');
  return DEMO.length;
}

/** The disabled system account that the demo's changes are made (and audited) as; made on first use. */
export async function demoSystemUser(app: App, database: Database): Promise<User> {
  const { accounts } = app.services;
  let row = (await database.db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('email', '=', SYSTEM_EMAIL)
    .executeTakeFirst()) as { id: string; name: string; email: string } | undefined;
  if (!row) {
    row = await accounts.bootstrapUser({
      email: SYSTEM_EMAIL,
      name: 'Dữ liệu mẫu (hệ thống)',
      password: randomBytes(24).toString('base64url'),
      platformAdmin: true,
    });
    await database.db.updateTable('users').set({ disabled: true }).where('id', '=', row.id).execute();
  }
  return {
    kind: 'user',
    userId: row.id,
    name: row.name,
    email: row.email,
    isPlatformAdmin: true,
    roles: new Map(),
    via: 'session',
    tokenId: null,
  };
}
