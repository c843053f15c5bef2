import { type AgencyUser, buildAgencyUser, buildDataset, buildDistribution, publishDataset } from './factories.js';
import type { Harness } from './harness.js';

export interface FixtureDataset {
  agency: string;
  title_vi: string;
  description_vi: string;
  keywords?: string[];
  themes?: string[];
  spatial?: string[];
  licence_id?: string;
  format?: string;
  publish?: boolean;
}

/** Publishes a small, realistic catalog through the services (as officers of each agency would). */
export async function loadCatalog(h: Harness, items: FixtureDataset[]): Promise<string[]> {
  const editors = new Map<string, AgencyUser>();
  const slugs: string[] = [];
  for (const { agency, format, publish, ...fields } of items) {
    if (!editors.has(agency)) editors.set(agency, await buildAgencyUser(h, { agency }));
    const dataset = await buildDataset(h, { user: editors.get(agency), ...fields });
    const url = `https://data.example.gov.vn/${dataset.slug}.${(format ?? 'csv').toLowerCase()}`;
    await buildDistribution(h, { dataset, title_vi: 'Tệp dữ liệu', url });
    if (publish !== false) await publishDataset(h, dataset);
    slugs.push(dataset.slug);
  }
  return slugs;
}

export const SAMPLE: FixtureDataset[] = [
  {
    agency: 'thanh-pho-ha-noi',
    title_vi: 'Dân số Hà Nội theo phường, xã năm 2025',
    description_vi: 'Số dân thường trú của Thành phố Hà Nội chia theo 126 phường, xã.',
    keywords: ['dân số', 'hành chính'],
    themes: ['SOCI'],
    spatial: ['01'],
  },
  {
    agency: 'thanh-pho-ha-noi',
    title_vi: 'Danh sách trường học Hà Nội',
    description_vi: 'Trường mầm non, tiểu học, trung học trên địa bàn.',
    keywords: ['giáo dục'],
    themes: ['EDUC'],
    spatial: ['01'],
    format: 'json',
  },
  {
    agency: 'bo-tai-chinh',
    title_vi: 'Thu ngân sách nhà nước theo tỉnh',
    description_vi: 'Số thu nội địa của 34 tỉnh, thành phố, trong đó có Hà Nội.',
    keywords: ['ngân sách'],
    themes: ['ECON', 'vn-tai-chinh'],
    licence_id: 'CC0-1.0',
    format: 'xlsx',
  },
  {
    agency: 'bo-y-te',
    title_vi: 'Cơ sở khám chữa bệnh tỉnh Đồng Nai',
    description_vi: 'Bệnh viện và trạm y tế xã, phường của Đồng Nai.',
    keywords: ['y tế'],
    themes: ['HEAL'],
    spatial: ['75'],
  },
  {
    agency: 'bo-y-te',
    title_vi: 'Tiêm chủng mở rộng năm 2024',
    description_vi: 'Tỷ lệ tiêm chủng đầy đủ cho trẻ dưới 1 tuổi theo tỉnh.',
    keywords: ['y tế', 'tiêm chủng'],
    themes: ['HEAL'],
    licence_id: 'ODbL-1.0',
  },
  {
    agency: 'bo-y-te',
    title_vi: 'Bản nháp chưa công bố về Hà Nội',
    description_vi: 'Không được xuất hiện trong tìm kiếm công khai.',
    publish: false,
  },
];
