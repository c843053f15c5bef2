import { Readable } from 'node:stream';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { buildSession, buildTable, loadDistribution, type Session } from '../../test/factories.js';
import { multipart, startHarness, type Harness } from '../../test/harness.js';
import { loadTable } from '../datastore/load/loader.js';

const CENSUS = fs.readFileSync(new URL('../../test/fixtures/census2019_population_by_district.csv', import.meta.url));
const LINES = CENSUS.toString('utf8')
  .replace(/\u00a0/g, ' ')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(','));

describe('table pages', () => {
  let h: Harness;
  let slug = '';
  let id = '';
  let editor: Session;

  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    editor = await buildSession(h, { email: 'editor@mof.gov.vn' });
    const table = await buildTable(h, {
      user: editor,
      title_vi: 'Dân số theo huyện 2019',
      fileName: 'dan_so.csv',
      csv: CENSUS,
    });
    slug = table.dataset.slug;
    id = table.id;
  });
  afterAll(() => h.close());

  const html = async (url: string, headers: Record<string, string> = {}) => {
    const r = await h.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });
    return { status: r.statusCode, body: r.body, location: r.headers.location as string | undefined };
  };

  it('links the table from the data set page and shows its first 50 rows with sortable headers', async () => {
    const dataset = await html(`/dataset/${slug}`);
    expect(dataset.body).toContain(`/dataset/${slug}/table/${id}`);
    const page = await html(`/dataset/${slug}/table/${id}`);
    expect(page.status).toBe(200);
    expect(page.body.match(/<tr><td/g)).toHaveLength(50);
    expect(page.body).toContain(`href="/dataset/${slug}/table/${id}?order=total.asc"`);
    expect(page.body).toContain('rel="next"');
    const sorted = await html(`/dataset/${slug}/table/${id}?order=total.desc`);
    expect(sorted.body).toContain('aria-sort="descending"');
    const max = Math.max(...LINES.map((l) => Number(l[6])));
    expect(sorted.body).toContain(`<td class="num">${max.toLocaleString('vi-VN')}</td>`);
  });

  it('folds the filter form into the view syntax, and offers the view for download', async () => {
    const form = await html(
      `/dataset/${slug}/table/${id}?order=total.desc&f_column=province_vi&f_op=eq&f_value=${encodeURIComponent('Hà Nội')}`,
    );
    expect(form.status).toBe(303);
    // "equals" on a text column ignores case and diacritics, as the catalog search does: the view's ilike
    expect(form.location).toBe(`/dataset/${slug}/table/${id}?order=total.desc&province_vi=ilike.H%C3%A0+N%E1%BB%99i`);
    const page = await html(form.location!);
    expect(page.body.match(/<tr><td/g)).toHaveLength(LINES.filter((l) => l[1] === 'Hà Nội').length);
    const download = /href="(\/api\/v1\/tables\/[^"]+format=csv[^"]*)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    const csv = await h.inject({ method: 'GET', url: download });
    expect(csv.body.trim().split('\r\n')).toHaveLength(1 + LINES.filter((l) => l[1] === 'Hà Nội').length);
  });

  it('draws a chart from grouped figures, with the figures as a table for those without the chart', async () => {
    const page = await html(`/dataset/${slug}/table/${id}?chart=bar&x=province_vi&y=sum:total`);
    expect(page.body).toContain('<canvas id="chart"');
    expect(page.body).toContain('/assets/vendor/chartjs/chart.umd.min.js');
    const data = JSON.parse(/<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(page.body)![1]!);
    const hanoi = LINES.filter((l) => l[1] === 'Hà Nội').reduce((s, l) => s + Number(l[6]), 0);
    expect(data.values[data.labels.indexOf('Hà Nội')]).toBe(hanoi);
    expect((await h.inject({ method: 'GET', url: '/assets/vendor/chartjs/chart.umd.min.js' })).statusCode).toBe(200);
    expect((await h.inject({ method: 'GET', url: '/assets/vendor/chartjs/chart.js' })).statusCode).toBe(404);
  });

  it('draws a choropleth of the 34 provinces from province codes, commune codes or names, with a legend, the credit and the figures as a table', async () => {
    const t = await h.tokenFor('bo-tai-chinh', 'agency_editor', 'tiles@mof.gov.vn');
    const p = await h.app.services.accounts.fromToken(t.token);
    const d = await h.app.services.catalog.datasets.create(p, {
      agency_id: t.agencyId,
      title_vi: 'Dân số theo tỉnh',
      description_vi: 'x',
      licence_id: 'CC-BY-4.0',
      access_rights: 'public',
    });
    const csv =
      'ma_tinh,ten,dan_so\n01,Hà Nội,8435650\n79,Hồ Chí Minh,14002598\n48,Đà Nẵng,3065628\n96,Cà Mau,2606672\n';
    const m = multipart({}, { name: 'tinh.csv', content: csv });
    const tid = (
      await h.inject({
        method: 'POST',
        url: `/api/v1/datasets/${d.dataset.id}/distributions`,
        headers: { authorization: `Bearer ${t.token}`, ...m.headers },
        payload: m.payload,
      })
    ).json().distribution.id;
    await h.app.services.catalog.datasets.setStatus(p, d.dataset.id, 'published');
    await loadTable(h.database, tid, () => Readable.from([Buffer.from(csv)]));
    const page = await html(`/dataset/${d.dataset.slug}/table/${tid}?chart=tiles&x=ma_tinh&y=sum:dan_so`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<svg viewBox');
    expect(page.body.match(/<path d="M/g)).toHaveLength(34);
    expect(page.body).toMatch(/data-code="79"><title>Hồ Chí Minh: 14\.002\.598<\/title>/);
    expect(page.body).toMatch(/data-code="04"><title>Cao Bằng: —<\/title>/);
    expect(page.body).toContain('class="map-legend"');
    expect(page.body).toContain('8.435.650 – 14.002.598');
    expect(page.body).toContain('geoBoundaries (Runfola và cộng sự), Open Development Mekong, CC BY-SA 4.0');
    expect(page.body).toMatch(/<td>Hồ Chí Minh<\/td><td class="num">14\.002\.598<\/td>/);
    expect(page.body).not.toContain('style=');
    expect(page.body).not.toContain('chart.umd.min.js'); // drawn on the server: no script
    const en = await html(`/dataset/${d.dataset.slug}/table/${tid}?chart=tiles&x=ma_tinh&y=sum:dan_so&lang=en`);
    expect(en.body).toMatch(/data-code="79"><title>Hồ Chí Minh: 14,002,598<\/title>/);
    expect(en.body).toContain('Boundaries: geoBoundaries (Runfola et al.)');
    // province names work as well as codes
    const names = await html(`/dataset/${d.dataset.slug}/table/${tid}?chart=tiles&x=ten&y=sum:dan_so`);
    expect(names.body).toMatch(/data-code="48"><title>Đà Nẵng: 3\.065\.628<\/title>/);
    // commune codes are added up into their provinces (Ba Đình and Ngọc Hà are wards of Hà Nội)
    const wards = 'ma_xa,ten,ho\n00004,Ba Đình,100\n00008,Ngọc Hà,50\n';
    const wm = multipart({}, { name: 'xa.csv', content: wards });
    const wid = (
      await h.inject({
        method: 'POST',
        url: `/api/v1/datasets/${d.dataset.id}/distributions`,
        headers: { authorization: `Bearer ${t.token}`, ...wm.headers },
        payload: wm.payload,
      })
    ).json().distribution.id;
    await loadTable(h.database, wid, () => Readable.from([Buffer.from(wards)]));
    const rolled = await html(`/dataset/${d.dataset.slug}/table/${wid}?chart=tiles&x=ma_xa&y=sum:ho`);
    expect(rolled.body).toMatch(/data-code="01"><title>Hà Nội: 150<\/title>/);
    expect(rolled.body).toContain('cộng theo tỉnh');
    // a grouping column without province codes or names: why, and the columns that work; the chart type is kept
    const none = await html(`/dataset/${d.dataset.slug}/table/${tid}?chart=tiles&x=dan_so&y=count`);
    expect(none.body).not.toContain('<svg viewBox');
    expect(none.body).toContain('<option value="tiles" selected>');
    expect(none.body).toContain('Không vẽ được bản đồ tỉnh từ cột “dan_so”');
    expect(none.body).toMatch(/chart=tiles&amp;x=ma_tinh&amp;y=count">ma_tinh<\/a> \(mã tỉnh\)/);
    expect(none.body).toMatch(/x=ten&amp;y=count">ten<\/a> \(tên tỉnh, thành phố\)/);
    const noneEn = await html(`/dataset/${d.dataset.slug}/table/${tid}?chart=tiles&x=dan_so&y=count&lang=en`);
    expect(noneEn.body).toContain('The province map cannot be drawn from the column “dan_so”');
    expect(noneEn.body).toContain('(province names)');
  });

  it('shows the publisher the load report, and re-types a column from the form', async () => {
    expect((await html(`/dashboard/distributions/${id}/table`)).status).toBe(303); // signed out: sign in first
    const report = await html(`/dashboard/distributions/${id}/table`, { cookie: editor.cookie });
    expect(report.status).toBe(200);
    expect(report.body).toContain('name="type_district_code"');
    const res = await h.inject({
      method: 'POST',
      url: `/dashboard/distributions/${id}/types`,
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: editor.csrf, type_district_code: 'text' }).toString(),
    });
    expect(res.statusCode).toBe(303);
    const row = await h.app.services.catalog.datasets.findDistribution(id);
    const fields = (row!.table_schema as { fields: { name: string; type: string }[] }).fields;
    expect(fields.find((f) => f.name === 'district_code')!.type).toBe('string');
    expect(fields.find((f) => f.name === 'total')!.type).toBe('integer');
    const forged = await h.inject({
      method: 'POST',
      url: `/dashboard/distributions/${id}/types`,
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'type_total=text',
    });
    expect(forged.statusCode).toBe(403);
  });

  it('shows a reload that rejected rows as pending, with buttons to publish or discard it, and rolls back', async () => {
    const schema = {
      fields: [
        { name: 'ma_tinh', type: 'string' },
        { name: 'ten_tinh', type: 'string' },
        { name: 'dan_so', type: 'integer' },
      ],
    };
    const csv = 'ma_tinh,ten_tinh,dan_so\n01,Hà Nội,8435650\n79,Hồ Chí Minh,14002598\n48,Đà Nẵng,3065628\n';
    const table = await buildTable(h, { user: editor, csv, schema });
    await loadDistribution(h, table, { content: csv.replace('14002598', 'không rõ'), schema });
    const url = `/dashboard/distributions/${table.id}/table`;
    const form = (action: string) => `action="/dashboard/distributions/${table.id}/versions/2/${action}"`;

    const vi = (await html(`${url}?lang=vi`, { cookie: editor.cookie })).body;
    expect(vi).toContain('Phiên bản 2 chờ bạn quyết định');
    expect(vi).toContain('Chờ duyệt');
    expect(vi).toContain(form('publish'));
    expect(vi).toContain('Vẫn công bố phiên bản này');
    expect(vi).toContain(form('discard'));
    expect(vi).toContain('Huỷ phiên bản này');
    expect(vi).toContain('không rõ'); // the rejected value, with its reason
    const en = (await html(`${url}?lang=en`, { cookie: editor.cookie })).body;
    expect(en).toContain('Version 2 waits for your decision');
    expect(en).toContain('Pending');
    expect(en).toContain('Publish it anyway');
    expect(en).toContain('Discard this version');

    const post = (path: string, session: Session, csrf = session.csrf) =>
      h.inject({
        method: 'POST',
        url: `/dashboard/distributions/${table.id}/versions/${path}`,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf }).toString(),
      });
    const stranger = await buildSession(h, { agency: 'bo-y-te' });
    expect((await post('2/publish', stranger)).statusCode).toBe(403);
    expect((await post('2/publish', editor, 'forged')).statusCode).toBe(403);
    const published = await post('2/publish', editor);
    expect(published.statusCode).toBe(303);
    expect(published.headers.location).toBe(`${url}?published=2`);
    const after = (await html(`${url}?published=2&lang=en`, { cookie: editor.cookie })).body;
    expect(after).toContain('Version 2 is now the current version.');
    expect(after).not.toContain(form('publish'));
    // version 1 can be made current again
    expect(after).toContain(`action="/dashboard/distributions/${table.id}/versions/1/current"`);
    expect(after).toContain('Roll back to this version');
    expect((await post('1/current', editor)).headers.location).toBe(`${url}?current=1`);
    const served = (await h.inject({ method: 'GET', url: `/api/v1/tables/${table.id}` })).json();
    expect(served).toMatchObject({ version: 1, rows: 3 });
  });

  it('says how an ambiguous number column was read, and reloads with the other reading in one click', async () => {
    const table = await buildTable(h, {
      user: editor,
      fileName: 'dan_so_mo_ho.csv',
      csv: 'ma_tinh,ten,dan_so\n01,Hà Nội,7.512\n79,Hồ Chí Minh,22.262\n48,Đà Nẵng,81.004\n',
    });
    const report = await html(`/dashboard/distributions/${table.id}/table`, { cookie: editor.cookie });
    expect(report.body).toContain('7.512, 22.262, 81.004');
    expect(report.body).toContain('không có gì trong tệp phân biệt được');
    expect(report.body).toContain('name="style" value="international"');
    expect(report.body).toContain('name="format_dan_so"');
    const post = (payload: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: `/dashboard/distributions/${table.id}/number-format`,
        headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: editor.csrf, ...payload }).toString(),
      });
    expect((await post({ column: 'ten', style: 'international' })).statusCode).toBe(400);
    const res = await post({ column: 'dan_so', style: 'international' });
    expect(res.statusCode).toBe(303);
    const row = await h.app.services.catalog.datasets.findDistribution(table.id);
    const schema = row!.table_schema as Parameters<typeof loadTable>[3];
    expect(schema!.fields).toEqual([{ name: 'dan_so', type: 'number', decimalChar: '.', groupChar: ',' }]);
    // the reload the switch asks for (the job queue is not running here): the other reading, in figures
    const again = await loadTable(
      h.database,
      table.id,
      () =>
        Readable.from([Buffer.from('ma_tinh,ten,dan_so\n01,Hà Nội,7.512\n79,Hồ Chí Minh,22.262\n48,Đà Nẵng,81.004\n')]),
      schema,
    );
    const rows = await h.inject({ method: 'GET', url: `/api/v1/tables/${again.tableId}/rows`, headers: editor.auth });
    expect(rows.json().rows.map((r: { dan_so: number }) => r.dan_so)).toEqual([7.512, 22.262, 81.004]);
    expect(again.numberReadings).toEqual([]);
    // and back, from the types form, where the number format is part of the column's type
    const typed = await h.inject({
      method: 'POST',
      url: `/dashboard/distributions/${table.id}/types`,
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: editor.csrf,
        type_dan_so: 'integer',
        format_dan_so: 'vietnamese',
      }).toString(),
    });
    expect(typed.statusCode).toBe(303);
    const fields = (
      (await h.app.services.catalog.datasets.findDistribution(table.id))!.table_schema as {
        fields: { name: string }[];
      }
    ).fields;
    expect(fields.find((f) => f.name === 'dan_so')).toEqual({
      name: 'dan_so',
      type: 'integer',
      decimalChar: ',',
      groupChar: '.',
    });
  });
});
