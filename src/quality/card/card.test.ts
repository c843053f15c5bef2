import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildTable, publishDataset } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { qualityCard, type CardInput } from './card.js';
import type { CheckResult } from '../checks/quality.schema.js';

const result = (type: string, status: CheckResult['status'], failures = 0, rows = 100): CheckResult => ({
  check: { type } as CheckResult['check'],
  status,
  rows_checked: rows,
  failures,
  message: { vi: `${type} vi`, en: `${type} ${status}` },
});
const NOW = new Date('2026-11-24T00:00:00Z');

describe('the quality card, scored', () => {
  const base: CardInput = {
    runs: [],
    tables: [],
    distributions: [],
    timeliness: { frequency: 'MONTHLY', periodDays: 30, due: new Date('2026-12-01T00:00:00Z'), now: NOW },
    mqa: { indicators: [] },
  };

  it('scores each dimension from its checks, rows failing lower the score by their share, and the grade follows the mean', () => {
    const card = qualityCard({
      ...base,
      runs: [
        {
          file: 'ho_so.csv',
          results: [
            result('format', 'failed', 25),
            result('in_set', 'passed'),
            result('duplicates', 'passed'),
            result('missing', 'failed', 10),
          ],
        },
      ],
      tables: [{ file: 'ho_so.csv', rows: 100, cells: 1000, missingCells: 100, rejected: 0 }],
      distributions: [{ file: 'ho_so.csv', kind: 'file', reachable: true }],
    });
    const score = Object.fromEntries(card.dimensions.map((d) => [d.id, d.score]));
    expect(score.accuracy).toBe(87.5); // (75 + 100) / 2
    expect(score.uniqueness).toBe(100);
    expect(score.completeness).toBe(90); // the empty cells alone: the missing check only guards them
    expect(score.integrity).toBe(100); // nothing rejected by the load
    expect(score.availability).toBe(100);
    expect(score.timeliness).toBe(100); // due in a week
    expect(score.unusual).toBeNull(); // nothing measures it: said, and not counted
    // over all nine dimensions: the three not measured earn nothing
    expect(card.overall).toBe(Math.round(((87.5 + 100 + 90 + 100 + 100 + 100) / 9) * 10) / 10);
    expect(card.measured).toBe(6);
    expect(card.grade).toBe('C');
    // the largest gain first: the format check (25 points of accuracy, half its weight, over the nine dimensions)
    expect(card.issues[0]).toMatchObject({
      dimension: 'accuracy',
      en: 'ho_so.csv: format failed',
      gain: Math.round((25 / 2 / 9) * 10) / 10,
    });
    expect(card.issues.find((i) => i.dimension === 'unusual')).toMatchObject({
      gain: null,
      en: expect.stringMatching(/not measured/),
    });
  });

  it('counts overdue data against timeliness by how much of a period is late, and says so', () => {
    const card = qualityCard({ ...base, timeliness: { ...base.timeliness, due: new Date('2026-11-09T00:00:00Z') } });
    expect(card.dimensions.find((d) => d.id === 'timeliness')!.score).toBe(50); // 15 days of a 30-day period
    expect(card.issues[0]!.en).toBe('15 days overdue (due 2026-11-09 by its declared frequency): update the data.');
  });

  it('never lets a check that could not be evaluated pass: it is listed and scores nothing', () => {
    const card = qualityCard({ ...base, runs: [{ file: 'a.csv', results: [result('pattern', 'error')] }] });
    expect(card.dimensions.find((d) => d.id === 'accuracy')!.score).toBeNull();
    expect(card.issues.some((i) => i.dimension === 'accuracy' && i.en === 'a.csv: pattern error')).toBe(true);
  });

  it('folds MQA metadata indicators in, with the points each fix would gain', () => {
    const card = qualityCard({
      ...base,
      mqa: {
        indicators: [
          {
            id: 'licence',
            dimension: 'reusability',
            max: 20,
            points: 0,
            assessed: true,
            vi: 'Chọn giấy phép',
            en: 'Add a licence',
          },
          {
            id: 'keywords',
            dimension: 'findability',
            max: 30,
            points: 30,
            assessed: true,
            vi: 'Thêm từ khóa',
            en: 'Add keywords',
          },
          {
            id: 'dcat_ap_compliance',
            dimension: 'interoperability',
            max: 30,
            points: 0,
            assessed: false,
            vi: 'x',
            en: 'x',
          },
        ],
      },
    });
    expect(card.dimensions.find((d) => d.id === 'usability')!.score).toBe(0); // the licence; DCAT-AP not assessed, not counted
    expect(card.dimensions.find((d) => d.id === 'inventory')!.score).toBe(100);
    expect(card.issues.map((i) => i.en)).toContain('Add a licence → +20 metadata points');
  });
});

const FILE = ['ma,ten,so', ...Array.from({ length: 40 }, (_, i) => `M${i},Xã ${i},${i % 10 === 0 ? '' : i}`)].join(
  '\n',
);

