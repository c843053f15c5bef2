import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildDataset, buildDistribution } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { loadTable, type TableSchema } from './loader.js';

const open = (text: string) => () => Readable.from([Buffer.from(text)]);

/** Vietnamese thousands with nothing else to tell them from decimals: `7.512` is seven thousand five hundred and twelve. */
const AMBIGUOUS = 'ma_tinh,ten,dan_so\n01,Hà Nội,7.512\n79,Hồ Chí Minh,22.262\n48,Đà Nẵng,81.004\n';

for (const driver of testDrivers()) {
  describe(`the number format of a file, decided from all of it, on ${driver.name}`, () => {
    let h: Harness;
    let distributionId = '';
    beforeAll(async () => {
      h = await startHarness(driver);
      const dataset = await buildDataset(h, { agency: 'bo-noi-vu' });
      distributionId = (await buildDistribution(h, { dataset, url: 'https://example.org/so-lieu.csv' })).id;
    });
    afterAll(() => h.close());

    const rows = async (table: string) =>
      (await sql<Record<string, unknown>>`select * from ${sql.table(`datastore.${table}`)} order by _row`.execute(h.db))
        .rows;
    /** Both loads of the file, which must read the same figures; the column's figures as numbers. */
    const bothPaths = async (text: string, column: string, schema: TableSchema = null) => {
      const direct = await loadTable(h.database, distributionId, open(text), schema);
      const byRows = await loadTable(h.database, distributionId, open(text), schema, undefined, 'csv', {
        direct: false,
      });
      expect(byRows.path).toBe('rows');
      const a = await rows(direct.tableName);
      const b = await rows(byRows.tableName);
      expect(a).toEqual(b);
      expect(direct.columns).toEqual(byRows.columns);
      expect(direct.numberReadings).toEqual(byRows.numberReadings);
      return { direct, byRows, figures: a.map((r) => (r[column] === null ? null : Number(r[column]))) };
    };

    it('reads 7.512 / 22.262 / 81.004 as thousands when nothing in the file decides, and says so in the report', async () => {
      const { direct, figures } = await bothPaths(AMBIGUOUS, 'dan_so');
      expect(direct.path).toBe('direct');
      expect(figures).toEqual([7512, 22262, 81004]);
      expect(direct.columns.find((c) => c.id === 'dan_so')).toMatchObject({
        type: 'integer',
        numberStyle: 'vietnamese',
      });
      expect(direct.numberReadings).toEqual([
        {
          column: 'dan_so',
          title: 'dan_so',
          style: 'vietnamese',
          by: 'default',
          examples: ['7.512', '22.262', '81.004'],
        },
      ]);
      const stored = await h.db
        .selectFrom('datastore_tables')
        .select('report')
        .where('id', '=', direct.tableId)
        .executeTakeFirstOrThrow();
      expect((stored.report as { number_readings: unknown[] }).number_readings).toEqual(direct.numberReadings);
    });

    it('lets another value of the file decide: two dots, or a comma decimal, say Vietnamese format', async () => {
      const twoDots = `${AMBIGUOUS.trim()}\n82,Đồng Tháp,4.370.046\n`;
      const grouped = await bothPaths(twoDots, 'dan_so');
      expect(grouped.figures).toEqual([7512, 22262, 81004, 4370046]);
      // the column's own value decided it: nothing to say
      expect(grouped.direct.numberReadings).toEqual([]);

      const commaDecimal = [
        'ma_tinh,dan_so,dien_tich',
        '01,7.512,"3.359,84"',
        '79,22.262,"6.772,59"',
        '48,81.004,"1.284,9"',
      ].join('\n');
      const comma = await bothPaths(commaDecimal, 'dan_so');
      expect(comma.figures).toEqual([7512, 22262, 81004]);
      expect((await rows(comma.direct.tableName)).map((r) => Number(r.dien_tich))).toEqual([3359.84, 6772.59, 1284.9]);
      expect(comma.direct.numberReadings).toEqual([
        { column: 'dan_so', title: 'dan_so', style: 'vietnamese', by: 'file', examples: ['7.512', '22.262', '81.004'] },
      ]);
    });

    it('keeps 1.5 and 2.25 as decimals, and reads a three-digit fraction beside them as a decimal too', async () => {
      const own = await bothPaths('ma,ty_le\nA,1.5\nB,2.25\nC,7.512\n', 'ty_le');
      expect(own.figures).toEqual([1.5, 2.25, 7.512]);
      expect(own.direct.columns.find((c) => c.id === 'ty_le')).toMatchObject({
        type: 'number',
        numberStyle: 'international',
      });
      expect(own.direct.numberReadings).toEqual([]);

      const elsewhere = await bothPaths('ma,ty_le,gia_tri\nA,1.5,7.512\nB,2.25,22.262\n', 'gia_tri');
      expect(elsewhere.figures).toEqual([7.512, 22.262]);
      expect(elsewhere.direct.numberReadings).toEqual([
        { column: 'gia_tri', title: 'gia_tri', style: 'international', by: 'file', examples: ['7.512', '22.262'] },
      ]);
    });

    it('lets a Table Schema’s decimalChar and groupChar win over the file', async () => {
      // 2.25 elsewhere says `.` is a decimal mark, but the publisher declared Vietnamese format for the column
      const text = 'ma,ty_le,dan_so\nA,1.5,7.512\nB,2.25,22.262\n';
      const vn = await bothPaths(text, 'dan_so', {
        fields: [{ name: 'dan_so', type: 'integer', decimalChar: ',', groupChar: '.' }],
      });
      expect(vn.figures).toEqual([7512, 22262]);
      expect(vn.direct.rejected).toBe(0);
      expect(vn.direct.numberReadings).toEqual([]);
      // and the other way: a declared decimal point keeps 7.512 a decimal in a file with nothing else to say
      const intl = await bothPaths(AMBIGUOUS, 'dan_so', {
        fields: [{ name: 'dan_so', type: 'number', decimalChar: '.', groupChar: ',' }],
      });
      expect(intl.figures).toEqual([7.512, 22.262, 81.004]);
      expect(intl.direct.numberReadings).toEqual([]);
    });

    it('reads the same figures on both paths when the deciding value comes after the first rows', async () => {
      const body = Array.from(
        { length: 6000 },
        (_, i) => `${i + 1},${(i % 900) + 100}.${String(i % 1000).padStart(3, '0')},${i}`,
      );
      // a decimal of another length at the very end: `.` is a decimal mark in this file after all
      const late = `stt,gia_tri,so\n${body.join('\n')}\n6001,5.5,1.25\n`;
      const decided = await bothPaths(late, 'gia_tri');
      expect(decided.figures.slice(0, 2)).toEqual([100, 101.001]);
      expect(decided.direct.numberReadings).toEqual([]);
      // two dots at the end: Vietnamese thousands, said by the column's own value
      const grouped = `stt,gia_tri,so\n${body.join('\n')}\n6001,1.234.567,3\n`;
      const vn = await bothPaths(grouped, 'gia_tri');
      expect(vn.figures.slice(0, 2)).toEqual([100000, 101001]);
      expect(vn.figures[6000]).toBe(1234567);
      expect(vn.direct.numberReadings).toEqual([]);
    });
  });
}
