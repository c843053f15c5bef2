import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildAgencyUser, buildDataset, buildTable } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { createLogger } from '../../platform/logger.js';
import { publishDemo } from '../../cli/demo.js';
import { qualityCard, type CardInput } from './card.js';

const NOW = new Date('2026-11-24T00:00:00Z');
const base: CardInput = {
  runs: [],
  tables: [],
  distributions: [],
  timeliness: { frequency: 'IRREG', periodDays: null, due: null, now: NOW },
  mqa: { indicators: [] },
};

describe('a dimension nothing measures', () => {
  it('is reported as not measured and does not raise the overall score', () => {
    const one = qualityCard({ ...base, distributions: [{ file: 'a.csv', kind: 'file', reachable: true }] });
    const availability = one.dimensions.find((d) => d.id === 'availability')!;
    expect(availability.score).toBe(100);
    const accuracy = one.dimensions.find((d) => d.id === 'accuracy')!;
    expect(accuracy).toMatchObject({ score: null, basis: { en: 'Not measured.' } });
    // one dimension of nine measured, at 100: the eight not measured earn nothing
    expect(one.overall).toBe(11.1);
    expect(one.grade).toBe('E');
    expect(one.measured).toBe(1);
    // measuring a further dimension, even poorly, never lowers the score below what leaving it unmeasured gives
    const two = qualityCard({
      ...base,
      distributions: [{ file: 'a.csv', kind: 'file', reachable: true }],
      tables: [{ file: 'a.csv', rows: 10, cells: 100, missingCells: 50, rejected: 0 }],
    });
    expect(two.overall!).toBeGreaterThan(one.overall!);
  });
});

// mediocre data: a third of the amounts out of bounds, a tenth of the cells empty
const MEDIOCRE = [
  'ma,ten,so',
  ...Array.from({ length: 30 }, (_, i) => `M${i},Xã ${i},${i % 10 === 0 ? '' : i * 10}`),
].join('\n');

for (const driver of testDrivers()) {
  describe(`the agency ranking and the demo's grades on ${driver.name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(driver);
    });
    afterAll(() => h.close());

    it('does not rank an agency with nothing measured above one that measures mediocre data', async () => {
      // nothing measured: a published data set with good metadata and a link never probed
      const idle = await buildDataset(h, {
        agency: 'bo-y-te',
        status: 'published',
        keywords: ['y tế', 'bệnh viện'],
        themes: ['HEAL'],
        spatial: ['01'],
        temporal_start: '2025-01-01',
        temporal_end: '2025-12-31',
        contact_name: 'Phòng Thống kê',
        contact_email: 'thongke@moh.gov.vn',
        update_frequency: 'IRREG',
      });
      await h.app.services.cards.snapshot(idle.id, 'request');
      const user = await buildAgencyUser(h, { agency: 'bo-noi-vu' });
      const table = await buildTable(h, { user, csv: MEDIOCRE, update_frequency: 'ANNUAL' });
      const run = await h.app.services.quality.run(user.principal, table.id, {
        checks: [
          { type: 'bounds', column: 'so', min: 0, max: 100 },
          { type: 'duplicates', columns: ['ma'] },
        ],
      });
      expect(run.failed).toBe(1);
      const r = (await h.inject({ method: 'GET', url: '/api/v1/quality/agencies' })).json();
      const rank = (slug: string) =>
        r.agencies.find((a: { agency: { slug: string } }) => a.agency.slug === slug)?.rank ?? Infinity;
      expect(rank('bo-noi-vu')).toBeLessThan(rank('bo-y-te'));
    });

    it('does not grade every demo data set A: the census table, with no suite, is not', async () => {
      await h.app.jobs.start();
      expect(await publishDemo(h.app, h.database, createLogger({ logLevel: 'silent' }))).toBe(3);
      const demo = await h.db
        .selectFrom('datasets')
        .innerJoin('distributions', 'distributions.dataset_id', 'datasets.id')
        .select(['datasets.id', 'datasets.slug', 'distributions.id as file'])
        .where('distributions.file_name', 'like', '%census2019%')
        .execute();
      const all = await h.db
        .selectFrom('distributions')
        .select(['id', 'dataset_id'])
        .where('file_name', 'in', [
          'census2019_population_by_district.csv',
          'tinh_thanh_vietnam_2025_nq202.csv',
          'dan_toc_vietnam_census2019.csv',
        ])
        .execute();
      expect(all).toHaveLength(3);
      for (const x of all) {
        for (let i = 0; i < 300 && !(await h.app.services.datastore.latestReady(x.id as string)); i++)
          await new Promise((res) => setTimeout(res, 200));
        expect(await h.app.services.datastore.latestReady(x.id as string)).toBeTruthy();
      }
      const cards = await Promise.all(all.map((x) => h.app.services.cards.snapshot(x.dataset_id as string, 'request')));
      expect(cards.map((c) => c!.grade)).not.toEqual(['A', 'A', 'A']);
      const census = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${demo[0]!.slug}/quality` })).json();
      // complete and loaded without a rejected row, but nothing checks its accuracy, uniqueness or unusual values
      expect(census.dimensions.find((d: { id: string }) => d.id === 'accuracy').score).toBeNull();
      expect(census.measured).toBeLessThan(9);
      expect(census.grade).not.toBe('A');
    });
  });
}