for (const driver of testDrivers()) {
  describe(`quality cards, their history and the agency roll-up on ${driver.name}`, () => {
    let h: Harness;
    let slug = '';
    let distributionId = '';
    let auth: Record<string, string>;

    beforeAll(async () => {
      h = await startHarness(driver);
      const table = await buildTable(h, {
        update_frequency: 'ANNUAL',
        fileName: 'xa.csv',
        csv: FILE,
        status: 'draft', // published once loaded
      });
      auth = table.dataset.user.auth;
      slug = table.dataset.slug;
      distributionId = table.id;
      await publishDataset(h, table.dataset);
    });
    afterAll(() => h.close());

    it('shows a card measured from the load alone, then from a run, and keeps a snapshot after each run', async () => {
      const first = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${slug}/quality` })).json();
      expect(first.dimensions).toHaveLength(9);
      const completeness = first.dimensions.find((d: { id: string }) => d.id === 'completeness');
      expect(completeness.score).toBe(Math.round((1 - 4 / 120) * 1000) / 10); // 4 empty cells of 120
      expect(first.dimensions.find((d: { id: string }) => d.id === 'accuracy').score).toBeNull();
      expect(first.history).toEqual([]);

      const suite = {
        checks: [
          { type: 'bounds', column: 'so', min: 0, max: 20 },
          { type: 'duplicates', columns: ['ma'] },
        ],
      };
      expect(
        (
          await h.inject({
            method: 'PUT',
            url: `/api/v1/distributions/${distributionId}/quality/suite`,
            headers: auth,
            payload: suite,
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (
          await h.inject({
            method: 'POST',
            url: `/api/v1/distributions/${distributionId}/quality/runs`,
            headers: auth,
            payload: {},
          })
        ).statusCode,
      ).toBe(201);
      const card = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${slug}/quality` })).json();
      const accuracy = card.dimensions.find((d: { id: string }) => d.id === 'accuracy');
      // 21…39 except 30 (empty) are above 20: 18 of 40 rows fail
      expect(accuracy.score).toBe(Math.round((1 - 18 / 40) * 1000) / 10);
      expect(card.dimensions.find((d: { id: string }) => d.id === 'uniqueness').score).toBe(100);
      expect(card.issues[0]).toMatchObject({
        dimension: 'accuracy',
        en: expect.stringContaining('values outside 0–20'),
      });
      expect(card.issues[0].gain).toBeGreaterThan(0);
      expect(card.history).toHaveLength(1);
      expect(card.history[0]).toMatchObject({ overall: card.overall, grade: card.grade, reason: 'run' });
    });

    it('ranks agencies by the average of their latest cards and lists the worst data sets, publicly', async () => {
      const r = (await h.inject({ method: 'GET', url: '/api/v1/quality/agencies' })).json();
      expect(r.nationwide.datasets).toBeGreaterThanOrEqual(1);
      const mine = r.agencies.find((a: { agency: { slug: string } }) => a.agency.slug === 'bo-tai-chinh');
      expect(mine).toMatchObject({ rank: expect.any(Number), datasets: 1 });
      expect(mine.dimensions.accuracy).toBe(Math.round((1 - 18 / 40) * 1000) / 10);
      expect(r.worst.map((w: { slug: string }) => w.slug)).toContain(slug);
      const one = (await h.inject({ method: 'GET', url: '/api/v1/quality/agencies?agency=bo-tai-chinh' })).json();
      expect(one.agencies).toHaveLength(1);
    });

    it('shows the card and the ranking on the portal, in Vietnamese and English', async () => {
      const card = await h.inject({ method: 'GET', url: `/dataset/${slug}/quality` });
      expect(card.statusCode).toBe(200);
      expect(card.body).toContain('Thẻ chất lượng dữ liệu');
      expect(card.body).toContain('Chính xác');
      expect(card.body).toMatch(/<meter[^>]+value="55"/);
      expect(card.body).toContain('ngoài khoảng 0–20');
      const en = await h.inject({ method: 'GET', url: `/dataset/${slug}/quality?lang=en` });
      expect(en.body).toContain('Ability for inventory');
      const ranking = await h.inject({ method: 'GET', url: '/quality' });
      expect(ranking.statusCode).toBe(200);
      expect(ranking.body).toContain('Bộ Tài chính');
      expect(ranking.body).toContain(`/dataset/${slug}/quality`);
      expect(
        (await h.inject({ method: 'GET', url: `/dataset/${slug}`, headers: { accept: 'text/html' } })).body,
      ).toContain(`/dataset/${slug}/quality`);
    });

    it('hides the card of a data set the reader may not see', async () => {
      const t = await h.tokenFor('bo-noi-vu', 'agency_editor');
      const p = await h.app.services.accounts.fromToken(t.token);
      const draft = await h.app.services.catalog.datasets.create(p, {
        agency_id: t.agencyId,
        title_vi: 'Nháp',
        description_vi: 'x',
      });
      expect(
        (await h.inject({ method: 'GET', url: `/api/v1/datasets/${draft.dataset.slug}/quality` })).statusCode,
      ).toBe(404);
      expect(
        (
          await h.inject({
            method: 'GET',
            url: `/api/v1/datasets/${draft.dataset.slug}/quality`,
            headers: { authorization: `Bearer ${t.token}` },
          })
        ).statusCode,
      ).toBe(200);
    });
  });
}
