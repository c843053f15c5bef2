import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildSession, buildTable, type Session } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { MAX_CHECKS } from './quality.schema.js';
import { suggestSuite } from './suggest.js';

// a wide statistical table: 90 numeric columns (each suggests a missing guard and bounds), a few cells empty
const COLUMNS = Array.from({ length: 90 }, (_, i) => `chi_tieu_${i + 1}`);
const FILE = [
  COLUMNS.join(','),
  ...Array.from({ length: 40 }, (_, r) =>
    COLUMNS.map((_, c) => ((r + c) % 17 === 0 ? '' : String(r * 3 + c))).join(','),
  ),
].join('\n');

const fromHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

for (const driver of testDrivers()) {
  describe(`the suite suggested for a wide table is accepted by the product on ${driver.name}`, () => {
    let h: Harness;
    let id = '';
    let editor: Session;
    beforeAll(async () => {
      h = await startHarness(driver);
      editor = await buildSession(h, { agency: 'bo-noi-vu' });
      id = (await buildTable(h, { user: editor, status: 'draft', csv: FILE })).id;
    });
    afterAll(() => h.close());

    it('saves the suggestion for a 90-column table through the API and runs it', async () => {
      const suggestion = (
        await h.inject({ method: 'GET', url: `/api/v1/distributions/${id}/quality/suggestion`, headers: editor.auth })
      ).json().suite;
      expect(suggestion.checks.length).toBeGreaterThan(100);
      const put = await h.inject({
        method: 'PUT',
        url: `/api/v1/distributions/${id}/quality/suite`,
        headers: editor.auth,
        payload: suggestion,
      });
      expect(put.statusCode).toBe(200);
      const run = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${id}/quality/runs`,
        headers: editor.auth,
        payload: {},
      });
      expect(run.statusCode).toBe(201);
      expect(run.json().results).toHaveLength(suggestion.checks.length);
      expect(run.json().summary).toMatchObject({ failed: 0, errors: 0 });
      // the failing rows of the last check are reachable too
      const last = suggestion.checks.length - 1;
      const rows = await h.inject({
        method: 'GET',
        url: `/api/v1/quality/runs/${run.json().id}/checks/${last}/rows`,
        headers: editor.auth,
      });
      expect(rows.statusCode).toBe(200);
    });

    it('saves the suggestion prefilled in the portal form as it stands', async () => {
      await h.db.deleteFrom('quality_suites').where('distribution_id', '=', id).execute();
      const page = await h.inject({
        method: 'GET',
        url: `/dashboard/distributions/${id}/quality`,
        headers: { cookie: editor.cookie },
      });
      const text = fromHtml(/<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(page.body)![1]!);
      expect(text).toContain('chi_tieu_90');
      const saved = await h.inject({
        method: 'POST',
        url: `/dashboard/distributions/${id}/quality/suite`,
        headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: editor.csrf, suite: text }).toString(),
      });
      expect(saved.statusCode).toBe(303);
      const kept = await h.app.services.quality.suite(editor.principal, id);
      expect(kept!.checks.length).toBeGreaterThan(100);
      const ran = await h.inject({
        method: 'POST',
        url: `/dashboard/distributions/${id}/quality/run`,
        headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: editor.csrf }).toString(),
      });
      expect(ran.statusCode).toBe(303);
      const run = (await h.app.services.quality.runs(editor.principal, id))[0]!;
      expect(run.results as unknown[]).toHaveLength(kept!.checks.length);
    });
  });
}

describe('the suggestion for any table stays within the suite cap', () => {
  it('keeps 600 numeric columns within the cap, bounds kept before missing-cell guards', () => {
    const ids = Array.from({ length: 600 }, (_, i) => `c${i}`);
    const table = { columns: ids.map((id) => ({ id, title: id, type: 'integer' })) } as never;
    const profile = {
      rows: 10,
      columns: ids.map((id) => ({ id, nulls: 1, distinct: 9, min: 0, max: 9, values: [] })),
    };
    const { checks } = suggestSuite(table, profile);
    expect(checks.length).toBeLessThanOrEqual(MAX_CHECKS);
    expect(checks.filter((c) => c.type === 'bounds')).toHaveLength(600);
  });
});
