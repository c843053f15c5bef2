import type { Principal } from '../accounts/principal.js';
import type { DatastoreService } from '../datastore/query/datastore.service.js';
import type { LoadedColumn } from '../datastore/load/loader.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { parseView } from '../datastore/query/view.js';
import type { T } from './i18n.js';
import { isYearColumn, schemaNotes, type CellColumn } from './table-cells.js';
import { tableChart, usableColumns } from './table-chart.js';
import type { ChartData } from './pages/table.js';

/*
 * A data set page's preview of its first table: the first rows, as the table page writes them, and a province map
 * where one fits (a column of province codes or names beside a column of figures). The map adds up the whole table,
 * so it is drawn only for tables small enough to add up while the page waits.
 */

const PREVIEW_ROWS = 10;
/** tables larger than this get the rows only: the map's sum would cost the page too much */
const MAP_MAX_ROWS = 50_000;
/** a column of codes or identifiers is no figure to map */
const CODE = /(^|_)(ma|code|id|stt|no)(_|$)/;

export interface TablePreview {
  distributionId: string;
  title: string;
  columns: CellColumn[];
  rows: Record<string, unknown>[];
  total: number;
  chart: ChartData | null;
}

export async function tablePreview(
  datastore: DatastoreService,
  masterData: MasterDataService,
  p: Principal,
  file: { id: string; title_vi: string; table_schema: unknown },
  t: T,
): Promise<TablePreview> {
  const table = await datastore.version(p, file.id);
  const view = parseView(table.columns, {}, PREVIEW_ROWS);
  const rows = await datastore.page(table, view, null, PREVIEW_ROWS);
  const notes = schemaNotes(file.table_schema);
  const note = (c: LoadedColumn) => notes.get(c.title) ?? notes.get(c.id);
  const title = (c: LoadedColumn) => note(c)?.title ?? (c.title || c.id);
  const columns = table.columns.map((c) => ({
    id: c.id,
    title: title(c),
    type: c.type,
    year:
      (note(c)?.year && c.type === 'integer') ||
      isYearColumn(
        c,
        rows.map((r) => r[c.id]),
      ),
  }));
  const figure = table.columns.find(
    (c, i) => (c.type === 'integer' || c.type === 'number') && !columns[i]!.year && !CODE.test(c.id),
  );
  let chart: ChartData | null = null;
  if (figure && Number(table.row_count) <= MAP_MAX_ROWS) {
    const groups = table.columns.filter((c) => c.type === 'text' || c.type === 'integer');
    const [place] = await usableColumns(
      groups.filter((c) => c.id !== figure.id).map((c) => ({ column: c, title: title(c) })),
      rows,
      masterData,
    );
    const x = place && groups.find((c) => c.id === place.id);
    if (x)
      chart = (
        await tableChart(datastore, masterData, {
          table,
          viewQuery: {},
          view,
          spec: { kind: 'tiles', x: x.id, y: `sum:${figure.id}` },
          groups,
          numbers: [figure],
          rows,
          title,
          t,
        })
      ).chart;
  }
  return {
    distributionId: file.id,
    title: file.title_vi,
    columns,
    rows: rows.map((r) => Object.fromEntries(table.columns.map((c) => [c.id, r[c.id]]))),
    total: Number(table.row_count),
    chart,
  };
}
