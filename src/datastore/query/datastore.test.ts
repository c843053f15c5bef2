import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildAgencyUser, buildTable } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';

const CENSUS = fs.readFileSync(
  new URL('../../../test/fixtures/census2019_population_by_district.csv', import.meta.url),
);

for (const driver of testDrivers()) {
  describe(`CKAN DataStore API on ${driver.name}`, () => {
    let h: Harness;
    let resourceId = '';
    let restrictedId = '';
    let token = '';
    const action = (name: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
      h.inject({ method: 'GET', url: `/api/3/action/${name}?${new URLSearchParams(params)}`, headers });

    beforeAll(async () => {
      h = await startHarness(driver);
      const user = await buildAgencyUser(h);
      token = user.token;
      const upload = async (access: 'public' | 'restricted') =>
        (await buildTable(h, { user, access_rights: access, csv: CENSUS })).id;
      resourceId = await upload('public');
      restrictedId = await upload('restricted');
    });
    afterAll(() => h.close());

    it('datastore_search returns typed fields, records, total and _links (no-break spaces in the file read as spaces)', async () => {
      const r = (await action('datastore_search', { resource_id: resourceId, limit: '2' })).json();
      expect(r.success).toBe(true);
      expect(r.result.total).toBe(712);
      expect(r.result.records).toHaveLength(2);
      expect(r.result.fields.slice(0, 3)).toEqual([
        { id: '_id', type: 'int' },
        { id: 'district_code', type: 'text', info: { label: 'district_code' } },
        { id: 'province_vi', type: 'text', info: { label: 'province_vi' } },
      ]);
      expect(r.result.records[0]).toMatchObject({
        _id: 1,
        district_code: '883',
        province_vi: 'An Giang',
        district_vi: 'Long Xuyên',
        total: 272365,
      });
      expect(r.result._links.next).toContain('offset=2');
    });

    it('filters, searches, sorts, picks fields and returns lists', async () => {
      const hanoi = (
        await action('datastore_search', {
          resource_id: resourceId,
          filters: JSON.stringify({ province_vi: 'Hà Nội' }),
          fields: 'district_vi,total',
          sort: 'total desc',
          limit: '3',
        })
      ).json().result;
      // The expected answer is read from the file itself, the way a user would check it.
      const lines = CENSUS.toString('utf8')
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((l) => l.split(','));
      const inHanoi = lines.filter((c) => c[1] === 'Hà Nội').sort((a, b) => Number(b[6]) - Number(a[6]));
      expect(hanoi.total).toBe(inHanoi.length);
      expect(hanoi.records.map((x: { district_vi: string }) => x.district_vi)).toEqual(
        inHanoi.slice(0, 3).map((c) => c[4]),
      );
      expect(Object.keys(hanoi.records[0])).toEqual(['_id', 'district_vi', 'total']);
      const q = (await action('datastore_search', { resource_id: resourceId, q: 'Long Xuyên' })).json().result;
      expect(q.total).toBe(1);
      const lists = (
        await action('datastore_search', {
          resource_id: resourceId,
          filters: JSON.stringify({ district_code: ['001', '002'] }),
          records_format: 'lists',
        })
      ).json().result;
      expect(lists.records.map((r: unknown[]) => r[2])).toEqual(['Hà Nội', 'Hà Nội']);
    });

    it('returns distinct values and CSV/TSV records', async () => {
      const provinces = new Set(
        CENSUS.toString('utf8')
          .replace(/\u00a0/g, ' ')
          .trim()
          .split(/\r?\n/)
          .slice(1)
          .map((l) => l.split(',')[1]),
      );
      const d = (
        await action('datastore_search', {
          resource_id: resourceId,
          fields: 'province_vi',
          distinct: 'true',
          sort: 'province_vi',
          limit: '1000',
        })
      ).json().result;
      expect(d.total).toBe(provinces.size);
      expect(d.records.map((r: { province_vi: string }) => r.province_vi).sort()).toEqual([...provinces].sort());
      expect(d.fields.map((f: { id: string }) => f.id)).toEqual(['province_vi']);
      const csv = (
        await action('datastore_search', {
          resource_id: resourceId,
          fields: 'district_vi,total',
          records_format: 'csv',
          limit: '2',
        })
      ).json().result;
      expect(csv.records).toBe('1,Long Xuyên,272365\r\n2,Châu Đốc,101765\r\n');
      const tsv = (
        await action('datastore_search', {
          resource_id: resourceId,
          fields: 'district_vi',
          records_format: 'tsv',
          limit: '1',
        })
      ).json().result;
      expect(tsv.records).toBe('1\tLong Xuyên\r\n');
    });

    it('refuses unknown columns, values of the wrong type and bad sorts with CKAN validation errors', async () => {
      const unknown = await action('datastore_search', { resource_id: resourceId, fields: 'password' });
      expect(unknown.statusCode).toBe(409);
      expect(unknown.json().error.__type).toBe('Validation Error');
      const wrongType = await action('datastore_search', {
        resource_id: resourceId,
        filters: JSON.stringify({ total: '1; drop table x' }),
      });
      expect(wrongType.statusCode).toBe(409);
      const injection = await action('datastore_search', {
        resource_id: resourceId,
        sort: 'total; drop table datasets',
      });
      expect(injection.statusCode).toBe(409);
      const badJson = await action('datastore_search', { resource_id: resourceId, filters: '{not json' });
      expect(badJson.statusCode).toBe(409);
      const missing = await action('datastore_search', { resource_id: '00000000-0000-0000-0000-000000000000' });
      expect(missing.statusCode).toBe(404);
    });

    it('dumps the whole table as CSV and JSON (/datastore/dump)', async () => {
      const csv = await h.inject({ method: 'GET', url: `/datastore/dump/${resourceId}` });
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const lines = csv.body.trim().split('\r\n');
      expect(lines).toHaveLength(713);
      expect(lines[0]!.startsWith('_id,district_code,province_vi')).toBe(true);
      expect(lines[1]).toContain(',883,An Giang,');
      const json = (await h.inject({ method: 'GET', url: `/datastore/dump/${resourceId}?format=json` })).json();
      expect(json).toHaveLength(712);
      expect(json[0]).toMatchObject({ _id: 1, district_code: '883', total: 272365 });
      expect((await h.inject({ method: 'GET', url: `/datastore/dump/${restrictedId}` })).statusCode).toBe(401);
      expect((await h.inject({ method: 'GET', url: `/datastore/dump/${resourceId}?format=xml` })).statusCode).toBe(400);
    });

    it('datastore_info describes the table; restricted tables are for the agency only', async () => {
      const info = (await action('datastore_info', { id: resourceId })).json().result;
      expect(info.meta).toMatchObject({ count: 712, version: 1 });
      expect(info.fields.find((f: { id: string }) => f.id === 'total')).toMatchObject({
        type: 'int8',
        schema: { native_type: 'integer' },
      });
      expect((await action('datastore_search', { resource_id: restrictedId })).statusCode).toBe(403);
      expect(
        (await action('datastore_search', { resource_id: restrictedId }, { authorization: token })).json().result.total,
      ).toBe(712);
    });
  });
}
